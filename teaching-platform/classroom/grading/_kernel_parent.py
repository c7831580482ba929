"""Kernel parent run as a script: import the course's libraries once, fork a kernel per submission.

Started by :class:`classroom.grading.parent.KernelParent` (inside the sandbox, a private mount
namespace, or as a plain process)::

    python _kernel_parent.py --level sandbox --seed /home/.course-seed/home \
        --preload numpy --preload pandas ...

It hides the ``--hide`` folders (a private mount namespace only; exit status 3 when one cannot
be hidden), copies the ``--seed`` folders into its working folder (its own home: the warm
caches), imports the ``--preload`` modules and ipykernel, and then answers requests, one JSON
object per line on stdin, with one line on stdout:

- ``{"op": "fork", "id": N, ...}``: fork a child for one submission; the reply holds its pid
  (as this process sees it).  The child closes every file of this process and waits;
- ``{"op": "go", "id": N}``: let child ``N`` go on (the grader has put it into its cgroup);
- ``{"op": "drop", "id": N}``: child ``N`` ends without running anything.

Before it touches the submission, a child enters what makes it alone (level ``sandbox``, and the
same minus the fresh folders at ``mount-namespace``): new mount, PID, network, IPC, UTS and cgroup
namespaces; a fresh ``/proc``; at ``sandbox`` a new bounded tmpfs for its home
(``/home/student``, seeded with the warm home and the submission), ``/tmp`` and ``/dev/shm``, its
own pseudo-terminals, and of the folder of kernel sockets only its own; the loopback device up;
a user namespace of its own (so ``RLIMIT_NPROC`` counts its own processes only); then every
capability dropped, the bounding set emptied, ``no_new_privs``; a new session, the limits
(``RLIMIT_AS``, ``RLIMIT_NPROC``, ``RLIMIT_FSIZE``, no core files), the environment of the
request (nothing else) and the working folder; then the kernel starts.  Inside the PID
namespace a small reaper is PID 1 and the kernel PID 2; the reaper dies with the child the
grader knows, and every process of the namespace with the reaper.  At level ``none`` the child
only does the last steps (no namespaces), and gives up every capability too (a grader run as
root must not lend root's powers to a submission).

Nothing a kernel does reaches this process or another kernel: each is a fresh copy of this
process made before any submission ran here (this process never runs a submission's code).

``--self-test REQUEST`` forks one child for ``REQUEST`` that enters everything above and then,
instead of a kernel, checks its own isolation (exit status 0 when it holds).  This file is run
by path and never imported, so it imports nothing of the platform (nor ``course_lib``, unless
asked to preload it).
"""

import ctypes
import errno
import fcntl
import gc
import json
import os
import resource
import shutil
import signal
import socket
import struct
import sys
import threading

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
#: What ipykernel imports while a kernel starts (its debugger among them): imported here once.
KERNEL_MODULES = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.debugger",
                  "IPython.core.completerlib", "IPython.extensions.storemagic")
#: Subfolders of /proc that bwrap covers; they stop a fresh /proc from being mounted.
_PROC_COVERS = ("sys", "sysrq-trigger", "irq", "bus")
_libc = ctypes.CDLL(None, use_errno=True)


# ----------------------------------------------------------------------------- system calls
def _check(result, what):
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def _mount(source, target, fstype, flags, data=None):
    _check(_libc.mount(source and os.fsencode(source), os.fsencode(target),
                       fstype and fstype.encode(), ctypes.c_ulong(flags),
                       data and data.encode()), f"mount {target}")


def _prctl(option, arg):
    _check(_libc.prctl(option, ctypes.c_ulong(arg), 0, 0, 0), f"prctl {option}")


def _unshare(flags):
    _check(_libc.unshare(flags), "unshare")


def _drop_capabilities():
    """No capability left: effective, permitted, inheritable and ambient sets empty."""
    header = (ctypes.c_uint32 * 2)(_CAP_VERSION_3, 0)
    data = (ctypes.c_uint32 * 6)()
    _prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL)
    _check(_libc.capset(header, data), "capset")


def _empty_bounding_set(required=True):
    """Empty the bounding set (needs CAP_SETPCAP, held in a fresh user namespace; without it,
    and not ``required``, there is nothing to drop) and set ``no_new_privs``: no program run
    later can gain a capability."""
    last = int(open("/proc/sys/kernel/cap_last_cap").read())
    try:
        for cap in range(last + 1):
            _prctl(PR_CAPBSET_DROP, cap)
    except OSError:
        if required:
            raise
    _prctl(PR_SET_NO_NEW_PRIVS, 1)


# ----------------------------------------------------------------------------- folders
def hide(path):
    """Cover ``path`` with an empty read-only tmpfs (exit status 3 when that fails)."""
    try:
        _mount("tmpfs", path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV, "size=4k,mode=0555")
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
        _mount("proc", "/proc", "proc", flags)
    except OSError as exc:
        if exc.errno != errno.EPERM:
            raise
        for name in _PROC_COVERS:
            _libc.umount2(os.fsencode(f"/proc/{name}"), MNT_DETACH)
        _mount("proc", "/proc", "proc", flags)


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


