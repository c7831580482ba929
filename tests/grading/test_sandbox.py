"""Isolation of graded kernels under the bubblewrap sandbox: one test per attack class.

Under ``CI=true`` a missing or broken bwrap is a failure, never a skip.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import secrets
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest

from classroom.grading import sandbox
from classroom.grading.runner import Limits, run_notebook, start_kernel

pytestmark = pytest.mark.kernel

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "course_lib"


@pytest.fixture(scope="module", autouse=True)
def _need_sandbox(require_or_skip) -> None:
    require_or_skip(sandbox.sandbox_works(), "bwrap is missing or cannot create a sandbox here "
                    "(tools/ensure_system_packages.sh installs bubblewrap)")


def _in_own_loop(coro):
    """Run a coroutine on a fresh event loop in a worker thread.

    Another test's session fixture (Playwright's sync API) may keep a loop running in the main
    thread, where ``asyncio.run`` would refuse.
    """
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def _run(code: str, names: list[str], *, limits: Limits | None = None,
         workdir: Path | None = None) -> tuple:
    limits = limits or Limits(timeout_cell=10)
    workdir = workdir or Path(tempfile.mkdtemp(prefix="course-test-work-"))

    async def go() -> tuple:
        kernel = await start_kernel(workdir, limits, isolate="require")
        assert kernel.startup_error is None, kernel.startup_error
        assert kernel.isolation == "sandbox"
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(code)]
        return await run_notebook(nb, kernel, limits, names)

    result, nb = _in_own_loop(go())
    assert result.isolation == "sandbox"
    return result, nb, workdir


def _value(result, name):
    """A probed value; lists travel as JSON text (``json.dumps`` in the kernel)."""
    assert result.values is not None, result.events
    value = result.values[name]["value"]
    return json.loads(value) if name.startswith("j_") else value


def test_instructor_files_are_invisible(tmp_path):
    home_secret = Path.home() / f".course-test-secret-{secrets.token_hex(4)}"
    home_secret.write_text("solution")
    other = tmp_path / "other_student"
    other.mkdir()
    (other / "01.ipynb").write_text("{}")
    out = tmp_path / "out"
    out.mkdir()
    (out / "gradebook.sqlite").write_text("x")
    paths = [str(home_secret), str(Path.home()), str(REPO / "solutions"), str(REPO / ".git"),
             str(REPO / "README.md"), str(other / "01.ipynb"), str(out / "gradebook.sqlite")]
    try:
        result, _, _ = _run(
            f"import os, json\nj_seen = json.dumps([p for p in {paths[:1] + paths[2:]!r} "
            f"if os.path.exists(p)])\nhome = {paths[1]!r}\n"
            "j_home = json.dumps(sorted(os.listdir(home)) if os.path.isdir(home) else None)",
            ["j_seen", "j_home"])
    finally:
        home_secret.unlink()
    assert (REPO / "solutions").is_dir()
    assert _value(result, "j_seen") == []
    # the home folder shows at most the path to the (read-only) Python installation
    home = Path.home()
    allowed = sorted({Path(p).relative_to(home).parts[0] for p in sandbox.read_only_paths()
                      if Path(p).is_relative_to(home)})
    assert _value(result, "j_home") in (None, allowed)


def test_package_and_venv_are_read_only():
    targets = [str(PACKAGE / "__init__.py"), str(PACKAGE / "grading" / "evil.py"),
               str(Path(sys.prefix) / "evil.pth"), str(Path(sys.base_prefix) / "evil.txt")]
    code = (
        "import json\nrefused = []\n"
        f"for p in {targets!r}:\n"
        "    try:\n"
        "        open(p, 'a').close()\n"
        "    except OSError:\n"
        "        refused.append(p)\n"
        "j_refused = json.dumps(refused)\n"
    )
    before = (PACKAGE / "__init__.py").read_bytes()
    result, _, _ = _run(code, ["j_refused"])
    assert _value(result, "j_refused") == targets
    assert (PACKAGE / "__init__.py").read_bytes() == before
    assert not (PACKAGE / "grading" / "evil.py").exists()


def test_tmp_is_private_and_gone_after():
    name = f"course-test-{secrets.token_hex(6)}"
    code = (f"import os, json\nopen('/tmp/{name}', 'w').write('x')\n"
            "j_listing = json.dumps(sorted(os.listdir('/tmp')))\n")
    result, _, _ = _run(code, ["j_listing"])
    # only this file, the kernel's own connection folder (bound under /tmp) and, when the
    # checkout or venv itself lives under /tmp, the mount point of that allowlisted path
    listing = _value(result, "j_listing")
    allowlisted = {Path(p).relative_to("/tmp").parts[0]
                   for p in sandbox.read_only_paths() if p.startswith("/tmp/")}
    others = [n for n in listing if n != name and n not in allowlisted]
    assert name in listing
    assert len(others) == 1 and others[0].startswith("course-kernel-"), listing
    assert not Path("/tmp", name).exists()
    again, _, _ = _run(f"import os\nseen = os.path.exists('/tmp/{name}')", ["seen"])
    assert _value(again, "seen") is False


def test_a_course_installed_under_tmp_is_still_importable(monkeypatch):
    """A checkout or venv under /tmp (a CI runner's work folder, a quick try-out) stays
    readable below each kernel's own fresh /tmp, read-only, and nothing else of the host's
    /tmp comes with it."""
    installed = Path(tempfile.mkdtemp(prefix="course-installed-", dir="/tmp"))
    (installed / "course_probe_module.py").write_text("ANSWER = 42\n")
    host_file = Path(tempfile.mkdtemp(prefix="course-host-", dir="/tmp")) / "host.txt"
    host_file.write_text("the host's /tmp")
    allowlist = sandbox.read_only_paths()
    monkeypatch.setattr(sandbox, "read_only_paths", lambda: [*allowlist, str(installed)])
    code = ("import os, sys\n"
            f"sys.path.insert(0, {str(installed)!r})\n"
            "import course_probe_module\n"
            "answer = course_probe_module.ANSWER\n"
            f"host = os.path.exists({str(host_file)!r})\n"
            "try:\n"
            f"    open({str(installed / 'planted.py')!r}, 'w').close()\n"
            "    planted = True\n"
            "except OSError:\n"
            "    planted = False\n")
    result, _, _ = _run(code, ["answer", "host", "planted"])
    assert _value(result, "answer") == 42
    assert _value(result, "host") is False and _value(result, "planted") is False
    assert not (installed / "planted.py").exists()


def test_work_folder_is_private_seeded_and_bounded():
    workdir = Path(tempfile.mkdtemp(prefix="course-test-work-"))
    (workdir / "01_x.ipynb").write_text("{}")
    result, _, _ = _run("import os, json\nopen('answer.txt', 'w').write('42')\n"
                        "where = os.getcwd(); home = os.environ['HOME']\n"
                        "j_listing = json.dumps(sorted(os.listdir('.')))\n"
                        "fs = os.statvfs('.'); size = fs.f_blocks * fs.f_frsize",
                        ["where", "home", "j_listing", "size"], workdir=workdir)
    assert _value(result, "where") == sandbox.SANDBOX_HOME == _value(result, "home")
    listing = _value(result, "j_listing")
    assert {"01_x.ipynb", "answer.txt", ".ipython"} <= set(listing)  # seeded: the submission
    assert _value(result, "size") <= Limits().disk_mb << 20               # and the warm home
    assert not (workdir / "answer.txt").exists()  # nothing the kernel writes reaches the host


MOUNTS = """
import json, os
writable = []
for line in open("/proc/self/mountinfo"):
    fields = line.split()
    point, fstype = fields[4], fields[fields.index("-") + 1]
    if not os.path.isdir(point) or fstype in ("proc", "devpts"):
        continue
    fs = os.statvfs(point)
    if not fs.f_flag & os.ST_RDONLY and os.access(point, os.W_OK):
        writable.append([point, fstype, fs.f_blocks * fs.f_frsize])
refused = []
for folder in ("/", "/home", "/dev", "/usr", "/etc", "/home/.course-seed/work"):
    try:
        open(os.path.join(folder, "probe"), "w").close()
    except OSError:
        refused.append(folder)
j_writable = json.dumps(writable)
j_refused = json.dumps(refused)
"""


def test_every_writable_folder_is_a_bounded_tmpfs():
    """bwrap makes the mount points' parents on its own root (a tmpfs): the root and /dev are
    read-only, and each writable folder is a tmpfs of at most disk_mb (the folder of the
    kernel's sockets, on the host, is watched by the watchdog instead)."""
    limits = Limits(timeout_cell=10, disk_mb=32)
    result, _, _ = _run(MOUNTS, ["j_writable", "j_refused"], limits=limits)
    writable = _value(result, "j_writable")
    assert _value(result, "j_refused") == ["/", "/home", "/dev", "/usr", "/etc",
                                          "/home/.course-seed/work"]
    places = {point for point, _, _ in writable}
    assert {"/tmp", "/dev/shm", sandbox.SANDBOX_HOME} <= places
    for point, fstype, size in writable:
        if point.startswith("/tmp/course-kernel-"):
            continue
        assert fstype == "tmpfs" and size <= 32 << 20, (point, fstype, size)


def test_no_network():
    code = (
        "import socket\n"
        "try:\n"
        "    socket.create_connection(('1.1.1.1', 80), timeout=3)\n"
        "    net = 'connected'\n"
        "except OSError as e:\n"
        "    net = type(e).__name__\n"
        "import json\nj_ifaces = json.dumps(sorted(n for _, n in socket.if_nameindex()))\n"
    )
    result, _, _ = _run(code, ["net", "j_ifaces"])
    assert _value(result, "net") != "connected"
    assert _value(result, "j_ifaces") == ["lo"]


def test_detached_processes_die_with_the_kernel():
    code = (
        "import os, subprocess, sys, time\n"
        "cmd = 'import time; time.sleep(3); open(\"late_popen.txt\", \"w\").write(\"x\")'\n"
        "subprocess.Popen([sys.executable, '-c', cmd], start_new_session=True)\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    if os.fork() == 0:\n"
        "        time.sleep(3)\n"
        "        open('late_fork.txt', 'w').write('x')\n"
        "    os._exit(0)\n"
        "started = True\n"
    )
    result, _, workdir = _run(code, ["started"])
    assert _value(result, "started") is True
    time.sleep(5)
    assert sorted(p.name for p in workdir.glob("late_*")) == []


def test_limits_still_enforced():
    limits = Limits(timeout_cell=2, memory_mb=1024, max_output_bytes=5000)
    code = ("try:\n    big = bytearray(2 * 1024**3)\n    mem = 'allocated'\n"
            "except MemoryError:\n    mem = 'MemoryError'\n"
            "print('x' * 100_000)\n")
    result, _, _ = _run(code, ["mem"], limits=limits)
    assert _value(result, "mem") == "MemoryError"
    assert result.output_truncated
    slow, _, _ = _run("while True:\n    pass", [], limits=limits)
    assert slow.timed_out and any("interrupted" in e for e in slow.events)


def test_kernel_sockets_are_ipc_only():
    async def go() -> tuple:
        workdir = Path(tempfile.mkdtemp(prefix="course-test-work-"))
        kernel = await start_kernel(workdir, Limits(), isolate="require")
        info = json.loads(Path(kernel.km.connection_file).read_text())
        conn_dir = kernel.conn_dir
        from_kernel = await run_notebook(nbformat.v4.new_notebook(), kernel, Limits(), [])
        return info, conn_dir, from_kernel

    info, conn_dir, _ = _in_own_loop(go())
    assert info["transport"] == "ipc"
    assert info["ip"].startswith(str(conn_dir))
    assert not conn_dir.exists()


def test_require_fails_in_one_line_without_bwrap(monkeypatch):
    monkeypatch.setattr(sandbox, "best_level", lambda: "mount-namespace")
    with pytest.raises(ValueError, match="sandbox is unavailable") as err:
        sandbox.choose_level("require")
    assert "\n" not in str(err.value)
    assert sandbox.choose_level("off") == "none"


def test_kernel_homes_are_seeded_from_a_warm_template_without_overwriting(tmp_path):
    template = sandbox.home_template()
    assert template is not None
    fontlists = list((template / ".cache" / "matplotlib").glob("fontlist-*.json"))
    assert fontlists, "the template holds matplotlib's font list"
    assert (template / ".ipython" / "profile_default").is_dir()
    own = tmp_path / ".cache" / "matplotlib" / fontlists[0].name
    own.parent.mkdir(parents=True)
    own.write_text("the submission's own file")
    assert sandbox.seed_home(tmp_path)
    assert own.read_text() == "the submission's own file", "never copied over a student's file"
    assert (tmp_path / ".ipython" / "profile_default").is_dir()
    other = tmp_path / "second"
    other.mkdir()
    sandbox.seed_home(other)
    (other / ".ipython" / "profile_default" / "startup" / "evil.py").write_text("x")
    assert not (template / ".ipython" / "profile_default" / "startup" / "evil.py").exists()
