"""The ``jupyterhub_config.py`` of a hub on one machine (``course hub`` and the loopback tests).

Every student's server runs in a sandbox of its own (:class:`classroom.hub.spawner.SandboxSpawner`:
own home, own PID namespace, allowlisted environment, the course and the Python environment
read-only); every student logs in with their own code or password
(:class:`classroom.hub.authenticator.ClassAuthenticator`, accounts from the roster only); the
service ``course-instructor`` gets the scopes that ``course collect``, ``course return`` and
``course hub --prestart`` need, limited to the students (:data:`INSTRUCTOR_SCOPES`): none of
them opens a student's server, for which the service mints a token of that student
(:class:`classroom.hub.client.HubClient`). Secrets never enter the file: the service token
comes from the environment of the hub process (``COURSE_HUB_TOKEN``), the students' codes from
the hub's ``login-codes/`` folder (hashes only).

Examples
--------
>>> text = config_text(HubPorts(8000, 8001, 8081), Path("/srv/hub"), ["ann", "bob"],
...                    proxy="/usr/bin/configurable-http-proxy", singleuser="/usr/bin/j-s")
>>> "c.Authenticator.allowed_users = set(['ann', 'bob'])" in text
True
>>> "SandboxSpawner" in text and "tokens!group=students" in text and "access:" not in text
True
>>> "password" in text.lower()  # no shared passphrase
False
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path

from classroom.hub.client import TOKEN_VARIABLE
from classroom.hub.sandbox import StudentLimits
from classroom.labextension import EXTENSION_DIR, SETTINGS_FILE
from classroom.labextension.settings import app_settings_argument

__all__ = ["GROUP", "INSTRUCTOR_SCOPES", "SERVICE", "HubPorts", "config_text", "free_ports"]

#: The group every student account belongs to.
GROUP = "students"
#: The service whose token ``course collect`` and ``course return`` use.
SERVICE = "course-instructor"
#: What collect and return need from the hub (and starting a server), for students only.
INSTRUCTOR_SCOPES = (
    f"list:users!group={GROUP}",      # list the students
    f"read:users!group={GROUP}",      # their user models
    f"read:servers!group={GROUP}",    # whether each server is running
    f"servers!group={GROUP}",         # start a stopped server (course hub --prestart)
    f"tokens!group={GROUP}",          # a token of one student for their own server only
)


@dataclass(frozen=True)
class HubPorts:
    """The proxy's public port, the proxy's API port and the hub's own port."""

    public: int
    proxy_api: int
    hub: int


