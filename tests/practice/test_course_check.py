"""``course check`` end to end on a small exercise: instructor source, practice key, neither.

Each case runs one real kernel (a few seconds); the exercise is written at test time.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from classroom.cli import main
from classroom.errors import CourseError
from classroom.notebooks.transform import build_exercises
from classroom.practice.verdict import MODE_KEY, MODE_SOURCE, check_notebook
from course_lib.practice.keyfile import write_practice_keys
from course_lib.progress import CHECK_DIR, exercise_progress, progress_lines
from tests.practice.demo_exercise import EXERCISE, answer, write_source

pytestmark = pytest.mark.kernel

RIGHT = 'q1_year = 2022\nq2_codes = ["rus", "IRN"]\nq3_letter = "(B)"'
WRONG = 'q1_year = 2014\nq2_codes = ["IRN", "RUS"]\nq3_letter = "b"'


@pytest.fixture
def course(tmp_path: Path) -> tuple[Path, Path]:
    solutions = tmp_path / "solutions"
    write_source(solutions)
    build_exercises(solutions, tmp_path / "exercises")
    return solutions, tmp_path / "exercises" / f"{EXERCISE}.ipynb"


def test_instructor_source_gives_the_graders_verdicts(course, capsys):
    solutions, nb = course
    answer(nb, WRONG)
    code = main(["check", str(nb), "--solutions", str(solutions)])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    assert out[0] == f"{nb.name}: checked against the {MODE_SOURCE}"
    assert out[1].startswith("✗ q1_test (1 point): q1_year: the value is not right. Hint: The "
                             "year of the full-scale invasion.")
    assert out[2].startswith("✗ q2_test (2 points): q2_codes: the items are right but their "
                             "order is not.")
    assert out[3] == "✓ q3_test (1 point): q3_letter: correct."
    assert out[-1].startswith("1 of 3 autograded questions right")
    record = json.loads((nb.parent / CHECK_DIR / f"{nb.stem}.json").read_text())
    assert record["questions"] == {"q1_test": False, "q2_test": False, "q3_test": True}
    assert exercise_progress(nb.parent)[0].verdict == "1 of 3 questions right"


def test_practice_key_judges_without_solutions(course, capsys):
    solutions, nb = course
    write_practice_keys(solutions, nb.parent)
    answer(nb, RIGHT)
    # no solutions there: the key beside the notebook is used
    assert main(["check", str(nb), "--solutions", str(nb.parent / "none")]) == 0
    out = capsys.readouterr().out
    assert f"checked against the {MODE_KEY}" in out and "3 of 3 autograded questions right" in out
    assert "problem:" not in out
    answer(nb, WRONG)
    assert "changed since" in progress_lines(nb.parent)[0]
    report = check_notebook(nb)
    assert report.right() == {"q1_test": False, "q2_test": False, "q3_test": True}
    messages = [c["message"] for q in report.questions.values() for c in q["checks"]]
    assert "q2_codes: the items are right but their order is not. Hint: Most threatening " \
           "first." in messages


def test_unanswered_notebook_reports_the_stub(course):
    solutions, nb = course
    write_practice_keys(solutions, nb.parent)
    report = check_notebook(nb, record=False)
    assert not any(report.right().values())
    assert any("NotImplementedError" in e for e in report.errors)
    assert not (nb.parent / CHECK_DIR).exists()


def test_no_source_and_no_key_is_a_one_line_error(course, tmp_path, capsys):
    _, nb = course
    with pytest.raises(CourseError, match="no instructor source and no practice key"):
        check_notebook(nb)
    assert main(["check", str(tmp_path / "missing.ipynb")]) == 2
    assert capsys.readouterr().err.startswith("error: ")
