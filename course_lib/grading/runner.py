"""Kernel runner with limits: time per cell and notebook, memory, output bytes, isolation.

A submission runs in a fresh IPython kernel started through ``_launch.py``
(memory cap via ``RLIMIT_AS``; optional private mount namespace with empty
read-only tmpfs over instructor folders), in a temporary working folder.
After the cells ran, one *probe* reads the answer variables and sends them
back as JSON inside a display message tagged with a per-run random nonce.
Nothing the grader knows about expected values is ever sent to the kernel.

Examples
--------
>>> Limits(timeout_cell=5).timeout_cell
5.0
>>> Limits(memory_mb=10)
Traceback (most recent call last):
...
ValueError: memory_mb must be 0 (no limit) or an integer >= 256, got 10
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from course_lib.checks import encode_value

__all__ = [
    "PROBE_MIME",
    "CellError",
    "Limits",
    "RunResult",
    "StartedKernel",
    "isolation_available",
    "probe_source",
    "run_notebook",
    "start_kernel",
]

PROBE_MIME = "application/x-course-probe+json"
LAUNCHER = Path(__file__).with_name("_launch.py")
_STARTUP_TIMEOUT = 60.0
_PROBE_TIMEOUT = 20.0
_PING_TIMEOUT = 5.0
#: No history database (no sqlite file per kernel) and no Jedi completion: a graded kernel
#: never completes code, and both cost start-up time.
_KERNEL_ARGS = ("--HistoryManager.enabled=False", "--IPCompleter.use_jedi=False")
_KERNEL_ENV = {
    "MPLBACKEND": "Agg",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "PYTHONHASHSEED": "0",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}


@dataclass(frozen=True)
class Limits:
    """Resource limits for one submission.

    Parameters
    ----------
    timeout_cell : float
        Seconds one cell may run before the kernel is interrupted (> 0).
    timeout_notebook : float
        Seconds for all cells of a notebook together (> 0).
    memory_mb : int
        Address-space cap of the kernel process in MiB (0 = none, else >= 256).
    max_output_bytes : int
        Bytes of output kept per notebook (>= 1000); the rest is cut and recorded.
    """

    timeout_cell: float = 30.0
    timeout_notebook: float = 300.0
    memory_mb: int = 2048
    max_output_bytes: int = 200_000

    def __post_init__(self) -> None:
        for name in ("timeout_cell", "timeout_notebook"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or not 0 < value <= 86_400:
                raise ValueError(f"{name} must be a number of seconds in (0, 86400], got {value!r}")
            object.__setattr__(self, name, float(value))
        if not isinstance(self.memory_mb, int) or not (
            self.memory_mb == 0 or self.memory_mb >= 256
        ):
            raise ValueError(
                f"memory_mb must be 0 (no limit) or an integer >= 256, got {self.memory_mb!r}"
            )
        if not isinstance(self.max_output_bytes, int) or self.max_output_bytes < 1000:
            raise ValueError(
                f"max_output_bytes must be an integer >= 1000, got {self.max_output_bytes!r}"
            )


@dataclass
class CellError:
    """An exception raised by a cell of the submission."""

    index: int
    grade_id: str | None
    ename: str
    evalue: str


@dataclass
class RunResult:
    """What happened when a submission ran.

    ``values`` maps each probed name to its encoded value (see
    :func:`course_lib.checks.encode_value`), or is ``None`` when the answers
    could not be read (the kernel died, or was stuck); ``events`` explains why.
    """

    values: dict[str, dict] | None
    cell_errors: list[CellError] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    output_truncated: bool = False
    kernel_died: bool = False
    timed_out: bool = False
    isolation: str = "none"
    seconds: float = 0.0


@functools.lru_cache(maxsize=1)
def isolation_available() -> bool:
    """Whether kernels can run in a private mount namespace with hidden folders.

    Tries ``unshare -m -r`` once (cached) with the launcher hiding a scratch
    folder; ``False`` when ``unshare`` is missing or not permitted.

    Examples
    --------
    >>> isinstance(isolation_available(), bool)
    True
    """
    unshare = shutil.which("unshare")
    if unshare is None or not sys.platform.startswith("linux"):
        return False
    with tempfile.TemporaryDirectory() as scratch:
        Path(scratch, "secret.txt").write_text("x")
        probe = (
            f"import os,sys; sys.exit(0 if not os.path.exists({scratch + '/secret.txt'!r}) "
            "else 1)"
        )
        cmd = [*_unshare_prefix(unshare), sys.executable, str(LAUNCHER), "--hide", scratch,
               "--", sys.executable, "-c", probe]
        try:
            done = subprocess.run(cmd, capture_output=True, timeout=20, check=False)
        except (OSError, subprocess.SubprocessError):
            return False
        return done.returncode == 0


def _unshare_prefix(unshare: str) -> list[str]:
    return [unshare, "--mount", "--map-root-user", "--propagation", "private"]


class _LimitedKernelManager(AsyncKernelManager):
    """Kernel manager whose command goes through the launcher (limits, isolation)."""

    launch_prefix: list[str] = []

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        conn = os.path.realpath(self.connection_file)
        return [*self.launch_prefix, sys.executable, "-m", "ipykernel_launcher", "-f", conn,
                *_KERNEL_ARGS]


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


@dataclass
class StartedKernel:
    """A kernel started (and warmed up) for one submission."""

    km: AsyncKernelManager
    kc: Any
    workdir: Path
    isolation: str
    startup_error: str | None = None


def _hide_list(paths: Iterable[str | Path], workdir: Path) -> list[str]:
    keep = [Path(sys.prefix).resolve(), Path(__file__).resolve().parents[1], workdir.resolve()]
    hidden = []
    for p in paths:
        p = Path(p).resolve()
        if not p.is_dir():
            continue
        # never hide a folder that holds the interpreter, the library or the working folder
        if any(k == p or p in k.parents for k in keep):
            continue
        hidden.append(str(p))
    return sorted(set(hidden))


async def start_kernel(
    workdir: str | Path,
    limits: Limits,
    *,
    hide: Iterable[str | Path] = (),
    isolate: str = "auto",
    preload: Iterable[str] = (),
) -> StartedKernel:
    """Start a kernel for one submission in ``workdir`` (never raises for kernel failures).

    Parameters
    ----------
    workdir : path
        Existing working folder (the kernel's current directory).
    limits : Limits
        Memory cap applied at launch.
    hide : paths
        Folders to cover with an empty tmpfs when isolation runs.
    isolate : {"auto", "require", "off"}
        Use a private mount namespace when available / insist on it / never.
    preload : module names
        Modules imported (into ``sys.modules`` only) before the submission runs,
        so the import cost overlaps with other work; the learner's namespace
        stays empty.
    """
    if isolate not in ("auto", "require", "off"):
        raise ValueError(f"isolate must be one of 'auto', 'require', 'off', got {isolate!r}")
    workdir = Path(workdir)
    use_ns = isolate != "off" and isolation_available()
    if isolate == "require" and not use_ns:
        raise ValueError("isolate='require' but no private mount namespace is available here")
    prefix = _unshare_prefix(shutil.which("unshare") or "unshare") if use_ns else []
    launcher = [sys.executable, str(LAUNCHER), "--memory-mb", str(limits.memory_mb)]
    if use_ns:
        for path in _hide_list(hide, workdir):
            launcher += ["--hide", path]
    km = _LimitedKernelManager()
    km.launch_prefix = [*prefix, *launcher, "--"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JPY_", "JUPYTER_TOKEN"))}
    env.update(_KERNEL_ENV)
    started = StartedKernel(km=km, kc=None, workdir=workdir,
                            isolation="mount-namespace" if use_ns else "none")
    try:
        await km.start_kernel(cwd=str(workdir), env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
        kc = km.client()
        kc.start_channels()
        await kc.wait_for_ready(timeout=_STARTUP_TIMEOUT)
        started.kc = kc
        modules = [m for m in preload if all(part.isidentifier() for part in m.split("."))]
        if modules:
            code = "".join(f"__import__({m!r})\n" for m in modules)
            await asyncio.wait_for(
                kc.execute_interactive(code, silent=True, store_history=False,
                                       output_hook=lambda msg: None),
                timeout=_STARTUP_TIMEOUT,
            )
    except Exception as exc:  # noqa: BLE001 - any start failure becomes a report, not a crash
        started.startup_error = f"the Python kernel could not start ({type(exc).__name__}: {exc})"
    return started


async def shutdown(kernel: StartedKernel) -> None:
    """Stop the kernel and its channels (idempotent, never raises)."""
    try:
        if kernel.kc is not None:
            kernel.kc.stop_channels()
    except Exception:  # noqa: BLE001
        pass
    try:
        if kernel.km.has_kernel:
            await kernel.km.shutdown_kernel(now=True)
    except Exception:  # noqa: BLE001
        try:
            await kernel.km.kill_kernel()
        except Exception:  # noqa: BLE001
            pass


def probe_source(names: Iterable[str], nonce: str) -> str:
    """Code that reads ``names`` from the kernel's namespace and publishes them as JSON.

    The encoder travels as source text (no import of ``course_lib`` in the
    probe), and the result is tagged with ``nonce``.

    Examples
    --------
    >>> src = probe_source(["q1"], "abc")
    >>> "abc" in src and "q1" in src
    True
    """
    names = sorted(set(names))
    fn = f"_course_probe_{nonce}"
    return (
        f"def {fn}():\n"
        + "".join("    " + line + "\n" for line in _encoder_lines())
        + "    import IPython.display as _d\n"
        + "    _ns = get_ipython().user_ns\n"
        + "    _out = {}\n"
        + f"    for _n in {names!r}:\n"
        + "        if _n not in _ns:\n"
        + "            _out[_n] = {'defined': False}\n"
        + "            continue\n"
        + "        try:\n"
        + "            _out[_n] = _enc(_ns[_n])\n"
        + "        except Exception as _e:\n"
        + "            _out[_n] = {'kind': 'other', 'value': None, 'pytype': type(_e).__name__}\n"
        + f"    _d.publish_display_data({{{PROBE_MIME!r}: {{'nonce': {nonce!r}, "
        + "'values': _out}})\n"
        + f"{fn}()\n"
        + f"del {fn}\n"
    )


@functools.lru_cache(maxsize=1)
def _encoder_lines() -> list[str]:
    """Source of :func:`~course_lib.checks.encode_value` as a plain ``_enc`` function."""
    lines = inspect.getsource(encode_value).replace("encode_value(", "_enc(").splitlines()
    end = next(i for i, line in enumerate(lines) if line.rstrip().endswith(":"))
    return ["def _enc(value, _depth=0):", *lines[end + 1 :]]


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


async def run_notebook(
    nb: nbformat.NotebookNode,
    kernel: StartedKernel,
    limits: Limits,
    probe_names: Iterable[str],
) -> tuple[RunResult, nbformat.NotebookNode]:
    """Execute ``nb`` in ``kernel`` under ``limits``, then probe ``probe_names``.

    Errors in cells do not stop execution (like nbgrader's autograder).  The
    kernel is shut down afterwards.  Returns the run result and the executed
    notebook (outputs capped).
    """
    start = time.monotonic()
    result = RunResult(values=None, isolation=kernel.isolation)
    if kernel.startup_error:
        result.events.append(kernel.startup_error)
        await shutdown(kernel)
        return result, nb
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
    deadline = start + limits.timeout_notebook
    alive = True
    count = 0
    try:
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
                break
            per_cell = min(limits.timeout_cell, remaining)
            client.timeout = max(1, int(per_cell + 0.999))
            count += 1
            try:
                await asyncio.wait_for(
                    client.async_execute_cell(cell, index, execution_count=count),
                    timeout=per_cell + 5,
                )
            except DeadKernelError:
                alive = False
                result.kernel_died = True
                result.events.append(
                    f"the Python kernel stopped while running cell {index + 1} (for example "
                    "os._exit(), a crash, or running out of memory); later cells were not run "
                    "and your answers could not be read"
                )
                break
            except (TimeoutError, CellTimeoutError):
                alive = False
                result.timed_out = True
                result.events.append(
                    f"cell {index + 1} did not stop when interrupted after "
                    f"{per_cell:.0f} s; the kernel was stopped and your answers could not be read"
                )
                break
            err = _error_of(cell, client.replies.get(index))
            if err is not None:
                gid = (cell.metadata.get("nbgrader") or {}).get("grade_id")
                result.cell_errors.append(CellError(index, gid, err[0], err[1]))
                if err[0] == "CellTimeoutError":
                    result.timed_out = True
                    if not await _responds(kernel, _PING_TIMEOUT):
                        alive = False
                        result.events.append(
                            f"cell {index + 1} did not stop when interrupted after "
                            f"{per_cell:.0f} s; the kernel was stopped and your answers could "
                            "not be read"
                        )
                        break
                    result.events.append(
                        f"cell {index + 1} ran longer than {per_cell:.0f} s and was interrupted"
                    )
        if alive:
            result.values = await _probe(client, nb, probe_names, result)
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
    for out in cell.outputs:
        data = out.get("data", {}).get(PROBE_MIME) if out.get("output_type") == "display_data" \
            else None
        if isinstance(data, dict) and data.get("nonce") == nonce:
            values = data.get("values")
            if isinstance(values, dict):
                return {n: values.get(n, {"defined": False}) for n in names}
    result.events.append(
        "your answers could not be read after the notebook ran (the notebook changed how "
        "Python shows results, or the kernel was busy)"
    )
    return None