def free_ports(n: int = 3, host: str = "127.0.0.1") -> list[int]:
    """``n`` distinct ports free on ``host`` right now.

    Examples
    --------
    >>> ports = free_ports(3)
    >>> len(set(ports)) == 3 and all(1024 < p < 65536 for p in ports)
    True
    """
    sockets = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind((host, 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _spawner_lines(workdir: Path, *, sandbox: bool, release: Path | None,
                   lab_settings: Path | None, jupyter_path: Path | None,
                   limits: StudentLimits) -> list[str]:
    """The spawner's part of the configuration: sandboxed, or one shared account (insecure)."""
    if not sandbox:
        return ["c.JupyterHub.spawner_class = 'simple'",
                f"c.SimpleLocalProcessSpawner.home_dir_template = {str(workdir / 'homes')!r}"
                " + '/{username}'",
                f"c.Spawner.environment = {{'JUPYTER_PATH': {str(jupyter_path or '')!r}}}"]
    # the extension and its settings are in the environment (read-only anyway); an editable
    # install links them to the checkout (python -m classroom.labextension --develop)
    read_only = [str(EXTENSION_DIR), str(SETTINGS_FILE.parent),
                 *([str(lab_settings)] if lab_settings else []),
                 *([str(jupyter_path)] if jupyter_path else [])]
    return [
        "c.JupyterHub.spawner_class = 'classroom.hub.spawner.SandboxSpawner'",
        f"c.SandboxSpawner.homes = {str(workdir / 'homes')!r}",
        f"c.SandboxSpawner.jupyter_path = {str(jupyter_path or '')!r}",
        f"c.SandboxSpawner.release = {str(release or '')!r}",
        f"c.SandboxSpawner.read_only = {read_only!r}",
        f"c.SandboxSpawner.uid_table = {str(workdir / 'uids.json')!r}",
        f"c.SandboxSpawner.tasks = {limits.tasks}",
        f"c.SandboxSpawner.memory_mb = {limits.memory_mb}",
        f"c.SandboxSpawner.tmp_mb = {limits.tmp_mb}",
    ]


def _server_arguments(*, sandbox: bool, lab_settings: Path | None) -> list[str]:
    """What every ``jupyterhub-singleuser`` is started with."""
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    return [*(["--allow-root"] if as_root and not sandbox else []),
            *([app_settings_argument(Path(lab_settings))] if lab_settings else []),
            # kernels talk to their server over IPC sockets in the sandbox: no port on loopback
            *(["--KernelManager.transport=ipc"] if sandbox else [])]


def config_text(ports: HubPorts, workdir: Path, users: list[str], *, proxy: str,
                singleuser: str, listen: str = "127.0.0.1", default_url: str = "/lab",
                admins: tuple[str, ...] = (), lab_settings: Path | None = None,
                jupyter_path: Path | None = None, release: Path | None = None,
                sandbox: bool = True,
                limits: StudentLimits | None = None, lock_seconds: int = 60) -> str:
    """The configuration file's text (see the module docstring).

    Parameters
    ----------
    ports : HubPorts
        Where the proxy, its API and the hub listen.
    workdir : path
        The hub's state (database, cookie secret, login codes) and ``homes/<student>``.
    users : list of str
        The student accounts (the roster).
    proxy, singleuser : str
        The ``configurable-http-proxy`` and ``jupyterhub-singleuser`` programs.
    listen : str
        The address the proxy serves students on; everything else stays on 127.0.0.1.
    default_url : str
        What a server opens first, e.g. an nbgitpuller ``/git-pull?...`` path.
    admins : tuple of str
        Hub administrators (not students).
    lab_settings : path, optional
        A folder made by :func:`classroom.labextension.settings.write_app_settings`: every
        student's JupyterLab reads its setting defaults there (widget state saved). Every
        server finds the course's extension in its environment, where the ``classroom`` package
        installed it (:mod:`classroom.labextension`).
    jupyter_path : path, optional
        A folder made by :func:`classroom.hub.kernelspec.write_kernelspec`: every server's
        ``python3`` kernel loads the course's modules as it starts.
    release : path, optional
        The released course, mounted read-only in every sandbox at
        :data:`classroom.hub.sandbox.RELEASE_MOUNT`.
    sandbox : bool
        Each student's server in a sandbox of its own (:mod:`classroom.hub.spawner`);
        ``False`` runs every server as the hub's own user, with no isolation at all.
    limits : StudentLimits, optional
        Per-student limits in the sandbox.
    lock_seconds : int
        After five failed logins for one name, one try per this many seconds.
    """
    limits = limits or StudentLimits()
    server_args = _server_arguments(sandbox=sandbox, lab_settings=lab_settings)
    lines = [
        "import os",
        "from classroom.hub.database import write_ahead_log",
        "c = get_config()  # noqa: F821",
        "write_ahead_log()  # a class logging in at once does not queue behind the disk",
        f"c.JupyterHub.ip = {listen!r}",
        f"c.JupyterHub.port = {ports.public}",
        "c.JupyterHub.hub_ip = '127.0.0.1'",
        f"c.JupyterHub.hub_port = {ports.hub}",
        f"c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:{ports.proxy_api}'",
        f"c.ConfigurableHTTPProxy.command = [{proxy!r}]",
        f"c.JupyterHub.db_url = 'sqlite:///{workdir / 'jupyterhub.sqlite'}'",
        f"c.JupyterHub.cookie_secret_file = {str(workdir / 'jupyterhub_cookie_secret')!r}",
        *_spawner_lines(workdir, sandbox=sandbox, release=release, lab_settings=lab_settings,
                        jupyter_path=jupyter_path, limits=limits),
        f"c.Spawner.cmd = [{singleuser!r}]",
        f"c.Spawner.args = {server_args!r}",
        f"c.Spawner.default_url = {default_url!r}",
        "c.Spawner.disable_user_config = True",
        "c.Spawner.http_timeout = 120",
        "c.Spawner.start_timeout = 180",
        "c.JupyterHub.authenticator_class = 'classroom.hub.authenticator.ClassAuthenticator'",
        f"c.ClassAuthenticator.state_dir = {str(workdir)!r}",
        f"c.ClassAuthenticator.seconds_before_next_try = {int(lock_seconds)}",
        f"c.Authenticator.allowed_users = set({sorted(users)!r})",
        f"c.Authenticator.admin_users = set({sorted(admins)!r})",
        f"c.JupyterHub.load_groups = {{{GROUP!r}: {{'users': {sorted(users)!r}}}}}",
        f"c.JupyterHub.services = [{{'name': {SERVICE!r}, "
        f"'api_token': os.environ[{TOKEN_VARIABLE!r}]}}]",
        f"c.JupyterHub.load_roles = [{{'name': {SERVICE!r}, 'services': [{SERVICE!r}], "
        f"'scopes': {list(INSTRUCTOR_SCOPES)!r}}}]",
    ]
    return "\n".join(lines) + "\n"
