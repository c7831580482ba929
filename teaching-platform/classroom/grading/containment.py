"""Limits that hold for the whole submission: memory, processes and files of all its processes.

A per-process cap (``RLIMIT_AS``) does not bound a process tree, and a sandbox's ``/tmp`` is
memory.  How the limits of :class:`~classroom.grading.limits.Limits` are enforced depends on
what the machine allows; the level is recorded in every result (``limits``), beside the
isolation level:

- ``"cgroup-v2"``: each submission's processes run in a cgroup of their own (``memory.max``
  with swap off, ``pids.max``) under a delegated cgroup v2 tree (for instance
  ``systemd-run --user --scope -p Delegate=yes course grade ...``);
- ``"cgroup-v1"``: the same with the v1 ``memory`` and ``pids`` hierarchies (needs root);
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
>>> level = limit_level()
>>> level in LIMIT_LEVELS
True
>>> limit_level("rlimit")
'rlimit'
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import functools
import itertools
import os
import secrets
import signal
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from classroom.grading.limits import Limits

__all__ = ["LIMIT_LEVELS", "Containment", "join_prefix", "limit_level"]

LIMIT_LEVELS = ("cgroup-v2", "cgroup-v1", "rlimit")
#: Watchdog period (s): how long a breach may last before it is seen.
WATCH_SECONDS = 0.2
#: The folder of the kernel's connection file and sockets holds a few hundred bytes.
CONN_DIR_BYTES = 1 << 20
#: Files a writable folder may hold (tmpfs inodes are memory too).
MAX_FILES = 20_000
_PREFIX = "course-grade-"
_counter = itertools.count()
#: cgroups of this process not yet removed (emptied and removed at exit, should a batch stop
#: before its kernels are shut down)
_LIVE: dict[int, _Cgroup] = {}

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


# ----------------------------------------------------------------------------- cgroups
def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def _field(text: str, key: str) -> int:
    """The number after ``key`` in a flat-keyed cgroup file (``"oom_kill 2"``), else 0."""
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == key and parts[1].isdigit():
            return int(parts[1])
    return 0


def _write(path: Path, value: str) -> None:
    path.write_text(value)


def _procs(path: Path) -> list[int]:
    return [int(p) for p in _read(path).split() if p.isdigit()]


@dataclass
class _Cgroup:
    """One submission's cgroup(s): where to join, what to read, how to empty and remove."""

    level: str
    dirs: list[Path]
    limits: Limits

    @property
    def join_files(self) -> list[Path]:
        """The ``cgroup.procs`` files a process writes its pid into to join."""
        return [d / "cgroup.procs" for d in self.dirs]

    def breach(self) -> str | None:
        """``"memory"`` or ``"processes"`` when a limit was hit, else ``None``."""
        if self.level == "cgroup-v2":
            events = _read(self.dirs[0] / "memory.events")
            if _field(events, "oom_kill") or _field(events, "oom"):
                return "memory"
            if _field(_read(self.dirs[0] / "pids.events"), "max"):
                return "processes"
            return None
        memory, pids = self.dirs
        if _field(_read(memory / "memory.oom_control"), "oom_kill") or \
                _field(_read(memory / "memory.oom_control"), "under_oom"):
            return "memory"
        if _field(_read(pids / "pids.events"), "max"):
            return "processes"
        return None

    def pids(self) -> list[int]:
        """Every process in the cgroup (at v1 the pids hierarchy sees them all)."""
        return _procs(self.dirs[-1] / "cgroup.procs")

    def signal(self) -> bool:
        """SIGKILL every process of the cgroup once, without waiting; whether any was left."""
        kill_file = self.dirs[0] / "cgroup.kill"
        if self.level == "cgroup-v2" and kill_file.exists():
            with contextlib.suppress(OSError):
                _write(kill_file, "1")
        left = self.pids()
        for pid in left:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        return bool(left)

    def kill(self) -> None:
        """SIGKILL every process of the cgroup until none is left (a fork loop cannot win:
        a killed process forks no more, and the process cap bounds the rest).  Blocks for as
        long as that takes: call it from a worker thread."""
        for _ in range(400):
            if not self.signal():
                return
            time.sleep(0.005)

    def remove(self) -> None:
        """Kill what is left and remove the cgroup folders (never raises)."""
        _LIVE.pop(id(self), None)
        self.kill()
        for d in self.dirs:
            for _ in range(50):
                try:
                    d.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:  # the last processes are still exiting
                    time.sleep(0.01)


def _own_cgroups(text: str) -> dict[str, str]:
    """``{controller: path}`` from ``/proc/self/cgroup`` (v2's line under the key ``""``).

    Examples
    --------
    >>> _own_cgroups("4:memory:/a/b\\n8:pids:/\\n0::/user.slice\\n")
    {'memory': '/a/b', 'pids': '/', '': '/user.slice'}
    """
    found = {}
    for line in text.splitlines():
        parts = line.split(":", 2)
        if len(parts) == 3:
            for controller in parts[1].split(",") if parts[1] else [""]:
                found[controller] = parts[2]
    return found