def _keep_aside(points):
    """Bind each of ``points`` to a stage in the (fresh) home; the stages, with their points."""
    staged = []
    for i, point in enumerate(points):
        stage = os.path.join(HOME, f".course-keep-{i}")
        if os.path.isdir(point):
            os.mkdir(stage)
        else:
            open(stage, "x").close()
        _mount(point, stage, None, MS_BIND | MS_REC)
        staged.append((stage, point))
    return staged


def _put_back(staged):
    """Move each staged bind to its point again (below the fresh ``/tmp``), read-only still."""
    for stage, point in staged:
        os.makedirs(os.path.dirname(point), exist_ok=True)
        if os.path.isdir(stage):
            os.mkdir(point)
        else:
            open(point, "x").close()
        _mount(stage, point, None, MS_MOVE)
        if os.path.isdir(stage):
            os.rmdir(stage)
        else:
            os.unlink(stage)


def _own_folders(request):
    """Fresh bounded tmpfs mounts for the home, /tmp and /dev/shm; of the socket folder only
    this kernel's own, at the same path; the home seeded with the warm home and the work; the
    sandbox's read-only binds below /tmp kept."""
    size = f"size={request['disk_mb']}m"
    conn = request["conn"]
    kept = _read_only_binds_under_tmp()
    _mount("tmpfs", HOME, "tmpfs", MS_NOSUID | MS_NODEV, size + ",mode=0755")
    stage = os.path.join(HOME, ".course-conn")
    os.mkdir(stage)
    _mount(conn, stage, None, MS_BIND)
    for folder in request["seeds"]:
        seed(folder, HOME)
    staged = _keep_aside(kept)
    _mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, size + ",mode=1777")
    _put_back(staged)
    _mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, size + ",mode=1777")
    if os.path.isdir(os.path.dirname(conn)):  # the socket folders live outside /tmp
        _mount("tmpfs", os.path.dirname(conn), "tmpfs", MS_NOSUID | MS_NODEV, "size=64k")
    os.makedirs(conn)
    _mount(stage, conn, None, MS_MOVE)
    os.rmdir(stage)
    _mount("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
           "newinstance,ptmxmode=0666,mode=0620")


def _loopback_up():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        got = fcntl.ioctl(sock, SIOCGIFFLAGS, struct.pack("16sh22x", b"lo", 0))
        flags = struct.unpack("16sh22x", got)[1]
        fcntl.ioctl(sock, SIOCSIFFLAGS, struct.pack("16sh22x", b"lo", flags | IFF_UP))


def _own_user_namespace():
    uid, gid = os.geteuid(), os.getegid()
    _unshare(CLONE_NEWUSER)
    with open("/proc/self/setgroups", "w") as fh:
        fh.write("deny")
    with open("/proc/self/uid_map", "w") as fh:
        fh.write(f"{uid} {uid} 1")
    with open("/proc/self/gid_map", "w") as fh:
        fh.write(f"{gid} {gid} 1")


# ----------------------------------------------------------------------------- the child
def _only_stdio(keep=()):
    """Close every inherited file but ``keep``; stdin, stdout and stderr read and write
    /dev/null."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    top = 3
    for fd in sorted(keep):
        os.closerange(top, fd)
        top = fd + 1
    os.closerange(top, os.sysconf("SC_OPEN_MAX"))


def _wait_for(pid):
    """Wait for ``pid`` (reaping any other child that ends first); its exit status."""
    while True:
        try:
            done, status = os.wait()
        except ChildProcessError:
            return 1
        if done == pid:
            return os.waitstatus_to_exitcode(status) & 0xFF


def _report_failure(request, exc):
    """Leave one line in the socket folder for the grader (a child that cannot start)."""
    try:
        with open(os.path.join(request["conn"], "startup-error.txt"), "w") as fh:
            fh.write(f"{type(exc).__name__}: {exc}"[:500])
    except OSError:
        pass


def _isolated(request):
    """Enter the namespaces; returns in PID 2 (the kernel's process) of the new namespace."""
    _unshare(NAMESPACES)
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    reaper = os.fork()
    if reaper:  # the child the grader knows: waits, and its death ends the namespace
        os._exit(_wait_for(reaper))
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    _fresh_proc()
    if request["level"] == "sandbox":
        _own_folders(request)
    _loopback_up()
    _own_user_namespace()
    _empty_bounding_set()
    kernel = os.fork()
    if kernel:  # PID 1: reap every orphan until the kernel ends
        _drop_capabilities()
        os._exit(_wait_for(kernel))


def _limits(request):
    for name, value in request["rlimits"].items():
        if value > 0:
            kind = getattr(resource, f"RLIMIT_{name.upper()}")
            resource.setrlimit(kind, (value, value))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crashed kernel's core fills a disk


def _become(request):
    """The last steps before the submission: session, limits, no capabilities, environment,
    working folder, a fresh random state."""
    os.setsid()
    _limits(request)
    if request["level"] == "none":  # no namespaces: at least no privilege (root's included)
        _empty_bounding_set(required=False)
    _drop_capabilities()
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["home"])
    sys.path[0] = os.getcwd()
    import importlib  # noqa: PLC0415 - already imported by the interpreter itself

    importlib.invalidate_caches()
    if "numpy.random" in sys.modules:  # as a fresh process would: its own random state
        sys.modules["numpy.random"].seed()


