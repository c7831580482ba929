"""Run code in a kernel of a student's server through the Jupyter kernel API (REST + websocket).

Used by the loopback test and the load benchmark to act as a student would: start a kernel
(``POST /user/NAME/api/kernels``), send ``execute_request`` messages on its ``channels``
websocket and read the replies (Jupyter messaging protocol 5.x), then shut it down.

Examples
--------
>>> message = execute_request("1 + 1", "s1")
>>> message["header"]["msg_type"], message["channel"], message["content"]["code"]
('execute_request', 'shell', '1 + 1')
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable, Iterable

from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

from classroom.hub.client import HubClient, HubError

__all__ = ["execute_request", "run_cells"]


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
        conn.close()
    return results


def run_cells(client: HubClient, user: str, sources: Iterable[str], *, path: str = "",
              timeout: float = 60.0, on_cell: Callable[[int], None] | None = None
              ) -> list[tuple[int | None, list[dict]]]:
    """Run ``sources`` one after another in a new kernel of ``user``'s server.

    Parameters
    ----------
    client : HubClient
        A client whose token may access ``user``'s server.
    sources : iterable of str
        The code of each cell.
    path : str
        The kernel's working folder, relative to the server's root.
    on_cell : callable, optional
        Called with each cell's index once it has run, while the kernel is alive (the load
        benchmark measures there).

    Returns
    -------
    list of (execution_count, outputs)
        One pair per cell, outputs in nbformat form.
    """
    started = client.request("POST", client.url(f"user/{user}/api/kernels"),
                             json={"name": "python3", "path": path}).json()
    kernel = started["id"]
    ws_url = client.url(f"user/{user}/api/kernels/{kernel}/channels").replace("http", "ws", 1)
    headers = {"Authorization": client.session.headers["Authorization"]}
    try:
        return asyncio.run(_run(ws_url, headers, list(sources), timeout, on_cell))
    finally:
        client.request("DELETE", client.url(f"user/{user}/api/kernels/{kernel}"))
