"""Kernels forked by one pre-imported parent are still alone (issue 24, item 2).

One submission's kernel plants state of every kind (module attributes, a monkeypatched
function, ``builtins``, ``sys.modules`` and ``sys.path`` entries, environment variables, files
in its home, ``/tmp`` and ``/dev/shm``) and tries to undo its isolation (unmount its folders,
directly and from a user namespace of its own); a kernel forked beside it while it still runs,
and another forked after it ended, see none of it.  At the sandbox level (required under
``CI=true``) each also sees only its own processes and its own socket folder.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import tempfile
from pathlib import Path

import nbformat
import pytest

from classroom.grading import sandbox
from classroom.grading.kernel_env import kernel_environment
from classroom.grading.parent import BASE_PRELOAD, KernelParent
from classroom.grading.runner import Limits, run_notebook, shutdown, start_kernel

pytestmark = pytest.mark.kernel
LIMITS = Limits(timeout_cell=20)

#: State in memory, planted at every level.
PLANT = r"""
import builtins, os, sys, types
import numpy, pandas, course_lib.checks
course_lib.checks.PLANTED = "from another submission"
pandas.DataFrame.sum = lambda self, *a, **k: "patched"
numpy.mean = lambda *a, **k: 42
builtins.PLANTED = 1
sys.modules["planted_module"] = types.ModuleType("planted_module")
sys.path.insert(0, "/tmp/planted_path")
os.environ["PLANTED"] = "1"
"""

#: Files and attempts to undo the isolation: run only inside it (at level none they would
#: act on the machine itself).
ESCAPE = r"""
import ctypes, json, os
for path in ("/tmp/planted", os.path.expanduser("~/planted"), "/dev/shm/planted"):
    with open(path, "w") as fh:
        fh.write("x")
libc = ctypes.CDLL(None, use_errno=True)
unmounted = [p for p in ("/tmp", "/home/student", "/proc") if libc.umount2(p.encode(), 2) == 0]
child = os.fork()
if child == 0:  # a user namespace of its own: capabilities there, but its mounts are locked
    if libc.unshare(0x10000000 | 0x00020000) != 0:
        os._exit(2)
    os._exit(0 if libc.umount2(b"/tmp", 2) == 0 else 1)
_, code = os.waitpid(child, 0)
status = dict(line.split(":", 1) for line in open("/proc/self/status") if ":" in line)
print(json.dumps({"unmounted": unmounted, "nested_unmount": os.waitstatus_to_exitcode(code),
                  "caps": [status[k].strip() for k in ("CapEff", "CapPrm", "CapBnd")],
                  "no_new_privs": status.get("NoNewPrivs", "").strip()}))
"""

LOOK = r"""
import builtins, json, os, sys
import numpy, pandas, course_lib.checks
conn = os.path.dirname(json.load(open(sys.argv[sys.argv.index("-f") + 1]))["ip"])
j_seen = json.dumps({
    "module_attribute": hasattr(course_lib.checks, "PLANTED"),
    "patched_function": str(pandas.DataFrame({"a": [1, 2]}).sum()["a"]),
    "numpy_mean": float(numpy.mean([1, 2])),
    "builtins": hasattr(builtins, "PLANTED"),
    "sys_modules": "planted_module" in sys.modules,
    "sys_path": "/tmp/planted_path" in sys.path,
    "environment": "PLANTED" in os.environ,
    "files": [p for p in ("/tmp/planted", os.path.expanduser("~/planted"), "/dev/shm/planted")
              if os.path.exists(p)],
    "processes": sorted(int(p) for p in os.listdir("/proc") if p.isdigit()),
    "socket_folders": sorted(os.listdir(os.path.dirname(conn))),
    "own_folder": os.path.basename(conn),
})
"""

CLEAN = {"module_attribute": False, "patched_function": "3", "numpy_mean": 1.5,
         "builtins": False, "sys_modules": False, "sys_path": False, "environment": False,
         "files": []}


def _in_own_loop(coro):
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def _level(require_or_skip) -> str:
    require_or_skip(sandbox.sandbox_works(), "bwrap is missing or cannot create a sandbox here")
    return "sandbox"


async def _start(parent: KernelParent):
    kernel = await start_kernel(Path(tempfile.mkdtemp(prefix="course-test-warm-")), LIMITS,
                                parent=parent, preload=BASE_PRELOAD)
    assert kernel.startup_error is None, kernel.startup_error
    return kernel


async def _execute(kernel, code: str) -> str:
    """Run ``code`` and leave the kernel running; its printed text."""
    printed: list[str] = []
    reply = await kernel.kc.execute_interactive(
        code, timeout=20, output_hook=lambda m: printed.append(m["content"].get("text", "")))
    assert reply["content"]["status"] == "ok", reply["content"]
    return "".join(printed)


async def _look(parent: KernelParent) -> dict:
    kernel = await _start(parent)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(LOOK)])
    result, _ = await run_notebook(nb, kernel, LIMITS, ["j_seen"])
    assert result.values is not None, result.events
    return json.loads(result.values["j_seen"]["value"])


@pytest.mark.parametrize("level", ["sandbox", "none"])
def test_no_state_reaches_a_sibling_or_the_next_kernel(level, require_or_skip):
    if level == "sandbox":
        _level(require_or_skip)
    isolated = level == "sandbox"

    async def go():
        parent = await KernelParent.start(level, kernel_environment, preload=BASE_PRELOAD)
        try:
            planter = await _start(parent)
            await _execute(planter, PLANT)
            escape = json.loads(await _execute(planter, ESCAPE)) if isolated else None
            beside = await _look(parent)  # while the planter still runs
            await shutdown(planter)
            return escape, beside, await _look(parent)
        finally:
            await parent.close()

    escape, beside, after = _in_own_loop(go())
    for seen in (beside, after):
        assert {k: seen[k] for k in CLEAN} == CLEAN, seen
        if isolated:
            assert seen["processes"] == [1, 2], seen  # the reaper and the kernel itself
            assert seen["socket_folders"] == [seen["own_folder"]], seen
    if isolated:
        assert escape["unmounted"] == [], escape
        assert escape["nested_unmount"] != 0, escape
        assert escape["caps"] == ["0000000000000000"] * 3, escape
        assert escape["no_new_privs"] == "1", escape


def test_the_parent_leaves_nothing_behind(require_or_skip):
    level = _level(require_or_skip)

    async def go():
        parent = await KernelParent.start(level, kernel_environment)
        kernel = await start_kernel(Path(tempfile.mkdtemp(prefix="course-test-warm-")), LIMITS,
                                    parent=parent)
        assert kernel.startup_error is None, kernel.startup_error
        conn = kernel.conn_dir
        await shutdown(kernel)
        root, pid = parent.root, parent.host_pid
        await parent.close()
        return conn, root, pid

    conn, root, pid = _in_own_loop(go())
    assert not conn.exists() and not root.exists()
    assert not Path(f"/proc/{pid}").exists()
