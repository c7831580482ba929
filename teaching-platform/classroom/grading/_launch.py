"""Kernel launcher run as a script: hide folders, seed the work folder, set limits, exec the kernel.

Usage (built by :func:`classroom.grading.kernel.start_kernel`)::

    [unshare -m -r --propagation private] python _launch.py \
        --memory-mb 1024 --nproc 128 --fsize-mb 256 --hide /repo/solutions \
        --seed /home/.course-seed/home -- python -m ipykernel_launcher ...

``--hide`` paths are covered with an empty read-only tmpfs; that only works
inside a private mount namespace, and the launcher exits with status 3 (so the
grader can see it) if a requested hide fails.  ``--seed`` folders are copied into
the current folder (the sandbox's empty work folder) without overwriting anything.
The limits are ``RLIMIT_AS`` (memory of each process), ``RLIMIT_NPROC`` (processes
and threads: of the user namespace in the sandbox, of the user otherwise; Linux does
not apply it to root) and ``RLIMIT_FSIZE`` (the largest file); the kernel inherits
them after ``exec``.  This file is run by path, never imported, so it does not
import ``course_lib``.
"""

import ctypes
import ctypes.util
import os
import resource
import shutil
import sys

MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
_OPTIONS = {"--memory-mb": "memory_mb", "--nproc": "nproc", "--fsize-mb": "fsize_mb"}


def _hide(path):
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    flags = MS_RDONLY | MS_NOSUID | MS_NODEV
    if libc.mount(b"tmpfs", os.fsencode(path), b"tmpfs", flags, b"size=4k,mode=0555") != 0:
        err = ctypes.get_errno()
        sys.stderr.write(f"course-grader launcher: cannot hide {path}: {os.strerror(err)}\n")
        sys.exit(3)


def _seed(folder):
    if not os.path.isdir(folder):
        return
    for entry in os.scandir(folder):
        target = entry.name
        if os.path.lexists(target):
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.copytree(entry.path, target, symlinks=True)
        elif entry.is_file(follow_symlinks=False):
            shutil.copy2(entry.path, target)


def _limit(kind, value):
    resource.setrlimit(kind, (value, value))


def main(argv):
    if "--" not in argv:
        sys.stderr.write("usage: _launch.py [--memory-mb M] [--nproc N] [--fsize-mb F] "
                         "[--hide PATH]... [--seed DIR]... -- CMD...\n")
        return 2
    split = argv.index("--")
    opts, cmd = argv[:split], argv[split + 1 :]
    numbers = {"memory_mb": 0, "nproc": 0, "fsize_mb": 0}
    hide, seeds = [], []
    i = 0
    while i < len(opts):
        if opts[i] in _OPTIONS and i + 1 < len(opts):
            numbers[_OPTIONS[opts[i]]] = int(opts[i + 1])
        elif opts[i] == "--hide" and i + 1 < len(opts):
            hide.append(opts[i + 1])
        elif opts[i] == "--seed" and i + 1 < len(opts):
            seeds.append(opts[i + 1])
        else:
            sys.stderr.write(f"unknown option {opts[i]}\n")
            return 2
        i += 2
    for path in hide:
        if os.path.isdir(path):
            _hide(path)
    for folder in seeds:
        _seed(folder)
    if numbers["memory_mb"] > 0:
        _limit(resource.RLIMIT_AS, numbers["memory_mb"] << 20)
    if numbers["nproc"] > 0:
        _limit(resource.RLIMIT_NPROC, numbers["nproc"])
    if numbers["fsize_mb"] > 0:
        _limit(resource.RLIMIT_FSIZE, numbers["fsize_mb"] << 20)
    # cores of a crashed kernel would only fill the disk
    _limit(resource.RLIMIT_CORE, 0)
    os.execvp(cmd[0], cmd)
    return 1  # pragma: no cover - execvp does not return


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
