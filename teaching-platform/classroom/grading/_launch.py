"""Kernel launcher run as a script: hide folders, cap memory, then exec the kernel.

Usage (built by :func:`classroom.grading.runner.kernel_argv`)::

    [unshare -m -r --propagation private] python _launch.py \
        --memory-mb 1024 --hide /repo/solutions --hide /repo/.git \
        -- python -m ipykernel_launcher ...

``--hide`` paths are covered with an empty read-only tmpfs; that only works
inside a private mount namespace, and the launcher exits with status 3 (so the
grader can see it) if a requested hide fails.  The memory cap is
``RLIMIT_AS`` and is inherited by the kernel after ``exec``.  This file is run
by path, never imported, so it does not import ``course_lib``.
"""

import ctypes
import ctypes.util
import os
import resource
import sys

MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4


def _hide(path):
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    flags = MS_RDONLY | MS_NOSUID | MS_NODEV
    if libc.mount(b"tmpfs", os.fsencode(path), b"tmpfs", flags, b"size=4k,mode=0555") != 0:
        err = ctypes.get_errno()
        sys.stderr.write(f"course-grader launcher: cannot hide {path}: {os.strerror(err)}\n")
        sys.exit(3)


def main(argv):
    if "--" not in argv:
        sys.stderr.write("usage: _launch.py [--memory-mb M] [--hide PATH]... -- CMD...\n")
        return 2
    split = argv.index("--")
    opts, cmd = argv[:split], argv[split + 1 :]
    memory_mb = 0
    hide = []
    i = 0
    while i < len(opts):
        if opts[i] == "--memory-mb":
            memory_mb = int(opts[i + 1])
            i += 2
        elif opts[i] == "--hide":
            hide.append(opts[i + 1])
            i += 2
        else:
            sys.stderr.write(f"unknown option {opts[i]}\n")
            return 2
    for path in hide:
        if os.path.isdir(path):
            _hide(path)
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    # cores of a crashed kernel would only fill the disk
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.execvp(cmd[0], cmd)
    return 1  # pragma: no cover - execvp does not return


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
