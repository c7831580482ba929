"""Run a batch's coroutine so that Ctrl-C and SIGTERM cancel it at an ``await``, never elsewhere.

``course`` turns SIGTERM into ``KeyboardInterrupt`` (as Ctrl-C is).  Raised by a signal handler,
that exception lands wherever the main thread happens to be: inside a task of the event loop
(which asyncio re-raises out of the loop, leaving the other tasks running and their errors
printed as tracebacks while the loop shuts down), inside a cgroup's creation, or inside a
database commit.  While the batch's kernels run, both signals instead cancel the batch's task:
every task stops at its next ``await``, the ``finally`` blocks stop the kernels and the kernel
parent, and the caller sees one ``KeyboardInterrupt``, as after a Ctrl-C anywhere else.
Errors of tasks that the cancellation cut short (a kernel that died as it was stopped) are not
reported: the batch was interrupted on purpose.  ``course check`` runs its notebook the same
way.

Examples
--------
>>> async def answer():
...     return 42
>>> run_cancellable(answer())
42
"""

from __future__ import annotations

import asyncio
import signal
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

__all__ = ["run_cancellable"]

T = TypeVar("T")
_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def run_cancellable(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` to its end in an event loop of its own; Ctrl-C and SIGTERM cancel it.

    Raises
    ------
    KeyboardInterrupt
        When a signal cancelled it (after every ``finally`` of its tasks has run).

    Notes
    -----
    Called where an event loop already runs (a notebook), the coroutine runs in a thread of
    its own; signals then stay with the caller.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        try:
            return asyncio.run(_cancelled_by_signals(coro))
        except asyncio.CancelledError:
            raise KeyboardInterrupt from None
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = asyncio.run(coro)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["value"]


async def _cancelled_by_signals(coro: Coroutine[Any, Any, T]) -> T:
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    assert task is not None
    interrupted: list[int] = []

    def on_signal(signum: int) -> None:
        if not interrupted:  # a second signal must not cut the clean-up short
            task.cancel()
        interrupted.append(signum)

    def report(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        if not interrupted:
            loop.default_exception_handler(context)

    loop.set_exception_handler(report)
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for signum in _SIGNALS:
            previous[signum] = signal.getsignal(signum)
            loop.add_signal_handler(signum, on_signal, signum)
    try:
        result = await coro
    finally:
        for signum, handler in previous.items():
            loop.remove_signal_handler(signum)
            signal.signal(signum, handler)  # asyncio would leave the default behind
    if interrupted:  # the coroutine swallowed the cancellation: still an interruption
        raise asyncio.CancelledError
    return result
