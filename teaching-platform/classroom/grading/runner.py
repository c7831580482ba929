"""The one notebook runner: run a notebook in its kernel under time and output limits, probe it.

Batch grading, the model answers' recomputed values and ``course check`` all run notebooks
here.  The kernel is started by :mod:`classroom.grading.kernel` (isolation levels in
:mod:`classroom.grading.sandbox`, limits in :mod:`classroom.grading.limits`).
Cells run one by one with nbclient; output is capped by bytes; after the cells
one probe (:mod:`classroom.grading.probes`) reads the answer variables back as
JSON, the one way answers come back. Nothing the grader knows about expected values is ever
sent to the kernel. The names batch grading uses are re-exported here.

Examples
--------
>>> Limits(timeout_cell=5).timeout_cell
5.0
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from collections.abc import Iterable
from typing import Any

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from classroom.grading.kernel import (
    StartedKernel,
    isolation_available,
    isolation_level,
    shutdown,
    start_kernel,
)
from classroom.grading.limits import CellError, Limits, RunResult
from classroom.grading.probes import PROBE_MIME, probe_source, values_from_outputs

__all__ = [
    "PROBE_MIME",
    "CellError",
    "Limits",
    "RunResult",
    "StartedKernel",
    "isolation_available",
    "isolation_level",
    "probe_source",
    "run_notebook",
    "shutdown",
    "start_kernel",
]

_PROBE_TIMEOUT = 20.0
_PING_TIMEOUT = 5.0


class _GraderClient(NotebookClient):
    """nbclient client that caps output by bytes and records execute replies."""

    def __init__(self, nb: Any, km: Any, max_output_bytes: int, **kw: Any) -> None:
        super().__init__(nb, km=km, **kw)
        self.max_output_bytes = max_output_bytes
        self.output_bytes = 0
        self.truncated = False
        self.capped = True
        self.replies: dict[int, dict] = {}
        self.on_cell_executed = self._record_reply

    def _record_reply(self, cell: Any, cell_index: int, execute_reply: dict) -> None:
        self.replies[cell_index] = execute_reply

    def output(self, outs: list, msg: dict, display_id: str | None, cell_index: int) -> Any:
        if not self.capped:
            return super().output(outs, msg, display_id, cell_index)
        content = msg.get("content", {})
        if msg["msg_type"] == "stream":
            size = len(content.get("text", "").encode("utf-8", "replace"))
        else:
            size = len(json.dumps(content.get("data", content), default=str).encode())
        remaining = self.max_output_bytes - self.output_bytes
        if size <= remaining:
            self.output_bytes += size
            return super().output(outs, msg, display_id, cell_index)
        if not self.truncated:
            self.truncated = True
            kept = ""
            if msg["msg_type"] == "stream" and remaining > 0:
                kept = content["text"].encode("utf-8", "replace")[:remaining].decode(
                    "utf-8", "ignore"
                )
            self.output_bytes = self.max_output_bytes
            outs.append(
                nbformat.v4.new_output(
                    "stream",
                    name="stderr",
                    text=kept + f"\n[grader: output cut at {self.max_output_bytes} bytes]\n",
                )
            )
        return None


def _error_of(cell: Any, reply: dict | None) -> tuple[str, str] | None:
    content = (reply or {}).get("content", {})
    if content.get("ename") == "CellTimeoutError":
        return "CellTimeoutError", str(content.get("evalue", ""))
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return out.get("ename", "Error"), str(out.get("evalue", ""))[:500]
    if content.get("status") == "error":
        return content.get("ename", "Error"), str(content.get("evalue", ""))[:500]
    return None


def _client(nb: Any, kernel: StartedKernel, limits: Limits) -> _GraderClient:
    client = _GraderClient(
        nb,
        kernel.km,
        limits.max_output_bytes,
        allow_errors=True,
        interrupt_on_timeout=True,
        error_on_timeout={
            "ename": "CellTimeoutError",
            "evalue": f"the cell ran longer than {limits.timeout_cell:g} s and was interrupted",
            "traceback": [],
        },
        record_timing=False,
        iopub_timeout=4,
        raise_on_iopub_timeout=False,
        store_widget_state=False,
    )
    client.kc = kernel.kc
    return client


def _stopped(kernel: StartedKernel) -> str | None:
    """Why the submission was stopped for crossing a limit (checked now), else ``None``."""
    if kernel.containment is None:
        return None
    kernel.containment.check()
    return kernel.containment.message()


def _stuck(index: int, seconds: float) -> str:
    return (f"cell {index + 1} did not stop when interrupted after {seconds:.0f} s; "
            "the kernel was stopped and your answers could not be read")


async def _run_cell(client: _GraderClient, kernel: StartedKernel, cell: Any, index: int,
                    count: int, per_cell: float, result: RunResult) -> bool:
    """Run one cell; record errors in ``result``. Returns whether the kernel is still usable."""
    client.timeout = max(1, int(per_cell + 0.999))
    try:
        await asyncio.wait_for(client.async_execute_cell(cell, index, execution_count=count),
                               timeout=per_cell + 5)
    except DeadKernelError:
        result.kernel_died = True
        stopped = _stopped(kernel)
        result.events.append(
            f"{stopped} while cell {index + 1} ran; later cells were not run and your answers "
            "could not be read" if stopped else
            f"the Python kernel stopped while running cell {index + 1} (for example "
            "os._exit(), a crash, or running out of memory); later cells were not run "
            "and your answers could not be read"
        )
        return False
    except (TimeoutError, CellTimeoutError):
        result.timed_out = True
        result.events.append(_stuck(index, per_cell))
        return False
    err = _error_of(cell, client.replies.get(index))
    if err is None:
        return True
    gid = (cell.metadata.get("nbgrader") or {}).get("grade_id")
    result.cell_errors.append(CellError(index, gid, err[0], err[1]))
    if err[0] != "CellTimeoutError":
        return True
    result.timed_out = True
    if not await _responds(kernel, _PING_TIMEOUT):
        result.events.append(_stuck(index, per_cell))
        return False
    result.events.append(f"cell {index + 1} ran longer than {per_cell:.0f} s and was interrupted")
    return True


async def _run_cells(client: _GraderClient, kernel: StartedKernel, nb: Any, limits: Limits,
                     result: RunResult, deadline: float) -> bool:
    """Run every code cell before ``deadline``; returns whether the kernel is still usable."""
    count = 0
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        remaining = deadline - time.monotonic()
        if remaining <= 0.5:
            result.timed_out = True
            result.events.append(
                f"the notebook ran longer than {limits.timeout_notebook:g} s in total; "
                f"cells from cell {index + 1} on were not run"
            )
            return True
        count += 1
        if not await _run_cell(client, kernel, cell, index, count,
                               min(limits.timeout_cell, remaining), result):
            return False
    return True


async def run_notebook(
    nb: nbformat.NotebookNode,
    kernel: StartedKernel,
    limits: Limits,
    probe_names: Iterable[str],
) -> tuple[RunResult, nbformat.NotebookNode]:
    """Execute ``nb`` in ``kernel`` under ``limits``, then probe ``probe_names``.

    Errors in cells do not stop execution (like nbgrader's autograder).  A submission that
    crossed a limit of all its processes together (memory, processes, files; see
    :mod:`classroom.grading.containment`) is stopped, and its answers are not read.  The
    kernel is shut down afterwards.  Returns the run result (``isolation`` and ``limits`` are
    the kernel's levels) and the executed notebook (outputs capped).
    """
    start = time.monotonic()
    result = RunResult(values=None, isolation=kernel.isolation, limits=kernel.limits_level)
    kernel.mark(None)
    if kernel.startup_error:
        result.events.append(kernel.startup_error)
        await shutdown(kernel)
        return result, nb
    client = _client(nb, kernel, limits)
    try:
        usable = await _run_cells(client, kernel, nb, limits, result,
                                  start + limits.timeout_notebook)
        kernel.mark("student code")
        if usable:
            result.values = await _probe(client, nb, probe_names, result)
            kernel.mark("probe")
        stopped = _stopped(kernel)
        if stopped:  # a limit was crossed at any time: no answer counts
            result.values = None
            if not any(e.startswith(stopped) for e in result.events):
                result.events.append(f"{stopped}; your answers could not be read")
    finally:
        result.output_truncated = client.truncated
        if client.truncated:
            result.events.append(
                f"your notebook printed more than {limits.max_output_bytes} bytes; "
                "the rest of the output was cut"
            )
        await shutdown(kernel)
        result.seconds = time.monotonic() - start
    return result, nb


async def _responds(kernel: StartedKernel, timeout: float) -> bool:
    """Whether the kernel finishes a trivial request within ``timeout`` (after an interrupt)."""
    try:
        await asyncio.wait_for(
            kernel.kc.execute_interactive("", silent=True, store_history=False,
                                          output_hook=lambda msg: None),
            timeout=timeout,
        )
        return True
    except Exception:  # noqa: BLE001 - timeout or dead kernel: not responding
        return False


async def _probe(
    client: _GraderClient, nb: Any, names: Iterable[str], result: RunResult
) -> dict[str, dict] | None:
    names = sorted(set(names))
    if not names:
        return {}
    nonce = secrets.token_hex(12)
    cell = nbformat.v4.new_code_cell(probe_source(names, nonce))
    nb.cells.append(cell)
    index = len(nb.cells) - 1
    client.capped = False
    client.timeout = int(_PROBE_TIMEOUT)
    try:
        await asyncio.wait_for(
            client.async_execute_cell(cell, index, store_history=False), _PROBE_TIMEOUT + 5
        )
    except (TimeoutError, DeadKernelError, CellTimeoutError):
        result.events.append(
            "your answers could not be read after the notebook ran (the kernel was busy or "
            "stopped)"
        )
        return None
    finally:
        nb.cells.pop(index)
    values = values_from_outputs(cell.outputs, names, nonce)
    if values is None:
        result.events.append(
            "your answers could not be read after the notebook ran (the notebook changed how "
            "Python shows results, or the kernel was busy)"
        )
    return values
