"""Start and stop one graded kernel under its limits and the best isolation available.

Every kernel is forked by a kernel parent (:mod:`classroom.grading.parent`) that has already
imported the course's libraries: a batch shares one parent, and :func:`start_kernel` without a
parent starts one for that kernel alone.  Depending on the level (see
:mod:`classroom.grading.sandbox`) the parent runs in a bubblewrap sandbox, a private mount
namespace, or neither, and each kernel enters namespaces, folders and limits of its own before
the submission runs.  Its limits hold for all its processes together
(:mod:`classroom.grading.containment`: a cgroup where the machine allows it, and a watchdog).
Its connection file and IPC sockets live in a private folder that is removed at shutdown.

Its environment is an allowlist (:mod:`classroom.grading.kernel_env`) at every level: nothing of the
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
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import zmq.asyncio
from jupyter_client.manager import AsyncKernelManager

from classroom.grading.containment import Containment
from classroom.grading.kernel_env import kernel_argv, kernel_environment, kernel_request
from classroom.grading.kernel_ready import child_report, wait_bound, wait_ready
from classroom.grading.kernel_ready import preload as preload_modules
from classroom.grading.limits import Limits
from classroom.grading.parent import ForkedProcess, ForkProvisioner, KernelParent
from classroom.grading.profile import Phase, process_cpu
from classroom.grading.sandbox import best_level, choose_level, seed_home

__all__ = ["StartedKernel", "isolation_available", "isolation_level",
           "shutdown", "start_kernel"]

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


class _KernelManager(AsyncKernelManager):
    """Kernel manager of a forked kernel: its command is never run (the parent forks it)."""

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        return kernel_argv(self.connection_file)


@dataclass
class StartedKernel:
    """A kernel started (and warmed up) for one submission.

    ``isolation`` is ``"sandbox"``, ``"mount-namespace"`` or ``"none"``; ``containment``
    holds its limits and says whether (and why) the submission was stopped; ``parent`` is the
    kernel parent that forked it (``owns_parent``: started for this kernel alone, stopped
    with it); ``process`` the forked process the grader watches.
    """

    km: AsyncKernelManager | None
    kc: Any
    workdir: Path
    isolation: str
    startup_error: str | None = None
    conn_dir: Path | None = None
    containment: Containment | None = None
    parent: KernelParent | None = None
    owns_parent: bool = False
    process: ForkedProcess | None = None
    seed_dir: Path | None = None
    phases: dict[str, Phase] = field(default_factory=dict)
    closed: bool = False
    _since: tuple[float, float] = field(default=(0.0, 0.0), repr=False)

    @property
    def limits_level(self) -> str:
        """How its limits were enforced: ``cgroup-v2``, ``cgroup-v1`` or ``rlimit``."""
        return self.containment.level if self.containment is not None else "rlimit"

    def mark(self, phase: str | None) -> None:
        """End ``phase``: the CPU of all the submission's processes and the wall time since
        the last mark go to :attr:`phases` (``None``: only start counting anew)."""
        cpu = process_cpu(self.containment.pids()) if self.containment is not None else 0.0
        now = time.perf_counter()
        if phase is not None:
            self.phases[phase] = Phase(max(0.0, cpu - self._since[0]), now - self._since[1], 1)
        self._since = (cpu, now)


def _manager(conn_dir: Path) -> _KernelManager:
    # a context of its own, destroyed by :func:`shutdown` however far the kernel got
    km = _KernelManager(transport="ipc", ip=str(conn_dir / "k"), context=zmq.asyncio.Context())
    km.connection_file = str(conn_dir / "kernel.json")
    if km.kernel_spec is not None:
        # a signal would reach the process the grader watches, not the kernel inside its
        # namespaces: interrupt by message
        km.kernel_spec.interrupt_mode = "message"
    km.provisioner = ForkProvisioner(kernel_id=str(uuid.uuid4()), kernel_spec=km.kernel_spec,
                                     parent=km)
    return km


async def _parent_for(level: str, parent: KernelParent | None, hide: Iterable[str | Path],
                      preload: Iterable[str]) -> tuple[KernelParent, bool]:
    """The batch's parent (checked), or a new one for this kernel alone (owned)."""
    if parent is not None:
        if not parent.alive:
            raise RuntimeError("the kernel parent has stopped")
        return parent, False
    return await KernelParent.start(level, kernel_environment, hide=hide, preload=preload), True


