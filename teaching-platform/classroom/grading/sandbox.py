"""Allowlist sandbox for graded kernels (bubblewrap), and which isolation level works here.

Levels, best first:

- ``"sandbox"``: the kernel runs under ``bwrap`` and sees only read-only system
  folders, the Python installation, the venv and the ``course_lib`` source, its
  own writable work folder (at ``/home/student``, seeded with a copy of the
  submission and the warmed-up home), the folder holding its connection file and
  IPC sockets, and a private empty ``/tmp``. The work folder, ``/tmp`` and
  ``/dev/shm`` are tmpfs mounts of at most ``disk_mb`` each; the rest of the tree
  (bwrap's own root, where it makes the mount points, and ``/dev``) is read-only.
  All namespaces are unshared (no network, own PIDs), no capability is left, and
  every process of a submission ends with its kernel.  Kernels are forked by a kernel
  parent that runs in this sandbox (:mod:`classroom.grading.parent`); each child then
  enters namespaces and folders of its own before the submission runs.
- ``"mount-namespace"``: a private mount namespace hiding given folders (denylist), and a
  PID namespace of each kernel's own.
- ``"none"``: a plain child process.

Examples
--------
>>> args = bwrap_args("/tmp/w", "/tmp/c", bwrap="bwrap")
>>> args[0], "--unshare-all" in args, "--die-with-parent" in args
('bwrap', True, True)
>>> args.index("--tmpfs") < args.index("/tmp/c")
True
>>> args[-3:]
['--remount-ro', '/', '--new-session']
>>> "--cap-add" in bwrap_args(None, "/tmp/c", bwrap="bwrap", parent=True)
True
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import course_lib

__all__ = [
    "KERNEL_ISOLATION",
    "KERNEL_PARENT",
    "LEVELS",
    "SANDBOX_HOME",
    "SEEDS",
    "best_level",
    "bwrap_args",
    "choose_level",
    "mount_namespace_works",
    "home_template",
    "read_only_paths",
    "sandbox_works",
    "self_test_request",
    "seed_home",
    "unshare_prefix",
]

LEVELS = ("sandbox", "mount-namespace", "none")
SANDBOX_HOME = "/home/student"
_SEED_HOME = "/home/.course-seed/home"
_SEED_WORK = "/home/.course-seed/work"
#: Read-only folders copied into a kernel's empty work folder: the warmed-up home template
#: and (for a cold kernel) the submission's folder.
SEEDS = (_SEED_HOME, _SEED_WORK)
#: The script that imports the course's libraries once and forks every kernel.
KERNEL_PARENT = Path(__file__).with_name("_kernel_parent.py")
#: The module the kernel parent imports from beside it (system calls and namespaces).
KERNEL_ISOLATION = Path(__file__).with_name("_kernel_isolation.py")
#: What the kernel parent may do in its sandbox and no kernel keeps: make each child's
#: namespaces and mounts (see ``_kernel_parent.py``).
_PARENT_CAPS = ("CAP_SYS_ADMIN", "CAP_NET_ADMIN")
_SYSTEM = ("/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc", "/var/cache/fontconfig")
#: What a fresh kernel home needs and would otherwise rebuild on every start (about 0.2 s):
#: matplotlib's font list, fontconfig's cache and IPython's default profile.
_WARM_UP = (
    "import matplotlib.font_manager\n"
    "from IPython.core.profiledir import ProfileDir\n"
    "from IPython.paths import get_ipython_dir\n"
    "ProfileDir.create_profile_dir_by_name(get_ipython_dir(), 'default')\n"
)


def read_only_paths() -> list[str]:
    """What the sandboxed kernel may read: system, Python, venv, ``course_lib``, the parent script.

    The kernel imports ``course_lib`` only; of the platform it sees just the kernel parent's
    script (:data:`KERNEL_PARENT`, and :data:`KERNEL_ISOLATION` it imports), never the rest of
    ``classroom``.

    Examples
    --------
    >>> str(Path(sys.prefix).resolve()) in read_only_paths()
    True
    """
    package = Path(course_lib.__file__).resolve().parent
    seen = [p for p in _SYSTEM if Path(p).exists()]
    for p in (sys.base_prefix, sys.prefix, str(package), str(KERNEL_PARENT),
              str(KERNEL_ISOLATION)):
        real = str(Path(p).resolve())
        if Path(real).exists() and real not in seen:
            seen.append(real)
    return seen


@functools.lru_cache(maxsize=4)
def _supports_size(bwrap: str) -> bool:
    """Whether this ``bwrap`` bounds a tmpfs (``--size``, bubblewrap 0.8 and later)."""
    try:
        done = subprocess.run([bwrap, "--help"], capture_output=True, text=True, timeout=10,
                              check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return "--size" in done.stdout + done.stderr


def bwrap_args(workdir: str | Path | None, conn_dir: str | Path, *, bwrap: str | None = None,
               disk_mb: int = 256, home_seed: str | Path | None = None,
               bind_home: bool = False, parent: bool = False) -> list[str]:
    """The ``bwrap`` command prefix for one kernel (allowlist; ``--tmpfs /tmp`` before binds).

    Parameters
    ----------
    workdir : path or None
        The submission's folder. It is bound read-only as a seed of the work folder, a tmpfs
        at ``/home/student`` (see :data:`SEEDS`); with ``bind_home`` it is bound writable at
        ``/home/student`` instead (trusted code only: the home template is built so).
        ``None`` for the kernel parent, whose kernels get their work through ``conn_dir``.
    conn_dir : path
        Folder of the connection file and IPC sockets, bound at the same path.
    bwrap : str, optional
        The ``bwrap`` executable (found on ``PATH`` by default).
    disk_mb : int
        Size of each tmpfs (``/tmp``, ``/dev/shm``, the work folder), where bwrap supports
        ``--size`` (the watchdog measures them anyway, see
        :mod:`classroom.grading.containment`).
    home_seed : path, optional
        The warmed-up home template, bound read-only as the other seed.
    parent : bool
        For the kernel parent: it keeps the capabilities to make each kernel's namespaces
        and mounts (:data:`_PARENT_CAPS`), which every kernel drops before it runs.

    Examples
    --------
    >>> "/home/student" in bwrap_args("/tmp/w", "/tmp/c", bwrap="bwrap")
    True
    """
    bwrap = bwrap or shutil.which("bwrap") or "bwrap"
    size = ["--size", str(disk_mb << 20)] if _supports_size(bwrap) else []
    # the private /tmp comes first: a venv or checkout under /tmp is then bound on top of it
    args = [bwrap, *size, "--tmpfs", "/tmp"]
    for path in read_only_paths():
        args += ["--ro-bind", path, path]
    args += ["--dev", "/dev", *size, "--tmpfs", "/dev/shm", "--proc", "/proc"]
    conn = str(Path(conn_dir).resolve())
    args += ["--bind", conn, conn]
    if bind_home and workdir is not None:
        args += ["--bind", str(Path(workdir).resolve()), SANDBOX_HOME]
    else:
        args += [*size, "--tmpfs", SANDBOX_HOME]
        if workdir is not None:
            args += ["--ro-bind", str(Path(workdir).resolve()), _SEED_WORK]
        if home_seed is not None:
            args += ["--ro-bind", str(Path(home_seed).resolve()), _SEED_HOME]
    args += ["--chdir", SANDBOX_HOME, "--setenv", "HOME", SANDBOX_HOME, "--unsetenv", "TMPDIR"]
    # the kernel's parent inside the PID namespace is bwrap (PID 1): ipykernel's parent
    # poller would take that for a dead parent; --die-with-parent does its job instead
    args += ["--unsetenv", "JPY_PARENT_PID"]
    if parent:
        args += [a for cap in _PARENT_CAPS for a in ("--cap-add", cap)]
    # bwrap's own root (a tmpfs holding the mount points it made, e.g. /home) and /dev are
    # writable and unbounded unless remounted: read-only once every mount is in place
    args += ["--unshare-all", "--die-with-parent", "--remount-ro", "/dev", "--remount-ro", "/",
             "--new-session"]
    return args


@functools.lru_cache(maxsize=1)
def home_template() -> Path | None:
    """A warmed-up kernel home (caches and IPython profile), built once per process.

    Built by trusted code only (no submission runs in it), inside the sandbox where it works
    (so the caches match the paths a kernel sees; the system paths are the same outside), else
    by a plain process with the kernel's environment; :func:`seed_home` copies it into each
    work folder, so no submission can change another's copy. ``None`` when the warm-up fails
    (kernels then build their caches themselves). Removed at exit.

    Examples
    --------
    >>> template = home_template()
    >>> template is None or (template / ".ipython" / "profile_default").is_dir()
    True
    """
    home = Path(tempfile.mkdtemp(prefix="course-home-"))
    atexit.register(shutil.rmtree, home, True)
    if sandbox_works():
        with tempfile.TemporaryDirectory() as conn:
            command = [*bwrap_args(home, conn, bind_home=True), "--setenv", "MPLBACKEND", "Agg",
                       sys.executable, "-c", _WARM_UP]
            return home if _runs(command) else None
    env = {"HOME": str(home), "MPLBACKEND": "Agg", "PATH": os.defpath}
    return home if _runs([sys.executable, "-c", _WARM_UP], env=env) else None


def seed_home(workdir: str | Path) -> bool:
    """Copy :func:`home_template` into ``workdir`` (never over the submission's own files).

    Returns whether a template was copied.

    Examples
    --------
    >>> with tempfile.TemporaryDirectory() as work:
    ...     seeded = seed_home(work)
    ...     seeded == (home_template() is not None)
    True
    """
    template = home_template()
    if template is None:
        return False
    for source in template.rglob("*"):
        target = Path(workdir) / source.relative_to(template)
        if source.is_dir():
            target.mkdir(exist_ok=True)
        elif not os.path.lexists(target):
            shutil.copy2(source, target)
    return True


def unshare_prefix(unshare: str | None = None) -> list[str]:
    """Command prefix for private mount and PID namespaces (``unshare -m -r -p -f``).

    The PID namespace gets its own ``/proc``: the kernel sees its own processes only, never
    the grader's (whose ``/proc/<pid>/environ`` holds the instructor's environment).
    ``--kill-child`` ends the namespace with ``unshare``, and ``setpriv --pdeathsig KILL``
    (util-linux, where installed) ends ``unshare`` with the grader, as bwrap's
    ``--die-with-parent`` does.

    Examples
    --------
    >>> prefix = unshare_prefix("unshare")
    >>> prefix[prefix.index("unshare") + 1], "--pid" in prefix
    ('--mount', True)
    """
    setpriv = shutil.which("setpriv")
    first = [setpriv, "--pdeathsig", "KILL"] if setpriv else []
    return [*first, unshare or shutil.which("unshare") or "unshare", "--mount",
            "--map-root-user", "--propagation", "private", "--pid", "--fork", "--mount-proc",
            "--kill-child"]


def _runs(cmd: list[str], env: dict[str, str] | None = None) -> bool:
    try:
        done = subprocess.run(cmd, capture_output=True, timeout=20, check=False, env=env)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def self_test_request(conn: str | Path, home: str, **checks: object) -> str:
    """A ``--self-test`` request for ``_kernel_parent.py`` (JSON): a child with the socket
    folder ``conn`` and home ``home`` that checks ``visible``, ``invisible`` and
    ``read_only`` paths once it is alone.

    Examples
    --------
    >>> json.loads(self_test_request("/tmp/c", "/h", visible=["/h/x"]))["visible"]
    ['/h/x']
    """
    return json.dumps({"conn": str(conn), "home": home, "disk_mb": 16, "env": {"HOME": home},
                       "rlimits": {}, "argv": [], "self_test": True, "seeds": [], **checks})


@functools.lru_cache(maxsize=1)
def sandbox_works() -> bool:
    """Whether kernels can be forked here in the sandbox with the allowlist (tried once).

    The kernel parent starts under ``bwrap`` and forks one child that enters its own
    namespaces and folders; the child checks that its work folder is writable and holds its
    seed, the package and the sandbox's root are not writable, a folder outside the
    allowlist and its siblings' folders are invisible, its ``/proc`` shows only itself and it
    holds no capability.

    Examples
    --------
    >>> isinstance(sandbox_works(), bool)
    True
    """
    bwrap = shutil.which("bwrap")
    if bwrap is None or not sys.platform.startswith("linux"):
        return False
    with tempfile.TemporaryDirectory(prefix="course-kernel-") as root, \
            tempfile.TemporaryDirectory() as outside:
        Path(outside, "secret.txt").write_text("x")
        work = Path(root, "0.seed")
        work.mkdir()
        (work / "seed.txt").write_text("seed")
        Path(root, "0").mkdir()
        pkg = Path(course_lib.__file__).resolve().parent
        request = self_test_request(
            Path(root, "0"), SANDBOX_HOME, seeds=[str(work)],
            visible=[f"{SANDBOX_HOME}/seed.txt"],
            invisible=[f"{outside}/secret.txt", str(work)], read_only=[str(pkg), "/"])
        return _runs([*bwrap_args(None, root, bwrap=bwrap, parent=True), sys.executable,
                      str(KERNEL_PARENT), "--level", "sandbox", "--self-test", request])


@functools.lru_cache(maxsize=1)
def mount_namespace_works() -> bool:
    """Whether kernels can be forked in a private mount namespace with hidden folders and a
    PID namespace of their own (tried once, cached).

    Examples
    --------
    >>> isinstance(mount_namespace_works(), bool)
    True
    """
    if shutil.which("unshare") is None or not sys.platform.startswith("linux"):
        return False
    with tempfile.TemporaryDirectory() as scratch, tempfile.TemporaryDirectory() as home:
        Path(scratch, "secret.txt").write_text("x")
        request = self_test_request(home, home, invisible=[f"{scratch}/secret.txt"])
        return _runs([*unshare_prefix(), sys.executable, str(KERNEL_PARENT), "--level",
                      "mount-namespace", "--hide", scratch, "--self-test", request])


def best_level() -> str:
    """The strongest isolation level that works here.

    Examples
    --------
    >>> best_level() in LEVELS
    True
    """
    if sandbox_works():
        return "sandbox"
    return "mount-namespace" if mount_namespace_works() else "none"


def choose_level(isolate: str) -> str:
    """Level for an ``isolate`` mode: ``"auto"`` (best), ``"require"`` (sandbox or fail), ``"off"``.

    Raises
    ------
    ValueError
        Unknown mode, or ``"require"`` where the sandbox does not work (one line).

    Examples
    --------
    >>> choose_level("off")
    'none'
    """
    if isolate not in ("auto", "require", "off"):
        raise ValueError(f"isolate must be one of 'auto', 'require', 'off', got {isolate!r}")
    if isolate == "off":
        return "none"
    level = best_level()
    if isolate == "require" and level != "sandbox":
        why = "bwrap is not installed" if shutil.which("bwrap") is None else \
            "bwrap is installed but cannot create a sandbox (user namespaces restricted?)"
        raise ValueError(f"isolate='require' but the grading sandbox is unavailable: {why}; "
                         "see README 'Grading sandbox'")
    return level
