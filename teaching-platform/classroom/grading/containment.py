"""Limits that hold for the whole submission: memory, processes and files of all its processes.

A per-process cap (``RLIMIT_AS``) does not bound a process tree, and a sandbox's ``/tmp`` is
memory.  How the limits of :class:`~classroom.grading.limits.Limits` are enforced depends on
what the machine allows; the level is recorded in every result (``limits``), beside the
isolation level:

- ``"cgroup-v2"``, ``"cgroup-v1"``: each submission's processes run in a cgroup of their own
  (:mod:`classroom.grading.cgroups`: memory with swap off, and processes);
- ``"rlimit"``: per-process limits only (``RLIMIT_AS``, ``RLIMIT_NPROC``, which Linux does not
  apply to root, ``RLIMIT_FSIZE``) and a watchdog that adds up the memory (PSS) and counts the
  threads of the submission's process tree.

At every level a cgroup never needs to catch a file: the sandbox's ``/tmp``, ``/dev/shm`` and
work folder are tmpfs mounts of at most ``disk_mb`` each (bwrap's ``--size``), its root and
``/dev`` are read-only, ``RLIMIT_FSIZE`` caps each file, and the watchdog measures what is
writable outside the sandbox (the work folder at the weaker isolation levels and the folder of
the kernel's sockets).  Crossing any limit stops the whole submission (every process) and
says why in one line; its answers are then not read (0 points).

Examples
--------
>>> breach_message("disk", Limits(disk_mb=64)).startswith("the submission wrote more than 64")
True
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

from classroom.grading.cgroups import (
    LIMIT_LEVELS,
    Cgroup,
    field_number,
    join_prefix,
    limit_level,
    make_cgroup,
    text_of,
)
from classroom.grading.limits import Limits

__all__ = ["LIMIT_LEVELS", "Containment", "breach_message", "limit_level", "process_tree"]

#: Watchdog period (s): how long a breach may last before it is seen.
WATCH_SECONDS = 0.2
#: The folder of the kernel's connection file and sockets holds a few hundred bytes.
CONN_DIR_BYTES = 1 << 20
#: Files a writable folder may hold (tmpfs inodes are memory too).
MAX_FILES = 20_000
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096

_WHY = {
    "memory": "used more than {memory_mb} MiB of memory (all its processes and the files it "
              "keeps in memory together)",
    "processes": "started more than {max_processes} processes or threads",
    "disk": "wrote more than {disk_mb} MiB (or more than {max_files} files) into one of its "
            "folders",
    "conn": "wrote into the kernel's connection folder",
}


def breach_message(kind: str, limits: Limits) -> str:
    """The one-line reason a submission was stopped.

    Examples
    --------
    >>> breach_message("processes", Limits(max_processes=64))
    'the submission started more than 64 processes or threads and was stopped'
    """
    why = _WHY[kind].format(memory_mb=limits.memory_mb, max_processes=limits.max_processes,
                            disk_mb=limits.disk_mb, max_files=MAX_FILES)
    return f"the submission {why} and was stopped"


# ----------------------------------------------------------------------------- process trees
def _children(pid: int) -> list[int]:
    """The children of every thread of ``pid`` (none when it has just ended)."""
    kids: list[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:  # it ended since it was seen
        return kids
    for task in tasks:
        kids += [int(k) for k in text_of(task / "children").split()]
    return kids


def process_tree(root: int) -> list[int]:
    """``root`` and all its descendants (from ``/proc/<pid>/task/<tid>/children``).

    Examples
    --------
    >>> os.getpid() in process_tree(os.getpid())
    True
    """
    seen, todo = [], [root]
    while todo:
        pid = todo.pop()
        if pid in seen or not Path(f"/proc/{pid}").exists():
            continue
        seen.append(pid)
        todo += _children(pid)
    return seen


def _threads(pid: int) -> int:
    return field_number(text_of(Path(f"/proc/{pid}/status")).replace(":", ""), "Threads")


def _rss_bytes(pid: int) -> int:
    """Resident memory of ``pid`` (``/proc/<pid>/statm``: one line, cheap); never less than
    its PSS, so a tree whose RSS is within a limit has its PSS within it too."""
    fields = text_of(Path(f"/proc/{pid}/statm")).split()
    return int(fields[1]) * _PAGE if len(fields) > 1 and fields[1].isdigit() else 0


def _pss_bytes(pid: int) -> int:
    def kib(name: str, key: str) -> int:
        text = text_of(Path(f"/proc/{pid}/{name}"))
        return field_number(text.replace(":", "").replace(" kB", ""), key)

    return (kib("smaps_rollup", "Pss") or kib("status", "VmRSS")) << 10


def _folder_usage(folder: Path, limit_files: int) -> tuple[int, int]:
    """Bytes and entries below ``folder`` (stops counting past ``limit_files`` entries)."""
    size = count = 0
    todo = [folder]
    while todo and count <= limit_files:
        try:
            entries = list(os.scandir(todo.pop()))
        except OSError:
            continue
        for entry in entries:
            count += 1
            try:
                if entry.is_dir(follow_symlinks=False):
                    todo.append(Path(entry.path))
                else:
                    size += entry.stat(follow_symlinks=False).st_blocks * 512
            except OSError:
                pass
    return size, count


# ----------------------------------------------------------------------------- containment
#: Writable mounts of the sandbox (tmpfs, see :func:`classroom.grading.sandbox.bwrap_args`).
SANDBOX_MOUNTS = ("/tmp", "/dev/shm", "/home/student")


@dataclass
class Containment:
    """The limits of one submission: its cgroup (if any), its watchdog, how it was stopped.

    Use :meth:`create` before the kernel starts (its :attr:`prefix` goes in front of the
    kernel command), :meth:`attach` once it runs, :meth:`check` to test the limits now,
    and :meth:`close` at the end (every process left is killed).
    """

    level: str
    limits: Limits
    sandboxed: bool
    workdir: Path | None
    conn_dir: Path | None
    cgroup: Cgroup | None = None
    root_pid: int | None = None
    breach: str | None = None
    watch_cpu: float = 0.0
    _task: asyncio.Task | None = field(default=None, repr=False)
    _sandbox_pid: int | None = field(default=None, repr=False)

    @classmethod
    def create(cls, limits: Limits, *, mode: str = "auto", sandboxed: bool = False,
               workdir: Path | None = None, conn_dir: Path | None = None) -> Containment:
        """Prepare the limits of one submission (its cgroup, at the cgroup levels).

        ``workdir`` is watched when it is a folder outside the sandbox; ``conn_dir`` always.
        """
        level = limit_level(mode)
        group = make_cgroup(level, limits) if level != "rlimit" else None
        return cls(level, limits, sandboxed, workdir, conn_dir, group)

    @property
    def prefix(self) -> list[str]:
        """Command prefix that puts the kernel into its cgroup (empty at ``rlimit``)."""
        return join_prefix(self.cgroup.join_files) if self.cgroup is not None else []

    def pids(self) -> list[int]:
        """Every process of the submission now (its cgroup's, else the watched tree)."""
        if self.cgroup is not None:
            return self.cgroup.pids()
        return process_tree(self.root_pid) if self.root_pid else []

    def join(self, pid: int) -> None:
        """Put process ``pid`` into the submission's cgroup(s) before it runs anything of the
        submission (a forked kernel waits for this; nothing to do at ``rlimit``)."""
        for path in self.cgroup.join_files if self.cgroup is not None else ():
            path.write_text(str(pid))

    def attach(self, root_pid: int | None) -> None:
        """Start watching the process ``root_pid`` (the kernel command) and its descendants."""
        self.root_pid = root_pid
        if self._task is None:
            self._task = asyncio.ensure_future(self._watch())

    async def _watch(self) -> None:
        while self.breach is None:
            await asyncio.sleep(WATCH_SECONDS)
            if self.check() is not None:
                return

    def message(self) -> str | None:
        """The one-line reason the submission was stopped (``None`` while within limits)."""
        return breach_message(self.breach, self.limits) if self.breach else None

    def check(self) -> str | None:
        """Test every limit now; on a breach stop every process of the submission.

        Returns the kind of breach (``"memory"``, ``"processes"``, ``"disk"``, ``"conn"``),
        also kept in :attr:`breach`; ``None`` within limits.
        """
        if self.breach is None:
            started = time.thread_time()
            self.breach = self._measure()
            self.watch_cpu += time.thread_time() - started
            if self.breach is not None:
                self.kill()
        return self.breach

    def _measure(self) -> str | None:
        if self.cgroup is not None:  # the kernel enforces; its events say what was hit
            return self.cgroup.breach() or self._disk_breach(self.cgroup.pids())
        pids = self.pids()
        return self._tree_breach(pids) or self._disk_breach(pids)

    def _tree_breach(self, pids: list[int]) -> str | None:
        if sum(_threads(p) for p in pids) >= self.limits.max_processes:
            return "processes"
        memory = self.limits.memory_mb << 20
        # PSS (smaps_rollup walks every mapping) only when the cheap RSS sum is over the limit
        if memory and sum(_rss_bytes(p) for p in pids) > memory \
                and sum(_pss_bytes(p) for p in pids) > memory:
            return "memory"
        return None

    def _disk_breach(self, pids: list[int]) -> str | None:
        cap = self.limits.disk_mb << 20
        if self.conn_dir is not None:
            size, count = _folder_usage(self.conn_dir, 100)
            if size > CONN_DIR_BYTES or count > 100:
                return "conn"
        if self.sandboxed:
            root = self._sandbox_root(pids)
            for mount in SANDBOX_MOUNTS if root else ():
                try:
                    fs = os.statvfs(f"{root}{mount}")
                except OSError:
                    continue
                used = (fs.f_blocks - fs.f_bfree) * fs.f_frsize
                if used >= cap or fs.f_bavail == 0 or fs.f_files - fs.f_ffree > MAX_FILES:
                    return "disk"
        elif self.workdir is not None:
            size, count = _folder_usage(self.workdir, MAX_FILES)
            if size >= cap or count > MAX_FILES:
                return "disk"
        return None

    def _sandbox_root(self, pids: list[int]) -> str | None:
        """``/proc/<pid>/root`` of a process inside the sandbox's mount namespace."""
        if self._sandbox_pid is not None and Path(f"/proc/{self._sandbox_pid}").exists():
            return f"/proc/{self._sandbox_pid}/root"
        if self.root_pid is None:
            return None
        mine = os.stat("/proc/self/ns/mnt").st_ino
        for pid in _children(self.root_pid) or pids:
            with contextlib.suppress(OSError):
                if os.stat(f"/proc/{pid}/ns/mnt").st_ino != mine:
                    self._sandbox_pid = pid
                    return f"/proc/{pid}/root"
        return None

    def kill(self) -> None:
        """SIGKILL every process of the submission (at once, without waiting for them: the
        cgroup is emptied and removed by :meth:`close`)."""
        if self.cgroup is not None:
            self.cgroup.signal()
            return
        for pid in reversed(process_tree(self.root_pid) if self.root_pid else []):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)

    async def close(self) -> None:
        """Stop watching, kill every process left, remove the cgroup (idempotent)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None
        if self.cgroup is not None:
            group, self.cgroup = self.cgroup, None
            await asyncio.to_thread(group.remove)
