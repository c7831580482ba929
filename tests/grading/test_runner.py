"""The runner's interface for batch grading, and its levels without the sandbox."""

from __future__ import annotations

import asyncio
import concurrent.futures
import tempfile
from pathlib import Path

import nbformat
import pytest

from classroom.grading import runner, sandbox

pytestmark = pytest.mark.kernel


def _in_own_loop(coro):
    """Run a coroutine on a fresh event loop in a worker thread.

    Another test's session fixture (Playwright's sync API) may keep a loop running in the main
    thread, where ``asyncio.run`` would refuse.
    """
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()

def test_interface_is_re_exported():
    for name in ("start_kernel", "shutdown", "run_notebook", "Limits", "isolation_available",
                 "isolation_level", "StartedKernel", "RunResult"):
        assert hasattr(runner, name), name
    assert runner.isolation_level() in sandbox.LEVELS
    assert runner.isolation_available() == (runner.isolation_level() != "none")


def test_isolate_off_runs_a_plain_kernel_in_the_workdir():
    workdir = Path(tempfile.mkdtemp(prefix="course-test-work-"))

    async def go():
        kernel = await runner.start_kernel(workdir, runner.Limits(), isolate="off")
        assert kernel.isolation == "none" and kernel.startup_error is None
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell("import os\nwhere = os.getcwd()")]
        return await runner.run_notebook(nb, kernel, runner.Limits(), ["where"])

    result, _ = _in_own_loop(go())
    assert result.isolation == "none"
    assert result.values["where"]["value"] == str(workdir.resolve())


def test_unknown_isolate_mode_is_refused():
    with pytest.raises(ValueError, match="isolate must be one of"):
        _in_own_loop(runner.start_kernel(".", runner.Limits(), isolate="maybe"))
