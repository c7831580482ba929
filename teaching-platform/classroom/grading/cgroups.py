"""Cgroups for graded submissions: which kind the machine allows, making, reading, emptying.

A submission's processes run in a cgroup of their own, so its memory (files in its tmpfs
mounts included) and its processes are limited together (see
:mod:`classroom.grading.containment` for what else holds the limits):

- ``"cgroup-v2"``: ``memory.max`` with swap off and ``pids.max``, under a delegated cgroup v2
  tree (for instance ``systemd-run --user --scope -p Delegate=yes course grade ...``);
- ``"cgroup-v1"``: ``memory.limit_in_bytes`` (and ``memory.memsw.limit_in_bytes``) and
  ``pids.max`` in the v1 ``memory`` and ``pids`` hierarchies, below the grader's own cgroups
  (needs root);
- ``"rlimit"``: neither is allowed here.

Examples
--------
>>> level = limit_level()
>>> level in LIMIT_LEVELS
True
>>> limit_level("rlimit")
'rlimit'
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import itertools
import os
import secrets
import signal
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from classroom.grading.limits import Limits

__all__ = ["LIMIT_LEVELS", "Cgroup", "field_number", "join_prefix", "limit_level", "make_cgroup",
           "parents", "text_of"]

LIMIT_LEVELS = ("cgroup-v2", "cgroup-v1", "rlimit")
_PREFIX = "course-grade-"
_counter = itertools.count()


def text_of(path: Path) -> str:
    """The text of a kernel file (cgroup, ``/proc``), or ``""`` when it cannot be read."""
    try:
        return path.read_text()
    except OSError:
        return ""


def field_number(text: str, key: str) -> int:
    """The number after ``key`` in a flat-keyed cgroup file (``"oom_kill 2"``), else 0."""
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == key and parts[1].isdigit():
            return int(parts[1])
    return 0


def _write(path: Path, value: str) -> None:
    path.write_text(value)


def _procs(path: Path) -> list[int]:
    return [int(p) for p in text_of(path).split() if p.isdigit()]


@dataclass
class Cgroup:
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
            events = text_of(self.dirs[0] / "memory.events")
            if field_number(events, "oom_kill") or field_number(events, "oom"):
                return "memory"
            if field_number(text_of(self.dirs[0] / "pids.events"), "max"):
                return "processes"
            return None
        memory, pids = self.dirs
        if field_number(text_of(memory / "memory.oom_control"), "oom_kill") or \
                field_number(text_of(memory / "memory.oom_control"), "under_oom"):
            return "memory"
        if field_number(text_of(pids / "pids.events"), "max"):
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


#: cgroups of this process not yet removed (emptied and removed at exit, should a batch stop
#: before its kernels are shut down)
_LIVE: dict[int, Cgroup] = {}


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
    if not wanted <= set(text_of(parent / "cgroup.controllers").split()):
        return None
    if not os.access(parent, os.W_OK) or not os.access(parent / "cgroup.subtree_control",
                                                      os.W_OK):
        return None
    if wanted <= set(text_of(parent / "cgroup.subtree_control").split()):
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
def parents() -> tuple[str, tuple[Path, ...]]:
    """The best cgroup level here and the parent folder(s) to create cgroups in (cached)."""
    own = _own_cgroups(text_of(Path("/proc/self/cgroup")))
    mounts = _cgroup_mounts(text_of(Path("/proc/self/mounts")))
    v2 = _v2_parent(own, mounts)
    if v2 is not None:
        return "cgroup-v2", (v2,)
    v1 = _v1_parents(own, mounts)
    if v1 is not None and _try_v1(v1):
        return "cgroup-v1", tuple(v1)
    return "rlimit", ()


def _try_v1(parents: list[Path]) -> bool:
    """Whether a v1 cgroup can be made, limited and removed here."""
    probe = Cgroup("cgroup-v1", [p / f"{_PREFIX}probe-{os.getpid()}" for p in parents],
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
    best = parents()[0]
    if mode == "auto":
        return best
    if mode != "rlimit" and mode != best:
        raise ValueError(f"limit level {mode!r} is not available here (best: {best!r}); "
                         "see README 'Grading sandbox'")
    return mode


def make_cgroup(level: str, limits: Limits) -> Cgroup:
    """A new cgroup at ``level`` with the memory and process limits of ``limits``.

    Raises
    ------
    OSError
        When the machine refuses (the cgroup is then removed again).
    """
    folders = parents()[1]
    _remove_stale(folders)
    name = f"{_PREFIX}{os.getpid()}-{next(_counter)}-{secrets.token_hex(3)}"
    group = Cgroup(level, [p / name for p in folders], limits)
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
