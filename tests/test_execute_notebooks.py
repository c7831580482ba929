"""tools/execute_notebooks.py: the kernel gets the deterministic environment through
``NotebookClient.execute(env=...)``, this process's environment is untouched, and cells tagged
``skip-execution`` are not run."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

pytestmark = pytest.mark.kernel

TOOL = Path(__file__).resolve().parents[1] / "tools" / "execute_notebooks.py"
_SPEC = importlib.util.spec_from_file_location("execute_notebooks", TOOL)
assert _SPEC is not None and _SPEC.loader is not None
executor = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(executor)


def test_kernel_env_layers_without_touching_os_environ() -> None:
    before = dict(os.environ)
    env = executor.kernel_env({"COURSE_X": "1"}, base={"TZ": "Asia/Tokyo", "KEEP": "k"})
    assert env == {**executor.DETERMINISTIC_ENV, "KEEP": "k", "COURSE_X": "1"}
    assert dict(os.environ) == before


def test_executed_kernel_sees_the_environment_and_skips_tagged_cells(tmp_path: Path) -> None:
    before = dict(os.environ)
    nb = new_notebook(cells=[
        new_code_cell("import os\nprint(os.environ['PYTHONHASHSEED'], os.environ['TZ'])"),
        new_code_cell("raise SystemExit('must not run')",
                      metadata={"tags": [executor.SKIP_TAG]}),
        new_code_cell("print('after')"),
    ])
    nb.metadata["widgets"] = {"stale": True}
    path = tmp_path / "env.ipynb"
    nbformat.write(nb, path)
    executor.execute_notebook(path, timeout=60)
    stored = nbformat.read(path, as_version=4)
    assert stored.cells[0].outputs[0]["text"] == "0 UTC\n"
    assert stored.cells[1].outputs == [] and stored.cells[1].execution_count is None
    assert stored.cells[2].outputs[0]["text"] == "after\n"
    assert dict(os.environ) == before
