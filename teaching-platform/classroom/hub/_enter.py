"""Inside a student's sandbox: apply the limits, become the student, then exec the server.

Usage (built by :func:`classroom.hub.sandbox.sandbox_command`)::

    python _enter.py --tasks 256 --memory-mb 4096 [--uid 61001] -- jupyterhub-singleuser ...

``--tasks`` caps processes and threads (``RLIMIT_NPROC``: counted per user id, or per user
namespace when the sandbox has its own), ``--memory-mb`` the address space of each process
(``RLIMIT_AS``); core files are off. With ``--uid`` (the hub runs as root) the process drops
every group and takes the student's own user and group id before anything of the student runs;
it stops with status 3 if root could be regained. The umask is 077: nothing a student writes
is readable by another user id. Run by path, never imported: it imports nothing of the course.
"""

import os
import resource
import sys


def _limit(kind, value):
    resource.setrlimit(kind, (value, value))


def _become(uid):
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    try:
        os.setuid(0)
    except PermissionError:
        return
    sys.stderr.write("course hub sandbox: root could be regained; refusing to start\n")
    sys.exit(3)


def main(argv):
    if "--" not in argv:
        sys.stderr.write("usage: _enter.py --tasks N --memory-mb M [--uid U] -- CMD...\n")
        return 2
    split = argv.index("--")
    options, command = argv[:split], argv[split + 1:]
    values = dict(zip(options[::2], options[1::2], strict=True))
    unknown = set(values) - {"--tasks", "--memory-mb", "--uid"}
    if unknown or not command:
        sys.stderr.write(f"_enter.py: unknown option(s) {sorted(unknown)} or no command\n")
        return 2
    _limit(resource.RLIMIT_CORE, 0)
    _limit(resource.RLIMIT_AS, int(values["--memory-mb"]) * 1024 * 1024)
    if "--uid" in values:
        _become(int(values["--uid"]))
    _limit(resource.RLIMIT_NPROC, int(values["--tasks"]))
    os.umask(0o077)
    os.execvp(command[0], command)
    return 1  # pragma: no cover - execvp does not return


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
