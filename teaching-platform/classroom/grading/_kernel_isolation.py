"""Entering isolation, for the kernel parent's children (imported by ``_kernel_parent.py`` only).

System calls through libc (mount, unshare, prctl, capset), the folders a child gets (hidden
paths, the seeded home, fresh ``/proc``, ``/tmp`` and ``/dev/shm``), and :func:`isolated`, which
takes a forked child into new namespaces and returns in the process that becomes the kernel.
Like the parent script, it imports nothing but the standard library.
"""

import ctypes
import errno
import fcntl
import os
import shutil
import signal
import socket
import struct
import sys

CLONE_NEWNS = 0x00020000
CLONE_NEWCGROUP = 0x02000000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_BIND, MS_MOVE, MS_REC, MS_PRIVATE = 4096, 8192, 16384, 1 << 18
MNT_DETACH = 2
PR_SET_PDEATHSIG, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS = 1, 24, 38
PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 47, 4
_CAP_VERSION_3 = 0x20080522
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1
#: The namespaces every isolated child enters (the user namespace comes after the mounts).
NAMESPACES = (CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS
              | CLONE_NEWCGROUP)
HOME = "/home/student"
#: Subfolders of /proc that bwrap covers; they stop a fresh /proc from being mounted.
_PROC_COVERS = ("sys", "sysrq-trigger", "irq", "bus")
_libc = ctypes.CDLL(None, use_errno=True)


# ----------------------------------------------------------------------------- system calls
def _check(result, what):
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def mount(source, target, fstype, flags, data=None):
    _check(_libc.mount(source and os.fsencode(source), os.fsencode(target),
                       fstype and fstype.encode(), ctypes.c_ulong(flags),
                       data and data.encode()), f"mount {target}")


def prctl(option, arg):
    _check(_libc.prctl(option, ctypes.c_ulong(arg), 0, 0, 0), f"prctl {option}")


def unshare(flags):
    _check(_libc.unshare(flags), "unshare")


def drop_capabilities():
    """No capability left: effective, permitted, inheritable and ambient sets empty."""
    header = (ctypes.c_uint32 * 2)(_CAP_VERSION_3, 0)
    data = (ctypes.c_uint32 * 6)()
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL)
    _check(_libc.capset(header, data), "capset")


def empty_bounding_set(required=True):
    """Empty the bounding set (needs CAP_SETPCAP, held in a fresh user namespace; without it,
    and not ``required``, there is nothing to drop) and set ``no_new_privs``: no program run
    later can gain a capability."""
    last = int(open("/proc/sys/kernel/cap_last_cap").read())
    try:
        for cap in range(last + 1):
            prctl(PR_CAPBSET_DROP, cap)
    except OSError:
        if required:
            raise
    prctl(PR_SET_NO_NEW_PRIVS, 1)


# ----------------------------------------------------------------------------- folders
def hide(path):
    """Cover ``path`` with an empty read-only tmpfs (exit status 3 when that fails)."""
    try:
        mount("tmpfs", path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV, "size=4k,mode=0555")
    except OSError as exc:
        sys.stderr.write(f"course kernel parent: cannot hide {path}: {exc.strerror}\n")
        sys.exit(3)


def seed(folder, into="."):
    """Copy ``folder``'s entries into ``into``, never over what is there, links as links."""
    if not os.path.isdir(folder):
        return
    for entry in os.scandir(folder):
        target = os.path.join(into, entry.name)
        if os.path.lexists(target):
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.copytree(entry.path, target, symlinks=True)
        elif entry.is_file(follow_symlinks=False):
            shutil.copy2(entry.path, target)


def _fresh_proc():
    """A /proc of the new PID namespace (bwrap's covers go first where they block it)."""
    flags = MS_NOSUID | MS_NODEV | MS_NOEXEC
    try:
        mount("proc", "/proc", "proc", flags)
    except OSError as exc:
        if exc.errno != errno.EPERM:
            raise
        for name in _PROC_COVERS:
            _libc.umount2(os.fsencode(f"/proc/{name}"), MNT_DETACH)
        mount("proc", "/proc", "proc", flags)


