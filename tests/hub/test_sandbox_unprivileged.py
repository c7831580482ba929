"""A student's sandbox when the hub runs as an ordinary user (no root, no user id per student).

The loopback hub of the other tests runs as root here (each student then gets a user id of
their own). This test builds the sandbox exactly as an instructor's own account would
(:func:`classroom.hub.sandbox.sandbox_command` with ``uid=None``: a user namespace of its own,
nested ones forbidden), runs it as an ordinary user (``nobody``, when the test runs as root) with
the machine's own Python (the one of this environment may live where ``nobody`` cannot read),
and attacks from inside: another student's home, nested user namespaces, other processes, the
process cap. Under ``CI=true`` a missing prerequisite fails the test.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from classroom.hub import sandbox
from classroom.hub.sandbox import StudentBox, StudentLimits, sandbox_command, server_environment

pytestmark = pytest.mark.slow

SYSTEM_PYTHON = "/usr/bin/python3"
NOBODY = 65534

PROBE = r"""
import json, os, subprocess, sys, time
found = {"uid": os.getuid(), "home": os.environ["HOME"]}
open(os.path.join(os.environ["HOME"], "mine.txt"), "w").write("ann")
found["bob"] = os.path.exists(sys.argv[1])
found["nested_userns"] = subprocess.run(["unshare", "--user", "true"],
                                        capture_output=True).returncode == 0
found["processes"] = sorted(p for p in os.listdir("/proc") if p.isdigit())
children = []
try:
    for _ in range(200):
        pid = os.fork()
        if pid == 0:
            time.sleep(30); os._exit(0)
        children.append(pid)
    found["fork_stopped"] = None
except OSError as e:
    found["fork_stopped"] = e.errno
for pid in children:
    os.kill(pid, 9); os.waitpid(pid, 0)
found["forked"] = len(children)
print(json.dumps(found))
"""


@pytest.fixture
def homes() -> Iterator[Path]:
    """A folder an ordinary user can use (pytest's own is private to root)."""
    top = Path(tempfile.mkdtemp(prefix="course-hub-homes-"))
    try:
        yield top
    finally:
        shutil.rmtree(top, ignore_errors=True)


def _as_ordinary_user() -> None:
    if os.geteuid() == 0:
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)


def test_an_unprivileged_sandbox_isolates_and_caps(homes: Path, monkeypatch: pytest.MonkeyPatch,
                                                   require_or_skip) -> None:
    require_or_skip(bool(shutil.which("bwrap") and Path(SYSTEM_PYTHON).exists()
                         and shutil.which("unshare")),
                    "bwrap, unshare or the system's python3 is missing")
    ann, bob = homes / "ann", homes / "bob"
    for home in (ann, bob):
        home.mkdir(mode=0o700)
    (bob / "secret.txt").write_text("bob's")
    if os.geteuid() == 0:
        for path in (homes, ann, bob):
            os.chown(path, NOBODY, NOBODY)
    # the system's Python and nothing of this checkout's environment
    monkeypatch.setattr(sandbox, "read_only_paths",
                        lambda: [p for p in ("/usr", "/lib", "/lib64", "/bin", "/etc")
                                 if Path(p).exists()])
    box = StudentBox("ann", ann, uid=None, limits=StudentLimits(tasks=64))
    command = sandbox_command(box, [SYSTEM_PYTHON, "-c", PROBE, str(bob / "secret.txt")],
                              python=SYSTEM_PYTHON)
    assert "--unshare-user" in command and "--uid" not in command
    done = subprocess.run(command, env=server_environment({}, "ann", path="/usr/bin"),
                          preexec_fn=_as_ordinary_user, capture_output=True, text=True,
                          timeout=120, check=False)
    require_or_skip("setting up uid map" not in done.stderr,
                    f"unprivileged user namespaces are not allowed here: {done.stderr.strip()}")
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["home"] == "/home/ann" and (ann / "mine.txt").read_text() == "ann"
    assert found["bob"] is False
    if sandbox._bwrap_offers(command[0], "--disable-userns"):
        assert found["nested_userns"] is False
    assert len(found["processes"]) <= 4, found["processes"]  # bwrap, the probe, unshare's
    assert found["fork_stopped"] == 11 and found["forked"] < 64  # EAGAIN: her cap, not 200
