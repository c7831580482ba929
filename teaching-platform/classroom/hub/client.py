"""A small client of the JupyterHub REST API and of each student's Jupyter contents API.

Everything goes through the hub's public address, so the same calls work for a local process
spawner and for KubeSpawner: ``/hub/api/...`` for users and servers (JupyterHub REST API,
JupyterHub 5-6 documentation) and ``/user/NAME/api/contents/PATH`` for files in a student's
running server (Jupyter Server contents API).  The token comes from the environment variable
``COURSE_HUB_TOKEN`` (:func:`token_from_env`), never from a command line, where ``ps`` would
show it to every user of the machine.

A student's server is the student's own program: whatever reaches it, the student can read
(their kernel runs as they do and may read the server's memory). So a client made with
``per_student_tokens=True`` (the instructor's) never sends its own token there: for each
student it asks the hub for a token *of that student* that opens that student's server only
(``POST /hub/api/users/NAME/tokens``, scope ``access:servers!user=NAME``, 15 minutes; the
instructor's service holds ``tokens!group=students`` for this), uses it for every request to
that server, and deletes it on :meth:`HubClient.close`. A student who keeps what their server
received gains access to nothing but their own server.

Examples
--------
>>> client = HubClient("http://127.0.0.1:8000/", "secret")
>>> client.url("hub/api/users/ann lee")
'http://127.0.0.1:8000/hub/api/users/ann%20lee'
>>> client.server_url("ann", "api/contents/course/exercises/03 x.ipynb")
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


#: How long a token minted for one student's server lives (seconds), should close() not run.
SERVER_TOKEN_SECONDS = 900


class HubClient:
    """Calls to one hub with one token (see the module docstring); a context manager."""

    def __init__(self, hub_url: str, token: str, *, timeout: float = 30.0,
                 per_student_tokens: bool = False) -> None:
        if not hub_url.startswith(("http://", "https://")):
            raise ValueError(f"hub_url must start with http:// or https://, got {hub_url!r}")
        self.base = hub_url.rstrip("/") + "/"
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"token {token}"
        self.per_student_tokens = per_student_tokens
        self._minted: dict[str, tuple[str, str]] = {}

    def __enter__(self) -> HubClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Delete every token this client minted for a student's server (never raises)."""
        for user, (_, token_id) in list(self._minted.items()):
            try:
                self.request("DELETE", self.url(f"hub/api/users/{user}/tokens/{token_id}"))
            except HubError:
                pass  # it expires on its own
            del self._minted[user]
        self.session.close()

    def _server_token(self, user: str) -> str:
        """A token of ``user`` that opens ``user``'s server only, minted once per client."""
        if user not in self._minted:
            made = self.request("POST", self.url(f"hub/api/users/{user}/tokens"), json={
                "scopes": [f"access:servers!user={user}"], "expires_in": SERVER_TOKEN_SECONDS,
                "note": "course: one request to this student's own server"}).json()
            self._minted[user] = (made["token"], made["id"])
        return self._minted[user][0]

    def server_request(self, user: str, method: str, path: str,
                       **kwargs: Any) -> requests.Response:
        """A request to ``user/<user>/<path>``, with a token of that student where configured."""
        if self.per_student_tokens:
            kwargs["headers"] = {**kwargs.get("headers", {}),
                                 "Authorization": f"token {self._server_token(user)}"}
        return self.request(method, self.server_url(user, path), **kwargs)

    def url(self, path: str) -> str:
        """The absolute address of ``path`` below the hub (each segment quoted)."""
        return self.base + quote(path.lstrip("/"))

    def server_url(self, user: str, path: str) -> str:
        """The address of ``path`` in ``user``'s default server."""
        return self.url(f"user/{user}/{path.lstrip('/')}")

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
        model = self.server_request(user, "GET", f"api/contents/{path.lstrip('/')}",
                                    params={"type": "file", "format": "text",
                                            "content": "1"}).json()
        return model["content"], model["last_modified"]

    def write_file(self, user: str, path: str, text: str) -> dict:
        """Write ``text`` to ``path`` in ``user``'s server (its folder made first)."""
        folder = path.rsplit("/", 1)[0] if "/" in path else ""
        if folder:
            self.ensure_folder(user, folder)
        body = {"type": "file", "format": "text", "content": text}
        return self.server_request(user, "PUT", f"api/contents/{path.lstrip('/')}",
                                   json=body).json()

    def ensure_folder(self, user: str, folder: str) -> None:
        """Create ``folder`` (and its parents) in ``user``'s server if missing."""
        parts = [p for p in folder.split("/") if p]
        for i in range(1, len(parts) + 1):
            sub = "/".join(parts[:i])
            try:
                self.server_request(user, "GET", f"api/contents/{sub}", params={"content": "0"})
            except HubError as exc:
                if exc.status != 404:
                    raise
                self.server_request(user, "PUT", f"api/contents/{sub}",
                                    json={"type": "directory"})


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
