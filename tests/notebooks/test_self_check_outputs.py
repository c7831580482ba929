"""Visible self-checks in a real kernel: one line for the learner, an error for nbgrader.

nbgrader's ``validate`` (and its Validate button) fails a notebook when a graded cell's output
is an error (``nbgrader.utils.determine_grade`` gives such a cell 0). So a blank or ill-formed
answer must leave an *error* output in its test cell, and that output's traceback must be the
single ``✗`` line, never a Python traceback. These tests run the committed student copy of an
exercise in a kernel, blank and filled with the model answers, and read the outputs as nbgrader
and JupyterLab do.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

pytestmark = pytest.mark.kernel

ROOT = Path(__file__).resolve().parents[2]
EXERCISE = "01_southern_direction_exercises.ipynb"
SOLUTION = re.compile(r"^### (BEGIN|END) SOLUTION\n?", re.M)


def _nbgrader(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def _test_cells(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "code" and _nbgrader(c).get("grade")]


def _run(nb, tmp_path: Path):
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    return nb


@pytest.fixture(scope="module")
def blank(tmp_path_factory):
    nb = nbformat.read(ROOT / "exercises" / EXERCISE, as_version=4)
    return _run(nb, tmp_path_factory.mktemp("blank"))


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    source = nbformat.read(ROOT / "solutions" / EXERCISE, as_version=4)
    answers = {_nbgrader(c)["grade_id"]: SOLUTION.sub("", c.source)
               for c in source.cells if _nbgrader(c).get("solution")}
    nb = nbformat.read(ROOT / "exercises" / EXERCISE, as_version=4)
    for cell in nb.cells:
        if _nbgrader(cell).get("grade_id") in answers and cell.cell_type == "code":
            cell.source = answers[_nbgrader(cell)["grade_id"]]
    return _run(nb, tmp_path_factory.mktemp("filled"))


def test_a_blank_answer_fails_every_test_cell_with_one_line(blank):
    cells = _test_cells(blank)
    assert len(cells) >= 5
    for cell in cells:
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert len(errors) == 1, f"{_nbgrader(cell)['grade_id']}: {cell.outputs}"
        (error,) = errors
        assert error.ename == "FormError"
        assert len(error.traceback) == 1 and "\n" not in error.traceback[0]
        assert error.traceback[0].startswith("✗ ") and "no variable called" in error.traceback[0]
        assert "Traceback" not in error.traceback[0] and "File " not in error.traceback[0]
        assert not [o for o in cell.outputs if o.output_type == "stream"]


def test_model_answers_pass_every_self_check_with_one_line(filled):
    for cell in _test_cells(filled):
        assert not [o for o in cell.outputs if o.output_type == "error"], cell.outputs
        (stream,) = cell.outputs
        lines = stream.text.splitlines()
        assert len(lines) == 1 and lines[0].startswith("✓ ")


def test_progress_counts_the_saved_lines_of_both_kinds(blank, filled, tmp_path):
    from course_lib.progress import exercise_progress

    for name, nb in (("blank", blank), ("filled", filled)):
        folder = tmp_path / name
        folder.mkdir()
        nbformat.write(nb, folder / EXERCISE)
    n = len(_test_cells(blank))
    (blank_row,) = exercise_progress(tmp_path / "blank")
    (filled_row,) = exercise_progress(tmp_path / "filled")
    assert (blank_row.form_ok, blank_row.form_wrong) == (0, n)
    assert (filled_row.form_ok, filled_row.form_wrong) == (n, 0)
