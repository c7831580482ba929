"""The kernel parent: one process that has imported the course's libraries forks every kernel.

A graded kernel used to start as a new interpreter and import ipykernel, numpy, pandas,
matplotlib and ``course_lib`` before the submission's first cell: about 1.4 s of CPU each,
ten times what a typical submission's own code takes.  On a machine with two cores the CPU is
what limits a batch, so a pool of kernels started ahead would only move that work, not remove
it.  Instead one parent process per batch (``_kernel_parent.py``, run inside the same sandbox
and with the same environment allowlist as a kernel) imports them once, and forks a child per
submission.  Each child is a fresh copy of a process in which no submission ever ran; before it
touches the submission it enters new namespaces, fresh folders and its limits (see the script's
docstring), so what one kernel changes (modules, files, environment, ``sys.modules``) never
reaches the next.

The grader talks to the parent over its stdin and stdout; a forked kernel is then driven by
jupyter_client like any other (:class:`ForkProvisioner`), and watched through a pidfd.

Examples
--------
>>> KERNEL_PARENT.name, BASE_PRELOAD[:2]
('_kernel_parent.py', ('numpy', 'pandas'))
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import select
import shutil
import signal
import sys
import tempfile
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jupyter_client.provisioning import LocalProvisioner

from classroom.grading.containment import process_tree
from classroom.grading.sandbox import (
    KERNEL_PARENT,
    SEEDS,
    bwrap_args,
    home_template,
    unshare_prefix,
)

__all__ = ["BASE_PRELOAD", "ForkProvisioner", "ForkedProcess", "KernelParent", "ns_pid"]

#: What every parent imports: the course's libraries (an exercise's own imports are added).
BASE_PRELOAD = ("numpy", "pandas", "matplotlib", "matplotlib.pyplot", "course_lib",
                "course_lib.checks", "course_lib.datasets")
_READY_TIMEOUT = 120.0
_REPLY_TIMEOUT = 30.0


def ns_pid(pid: int) -> int | None:
    """The pid of process ``pid`` in its own (innermost) PID namespace.

    Examples
    --------
    >>> ns_pid(os.getpid()) is not None
    True
    """
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("NSpid:"):
            return int(line.split()[-1])
    return None


def _find(candidates: Iterable[int], inner: int, marker: str | None = None) -> int | None:
    """The host pid among ``candidates`` whose own-namespace pid is ``inner`` (and whose
    command line holds ``marker``)."""
    for pid in candidates:
        if ns_pid(pid) != inner:
            continue
        if marker is None:
            return pid
        with contextlib.suppress(OSError):
            if marker.encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
                return pid
    return None


def _stat(pid: int) -> list[str]:
    """The fields of ``/proc/<pid>/stat`` after the command name (empty when it is gone)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return []


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            kids += [int(k) for k in (task / "children").read_text().split()]
    return kids


