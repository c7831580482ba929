"""``course hub``: a JupyterHub for a seminar room on the instructor's machine, in one command.

The course is released into a git repository beside the hub's state (``course release
--git``), and every student's server opens on nbgitpuller's ``git-pull`` page for it, so each
account gets the course pulled (and later updates merged) on its first visit.  Accounts are the
names given with ``--users`` (all in the group ``students``); they log in with one passphrase
read from ``COURSE_HUB_PASSWORD`` (or a generated one, printed once).  The hub listens on
127.0.0.1 unless ``--listen`` names another address; Ctrl-C stops it and every server it
started.

Examples
--------
>>> pull_url("/srv/hub/release")
'/git-pull?repo=file%3A%2F%2F%2Fsrv%2Fhub%2Frelease&branch=main&targetpath=course&urlpath=lab%2Ftree%2Fcourse%2Fnotebooks%2F00_start_here.ipynb'
>>> parse_users("ann, bob,ann")
['ann', 'bob']
"""

from __future__ import annotations

import os
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from classroom.errors import CourseError
from classroom.hub.client import TOKEN_VARIABLE
from classroom.hub.gitrelease import release_to_git
from classroom.hub.hubconfig import PASSWORD_VARIABLE, HubPorts, config_text, free_ports
from classroom.hub.links import START_PATH
from classroom.hub.process import RunningHub, find_proxy, find_singleuser, start_hub, stop_hub
from classroom.labextension.settings import write_app_settings

__all__ = ["SeminarHub", "parse_users", "pull_url", "run_seminar_hub", "start_seminar_hub"]

_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,31}$")


def parse_users(text: str) -> list[str]:
    """Account names from ``a,b,c`` (lower-case letters, digits, ``.``, ``_``, ``-``)."""
    names = list(dict.fromkeys(n.strip() for n in text.split(",") if n.strip()))
    bad = [n for n in names if not _NAME.match(n)]
    if bad or not names:
        raise ValueError(f"users must be comma-separated account names (a-z, 0-9, . _ -), got "
                         f"{text!r}")
    return names


def pull_url(release: str | Path, folder: str = "course") -> str:
    """The default URL of every server: nbgitpuller pulls the release, then opens lesson 00."""
    query = urlencode({"repo": f"file://{release}", "branch": "main", "targetpath": folder,
                       "urlpath": f"lab/tree/{folder}/{START_PATH}"})
    return f"/git-pull?{query}"


@dataclass
class SeminarHub:
    """A running seminar hub, its address and the passphrase students type."""

    running: RunningHub
    url: str
    password: str
    users: list[str]


def start_seminar_hub(repo_root: Path, workdir: Path, users: list[str], *,
                      listen: str = "127.0.0.1", port: int | None = None) -> SeminarHub:
    """Release the course, write the config and start the hub (see the module docstring)."""
    password = os.environ.get(PASSWORD_VARIABLE) or secrets.token_urlsafe(9)
    if len(password) < 8:
        raise CourseError(f"{PASSWORD_VARIABLE} must be at least 8 characters")
    workdir = Path(workdir).resolve()
    release = workdir / "release"
    release_to_git(repo_root, release)
    public, api, hub_port = free_ports(3)
    ports = HubPorts(port or public, api, hub_port)
    config = config_text(ports, workdir / "state", users, proxy=find_proxy(repo_root),
                         singleuser=find_singleuser(), listen=listen,
                         default_url=pull_url(release),
                         lab_settings=write_app_settings(workdir / "lab-settings"))
    shown = "127.0.0.1" if listen in ("0.0.0.0", "") else listen
    url = f"http://{shown}:{ports.public}/"
    env = {PASSWORD_VARIABLE: password,
           TOKEN_VARIABLE: os.environ.get(TOKEN_VARIABLE) or secrets.token_hex(32)}
    running = start_hub(workdir / "state", config, url, env=env)
    return SeminarHub(running, url, password, users)


def run_seminar_hub(repo_root: Path, workdir: Path, users: list[str], *,
                    listen: str = "127.0.0.1", port: int | None = None,
                    say: Callable[[str], None] = print) -> int:
    """Start the hub, tell the room how to log in, and serve until Ctrl-C; the exit status."""
    hub = start_seminar_hub(repo_root, workdir, users, listen=listen, port=port)
    say(f"hub running at {hub.url} for {', '.join(hub.users)}")
    if not os.environ.get(PASSWORD_VARIABLE):
        say(f"passphrase for every account: {hub.password}")
    say("each student's course is pulled on first login; Ctrl-C stops the hub")
    try:
        while hub.running.process.poll() is None:
            time.sleep(0.5)
        raise CourseError(f"the hub stopped by itself (see {hub.running.log})")
    finally:
        stop_hub(hub.running)
