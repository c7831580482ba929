"""Start and stop one graded kernel under its limits and the best isolation available.

The kernel is started through ``_launch.py`` (per-process limits) and, depending on the
level (see :mod:`classroom.grading.sandbox`), inside a bubblewrap sandbox, private mount and
PID namespaces, or neither; its limits hold for all its processes together
(:mod:`classroom.grading.containment`: a cgroup where the machine allows it, and a watchdog).
Its connection file and IPC sockets live in a private folder that is removed at shutdown.

Its environment is an allowlist (:func:`kernel_environment`) at every level: nothing of the
grader's environment (tokens, cloud keys, paths) reaches it.

Examples
--------
>>> isinstance(isolation_available(), bool)
True
>>> sorted(kernel_environment("/home/student"))[:3]
['HOME', 'LANG', 'LC_ALL']
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager

import course_lib
from classroom.grading.containment import Containment
from classroom.grading.limits import Limits
from classroom.grading.sandbox import (
    LAUNCHER,
    SANDBOX_HOME,
    SEEDS,
    best_level,
    bwrap_args,
    choose_level,
    home_template,
    seed_home,
    unshare_prefix,
)

__all__ = ["StartedKernel", "isolation_available", "isolation_level", "kernel_environment",
           "shutdown", "start_kernel"]

_STARTUP_TIMEOUT = 60.0
#: No history database (no sqlite file per kernel) and no Jedi completion: a graded kernel
#: never completes code, and both cost start-up time.
_KERNEL_ARGS = ("--HistoryManager.enabled=False", "--IPCompleter.use_jedi=False")
#: What a graded kernel needs besides ``HOME``, ``PATH`` and the locale: the plotting backend,
#: one thread per numerical library, fixed hashing, and no debugger check at start-up.
_KERNEL_ENV = {
    "MPLBACKEND": "Agg",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "PYTHONHASHSEED": "0",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}


def kernel_environment(home: str) -> dict[str, str]:
    """The whole environment of a graded kernel (an allowlist; nothing is inherited).

    ``HOME`` is the kernel's work folder; ``PATH`` holds the interpreter's folder and the
    system's; the locale is UTF-8 and the same on every machine.  jupyter_client adds
    ``JPY_PARENT_PID`` (the sandbox drops it).

    Examples
    --------
    >>> env = kernel_environment("/work")
    >>> env["HOME"], env["MPLBACKEND"], "AWS_SECRET_ACCESS_KEY" in env
    ('/work', 'Agg', False)
    """
    locale = "C.UTF-8" if sys.platform.startswith("linux") else "en_US.UTF-8"
    return {"HOME": home, "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
            "LANG": locale, "LC_ALL": locale, **_KERNEL_ENV}


def isolation_available() -> bool:
    """Whether kernels can run isolated here at all (sandbox or mount namespace).

    Examples
    --------
    >>> isolation_available() == (isolation_level() != "none")
    True
    """
    return best_level() != "none"


def isolation_level() -> str:
    """The level ``isolate="auto"`` gives here: ``sandbox``, ``mount-namespace`` or ``none``.

    Examples
    --------
    >>> isolation_level() in ("sandbox", "mount-namespace", "none")
    True
    """
    return best_level()


class _LimitedKernelManager(AsyncKernelManager):
    """Kernel manager whose command goes through the launcher (limits, isolation)."""

    launch_prefix: list[str] = []

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        conn = os.path.realpath(self.connection_file)
        return [*self.launch_prefix, sys.executable, "-m", "ipykernel_launcher", "-f", conn,
                *_KERNEL_ARGS]


@dataclass
class StartedKernel:
    """A kernel started (and warmed up) for one submission.

    ``isolation`` is ``"sandbox"``, ``"mount-namespace"`` or ``"none"``; ``containment``
    holds its limits and says whether (and why) the submission was stopped.
    """

    km: AsyncKernelManager
    kc: Any
    workdir: Path
    isolation: str
    startup_error: str | None = None
    conn_dir: Path | None = None
    containment: Containment | None = None

    @property
    def limits_level(self) -> str:
        """How its limits were enforced: ``cgroup-v2``, ``cgroup-v1`` or ``rlimit``."""
        return self.containment.level if self.containment is not None else "rlimit"


def _hide_list(paths: Iterable[str | Path], workdir: Path) -> list[str]:
    keep = [Path(sys.prefix).resolve(), Path(course_lib.__file__).resolve().parent,
            workdir.resolve()]
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


def _user_tasks() -> int:
    """Processes and threads of this user now (what ``RLIMIT_NPROC`` counts outside a user
    namespace)."""
    uid, count = os.getuid(), 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if fields.get("Uid", "").split()[:1] == [str(uid)]:
            count += int(fields.get("Threads", "1").strip() or 1)
    return count


def _nproc(level: str, limits: Limits) -> int:
    """``RLIMIT_NPROC`` for the kernel: in its own user namespace (sandbox, mount namespace)
    Linux counts only the submission's tasks; outside, every task of the user."""
    if level != "none" or os.getuid() == 0 or not Path("/proc").is_dir():
        return limits.max_processes
    return _user_tasks() + limits.max_processes


def _prefix(level: str, workdir: Path, conn_dir: Path, limits: Limits,
            hide: Iterable[str | Path]) -> list[str]:
    """Command prefix (isolation, then the launcher) placed before the kernel command."""
    launcher = [sys.executable, str(LAUNCHER), "--memory-mb", str(limits.memory_mb),
                "--nproc", str(_nproc(level, limits)), "--fsize-mb", str(limits.disk_mb)]
    if level == "sandbox":
        seeds = [arg for seed in SEEDS for arg in ("--seed", seed)]
        return [*bwrap_args(workdir, conn_dir, disk_mb=limits.disk_mb,
                            home_seed=home_template()), *launcher, *seeds, "--"]
    if level == "mount-namespace":
        for path in _hide_list(hide, workdir):
            launcher += ["--hide", path]
        return [*unshare_prefix(), *launcher, "--"]
    return [*launcher, "--"]


