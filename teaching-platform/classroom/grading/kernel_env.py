"""What a graded kernel is given: its environment (an allowlist), its arguments, its fork request.

Examples
--------
>>> sorted(kernel_environment("/home/student"))[:3]
['HOME', 'LANG', 'LC_ALL']
>>> kernel_argv("/c/kernel.json")[:2]
['-f', '/c/kernel.json']
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from classroom.grading.limits import Limits
from classroom.grading.sandbox import SANDBOX_HOME, SEEDS

__all__ = ["kernel_argv", "kernel_environment", "kernel_request"]

#: No history database (no sqlite file per kernel), no Jedi completion (a graded kernel never
#: completes code), and tracebacks as plain Python prints them: IPython's default "Context"
#: mode parses the source of every frame (0.4 s of CPU for one KeyError raised inside
#: pandas), while only the exception's name and message are judged.
_KERNEL_ARGS = ("--HistoryManager.enabled=False", "--IPCompleter.use_jedi=False",
                "--InteractiveShell.xmode=Plain")
#: What a graded kernel needs besides ``HOME``, ``PATH`` and the locale: the plotting backend,
#: one thread per numerical library, fixed hashing, and no debugger check at start-up.
_KERNEL_ENV = {
    "MPLBACKEND": "Agg",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "PYTHONHASHSEED": "0",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}


def kernel_environment(home: str) -> dict[str, str]:
    """The whole environment of a graded kernel (an allowlist; nothing is inherited).

    ``HOME`` is the kernel's work folder; ``PATH`` holds the interpreter's folder and the
    system's; the locale is UTF-8 and the same on every machine.  jupyter_client adds
    ``JPY_PARENT_PID`` (the sandbox drops it).

    Examples
    --------
    >>> env = kernel_environment("/work")
    >>> env["HOME"], env["MPLBACKEND"], "AWS_SECRET_ACCESS_KEY" in env
    ('/work', 'Agg', False)
    """
    locale = "C.UTF-8" if sys.platform.startswith("linux") else "en_US.UTF-8"
    return {"HOME": home, "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
            "LANG": locale, "LC_ALL": locale, **_KERNEL_ENV}


def kernel_argv(connection_file: str) -> list[str]:
    """ipykernel's arguments for a graded kernel (no history database, no Jedi).

    Examples
    --------
    >>> kernel_argv("/c/kernel.json")[:2]
    ['-f', '/c/kernel.json']
    """
    return ["-f", os.path.realpath(connection_file), *_KERNEL_ARGS]


def _user_tasks() -> int:
    """Processes and threads of this user now (what ``RLIMIT_NPROC`` counts outside a user
    namespace)."""
    uid, count = os.getuid(), 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if fields.get("Uid", "").split()[:1] == [str(uid)]:
            count += int(fields.get("Threads", "1").strip() or 1)
    return count


def _nproc(level: str, limits: Limits) -> int:
    """``RLIMIT_NPROC`` for the kernel: in its own user namespace (sandbox, mount namespace)
    Linux counts only the submission's tasks; outside, every task of the user."""
    if level != "none" or os.getuid() == 0 or not Path("/proc").is_dir():
        return limits.max_processes
    return _user_tasks() + limits.max_processes


def kernel_request(level: str, workdir: Path, conn_dir: Path, seed_dir: Path | None,
             limits: Limits) -> dict:
    """What the kernel parent needs to fork this kernel (see ``_kernel_parent.py``)."""
    sandboxed = level == "sandbox"
    return {
        "id": int(conn_dir.name),
        "home": SANDBOX_HOME if sandboxed else str(workdir.resolve()),
        "conn": str(conn_dir),
        "seeds": [SEEDS[0], str(seed_dir)] if sandboxed and seed_dir is not None else [],
        "argv": kernel_argv(str(conn_dir / "kernel.json")),
        "rlimits": {"as": limits.memory_mb << 20, "nproc": _nproc(level, limits),
                    "fsize": limits.disk_mb << 20},
        "disk_mb": limits.disk_mb,
    }
