"""A forked kernel made ready: its sockets bound, its replies flowing, its messages safe, its
modules imported.

Examples
--------
>>> "safe_pack" in SAFE_MESSAGES
True
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from pathlib import Path
from queue import Empty
from typing import Any

__all__ = ["SAFE_MESSAGES", "STARTUP_TIMEOUT", "child_report", "preload", "wait_bound",
           "wait_ready"]

STARTUP_TIMEOUT = 60.0


async def wait_bound(km: Any) -> None:
    """Wait until the kernel has bound its IPC sockets (files beside its connection file).

    A client that connects earlier waits for zmq's reconnect interval on every channel, and
    jupyter_client's readiness check then waits again for IOPub: about 0.3 s per kernel.
    """
    info = km.get_connection_info()
    sockets = [Path(f"{info['ip']}-{info[name]}") for name in
               ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")]
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while not all(s.exists() for s in sockets):
        if not await km.is_alive() or time.monotonic() > deadline:
            return  # jupyter_client's own wait says what went wrong
        await asyncio.sleep(0.005)


async def wait_ready(km: Any, kc: Any) -> None:
    """Wait until the kernel answers ``kernel_info`` and its IOPub channel delivers (as
    jupyter_client's ``wait_for_ready`` does, without its final 0.2 s wait for IOPub to fall
    silent: every later reader here picks its messages by their parent)."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while True:
        kc.kernel_info()
        try:
            msg = await kc.shell_channel.get_msg(timeout=1)
        except Empty:
            msg = None
        if msg is not None and msg["msg_type"] == "kernel_info_reply":
            try:
                await kc.iopub_channel.get_msg(timeout=0.2)
                return
            except Empty:
                pass
        if not await km.is_alive():
            raise RuntimeError("Kernel died before replying to kernel_info")
        if time.monotonic() > deadline:
            raise RuntimeError(f"Kernel didn't respond in {STARTUP_TIMEOUT:g} seconds")


def child_report(conn_dir: Path) -> str:
    """The one line a forked child that could not start left in its socket folder."""
    try:
        with (conn_dir / "startup-error.txt").open(errors="replace") as fh:
            return " ".join(fh.read(500).split())
    except OSError:
        return ""


#: Run in every graded kernel before the submission: a message holding a lone surrogate (a
#: student printed ``"\\ud800"``) is sent as ASCII JSON instead of failing inside the kernel,
#: which would lose the output, the error or the whole reply.  The grader repairs such text
#: before anything is stored (:func:`classroom.grading.text.repair`).
SAFE_MESSAGES = """\
def _course_safe_messages():
    import json
    from jupyter_client.session import json_default
    session = get_ipython().kernel.session
    pack = session.pack
    def safe_pack(obj):
        try:
            return pack(obj)
        except UnicodeEncodeError:
            return json.dumps(obj, default=json_default, allow_nan=False).encode("ascii")
    session.pack = safe_pack
_course_safe_messages()
del _course_safe_messages
"""


async def preload(kc: Any, modules: Iterable[str]) -> None:
    """Make the kernel's messages safe and import ``modules`` (valid dotted names only)."""
    names = [m for m in modules if all(part.isidentifier() for part in m.split("."))]
    code = SAFE_MESSAGES + "".join(f"__import__({m!r})\n" for m in names)
    await asyncio.wait_for(
        kc.execute_interactive(code, silent=True, store_history=False,
                               output_hook=lambda msg: None),
        timeout=STARTUP_TIMEOUT,
    )