def _manager(level: str, workdir: Path, conn_dir: Path, limits: Limits,
             hide: Iterable[str | Path], containment: Containment) -> _LimitedKernelManager:
    km = _LimitedKernelManager(transport="ipc", ip=str(conn_dir / "k"))
    km.connection_file = str(conn_dir / "kernel.json")
    km.launch_prefix = [*containment.prefix, *_prefix(level, workdir, conn_dir, limits, hide)]
    if level != "none" and km.kernel_spec is not None:
        # a signal would reach bwrap or unshare, not the kernel in its own namespace:
        # interrupt by message
        km.kernel_spec.interrupt_mode = "message"
    return km


async def start_kernel(
    workdir: str | Path,
    limits: Limits,
    *,
    hide: Iterable[str | Path] = (),
    isolate: str = "auto",
    preload: Iterable[str] = (),
    limit_level: str = "auto",
) -> StartedKernel:
    """Start a kernel for one submission in ``workdir`` (never raises for kernel failures).

    Parameters
    ----------
    workdir : path
        Existing working folder (the kernel's current directory and ``HOME``;
        ``/home/student`` inside the sandbox).
    limits : Limits
        Time, memory, process and file limits (for all the submission's processes).
    hide : paths
        Folders to cover with an empty tmpfs at the ``mount-namespace`` level
        (the sandbox shows only its allowlist anyway).
    isolate : {"auto", "require", "off"}
        Best level available / the sandbox or ``ValueError`` / no isolation.
    preload : module names
        Modules imported (into ``sys.modules`` only) before the submission runs.
    limit_level : {"auto", "cgroup-v2", "cgroup-v1", "rlimit"}
        How the limits are enforced (see :mod:`classroom.grading.containment`); ``ValueError``
        for a level this machine does not allow.
    """
    level = choose_level(isolate)
    workdir = Path(workdir)
    sandboxed = level == "sandbox"
    if not sandboxed:  # the sandbox's work folder is seeded by the launcher
        seed_home(workdir)
    conn_dir = Path(tempfile.mkdtemp(prefix="course-kernel-"))
    started = StartedKernel(km=_LimitedKernelManager(), kc=None, workdir=workdir,
                            isolation=level, conn_dir=conn_dir)
    try:
        started.containment = Containment.create(
            limits, mode=limit_level, sandboxed=sandboxed, conn_dir=conn_dir,
            workdir=None if sandboxed else workdir)
    except OSError as exc:  # the machine could not make a cgroup: try again next run
        started.startup_error = f"the submission's limits could not be set up ({exc})"
        return started
    km = started.km = _manager(level, workdir, conn_dir, limits, hide, started.containment)
    env = kernel_environment(SANDBOX_HOME if sandboxed else str(workdir.resolve()))
    try:
        await km.start_kernel(cwd=str(workdir), env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
        started.containment.attach(getattr(km.provisioner, "pid", None))
        kc = km.client()
        kc.start_channels()
        await kc.wait_for_ready(timeout=_STARTUP_TIMEOUT)
        started.kc = kc
        await _preload(kc, preload)
    except Exception as exc:  # noqa: BLE001 - any start failure becomes a report, not a crash
        started.startup_error = f"the Python kernel could not start ({type(exc).__name__}: {exc})"
    return started


#: Run in every graded kernel before the submission: a message holding a lone surrogate (a
#: student printed ``"\\ud800"``) is sent as ASCII JSON instead of failing inside the kernel,
#: which would lose the output, the error or the whole reply.  The grader repairs such text
#: before anything is stored (:func:`classroom.grading.text.repair`).
_SAFE_MESSAGES = """\
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


async def _preload(kc: Any, preload: Iterable[str]) -> None:
    modules = [m for m in preload if all(part.isidentifier() for part in m.split("."))]
    code = _SAFE_MESSAGES + "".join(f"__import__({m!r})\n" for m in modules)
    await asyncio.wait_for(
        kc.execute_interactive(code, silent=True, store_history=False,
                               output_hook=lambda msg: None),
        timeout=_STARTUP_TIMEOUT,
    )


async def shutdown(kernel: StartedKernel) -> None:
    """Stop the kernel, its channels and every process of the submission (idempotent, never
    raises).

    Examples
    --------
    >>> import asyncio, concurrent.futures
    >>> k = StartedKernel(km=_LimitedKernelManager(), kc=None, workdir=Path("."), isolation="none")
    >>> with concurrent.futures.ThreadPoolExecutor(1) as pool:  # a loop of its own
    ...     pool.submit(asyncio.run, shutdown(k)).result()
    """
    try:
        if kernel.kc is not None:
            kernel.kc.stop_channels()
    except Exception:  # noqa: BLE001
        pass
    if kernel.containment is not None:
        kernel.containment.kill()  # every process of the submission, before its parent goes
    try:
        if kernel.km.has_kernel:
            await kernel.km.shutdown_kernel(now=True)
    except Exception:  # noqa: BLE001
        try:
            await kernel.km.kill_kernel()
        except Exception:  # noqa: BLE001
            pass
    if kernel.containment is not None:
        await kernel.containment.close()
    if kernel.conn_dir is not None:
        shutil.rmtree(kernel.conn_dir, ignore_errors=True)