def _read_only_binds_under_tmp():
    """The read-only binds below ``/tmp`` of the sandbox (a venv or course checkout that lives
    under ``/tmp``), outermost only: a fresh ``/tmp`` would hide them."""
    points = []
    with open("/proc/self/mountinfo", "rb") as fh:
        for line in fh:
            fields = line.split()
            # mountinfo escapes space, tab, newline and backslash as octal (\040)
            point = fields[4].decode("unicode_escape").encode("latin-1").decode(
                errors="surrogateescape")
            if point.startswith("/tmp/") and b"ro" in fields[5].split(b","):
                points.append(point)
    return [p for p in points if not any(p.startswith(q + "/") for q in points)]


def _make_point(path, like):
    """A mount point at ``path``: an empty folder, or an empty file where ``like`` is one."""
    if os.path.isdir(like):
        os.mkdir(path)
    else:
        open(path, "x").close()


def _keep_aside(points, first=0):
    """Bind each of ``points`` (with what is mounted below it) to a stage in the fresh home,
    before new mounts hide it; the stages, with their points."""
    staged = []
    for i, point in enumerate(points, first):
        stage = os.path.join(HOME, f".course-keep-{i}")
        _make_point(stage, point)
        mount(point, stage, None, MS_BIND | MS_REC)
        staged.append((stage, point))
    return staged


def _put_back(staged):
    """Move each staged bind to its point again, below the new mounts (read-only binds stay
    read-only: a bind keeps the flags of its source)."""
    for stage, point in staged:
        os.makedirs(os.path.dirname(point), exist_ok=True)
        _make_point(point, stage)
        mount(stage, point, None, MS_MOVE)
        (os.rmdir if os.path.isdir(stage) else os.unlink)(stage)


def _own_folders(request):
    """Fresh bounded tmpfs mounts for the home, /tmp and /dev/shm; of the socket folder only
    this kernel's own, at the same path; the home seeded with the warm home and the work; the
    sandbox's read-only binds below /tmp kept."""
    size = f"size={request['disk_mb']}m"
    conn = request["conn"]
    kept = _read_only_binds_under_tmp()
    mount("tmpfs", HOME, "tmpfs", MS_NOSUID | MS_NODEV, size + ",mode=0755")
    own_sockets = _keep_aside([conn])
    for folder in request["seeds"]:
        seed(folder, HOME)
    below_tmp = _keep_aside(kept, first=len(own_sockets))
    mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, size + ",mode=1777")
    _put_back(below_tmp)
    mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, size + ",mode=1777")
    if os.path.isdir(os.path.dirname(conn)):  # the socket folders live outside /tmp
        mount("tmpfs", os.path.dirname(conn), "tmpfs", MS_NOSUID | MS_NODEV, "size=64k")
    _put_back(own_sockets)
    mount("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
          "newinstance,ptmxmode=0666,mode=0620")


def _loopback_up():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        got = fcntl.ioctl(sock, SIOCGIFFLAGS, struct.pack("16sh22x", b"lo", 0))
        flags = struct.unpack("16sh22x", got)[1]
        fcntl.ioctl(sock, SIOCSIFFLAGS, struct.pack("16sh22x", b"lo", flags | IFF_UP))


def _own_user_namespace():
    uid, gid = os.geteuid(), os.getegid()
    unshare(CLONE_NEWUSER)
    with open("/proc/self/setgroups", "w") as fh:
        fh.write("deny")
    with open("/proc/self/uid_map", "w") as fh:
        fh.write(f"{uid} {uid} 1")
    with open("/proc/self/gid_map", "w") as fh:
        fh.write(f"{gid} {gid} 1")


# ----------------------------------------------------------------------------- namespaces
def wait_for(pid):
    """Wait for ``pid`` (reaping any other child that ends first); its exit status."""
    while True:
        try:
            done, status = os.wait()
        except ChildProcessError:
            return 1
        if done == pid:
            return os.waitstatus_to_exitcode(status) & 0xFF


def isolated(request):
    """Enter the namespaces; returns in PID 2 (the kernel's process) of the new namespace."""
    unshare(NAMESPACES)
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    reaper = os.fork()
    if reaper:  # the child the grader knows: waits, and its death ends the namespace
        os._exit(wait_for(reaper))
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    _fresh_proc()
    if request["level"] == "sandbox":
        _own_folders(request)
    _loopback_up()
    _own_user_namespace()
    empty_bounding_set()
    kernel = os.fork()
    if kernel:  # PID 1: reap every orphan until the kernel ends
        drop_capabilities()
        os._exit(wait_for(kernel))
