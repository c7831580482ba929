"""Expected values recomputed at grading time (``check_answer(..., recompute=True)``).

The exercise is written at test time: its model answer computes 4 while the literal in the
hidden test says 3, as if an instructor had added a row to the data after the exercise was
written. ``course grade`` must judge against the model's 4; a check without ``recompute``
keeps its literal; a model answer that cannot run leaves the literal in place and says so.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from classroom.grading.batch import grade_batch
from classroom.notebooks.model import CellRole, mark_cell
from classroom.notebooks.transform import to_student_version
from course_lib.checks import check_answer

EXERCISE = "00_recompute_exercises"
SETUP = "from course_lib.checks import check_answer, self_check\nrows = [1, 2, 3, 4]"
TEST_Q1 = ('self_check("q1_rows", type=int);\n### BEGIN HIDDEN TESTS\n'
           'check_answer("q1_rows", equals=3, recompute=True);\n### END HIDDEN TESTS')
TEST_Q2 = ('self_check("q2_fixed", type=int);\n### BEGIN HIDDEN TESTS\n'
           'check_answer("q2_fixed", equals=5);\n### END HIDDEN TESTS')


def _source(folder: Path, model: str) -> Path:
    nb = nbformat.v4.new_notebook(metadata={"course": {"exercise": EXERCISE, "lesson": "00",
                                                       "title": "Recompute"}})
    nb.cells = [
        mark_cell(nbformat.v4.new_code_cell(SETUP), CellRole.SETUP, "setup"),
        mark_cell(nbformat.v4.new_code_cell(f"### BEGIN SOLUTION\n{model}\n### END SOLUTION"),
                  CellRole.SOLUTION, "q1"),
        mark_cell(nbformat.v4.new_code_cell(TEST_Q1), CellRole.TEST, "q1_test", 2),
        mark_cell(nbformat.v4.new_code_cell(TEST_Q2), CellRole.TEST, "q2_test", 1),
    ]
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{EXERCISE}.ipynb")
    return folder


def _submit(subs: Path, student: str, answer: str, source: Path) -> None:
    nb = to_student_version(nbformat.read(source / f"{EXERCISE}.ipynb", as_version=4))
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "q1":
            cell.source = answer
    (subs / student).mkdir(parents=True)
    nbformat.write(nb, subs / student / f"{EXERCISE}.ipynb")


def _grade(tmp_path: Path, model: str) -> tuple[dict[str, float], list[str]]:
    solutions = _source(tmp_path / "solutions", model)
    subs = tmp_path / "subs"
    _submit(subs, "new", "q1_rows = 4\nq2_fixed = 5", solutions)
    _submit(subs, "old", "q1_rows = 3\nq2_fixed = 5", solutions)
    batch = grade_batch([subs], tmp_path / "out", solutions_dir=solutions, isolate="off",
                        jobs=2, progress=False)
    return {r.student: r.score for r in batch.results}, batch.warnings


def test_the_model_answer_sets_the_expected_value_at_grading_time(tmp_path):
    scores, warnings = _grade(tmp_path, "q1_rows = len(rows)\nq2_fixed = 5")
    assert scores == {"new": 3.0, "old": 1.0}
    assert not [w for w in warnings if "recomputed" in w]


def test_a_model_answer_that_fails_keeps_the_literal_and_warns(tmp_path):
    scores, warnings = _grade(tmp_path, "q1_rows = rows[10]\nq2_fixed = 5")
    assert scores == {"new": 1.0, "old": 3.0}
    (warning,) = [w for w in warnings if "recomputed" in w]
    assert EXERCISE in warning and "q1_rows" in warning and "IndexError" in warning


def test_in_a_kernel_the_literal_is_used():
    assert check_answer("n", equals=3, recompute=True, namespace={"n": 3})
    with pytest.raises(AssertionError):
        check_answer("n", equals=3, recompute=True, namespace={"n": 4})
    with pytest.raises(ValueError, match="recompute must be True or False"):
        check_answer("n", equals=3, recompute="yes", namespace={"n": 3})
