"""A small client of the JupyterHub REST API and of each student's Jupyter contents API.

Everything goes through the hub's public address, so the same calls work for a local process
spawner and for KubeSpawner: ``/hub/api/...`` for users and servers (JupyterHub REST API,
JupyterHub 5-6 documentation) and ``/user/NAME/api/contents/PATH`` for files in a student's
running server (Jupyter Server contents API).  The token comes from the environment variable
``COURSE_HUB_TOKEN`` (:func:`token_from_env`), never from a command line, where ``ps`` would
show it to every user of the machine.

Examples
--------
>>> client = HubClient("http://127.0.0.1:8000/", "secret")
>>> client.url("hub/api/users/ann lee")
'http://127.0.0.1:8000/hub/api/users/ann%20lee'
>>> client.contents_url("ann", "course/exercises/03 x.ipynb")
'http://127.0.0.1:8000/user/ann/api/contents/course/exercises/03%20x.ipynb'
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import requests

from classroom.errors import CourseError

__all__ = ["TOKEN_VARIABLE", "HubClient", "HubError", "server_ready", "token_from_env"]

#: The environment variable holding the instructor's (or service's) API token.
TOKEN_VARIABLE = "COURSE_HUB_TOKEN"


class HubError(CourseError):
    """A hub or server request that failed; ``status`` is the HTTP status (0: no answer)."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


def token_from_env(environ: Mapping[str, str] | None = None,
                   variable: str = TOKEN_VARIABLE) -> str:
    """The API token from the environment; a one-line ``CourseError`` when it is unset.

    Examples
    --------
    >>> token_from_env({"COURSE_HUB_TOKEN": " abc "})
    'abc'
    >>> token_from_env({})
    Traceback (most recent call last):
    classroom.errors.CourseError: set COURSE_HUB_TOKEN to an API token of the hub (see ...
    """
    token = (os.environ if environ is None else environ).get(variable, "").strip()
    if not token:
        raise CourseError(f"set {variable} to an API token of the hub (see README, \"A class "
                          "on JupyterHub\"); tokens are never passed on the command line")
    return token


def _status_text(response: requests.Response) -> str:
    try:
        message = response.json().get("message") or ""
    except ValueError:
        message = ""
    return f"HTTP {response.status_code}" + (f" ({message})" if message else "")


class HubClient:
    """Calls to one hub with one token (see the module docstring)."""

    def __init__(self, hub_url: str, token: str, *, timeout: float = 30.0) -> None:
        if not hub_url.startswith(("http://", "https://")):
            raise ValueError(f"hub_url must start with http:// or https://, got {hub_url!r}")
        self.base = hub_url.rstrip("/") + "/"
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"token {token}"

    def url(self, path: str) -> str:
        """The absolute address of ``path`` below the hub (each segment quoted)."""
        return self.base + quote(path.lstrip("/"))

    def contents_url(self, user: str, path: str) -> str:
        """The contents-API address of ``path`` in ``user``'s default server."""
        return self.url(f"user/{user}/api/contents/{path.lstrip('/')}")

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        """One request; ``HubError`` for no answer or a status of 400 and above."""
        try:
            response = self.session.request(method, url, timeout=self.timeout,
                                            allow_redirects=False, **kwargs)
        except requests.RequestException as exc:
            raise HubError(f"no answer from {url}: {type(exc).__name__}") from exc
        if response.status_code >= 400 or 300 <= response.status_code < 400:
            raise HubError(f"{method} {url}: {_status_text(response)}", response.status_code)
        return response

    def users(self) -> list[dict]:
        """Every user the token may list, with their servers (``GET /hub/api/users``)."""
        users: list[dict] = []
        offset = 0
        while True:
            page = self.request("GET", self.url("hub/api/users"),
                                params={"offset": offset, "limit": 200},
                                headers={"Accept": "application/jupyterhub-pagination+json"})
            data = page.json()
            items = data["items"] if isinstance(data, dict) else data
            users.extend(items)
            nxt = (data.get("_pagination") or {}).get("next") if isinstance(data, dict) else None
            if not nxt or not items:
                return users
            offset = int(nxt["offset"])

    def user(self, name: str) -> dict:
        """One user's model (``GET /hub/api/users/NAME``)."""
        return self.request("GET", self.url(f"hub/api/users/{name}")).json()

    def start_server(self, name: str, wait: float = 60.0) -> None:
        """Start ``name``'s default server and wait until the hub says it is ready."""
        try:
            self.request("POST", self.url(f"hub/api/users/{name}/server"))
        except HubError as exc:
            if exc.status != 400:  # 400: already running
                raise
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if server_ready(self.user(name)):
                return
            time.sleep(0.5)
        raise HubError(f"the server of {name} was not ready after {wait:.0f} s")

    def read_file(self, user: str, path: str) -> tuple[str, str]:
        """The text and ``last_modified`` of a file in ``user``'s server."""
        model = self.request("GET", self.contents_url(user, path),
                             params={"type": "file", "format": "text", "content": "1"}).json()
        return model["content"], model["last_modified"]

    def write_file(self, user: str, path: str, text: str) -> dict:
        """Write ``text`` to ``path`` in ``user``'s server (its folder made first)."""
        folder = path.rsplit("/", 1)[0] if "/" in path else ""
        if folder:
            self.ensure_folder(user, folder)
        body = {"type": "file", "format": "text", "content": text}
        return self.request("PUT", self.contents_url(user, path), json=body).json()

    def ensure_folder(self, user: str, folder: str) -> None:
        """Create ``folder`` (and its parents) in ``user``'s server if missing."""
        parts = [p for p in folder.split("/") if p]
        for i in range(1, len(parts) + 1):
            sub = "/".join(parts[:i])
            try:
                self.request("GET", self.contents_url(user, sub), params={"content": "0"})
            except HubError as exc:
                if exc.status != 404:
                    raise
                self.request("PUT", self.contents_url(user, sub), json={"type": "directory"})


def server_ready(user_model: dict) -> bool:
    """Whether a user model shows the default server running and ready.

    Examples
    --------
    >>> server_ready({"servers": {"": {"ready": True}}}), server_ready({"servers": {}})
    (True, False)
    """
    default = (user_model.get("servers") or {}).get("")
    if default is not None:
        return bool(default.get("ready"))
    return bool(user_model.get("server")) and not user_model.get("pending")