def _cgroup_mounts(text: str) -> dict[str, Path]:
    """``{controller: mount point}`` of cgroup file systems (``"cgroup2"`` for the v2 one).

    Examples
    --------
    >>> _cgroup_mounts("cgroup /sys/fs/cgroup/memory cgroup rw,memory 0 0\\n"
    ...                "cgroup2 /sys/fs/cgroup/unified cgroup2 rw 0 0\\n")
    {'memory': PosixPath('/sys/fs/cgroup/memory'), 'cgroup2': PosixPath('/sys/fs/cgroup/unified')}
    """
    found: dict[str, Path] = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) < 4:
            continue
        if parts[2] == "cgroup2":
            found.setdefault("cgroup2", Path(parts[1]))
        elif parts[2] == "cgroup":
            for option in parts[3].split(","):
                if option in ("memory", "pids"):
                    found.setdefault(option, Path(parts[1]))
    return found


def _inside(mount: Path, path: str) -> Path:
    return mount / path.lstrip("/")


def _v1_parents(own: dict[str, str], mounts: dict[str, Path]) -> list[Path] | None:
    if os.geteuid() != 0 or "memory" not in mounts or "pids" not in mounts:
        return None
    parents = [_inside(mounts[c], own.get(c, "/")) for c in ("memory", "pids")]
    if all(p.is_dir() and os.access(p, os.W_OK) for p in parents):
        return parents
    return None


def _v2_parent(own: dict[str, str], mounts: dict[str, Path]) -> Path | None:
    """A delegated v2 cgroup whose children can get memory and pids limits (or ``None``).

    Our own cgroup holds the grader, and a cgroup with processes cannot give controllers to
    children; so the grader first moves into a leaf of its own (``course-grader-<pid>``),
    then enables ``memory`` and ``pids`` for the children of its former cgroup.
    """
    if "cgroup2" not in mounts or "" not in own:
        return None
    parent = _inside(mounts["cgroup2"], own[""])
    wanted = {"memory", "pids"}
    if not wanted <= set(_read(parent / "cgroup.controllers").split()):
        return None
    if not os.access(parent, os.W_OK) or not os.access(parent / "cgroup.subtree_control",
                                                      os.W_OK):
        return None
    if wanted <= set(_read(parent / "cgroup.subtree_control").split()):
        return parent
    try:
        leaf = parent / f"course-grader-{os.getpid()}"
        leaf.mkdir(exist_ok=True)
        _write(leaf / "cgroup.procs", str(os.getpid()))
        _write(parent / "cgroup.subtree_control", "+memory +pids")
    except OSError:
        return None
    return parent


@functools.lru_cache(maxsize=1)
def _parents() -> tuple[str, tuple[Path, ...]]:
    """The best cgroup level here and the parent folder(s) to create cgroups in (cached)."""
    own = _own_cgroups(_read(Path("/proc/self/cgroup")))
    mounts = _cgroup_mounts(_read(Path("/proc/self/mounts")))
    v2 = _v2_parent(own, mounts)
    if v2 is not None:
        return "cgroup-v2", (v2,)
    v1 = _v1_parents(own, mounts)
    if v1 is not None and _try_v1(v1):
        return "cgroup-v1", tuple(v1)
    return "rlimit", ()


def _try_v1(parents: list[Path]) -> bool:
    """Whether a v1 cgroup can be made, limited and removed here."""
    probe = _Cgroup("cgroup-v1", [p / f"{_PREFIX}probe-{os.getpid()}" for p in parents],
                    Limits())
    try:
        for d in probe.dirs:
            d.mkdir(exist_ok=True)
        _write(probe.dirs[0] / "memory.limit_in_bytes", str(256 << 20))
        _write(probe.dirs[1] / "pids.max", "16")
        return True
    except OSError:
        return False
    finally:
        probe.remove()


def _remove_stale(parents: Iterable[Path]) -> None:
    """Remove empty cgroups left by a grader that died (``course-grade-<pid>-...``)."""
    for parent in parents:
        for child in parent.glob(f"{_PREFIX}*"):
            pid = child.name[len(_PREFIX):].split("-", 1)[0]
            if pid.isdigit() and not Path(f"/proc/{pid}").exists():
                with contextlib.suppress(OSError):
                    child.rmdir()


