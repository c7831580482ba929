"""Start and stop one graded kernel under its limits and the best isolation available.

Every kernel is forked by a kernel parent (:mod:`classroom.grading.parent`) that has already
imported the course's libraries: a batch shares one parent, and :func:`start_kernel` without a
parent starts one for that kernel alone.  Depending on the level (see
:mod:`classroom.grading.sandbox`) the parent runs in a bubblewrap sandbox, a private mount
namespace, or neither, and each kernel enters namespaces, folders and limits of its own before
the submission runs.  Its limits hold for all its processes together
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
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty
from typing import Any

from jupyter_client.manager import AsyncKernelManager

from classroom.grading.containment import Containment
from classroom.grading.limits import Limits
from classroom.grading.parent import ForkedProcess, ForkProvisioner, KernelParent
from classroom.grading.profile import Phase, process_cpu
from classroom.grading.sandbox import SANDBOX_HOME, SEEDS, best_level, choose_level, seed_home

__all__ = ["StartedKernel", "isolation_available", "isolation_level", "kernel_environment",
           "shutdown", "start_kernel"]

_STARTUP_TIMEOUT = 60.0
#: No history database (no sqlite file per kernel), no Jedi completion (a graded kernel never
#: completes code), and tracebacks as plain Python prints them: IPython's default "Context"
#: mode parses the source of every frame (0.4 s of CPU for one KeyError raised inside
#: pandas), while only the exception's name and message are judged.
_KERNEL_ARGS = ("--HistoryManager.enabled=False", "--IPCompleter.use_jedi=False",
                "--InteractiveShell.xmode=Plain")
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


class _KernelManager(AsyncKernelManager):
    """Kernel manager of a forked kernel: its command is never run (the parent forks it)."""

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        return kernel_argv(self.connection_file)


def kernel_argv(connection_file: str) -> list[str]:
    """ipykernel's arguments for a graded kernel (no history database, no Jedi).

    Examples
    --------
    >>> kernel_argv("/c/kernel.json")[:2]
    ['-f', '/c/kernel.json']
    """
    return ["-f", os.path.realpath(connection_file), *_KERNEL_ARGS]


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


def _request(level: str, workdir: Path, conn_dir: Path, seed_dir: Path | None,
             limits: Limits) -> dict:
    """What the kernel parent needs to fork this kernel (see ``_kernel_parent.py``)."""
    sandboxed = level == "sandbox"
    return {
        "id": int(conn_dir.name),
        "home": SANDBOX_HOME if sandboxed else str(workdir.resolve()),
        "conn": str(conn_dir),
        "seeds": [SEEDS[0], str(seed_dir)] if sandboxed and seed_dir is not None else [],
        "argv": kernel_argv(str(conn_dir / "kernel.json")),
        "rlimits": {"as": limits.memory_mb << 20, "nproc": _nproc(level, limits),
                    "fsize": limits.disk_mb << 20},
        "disk_mb": limits.disk_mb,
    }


def _manager(conn_dir: Path) -> _KernelManager:
    km = _KernelManager(transport="ipc", ip=str(conn_dir / "k"))
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
    request = _request(level, workdir, conn_dir, started.seed_dir, limits)

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
        await _bound(km)
        kc = km.client()
        kc.start_channels()
        await _ready(km, kc)
        started.mark("kernel start")
        started.kc = kc
        await _preload(kc, preload)
        started.mark("imports")
    except Exception as exc:  # noqa: BLE001 - any start failure becomes a report, not a crash
        why = _child_report(conn_dir)
        started.startup_error = (f"the Python kernel could not start ({type(exc).__name__}: "
                                 f"{exc}{'; ' + why if why else ''})")
    finally:
        if started.seed_dir is not None:
            shutil.rmtree(started.seed_dir, ignore_errors=True)
    return started


async def _bound(km: _KernelManager) -> None:
    """Wait until the kernel has bound its IPC sockets (files beside its connection file).

    A client that connects earlier waits for zmq's reconnect interval on every channel, and
    jupyter_client's readiness check then waits again for IOPub: about 0.3 s per kernel.
    """
    info = km.get_connection_info()
    sockets = [Path(f"{info['ip']}-{info[name]}") for name in
               ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")]
    deadline = time.monotonic() + _STARTUP_TIMEOUT
    while not all(s.exists() for s in sockets):
        if not await km.is_alive() or time.monotonic() > deadline:
            return  # jupyter_client's own wait says what went wrong
        await asyncio.sleep(0.005)


async def _ready(km: _KernelManager, kc: Any) -> None:
    """Wait until the kernel answers ``kernel_info`` and its IOPub channel delivers (as
    jupyter_client's ``wait_for_ready`` does, without its final 0.2 s wait for IOPub to fall
    silent: every later reader here picks its messages by their parent)."""
    deadline = time.monotonic() + _STARTUP_TIMEOUT
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
            raise RuntimeError(f"Kernel didn't respond in {_STARTUP_TIMEOUT:g} seconds")


def _child_report(conn_dir: Path) -> str:
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
    raises); a parent started for this kernel alone stops too.

    Examples
    --------
    >>> import asyncio, concurrent.futures
    >>> k = StartedKernel(km=None, kc=None, workdir=Path("."), isolation="none")
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
        if kernel.km is not None and kernel.km.has_kernel:
            await kernel.km.shutdown_kernel(now=True)
    except Exception:  # noqa: BLE001
        if kernel.process is not None:
            kernel.process.kill()
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
