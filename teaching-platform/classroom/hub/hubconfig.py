"""The ``jupyterhub_config.py`` of a hub on one machine (``course hub`` and the loopback tests).

One OS user runs everything: ``SimpleLocalProcessSpawner`` gives every student a home folder of
their own below the hub's work folder, ``SharedPasswordAuthenticator`` lets the listed accounts
log in with one passphrase (JupyterHub 5.3+; JupyterHub documentation, "Authenticators",
2025), and the service ``course-instructor`` gets the scopes that ``course collect`` and
``course return`` need, limited to the students (:data:`INSTRUCTOR_SCOPES`,
:func:`access_scopes`).
Secrets never enter the file: it reads the passphrase and the service token from the
environment of the hub process (:data:`PASSWORD_VARIABLE`, ``COURSE_HUB_TOKEN``).

Examples
--------
>>> text = config_text(HubPorts(8000, 8001, 8081), Path("/srv/hub"), ["ann", "bob"],
...                    proxy="/usr/bin/configurable-http-proxy", singleuser="/usr/bin/j-s")
>>> "c.Authenticator.allowed_users = set(['ann', 'bob'])" in text
True
>>> "os.environ['COURSE_HUB_PASSWORD']" in text and "access:servers!user=bob" in text
True
>>> "--LabApp.extra_labextensions_path=" in text  # every server loads the course's extension
True
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path

from classroom.hub.client import TOKEN_VARIABLE
from classroom.labextension import lab_arguments
from classroom.labextension.settings import app_settings_argument

__all__ = ["GROUP", "INSTRUCTOR_SCOPES", "PASSWORD_VARIABLE", "SERVICE", "HubPorts",
           "access_scopes", "config_text", "free_ports"]

#: The environment variable holding the students' shared passphrase (8 characters or more).
PASSWORD_VARIABLE = "COURSE_HUB_PASSWORD"
#: The group every student account belongs to.
GROUP = "students"
#: The service whose token ``course collect`` and ``course return`` use.
SERVICE = "course-instructor"
#: What collect and return need from the hub (and starting a server), for students only.
INSTRUCTOR_SCOPES = (
    f"list:users!group={GROUP}",      # list the students
    f"read:users!group={GROUP}",      # their user models
    f"read:servers!group={GROUP}",    # whether each server is running
    f"servers!group={GROUP}",         # start a stopped server (course hub, benchmarks)
)


def access_scopes(users: list[str]) -> list[str]:
    """``access:servers`` for each student, one ``!user=`` filter each.

    A single-user server has no database, so it cannot resolve a ``!group=`` filter and refuses
    ``access:servers!group=students`` (JupyterHub 6 warns "combinations of filters present,
    without db access" in ``jupyterhub/scopes.py``): the reach into servers is listed per user.

    Examples
    --------
    >>> access_scopes(["bob", "ann"])
    ['access:servers!user=ann', 'access:servers!user=bob']
    """
    return [f"access:servers!user={name}" for name in sorted(users)]


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


def config_text(ports: HubPorts, workdir: Path, users: list[str], *, proxy: str,
                singleuser: str, listen: str = "127.0.0.1", default_url: str = "/lab",
                admins: tuple[str, ...] = (), lab_settings: Path | None = None) -> str:
    """The configuration file's text (see the module docstring).

    Parameters
    ----------
    ports : HubPorts
        Where the proxy, its API and the hub listen.
    workdir : path
        The hub's state (database, cookie secret) and ``homes/<student>``.
    users : list of str
        The student accounts.
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
        server loads the course's extension (:func:`classroom.labextension.lab_arguments`).
    """
    as_root = os.geteuid() == 0 if hasattr(os, "geteuid") else False
    server_args = [*(["--allow-root"] if as_root else []), *lab_arguments(),
                   *([app_settings_argument(Path(lab_settings))] if lab_settings else [])]
    lines = [
        "import os",
        "c = get_config()  # noqa: F821",
        f"c.JupyterHub.ip = {listen!r}",
        f"c.JupyterHub.port = {ports.public}",
        "c.JupyterHub.hub_ip = '127.0.0.1'",
        f"c.JupyterHub.hub_port = {ports.hub}",
        f"c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:{ports.proxy_api}'",
        f"c.ConfigurableHTTPProxy.command = [{proxy!r}]",
        f"c.JupyterHub.db_url = 'sqlite:///{workdir / 'jupyterhub.sqlite'}'",
        f"c.JupyterHub.cookie_secret_file = {str(workdir / 'jupyterhub_cookie_secret')!r}",
        "c.JupyterHub.spawner_class = 'simple'",
        f"c.SimpleLocalProcessSpawner.home_dir_template = {str(workdir / 'homes')!r}"
        " + '/{username}'",
        f"c.Spawner.cmd = [{singleuser!r}]",
        f"c.Spawner.args = {server_args!r}",
        f"c.Spawner.default_url = {default_url!r}",
        "c.Spawner.http_timeout = 60",
        "c.Spawner.start_timeout = 120",
        "c.JupyterHub.authenticator_class = 'shared-password'",
        f"c.SharedPasswordAuthenticator.user_password = os.environ[{PASSWORD_VARIABLE!r}]",
        f"c.Authenticator.allowed_users = set({sorted(users)!r})" if users else
        "c.Authenticator.allow_all = True",
        f"c.Authenticator.admin_users = set({sorted(admins)!r})",
        f"c.JupyterHub.load_groups = {{{GROUP!r}: {{'users': {sorted(users)!r}}}}}",
        f"c.JupyterHub.services = [{{'name': {SERVICE!r}, "
        f"'api_token': os.environ[{TOKEN_VARIABLE!r}]}}]",
        f"c.JupyterHub.load_roles = [{{'name': {SERVICE!r}, 'services': [{SERVICE!r}], "
        f"'scopes': {[*INSTRUCTOR_SCOPES, *access_scopes(users)]!r}}}]",
    ]
    return "\n".join(lines) + "\n"