async def start_kernel(
    workdir: str | Path,
    limits: Limits,
    *,
    hide: Iterable[str | Path] = (),
    isolate: str = "auto",
    preload: Iterable[str] = (),
    limit_level: str = "auto",
    parent: KernelParent | None = None,
) -> StartedKernel:
    """Start a kernel for one submission in ``workdir`` (never raises for kernel failures).

    Parameters
    ----------
    workdir : path
        Existing working folder (the kernel's current directory and ``HOME``; at the sandbox
        level it is copied into ``/home/student``, a folder of the kernel's own).
    limits : Limits
        Time, memory, process and file limits (for all the submission's processes).
    hide : paths
        Folders to cover with an empty tmpfs at the ``mount-namespace`` level
        (the sandbox shows only its allowlist anyway); used when a parent is started here.
    isolate : {"auto", "require", "off"}
        Best level available / the sandbox or ``ValueError`` / no isolation.
    preload : module names
        Modules imported (into ``sys.modules`` only) before the submission runs.
    limit_level : {"auto", "cgroup-v2", "cgroup-v1", "rlimit"}
        How the limits are enforced (see :mod:`classroom.grading.containment`); ``ValueError``
        for a level this machine does not allow.
    parent : KernelParent, optional
        The batch's kernel parent: its level is the kernel's (``isolate`` is then only
        checked).  Without one, a parent is started for this kernel and stopped with it.
    """
    level = choose_level(isolate) if parent is None else parent.level
    if parent is not None:
        choose_level(isolate)  # an unknown mode is still a usage error
    workdir = Path(workdir)
    started = StartedKernel(km=None, kc=None, workdir=workdir, isolation=level)
    started.mark(None)
    try:
        started.parent, started.owns_parent = await _parent_for(level, parent, hide, preload)
    except (OSError, RuntimeError) as exc:
        started.startup_error = f"the Python kernel could not start ({exc})"
        return started
    return await _fork_kernel(started, limits, preload, limit_level)


async def _fork_kernel(started: StartedKernel, limits: Limits, preload: Iterable[str],
                       limit_level: str) -> StartedKernel:
    assert started.parent is not None
    level, workdir, sandboxed = started.isolation, started.workdir, started.isolation == "sandbox"
    conn_dir = started.conn_dir = started.parent.new_folder()
    if sandboxed:  # the parent sees the socket folders only: the work goes in beside them
        started.seed_dir = conn_dir.with_name(conn_dir.name + ".seed")
        shutil.copytree(workdir, started.seed_dir, symlinks=True)
    else:
        seed_home(workdir)
    try:
        started.containment = Containment.create(
            limits, mode=limit_level, sandboxed=sandboxed, conn_dir=conn_dir,
            workdir=None if sandboxed else workdir)
    except OSError as exc:  # the machine could not make a cgroup: try again next run
        started.startup_error = f"the submission's limits could not be set up ({exc})"
        return started
    km = started.km = _manager(conn_dir)
    request = kernel_request(level, workdir, conn_dir, started.seed_dir, limits)

    async def spawn(env: dict[str, str]) -> ForkedProcess:
        assert started.parent is not None and started.containment is not None
        started.process = await started.parent.fork({**request, "env": env},
                                                    started.containment.join)
        return started.process

    km.provisioner.spawn = spawn  # type: ignore[union-attr]
    env = kernel_environment(request["home"])
    try:
        await km.start_kernel(cwd=str(workdir), env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
        started.containment.attach(getattr(km.provisioner, "pid", None))
        await wait_bound(km)
        kc = started.kc = km.client()
        kc.start_channels()
        await wait_ready(km, kc)
        started.mark("kernel start")
        await preload_modules(kc, preload)
        started.mark("imports")
    except asyncio.CancelledError:  # the batch was interrupted: nothing of it may stay
        await shutdown(started)
        raise
    except Exception as exc:  # noqa: BLE001 - any start failure becomes a report, not a crash
        why = child_report(conn_dir)
        started.startup_error = (f"the Python kernel could not start ({type(exc).__name__}: "
                                 f"{exc}{'; ' + why if why else ''})")
    finally:
        if started.seed_dir is not None:
            shutil.rmtree(started.seed_dir, ignore_errors=True)
    return started


async def shutdown(kernel: StartedKernel) -> None:
    """Stop the kernel, its channels and every process of the submission (idempotent; raises
    nothing but a cancellation, and that only after everything is stopped); a parent started
    for this kernel alone stops too.

    Examples
    --------
    >>> import asyncio, concurrent.futures
    >>> k = StartedKernel(km=None, kc=None, workdir=Path("."), isolation="none")
    >>> with concurrent.futures.ThreadPoolExecutor(1) as pool:  # a loop of its own
    ...     pool.submit(asyncio.run, shutdown(k)).result()
    >>> k.closed
    True
    """
    if kernel.closed:
        return
    kernel.closed = True
    cancelled: asyncio.CancelledError | None = None
    try:
        if kernel.kc is not None:
            kernel.kc.stop_channels()
    except Exception:  # noqa: BLE001
        pass
    if kernel.containment is not None:
        kernel.containment.kill()  # every process of the submission, before its parent goes
    try:
        if kernel.km is not None and kernel.km.has_kernel:
            await kernel.km.shutdown_kernel(now=True)
    except asyncio.CancelledError as exc:  # an interrupted batch: stop the rest all the same
        cancelled = exc
    except Exception:  # noqa: BLE001
        pass
    if kernel.process is not None:
        kernel.process.kill()
    if kernel.km is not None and not kernel.km.context.closed:
        kernel.km.context.destroy(linger=0)  # the control socket too, should it be open
    if kernel.containment is not None:
        await kernel.containment.close()
    if kernel.process is not None:
        kernel.process.close()
    for folder in (kernel.conn_dir, kernel.seed_dir):
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
    if kernel.owns_parent and kernel.parent is not None:
        parent, kernel.parent = kernel.parent, None
        await parent.close()
    if cancelled is not None:
        raise cancelled
