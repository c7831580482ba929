"""``course hub``: a JupyterHub for a seminar room on the instructor's machine, in one command.

The course is released into a git repository beside the hub's state (``course release
--git``), and every student's server opens on nbgitpuller's ``git-pull`` page for it, so each
account gets the course pulled (and later updates merged) on its first visit. Accounts are the
roster's (``--roster``) or the names given with ``--users`` (all in the group ``students``);
each student logs in with their own code from the class sheet (:mod:`classroom.hub.accounts`).
Every student's server and kernels run in a sandbox of their own (:mod:`classroom.hub.sandbox`);
where that is impossible the hub refuses to start, unless the instructor asks for
:data:`INSECURE_WARNING` in so many words. The hub listens on 127.0.0.1 unless ``--listen``
names another address; Ctrl-C stops it and every server it started.

Examples
--------
>>> pull_url("/srv/course/release")
'/git-pull?repo=file%3A%2F%2F%2Fsrv%2Fcourse%2Frelease&branch=main&targetpath=course&urlpath=lab%2Ftree%2Fcourse%2Fnotebooks%2F00_start_here.ipynb'
"""

from __future__ import annotations

import getpass
import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from classroom.errors import CourseError
from classroom.hub.accounts import SHEET, issue_codes, read_sheet
from classroom.hub.client import TOKEN_VARIABLE
from classroom.hub.gitrelease import release_to_git
from classroom.hub.hubconfig import HubPorts, config_text, free_ports
from classroom.hub.kernelspec import write_kernelspec
from classroom.hub.links import START_PATH
from classroom.hub.prestart import prestart_class
from classroom.hub.process import RunningHub, find_proxy, find_singleuser, start_hub, stop_hub
from classroom.hub.sandbox import RELEASE_MOUNT, StudentLimits, why_no_sandbox
from classroom.labextension.settings import write_app_settings

__all__ = ["INSECURE_WARNING", "SeminarHub", "issue_login_codes", "pull_url", "reset_login",
           "run_seminar_hub", "start_seminar_hub"]

#: What ``--insecure-shared-account`` means, printed whenever it is used.
INSECURE_WARNING = (
    "WARNING: --insecure-shared-account: every student's server and kernels run as {user}, "
    "with no sandbox. Any student can read and change every other student's files and work, "
    "read the hub's database and cookie secret, the instructor's files, solutions/ and "
    "grading folders, and act with everything {user} may do on this machine. Use it only "
    "with people you would hand your account to.")


def pull_url(release: str | Path, folder: str = "course") -> str:
    """The default URL of every server: nbgitpuller pulls the release, then opens lesson 00."""
    query = urlencode({"repo": f"file://{release}", "branch": "main", "targetpath": folder,
                       "urlpath": f"lab/tree/{folder}/{START_PATH}"})
    return f"/git-pull?{query}"


@dataclass
class SeminarHub:
    """A running seminar hub: its address, students, class sheet and instructor token."""

    running: RunningHub
    url: str
    users: list[str]
    sheet: Path
    token: str = field(repr=False)
    release_repo: str = ""
    new_codes: dict[str, str] = field(default_factory=dict, repr=False)


def issue_login_codes(workdir: Path, users: list[str]) -> dict[str, str]:
    """Codes for the students who have none yet (the class sheet keeps everyone's)."""
    state = Path(workdir).resolve() / "state"
    state.mkdir(mode=0o700, parents=True, exist_ok=True)
    known = read_sheet(state)
    return issue_codes(state, [name for name in users if name not in known])


def reset_login(workdir: Path, name: str) -> str:
    """A new login code for one student; the hub applies it at once (running or not).

    Raises
    ------
    CourseError
        When ``name`` has no account on this hub (not on its class sheet).
    """
    state = Path(workdir).resolve() / "state"
    if name not in read_sheet(state):
        raise CourseError(f"{name} has no account on the hub in {workdir} "
                          f"(not on {state / SHEET})")
    return issue_codes(state, [name])[name]


def start_seminar_hub(repo_root: Path, workdir: Path, users: list[str], *,
                      listen: str = "127.0.0.1", port: int | None = None,
                      insecure_shared_account: bool = False,
                      limits: StudentLimits | None = None, lock_seconds: int = 60) -> SeminarHub:
    """Release the course, issue missing login codes, write the config and start the hub.

    Raises
    ------
    CourseError
        When no sandbox can be made here and ``insecure_shared_account`` is not given.
    """
    sandbox = not insecure_shared_account
    problem = why_no_sandbox() if sandbox else None
    if problem:
        raise CourseError(f"students cannot be isolated here: {problem}; install bubblewrap, "
                          "or see `course hub --help` for --insecure-shared-account")
    workdir = Path(workdir).resolve()
    release = workdir / "release"
    release_to_git(repo_root, release)
    new_codes = issue_login_codes(workdir, users)
    public, api, hub_port = free_ports(3)
    ports = HubPorts(port or public, api, hub_port)
    repo = f"file://{RELEASE_MOUNT if sandbox else release}"
    config = config_text(ports, workdir / "state", users, proxy=find_proxy(repo_root),
                         singleuser=find_singleuser(), listen=listen,
                         default_url=pull_url(repo.removeprefix("file://")),
                         lab_settings=write_app_settings(workdir / "lab-settings"),
                         jupyter_path=write_kernelspec(workdir / "jupyter-path"),
                         release=release, sandbox=sandbox, limits=limits,
                         lock_seconds=lock_seconds)
    shown = "127.0.0.1" if listen in ("0.0.0.0", "") else listen
    url = f"http://{shown}:{ports.public}/"
    token = os.environ.get(TOKEN_VARIABLE) or secrets.token_hex(32)
    running = start_hub(workdir / "state", config, url, env={TOKEN_VARIABLE: token})
    return SeminarHub(running, url, users, workdir / "state" / SHEET, token, repo, new_codes)


def run_seminar_hub(repo_root: Path, workdir: Path, users: list[str], *,
                    listen: str = "127.0.0.1", port: int | None = None,
                    insecure_shared_account: bool = False, prestart: bool = False,
                    limits: StudentLimits | None = None,
                    say: Callable[[str], None] = print) -> int:
    """Start the hub, tell the room how to log in, and serve until Ctrl-C; the exit status."""
    if insecure_shared_account:
        say(INSECURE_WARNING.format(user=getpass.getuser()))
    hub = start_seminar_hub(repo_root, workdir, users, listen=listen, port=port,
                            insecure_shared_account=insecure_shared_account, limits=limits)
    try:  # from here on, a Ctrl-C at any line stops the hub (the finally below)
        say(f"hub running at {hub.url} for {len(hub.users)} student(s)")
        if hub.new_codes:
            say(f"login codes for {len(hub.new_codes)} new student(s) are on the class sheet "
                f"{hub.sheet} (readable by you only): hand each student their own line")
        say("each student's course is pulled on first login; Ctrl-C stops the hub")
        if not os.environ.get(TOKEN_VARIABLE):
            say(f"course collect and course return need the hub's token: set {TOKEN_VARIABLE} "
                "before starting course hub (this hub has a random one)")
        if prestart:
            threading.Thread(target=prestart_class, daemon=True, args=(
                hub.url, hub.token, hub.users, hub.release_repo), kwargs={"say": say}).start()
        while hub.running.process.poll() is None:
            time.sleep(0.5)
        raise CourseError(f"the hub stopped by itself (see {hub.running.log})")
    finally:
        stop_hub(hub.running)