def _child(request, go):
    """The forked child: wait for "go", enter isolation and limits, then run the kernel (or
    the self-test).  Never returns."""
    code = 70
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        _only_stdio(keep=(go,))
        if os.read(go, 1) != b"g":
            os._exit(0)
        os.close(go)
        if request["level"] != "none":
            _isolated(request)
        _become(request)
        code = _self_test(request) if request.get("self_test") else _kernel(request)
    except SystemExit as exc:  # the kernel's own way out
        code = exc.code if isinstance(exc.code, int) else 0
    except BaseException as exc:  # noqa: BLE001 - nothing may return into the parent's loop
        _report_failure(request, exc)
    os._exit(code)


def _kernel(request):
    from ipykernel.kernelapp import IPKernelApp  # noqa: PLC0415 - imported by main already

    sys.argv = ["ipykernel_launcher", *request["argv"]]
    IPKernelApp.launch_instance(argv=request["argv"])
    return 0


def _self_test(request):
    """0 when this child is alone: its own /proc, nothing writable but its folders, no
    capability, the hidden paths hidden, the seed copied into the home."""
    with open(os.path.join(os.getcwd(), "ok"), "w") as fh:
        fh.write("1")
    alone = [p for p in os.listdir("/proc") if p.isdigit()]
    caps = [line.split()[1] for line in open("/proc/self/status")
            if line.startswith(("CapEff", "CapBnd"))]
    bad = any(os.path.exists(p) for p in request.get("invisible", ()))
    bad = bad or any(os.access(p, os.W_OK) for p in request.get("read_only", ()))
    bad = bad or not all(os.path.exists(p) for p in request.get("visible", ()))
    isolated = request["level"] == "none" or (len(alone) <= 3 and set(caps) == {"0" * 16})
    return 0 if isolated and not bad else 1


# ----------------------------------------------------------------------------- the parent
def _reap(signum, frame):
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _fork(request):
    """Fork the child of ``request``; returns its pid and the write end of its "go" pipe."""
    if threading.active_count() != 1:
        raise RuntimeError("the kernel parent started a thread: it cannot fork safely")
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(write)
        _child(request, read)
    os.close(read)
    return pid, write


def _serve(stdin, stdout, level):
    """Answer requests until stdin closes."""
    waiting = {}
    for line in stdin:
        request = {**json.loads(line), "level": level}
        reply = {"id": request.get("id")}
        try:
            if request["op"] == "fork":
                reply["pid"], waiting[request["id"]] = _fork(request)
            elif request["op"] in ("go", "drop"):
                go = waiting.pop(request["id"], None)
                if go is not None:
                    if request["op"] == "go":
                        os.write(go, b"g")
                    os.close(go)
                reply["ok"] = go is not None
            else:
                reply["error"] = f"unknown op {request['op']!r}"
        except OSError as exc:
            reply["error"] = f"{type(exc).__name__}: {exc}"
        stdout.write(json.dumps(reply) + "\n")
        stdout.flush()


def _self_test_run(request):
    """Fork one child for ``request`` and let it go; its exit status."""
    pid, go = _fork(request)
    os.write(go, b"g")
    os.close(go)
    return _wait_for(pid)


def _options(argv):
    lists = {"--hide": [], "--seed": [], "--preload": []}
    single = {"--level": "none", "--self-test": None}
    i = 0
    while i < len(argv):
        if argv[i] in lists and i + 1 < len(argv):
            lists[argv[i]].append(argv[i + 1])
        elif argv[i] in single and i + 1 < len(argv):
            single[argv[i]] = argv[i + 1]
        else:
            raise SystemExit(f"course kernel parent: unknown option {argv[i]}")
        i += 2
    return lists, single


def main(argv):
    lists, single = _options(argv)
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # ends with whoever started it
    for path in lists["--hide"]:
        if os.path.isdir(path):
            hide(path)
    for folder in lists["--seed"]:
        seed(folder)
    sys.path[0] = os.getcwd()  # as ``python -m ipykernel_launcher`` has it, not this folder
    if single["--self-test"] is not None:
        request = json.loads(single["--self-test"])
        request["level"] = single["--level"]
        return _self_test_run(request)
    failed = []
    for module in lists["--preload"]:
        try:
            __import__(module)
        except Exception:  # noqa: BLE001 - the submission's own import will say why
            failed.append(module)
    for module in KERNEL_MODULES:  # the imports this process exists for: failures are fatal
        __import__(module)
    gc.freeze()  # what is imported now is shared by every kernel and never scanned again
    signal.signal(signal.SIGCHLD, _reap)
    sys.stdout.write(json.dumps({"ready": True, "pid": os.getpid(), "failed": failed}) + "\n")
    sys.stdout.flush()
    _serve(sys.stdin, sys.stdout, single["--level"])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