def limit_level(mode: str = "auto") -> str:
    """The level limits are enforced at: the best here (``"auto"``), or the one asked for.

    Raises
    ------
    ValueError
        An unknown mode, or a cgroup level this machine does not allow (one line).
    """
    if mode not in ("auto", *LIMIT_LEVELS):
        raise ValueError(f"limit level must be 'auto' or one of {list(LIMIT_LEVELS)}, "
                         f"got {mode!r}")
    best = _parents()[0]
    if mode == "auto":
        return best
    if mode != "rlimit" and mode != best:
        raise ValueError(f"limit level {mode!r} is not available here (best: {best!r}); "
                         "see README 'Grading sandbox'")
    return mode


def _make_cgroup(level: str, limits: Limits) -> _Cgroup:
    parents = _parents()[1]
    _remove_stale(parents)
    name = f"{_PREFIX}{os.getpid()}-{next(_counter)}-{secrets.token_hex(3)}"
    group = _Cgroup(level, [p / name for p in parents], limits)
    memory = limits.memory_mb << 20 if limits.memory_mb else None
    try:
        for d in group.dirs:
            d.mkdir()
        if level == "cgroup-v2":
            d = group.dirs[0]
            _write(d / "pids.max", str(limits.max_processes))
            if memory:
                _write(d / "memory.max", str(memory))
                if (d / "memory.swap.max").exists():
                    _write(d / "memory.swap.max", "0")
        else:
            memory_dir, pids_dir = group.dirs
            _write(pids_dir / "pids.max", str(limits.max_processes))
            if memory:
                _write(memory_dir / "memory.limit_in_bytes", str(memory))
                if (memory_dir / "memory.memsw.limit_in_bytes").exists():
                    _write(memory_dir / "memory.memsw.limit_in_bytes", str(memory))
    except OSError:
        group.remove()
        raise
    _remove_at_exit()
    _LIVE[id(group)] = group
    return group


@functools.cache
def _remove_at_exit() -> None:
    """Empty and remove this process's cgroups when it exits (registered once)."""
    atexit.register(lambda: [group.remove() for group in list(_LIVE.values())])


def join_prefix(files: list[Path]) -> list[str]:
    """A command prefix that moves the process into the cgroups (``cgroup.procs`` files), then
    runs the rest of the command: every process it starts is inside from its first
    instruction.

    Examples
    --------
    >>> join_prefix([Path("/cg/a/cgroup.procs")])[:2]
    ['/bin/sh', '-c']
    """
    script = ('n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 126; shift; '
              'n=$((n - 1)); done; exec "$@"')
    return ["/bin/sh", "-c", script, "course-cgroup", str(len(files)), *map(str, files)]


# ----------------------------------------------------------------------------- process trees
def _children(pid: int) -> list[int]:
    kids: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        kids += [int(k) for k in _read(task / "children").split()]
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
    return _field(_read(Path(f"/proc/{pid}/status")).replace(":", ""), "Threads")


def _pss_bytes(pid: int) -> int:
    rollup = _read(Path(f"/proc/{pid}/smaps_rollup"))
    kib = _field(rollup.replace(":", "").replace(" kB", ""), "Pss") or \
        _field(_read(Path(f"/proc/{pid}/status")).replace(":", "").replace(" kB", ""), "VmRSS")
    return kib << 10


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
    cgroup: _Cgroup | None = None
    root_pid: int | None = None
    breach: str | None = None
    _task: asyncio.Task | None = field(default=None, repr=False)
    _sandbox_pid: int | None = field(default=None, repr=False)

    @classmethod
    def create(cls, limits: Limits, *, mode: str = "auto", sandboxed: bool = False,
               workdir: Path | None = None, conn_dir: Path | None = None) -> Containment:
        """Prepare the limits of one submission (its cgroup, at the cgroup levels).

        ``workdir`` is watched when it is a folder outside the sandbox; ``conn_dir`` always.
        """
        level = limit_level(mode)
        group = _make_cgroup(level, limits) if level != "rlimit" else None
        return cls(level, limits, sandboxed, workdir, conn_dir, group)

    @property
    def prefix(self) -> list[str]:
        """Command prefix that puts the kernel into its cgroup (empty at ``rlimit``)."""
        return join_prefix(self.cgroup.join_files) if self.cgroup is not None else []

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
            self.breach = self._measure()
            if self.breach is not None:
                self.kill()
        return self.breach

    def _measure(self) -> str | None:
        if self.cgroup is not None:  # the kernel enforces; its events say what was hit
            return self.cgroup.breach() or self._disk_breach(self.cgroup.pids())
        pids = process_tree(self.root_pid) if self.root_pid else []
        return self._tree_breach(pids) or self._disk_breach(pids)

    def _tree_breach(self, pids: list[int]) -> str | None:
        if sum(_threads(p) for p in pids) >= self.limits.max_processes:
            return "processes"
        memory = self.limits.memory_mb << 20
        if memory and sum(_pss_bytes(p) for p in pids) > memory:
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
