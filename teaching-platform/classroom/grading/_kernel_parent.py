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
asked to preload it) but ``_kernel_isolation.py`` beside it (the system calls and namespaces).
"""

import gc
import json
import os
import resource
import signal
import sys
import threading

from _kernel_isolation import (  # beside this file: sys.path[0] until main() moves it
    PR_SET_PDEATHSIG,
    drop_capabilities,
    empty_bounding_set,
    hide,
    isolated,
    prctl,
    seed,
    wait_for,
)

#: What ipykernel imports while a kernel starts (its debugger among them): imported here once.
KERNEL_MODULES = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.debugger",
                  "IPython.core.completerlib", "IPython.extensions.storemagic")


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


def _report_failure(request, exc):
    """Leave one line in the socket folder for the grader (a child that cannot start)."""
    try:
        with open(os.path.join(request["conn"], "startup-error.txt"), "w") as fh:
            fh.write(f"{type(exc).__name__}: {exc}"[:500])
    except OSError:
        pass


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
        empty_bounding_set(required=False)
    drop_capabilities()
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
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        _only_stdio(keep=(go,))
        if os.read(go, 1) != b"g":
            os._exit(0)
        os.close(go)
        if request["level"] != "none":
            isolated(request)
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
    return wait_for(pid)


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
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # ends with whoever started it
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
