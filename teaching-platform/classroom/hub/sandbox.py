"""Each student's single-user server in a bubblewrap sandbox of its own (``course hub``).

What a student's server and kernels see (an allowlist, as for a graded kernel):

- read-only: the system folders, the Python installation and environment and ``course_lib``
  (:func:`classroom.grading.sandbox.read_only_paths`, the one list of what a kernel may read),
  the course's JupyterLab extension and setting defaults, and the released course at
  :data:`RELEASE_MOUNT`;
- read-write: their own home only, mounted at ``/home/<name>``;
- a private ``/tmp`` and ``/dev/shm`` of bounded size; the sandbox's own root and ``/dev`` are
  read-only;
- their own PID, IPC and UTS namespaces (no other process, and no other environment, is
  visible), and the allowlisted environment of :func:`server_environment` (their own hub token,
  never the instructor's).

The network is shared: a server must reach the hub's API on 127.0.0.1 and the proxy must reach
the server. Every listening service there asks for a token (the hub, the proxy's API, each
student's server), and kernels talk to their server over IPC sockets in the sandbox's private
``/tmp`` (``--KernelManager.transport=ipc``, :data:`RUNTIME_DIR`), so no kernel port is open
on loopback.

Who the student is to the kernel: when the hub runs as root, every student gets a user id of
their own (:mod:`classroom.hub.uids`), so the kernel of Linux separates students as well;
otherwise every sandbox runs as the hub's user inside a user namespace of its own that cannot
create further ones (``--disable-userns``). Limits (:class:`StudentLimits`): the student's
memory and processes together (a cgroup, see :mod:`classroom.hub.spawner`), and inside the
sandbox, applied by ``_enter.py``, processes and threads (``RLIMIT_NPROC``, counted per user
id, or per user namespace), address space per process, no core files.

Examples
--------
>>> box = StudentBox("ann", Path("/srv/hub/homes/ann"), uid=61001)
>>> cmd = sandbox_command(box, ["jupyterhub-singleuser"], bwrap="bwrap")
>>> cmd[0], cmd[-1], "--unshare-pid" in cmd, "--unshare-net" in cmd
('bwrap', 'jupyterhub-singleuser', True, False)
>>> cmd[cmd.index("--bind") + 1:cmd.index("--bind") + 3]
['/srv/hub/homes/ann', '/home/ann']
>>> cmd[cmd.index("--uid") + 1]
'61001'
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from classroom.grading.sandbox import read_only_paths

__all__ = ["ENTER", "GITCONFIG", "HOME_ROOT", "RELEASE_MOUNT", "RUNTIME_DIR", "SERVER_VARIABLES",
           "StudentBox", "StudentLimits", "hub_runs_as_root", "sandbox_command",
           "server_environment", "server_home", "why_no_sandbox"]

#: The launcher run inside the sandbox (limits, then the student's own user id, then exec).
ENTER = Path(__file__).resolve().with_name("_enter.py")
#: Git's system configuration in a sandbox: the release, owned by the hub's user, is safe.
GITCONFIG = Path(__file__).resolve().with_name("release.gitconfig")
#: Where homes are mounted inside a sandbox: ``/home/<name>``.
HOME_ROOT = "/home"
#: Where the released course (a git repository) is mounted, read-only, in every sandbox.
RELEASE_MOUNT = "/srv/course/release"
#: What JupyterHub gives a single-user server that the server needs (JupyterHub 5-6,
#: ``Spawner.get_env``); anything else of the hub's environment stays out.
SERVER_VARIABLES = frozenset({
    "JUPYTERHUB_API_TOKEN", "JPY_API_TOKEN", "JUPYTERHUB_CLIENT_ID", "JUPYTERHUB_COOKIE_OPTIONS",
    "JUPYTERHUB_COOKIE_HOST_PREFIX_ENABLED", "JUPYTERHUB_HOST", "JUPYTERHUB_OAUTH_CALLBACK_URL",
    "JUPYTERHUB_OAUTH_SCOPES", "JUPYTERHUB_OAUTH_ACCESS_SCOPES",
    "JUPYTERHUB_OAUTH_CLIENT_ALLOWED_SCOPES", "JUPYTERHUB_USER", "JUPYTERHUB_SERVER_NAME",
    "JUPYTERHUB_API_URL", "JUPYTERHUB_ACTIVITY_URL", "JUPYTERHUB_BASE_URL",
    "JUPYTERHUB_SERVICE_PREFIX", "JUPYTERHUB_SERVICE_URL", "JUPYTERHUB_PUBLIC_URL",
    "JUPYTERHUB_PUBLIC_HUB_URL", "JUPYTERHUB_ROOT_DIR", "JUPYTERHUB_DEFAULT_URL",
    "JUPYTERHUB_DEBUG", "JUPYTERHUB_DISABLE_USER_CONFIG", "JUPYTERHUB_SINGLEUSER_APP",
    "JUPYTERHUB_ACTIVITY_INTERVAL", "MEM_LIMIT", "MEM_GUARANTEE", "CPU_LIMIT", "CPU_GUARANTEE",
})
#: The server's runtime folder (connection files, kernels' IPC sockets): the private /tmp.
RUNTIME_DIR = "/tmp/jupyter-runtime"
_MB = 1024 * 1024


@dataclass(frozen=True)
class StudentLimits:
    """Per-student limits.

    Parameters
    ----------
    tasks : int
        Processes and threads of one student together (a server and a few kernels use about
        60; a fork loop stops here).
    memory_mb : int
        Memory of one student's processes together, in MiB (see
        :mod:`classroom.hub.spawner`); each process may also address at most twice that.
    tmp_mb : int
        Size of the private ``/tmp`` and of ``/dev/shm`` each, in MiB (they live in memory).

    Examples
    --------
    >>> StudentLimits(tasks=10)
    Traceback (most recent call last):
    ...
    ValueError: tasks must be an integer in [32, 65536], got 10
    """

    tasks: int = 256
    memory_mb: int = 2048
    tmp_mb: int = 256

    def __post_init__(self) -> None:
        for name, low, high in (("tasks", 32, 65536), ("memory_mb", 512, 1 << 20),
                                ("tmp_mb", 16, 1 << 20)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise ValueError(f"{name} must be an integer in [{low}, {high}], got {value!r}")


@dataclass(frozen=True)
class StudentBox:
    """One student's sandbox: their name, home on this machine, user id and what they read.

    ``uid`` is the student's own user id when the hub runs as root (``None``: the hub's user,
    in a user namespace). ``read_only`` adds host folders bound read-only at their own path
    (the lab extension, the lab settings); ``release`` is mounted at :data:`RELEASE_MOUNT`.
    """

    name: str
    home: Path
    uid: int | None = None
    read_only: tuple[str, ...] = ()
    release: Path | None = None
    limits: StudentLimits = field(default_factory=StudentLimits)


def server_home(name: str) -> str:
    """A student's home inside their sandbox.

    Examples
    --------
    >>> server_home("ann")
    '/home/ann'
    """
    return f"{HOME_ROOT}/{name}"


@functools.lru_cache(maxsize=8)
def _bwrap_offers(bwrap: str, option: str) -> bool:
    """Whether this ``bwrap`` has ``option`` (``--size`` and ``--disable-userns``: 0.8+)."""
    try:
        done = subprocess.run([bwrap, "--help"], capture_output=True, text=True, timeout=10,
                              check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return option in done.stdout + done.stderr


def _parents(paths: Sequence[str]) -> list[str]:
    """Every proper ancestor of ``paths`` (shortest first), each once, ``/`` left out."""
    seen: dict[str, None] = {}
    for path in paths:
        for parent in reversed(PurePosixPath(path).parents):
            if str(parent) != "/":
                seen.setdefault(str(parent), None)
    return [p for p in seen if p not in paths]


def _mounts(box: StudentBox) -> list[tuple[str, str, str]]:
    """(bwrap option, host path, sandbox path) of every bind mount, in mount order."""
    extra = [str(Path(p).resolve()) for p in box.read_only]
    binds = [("--ro-bind", p, p) for p in dict.fromkeys([*read_only_paths(), str(ENTER),
                                                          str(GITCONFIG), *extra])]
    if box.release is not None:
        binds.append(("--ro-bind", str(Path(box.release).resolve()), RELEASE_MOUNT))
    binds.append(("--bind", str(Path(box.home).resolve()), server_home(box.name)))
    return binds


def sandbox_command(box: StudentBox, command: Sequence[str], *, bwrap: str | None = None,
                    python: str = sys.executable) -> list[str]:
    """The full command that runs ``command`` (a single-user server) in ``box``'s sandbox.

    Mount order matters in bwrap: the private ``/tmp`` comes first (an environment under
    ``/tmp`` is bound on top of it), every folder bwrap would create on the way to a mount
    point is made first with mode 0755 (else it is 0700 to root and a student's user id
    cannot pass), and the sandbox's root and ``/dev`` are made read-only last.
    """
    limits = box.limits
    bwrap = bwrap or shutil.which("bwrap") or "bwrap"
    # bubblewrap before 0.8 cannot bound a tmpfs; the student's memory cap still counts it
    size = ["--size", str(limits.tmp_mb * _MB)] if _bwrap_offers(bwrap, "--size") else []
    mounts = _mounts(box)
    args = [bwrap, "--perms", "1777", *size, "--tmpfs", "/tmp"]
    for parent in _parents([target for _, _, target in mounts]):
        args += ["--perms", "0755", "--dir", parent]
    for option, source, target in mounts:
        args += [option, source, target]
    args += ["--dev", "/dev", "--perms", "1777", *size, "--tmpfs", "/dev/shm",
             "--proc", "/proc", "--remount-ro", "/dev", "--remount-ro", "/",
             "--chdir", server_home(box.name),
             "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
             "--die-with-parent", "--new-session"]
    if box.uid is None:  # the hub's own user: a user namespace that cannot nest another
        nest = ["--disable-userns"] if _bwrap_offers(bwrap, "--disable-userns") else []
        args += ["--unshare-user", *nest]
    enter = [python, str(ENTER), "--tasks", str(limits.tasks),
             "--memory-mb", str(2 * limits.memory_mb)]
    if box.uid is not None:
        enter += ["--uid", str(box.uid)]
    return [*args, *enter, "--", *command]


def server_environment(given: Mapping[str, str], name: str, *, path: str | None = None,
                       jupyter_path: str | None = None) -> dict[str, str]:
    """The allowlisted environment of a student's server (and so of their kernels).

    Only :data:`SERVER_VARIABLES` pass from what JupyterHub prepared (the student's own,
    user-scoped API token among them); home, user, shell, locale and a ``PATH`` of the Python
    environment and the system folders are set here. Nothing else of the hub's environment
    (the instructor's token, the proxy's token, cloud keys) reaches the sandbox.

    Examples
    --------
    >>> env = server_environment({"JUPYTERHUB_API_TOKEN": "t", "COURSE_HUB_TOKEN": "x",
    ...                           "JUPYTERHUB_CRYPT_KEY": "k"}, "ann", path="/venv/bin")
    >>> sorted(env)
    ['GIT_CONFIG_SYSTEM', 'HOME', 'JUPYTERHUB_API_TOKEN', 'JUPYTER_RUNTIME_DIR', 'LANG', 'PATH',
     'SHELL', 'USER']
    >>> env["PATH"], env["HOME"]
    ('/venv/bin:/usr/local/bin:/usr/bin:/bin', '/home/ann')
    """
    env = {k: v for k, v in given.items() if k in SERVER_VARIABLES}
    bin_dir = path or str(Path(sys.executable).parent)
    env.update({"HOME": server_home(name), "USER": name, "SHELL": "/bin/bash",
                "LANG": "C.UTF-8", "PATH": f"{bin_dir}:/usr/local/bin:/usr/bin:/bin",
                # kernels' IPC sockets live here: a short path (sockets allow 107 bytes)
                "JUPYTER_RUNTIME_DIR": RUNTIME_DIR,
                # nbgitpuller's git may read the release, which the student does not own
                "GIT_CONFIG_SYSTEM": str(GITCONFIG)})
    if jupyter_path:  # the hub's kernel spec (classroom.hub.kernelspec)
        env["JUPYTER_PATH"] = jupyter_path
    return env


def hub_runs_as_root() -> bool:
    """Whether this process is root (students then get user ids of their own).

    Examples
    --------
    >>> isinstance(hub_runs_as_root(), bool)
    True
    """
    return hasattr(os, "geteuid") and os.geteuid() == 0


_PROBE = """
import os, sys
home = os.environ["HOME"]
open(os.path.join(home, "probe"), "w").write("1")
seen = os.path.exists(sys.argv[1])
others = [p for p in os.listdir("/proc") if p.isdigit() and int(p) > 3]
sys.exit(0 if not seen and len(others) < 3 and os.getuid() != 0 else 1)
"""


@functools.lru_cache(maxsize=1)
def why_no_sandbox() -> str | None:
    """Why a student's server cannot be sandboxed here (``None``: it can; tried once).

    Runs :data:`_PROBE` in a sandbox exactly as a server would be started: it must write its
    home, not see a file beside it, not see other processes and not be root.

    Examples
    --------
    >>> why_no_sandbox() is None or "bwrap" in why_no_sandbox()
    True
    """
    if not sys.platform.startswith("linux"):
        return "bwrap (bubblewrap) sandboxes need Linux"
    if shutil.which("bwrap") is None:
        return "bwrap (bubblewrap) is not installed (Debian/Ubuntu: apt-get install bubblewrap)"
    with tempfile.TemporaryDirectory() as top:
        home, secret = Path(top, "home"), Path(top, "secret")
        home.mkdir()
        secret.write_text("x")
        uid = 65534 if hub_runs_as_root() else None
        if uid is not None:
            os.chown(home, uid, uid)
        box = StudentBox("probe", home, uid=uid)
        command = sandbox_command(box, [sys.executable, "-c", _PROBE, str(secret)])
        try:
            done = subprocess.run(command, env=server_environment({}, "probe"), timeout=30,
                                  capture_output=True, text=True, check=False)
        except (OSError, subprocess.SubprocessError) as exc:
            return f"bwrap could not start a sandbox: {exc}"
        if done.returncode != 0 or not (home / "probe").exists():
            reason = (done.stderr.strip().splitlines() or ["the probe saw too much"])[-1]
            return f"bwrap is installed but cannot isolate a server here: {reason}"
    return None
