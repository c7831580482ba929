"""What a student does on the hub, for the loopback tests and ``benchmarks/hub_load.py``.

A student logs in through the hub's login form as a browser does (:func:`browser_login`), and
runs code in a kernel of their server through the Jupyter kernel API, REST plus websocket
(:func:`run_cells`): ``POST /user/NAME/api/kernels`` (or the kernel of an existing session, as
JupyterLab attaches to one when it opens a notebook), ``execute_request`` messages on the
``channels`` websocket, the replies read back (Jupyter messaging protocol 5.x).

Examples
--------
>>> message = execute_request("1 + 1", "s1")
>>> message["header"]["msg_type"], message["channel"], message["content"]["code"]
('execute_request', 'shell', '1 + 1')
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import Callable, Iterable
from urllib.parse import quote

import requests
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

from classroom.hub.client import HubClient, HubError

__all__ = ["browser_login", "execute_request", "login_form", "run_cells", "session_kernel"]


def _logged_in(base: str, name: str, password: str) -> tuple[requests.Session, int]:
    """A browser session that posted the login form; the reply's status (302: logged in)."""
    browser = requests.Session()
    try:
        browser.get(base + "hub/login", timeout=60).raise_for_status()
        reply = browser.post(base + "hub/login", allow_redirects=False, timeout=60,
                             data={"username": name, "password": password,
                                   "_xsrf": browser.cookies.get("_xsrf")})
    except requests.RequestException as exc:
        browser.close()
        raise HubError(f"no answer from {base}: {type(exc).__name__}") from exc
    return browser, reply.status_code


def login_form(hub_url: str, name: str, password: str) -> int:
    """Post the login form as a browser does; the reply's status.

    302 means logged in; the form answers 200 (the form again, with an error) otherwise.
    """
    browser, status = _logged_in(hub_url.rstrip("/") + "/", name, password)
    browser.close()
    return status


def browser_login(hub_url: str, name: str, password: str, note: str = "course") -> str:
    """Log in through the hub's login form and return a new API token of that student.

    The hub sets a fresh ``_xsrf`` cookie bound to the logged-in session; the token request
    (``POST /hub/api/users/NAME/tokens``) carries it as ``X-XSRFToken``.
    """
    base = hub_url.rstrip("/") + "/"
    browser, status = _logged_in(base, name, password)
    with browser:
        if status != 302:
            raise HubError(f"login of {name} refused (HTTP {status})", status)
        try:
            browser.get(base + "hub/home", timeout=60).raise_for_status()
            made = browser.post(base + f"hub/api/users/{quote(name)}/tokens",
                                json={"note": note}, timeout=60,
                                headers={"X-XSRFToken": browser.cookies.get("_xsrf") or ""})
        except requests.RequestException as exc:
            raise HubError(f"no answer from {base}: {type(exc).__name__}") from exc
    if made.status_code != 201:
        raise HubError(f"token for {name}: HTTP {made.status_code}", made.status_code)
    return made.json()["token"]


def execute_request(code: str, session: str) -> dict:
    """An ``execute_request`` message for the websocket ``shell`` channel."""
    msg_id = uuid.uuid4().hex
    return {"header": {"msg_id": msg_id, "msg_type": "execute_request", "session": session,
                       "username": "", "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": True,
                        "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}}


def _output(msg: dict) -> dict | None:
    """The notebook output a message becomes, if any."""
    kind, content = msg["header"]["msg_type"], msg["content"]
    if kind == "stream":
        return {"output_type": "stream", "name": content["name"], "text": content["text"]}
    if kind in ("execute_result", "display_data"):
        out = {"output_type": kind, "data": content["data"], "metadata": content["metadata"]}
        if kind == "execute_result":
            out["execution_count"] = content["execution_count"]
        return out
    if kind == "error":
        return {"output_type": "error", "ename": content["ename"], "evalue": content["evalue"],
                "traceback": content["traceback"]}
    return None


async def _run(ws_url: str, headers: dict, sources: list[str], timeout: float,
               on_cell: Callable[[int], None] | None) -> list[tuple[int | None, list[dict]]]:
    # a loaded hub (a class starting kernels at once) can take longer than tornado's 20 s
    conn = await websocket_connect(HTTPRequest(ws_url, headers=headers, connect_timeout=timeout,
                                               request_timeout=timeout))
    session = uuid.uuid4().hex
    results = []
    try:
        for code in sources:
            request = execute_request(code, session)
            await conn.write_message(json.dumps(request))
            outputs: list[dict] = []
            count, idle, replied = None, False, False
            while not (idle and replied):
                raw = await asyncio.wait_for(conn.read_message(), timeout)
                if raw is None:
                    raise HubError("the kernel's websocket closed")
                msg = json.loads(raw)
                if msg.get("parent_header", {}).get("msg_id") != request["header"]["msg_id"]:
                    continue
                kind = msg["header"]["msg_type"]
                if kind == "execute_reply":
                    replied, count = True, msg["content"].get("execution_count")
                elif kind == "status" and msg["content"]["execution_state"] == "idle":
                    idle = True
                elif (out := _output(msg)) is not None:
                    outputs.append(out)
            results.append((count, outputs))
            if on_cell is not None:
                on_cell(len(results) - 1)
    finally:
        await _close(conn)
    return results


async def _close(conn: object) -> None:
    """Close a websocket and wait until its socket is closed (before the loop ends)."""
    conn.close()
    with contextlib.suppress(Exception):
        while await asyncio.wait_for(conn.read_message(), 10) is not None:
            pass


def session_kernel(client: HubClient, user: str, path: str) -> str | None:
    """The kernel id of the session open on ``path`` in ``user``'s server, if any."""
    sessions = client.request("GET", client.url(f"user/{user}/api/sessions")).json()
    return next((s["kernel"]["id"] for s in sessions if s.get("path") == path), None)


def run_cells(client: HubClient, user: str, sources: Iterable[str], *, path: str = "",
              timeout: float = 60.0, on_cell: Callable[[int], None] | None = None,
              kernel: str | None = None) -> list[tuple[int | None, list[dict]]]:
    """Run ``sources`` one after another in a kernel of ``user``'s server.

    Parameters
    ----------
    client : HubClient
        A client whose token may access ``user``'s server.
    sources : iterable of str
        The code of each cell.
    path : str
        The working folder of a new kernel, relative to the server's root.
    on_cell : callable, optional
        Called with each cell's index once it has run, while the kernel is alive.
    kernel : str, optional
        An existing kernel to use (and leave running); by default a new one, shut down after.

    Returns
    -------
    list of (execution_count, outputs)
        One pair per cell, outputs in nbformat form.
    """
    own = kernel is None
    if own:
        kernel = client.request("POST", client.url(f"user/{user}/api/kernels"),
                                json={"name": "python3", "path": path}).json()["id"]
    ws_url = client.url(f"user/{user}/api/kernels/{kernel}/channels").replace("http", "ws", 1)
    headers = {"Authorization": client.session.headers["Authorization"]}
    try:
        return asyncio.run(_run(ws_url, headers, list(sources), timeout, on_cell))
    finally:
        if own:
            client.request("DELETE", client.url(f"user/{user}/api/kernels/{kernel}"))