@dataclass
class ForkedProcess:
    """A forked kernel as jupyter_client's provisioner sees a ``Popen``: poll, wait, signal.

    It is not the grader's child, so it is watched through a pidfd (which also never mistakes
    a reused pid for it); its exit status is not known (``poll`` gives 0 or -9).

    Examples
    --------
    >>> child = ForkedProcess.of(os.getpid())
    >>> child.poll() is None
    True
    >>> child.close()
    """

    pid: int
    fd: int
    returncode: int | None = None
    stdin: None = None
    stdout: None = None
    stderr: None = None
    killed: bool = field(default=False, repr=False)

    @classmethod
    def of(cls, pid: int) -> ForkedProcess:
        """Watch process ``pid`` (``ProcessLookupError`` when it is gone)."""
        return cls(pid, os.pidfd_open(pid))

    def poll(self) -> int | None:
        """``None`` while it runs, else its (approximate) return code."""
        if self.returncode is None and self.fd >= 0:
            ready, _, _ = select.select([self.fd], [], [], 0)
            if ready:
                self.returncode = -signal.SIGKILL if self.killed else 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Block until it ends (``TimeoutError`` after ``timeout`` seconds)."""
        if self.poll() is None and self.fd >= 0:
            ready, _, _ = select.select([self.fd], [], [], timeout)
            if not ready:
                raise TimeoutError(f"process {self.pid} still runs")
        return self.poll() if self.poll() is not None else 0

    def send_signal(self, signum: int) -> None:
        """Signal it (nothing when it has ended)."""
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                signal.pidfd_send_signal(self.fd, signum)
            self.killed = self.killed or signum == signal.SIGKILL

    def kill(self) -> None:
        """SIGKILL: its death ends every process of its namespace."""
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        """SIGTERM."""
        self.send_signal(signal.SIGTERM)

    def close(self) -> None:
        """Release the pidfd (idempotent)."""
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


class ForkProvisioner(LocalProvisioner):  # type: ignore[misc]
    """jupyter_client's local provisioner, except that the kernel is forked by the parent.

    :attr:`spawn` is set before the kernel manager starts the kernel: it receives the kernel's
    environment and returns the :class:`ForkedProcess`.
    """

    spawn: Callable[[dict[str, str]], Awaitable[ForkedProcess]] | None = None

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        """Fork the kernel (``cmd`` is not run: the parent starts ipykernel in the child)."""
        if self.spawn is None:
            raise RuntimeError("ForkProvisioner.spawn was not set")
        self.process = await self.spawn(dict(kwargs["env"]))
        self.pid = self.process.pid
        self.pgid = None
        self.cwd = kwargs.get("cwd")
        return self.connection_info


@dataclass
class KernelParent:
    """A running kernel parent (use :meth:`start`; :meth:`close` when the batch is done).

    Attributes
    ----------
    level : str
        The isolation level of its kernels (``sandbox``, ``mount-namespace``, ``none``).
    root : Path
        Its folder of kernel socket folders (each kernel sees only its own).
    preloaded : tuple of str
        Modules it imported; ``failed`` those that would not import.
    """

    level: str
    root: Path
    process: asyncio.subprocess.Process
    host_pid: int
    preloaded: tuple[str, ...]
    failed: list[str] = field(default_factory=list)
    home: Path | None = None
    _ids: Iterable[int] = field(default_factory=itertools.count, repr=False)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)

    @classmethod
    async def start(cls, level: str, environment: Callable[[str], dict[str, str]], *,
                    hide: Iterable[str | Path] = (), preload: Iterable[str] = ()
                    ) -> KernelParent:
        """Start a parent for kernels at ``level`` that has imported ``preload``.

        ``environment(home)`` is the whole environment of a kernel whose home is ``home``
        (the parent gets the same, so what it imports sees what a kernel would).

        Raises
        ------
        RuntimeError
            When it does not start (one line, with its last words).
        """
        modules = tuple(dict.fromkeys(m for m in preload
                                      if all(p.isidentifier() for p in m.split("."))))
        root = Path(tempfile.mkdtemp(prefix="course-kernel-"))
        home = None if level == "sandbox" else Path(tempfile.mkdtemp(prefix="course-parent-"))
        command, cwd, env = cls._command(level, root, home, hide, modules, environment)
        errors = (root / "parent-stderr.txt").open("wb")
        try:
            process = await asyncio.create_subprocess_exec(
                *command, cwd=cwd, env=env, stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE, stderr=errors, start_new_session=True,
                limit=1 << 20)
        finally:
            errors.close()
        try:
            ready = await cls._ready(process, root)
        except BaseException:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
            shutil.rmtree(root, ignore_errors=True)
            if home is not None:
                shutil.rmtree(home, ignore_errors=True)
            raise
        host = process.pid if level == "none" else \
            _find(process_tree(process.pid), ready["pid"], KERNEL_PARENT.name)
        if host is None:
            process.kill()
            raise RuntimeError("the kernel parent started but could not be found in /proc")
        return cls(level, root, process, host, modules, ready.get("failed", []), home)

    @staticmethod
    def _command(level: str, root: Path, home: Path | None, hide: Iterable[str | Path],
                 modules: tuple[str, ...], environment: Callable[[str], dict[str, str]]
                 ) -> tuple[list[str], str, dict[str, str]]:
        script = [sys.executable, str(KERNEL_PARENT), "--level", level,
                  *(a for m in modules for a in ("--preload", m))]
        if level == "sandbox":
            prefix = bwrap_args(None, root, home_seed=home_template(), parent=True)
            return [*prefix, *script, "--seed", SEEDS[0]], "/", environment("/home/student")
        assert home is not None
        template = home_template()
        seeds = ["--seed", str(template)] if template is not None else []
        if level == "mount-namespace":
            hidden = [a for p in hide_list(hide) for a in ("--hide", p)]
            return [*unshare_prefix(), *script, *hidden, *seeds], str(home), \
                environment(str(home))
        return [*script, *seeds], str(home), environment(str(home))

    @staticmethod
    async def _ready(process: asyncio.subprocess.Process, root: Path) -> dict:
        assert process.stdout is not None
        try:
            line = await asyncio.wait_for(process.stdout.readline(), _READY_TIMEOUT)
        except TimeoutError:
            raise RuntimeError(f"the kernel parent was not ready after {_READY_TIMEOUT:g} s"
                               ) from None
        try:
            ready = json.loads(line)
        except ValueError:
            ready = {}
        if not isinstance(ready, dict) or not ready.get("ready"):
            await process.wait()
            said = (root / "parent-stderr.txt").read_text(errors="replace").strip()
            last = " ".join(said.splitlines()[-1:])[-300:] or "no message"
            raise RuntimeError(f"the kernel parent stopped (status {process.returncode}): "
                               f"{last}")
        return ready

    def children_cpu(self) -> float:
        """CPU of the kernels it has reaped (counted in its own figures as its children's)."""
        fields = _stat(self.host_pid)
        return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK") if fields else 0.0

    @property
    def alive(self) -> bool:
        """Whether the parent still runs."""
        return self.process.returncode is None

    def new_folder(self) -> Path:
        """A new socket folder for one kernel (mode 0700, inside :attr:`root`)."""
        folder = self.root / str(next(self._ids))  # type: ignore[call-overload]
        folder.mkdir(mode=0o700)
        return folder

    async def _ask(self, request: dict) -> dict:
        assert self.process.stdin is not None and self.process.stdout is not None
        if not self.alive:
            raise RuntimeError(f"the kernel parent has stopped (status "
                               f"{self.process.returncode})")
        self.process.stdin.write((json.dumps(request) + "\n").encode())
        await self.process.stdin.drain()
        line = await asyncio.wait_for(self.process.stdout.readline(), _REPLY_TIMEOUT)
        if not line:
            raise RuntimeError("the kernel parent stopped")
        reply = json.loads(line)
        if "error" in reply:
            raise RuntimeError(f"the kernel parent could not fork: {reply['error']}")
        return reply

    async def fork(self, request: dict, before_go: Callable[[int], None]) -> ForkedProcess:
        """Fork a kernel for ``request`` (see ``_kernel_parent.py``); ``before_go`` gets its
        host pid before it may run (to put it into its cgroup).  Returns it, watched."""
        async with self._lock:
            ident = int(request["id"])
            reply = await self._ask({**request, "op": "fork"})
            host = _find(_children(self.host_pid), int(reply["pid"]))
            try:
                if host is None:
                    raise RuntimeError("the forked kernel could not be found in /proc")
                child = ForkedProcess.of(host)
                before_go(host)
            except BaseException:
                await self._ask({"op": "drop", "id": ident})
                raise
            await self._ask({"op": "go", "id": ident})
        return child

    async def close(self) -> None:
        """Stop the parent (its kernels end with it) and remove its folders (idempotent)."""
        if self.process.stdin is not None and not self.process.stdin.is_closing():
            self.process.stdin.close()
        try:
            await asyncio.wait_for(self.process.wait(), 5)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
            await self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)
        if self.home is not None:
            shutil.rmtree(self.home, ignore_errors=True)


def hide_list(paths: Iterable[str | Path]) -> list[str]:
    """Folders to cover at the ``mount-namespace`` level: never one holding the interpreter,
    ``course_lib`` or the temporary folder (where work and socket folders are made).

    Examples
    --------
    >>> hide_list([sys.prefix, "/definitely/not/there"])
    []
    """
    import course_lib  # noqa: PLC0415 - only its location is needed

    keep = [Path(sys.prefix).resolve(), Path(course_lib.__file__).resolve().parent,
            Path(tempfile.gettempdir()).resolve()]
    hidden = []
    for p in paths:
        p = Path(p).resolve()
        if not p.is_dir() or any(k == p or p in k.parents for k in keep):
            continue
        hidden.append(str(p))
    return sorted(set(hidden))

