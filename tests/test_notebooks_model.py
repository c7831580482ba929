"""The notebook model: nbgrader metadata, solutions -> exercises, leak checks, release bundle."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from classroom.cli import main
from classroom.errors import CourseError
from classroom.notebooks import model, transform, validate
from classroom.notebooks.model import (
    NBGRADER_SCHEMA,
    CellRole,
    cell_role,
    exercise_info,
    grade_id,
    parse_check_calls,
    points,
    read_notebook,
    validate_source,
)
from classroom.notebooks.release import build_release, scan_for_leaks
from classroom.notebooks.transform import build_exercises, solution_lines, to_student_version
from course_lib.checks import FormError, check_answer, check_choice, judge, self_check
from course_lib.exercise_format import cells, checkcalls, notebook_io

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
EXERCISES = ROOT / "exercises"
MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION", "### BEGIN HIDDEN TESTS",
           "### END HIDDEN TESTS")


def _sources():
    return sorted(SOLUTIONS.glob("*.ipynb"))


@pytest.mark.parametrize("path", _sources(), ids=lambda p: p.stem)
def test_exercise_sources_follow_the_authoring_contract(path):
    nb = read_notebook(path)
    assert validate_source(nb) == []
    info = exercise_info(nb)
    assert info.exercise == path.stem and info.lesson == path.stem[:2] and info.title
    roles = [cell_role(c) for c in nb.cells]
    tests = [c for c in nb.cells if cell_role(c) is CellRole.TEST]
    answers = {grade_id(c) for c in nb.cells if cell_role(c) is CellRole.SOLUTION}
    assert 3 <= len(answers) <= 6, "three to six autograded questions"
    assert len(tests) >= len(answers), "every autograded question has at least one test cell"
    assert sum(points(c) for c in tests) >= 20
    assert CellRole.MANUAL in roles
    assert any("widget" in c.metadata.get("tags", []) for c in nb.cells)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader")
        assert meta is not None, "every cell of an exercise source carries nbgrader metadata"
        assert meta["schema_version"] == NBGRADER_SCHEMA
        assert set(meta) >= {"grade", "solution", "locked", "grade_id", "schema_version"}
        if meta["grade"]:
            assert meta["points"] > 0
    for cell in tests:
        calls = parse_check_calls(cell.source)
        assert any(c.hidden and c.graded for c in calls)
        assert any(not c.graded and not c.hidden for c in calls), "a visible self-check"


def test_student_version_locks_stubs_and_clears():
    nb = read_notebook(_sources()[0])
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="42\n")]
            cell.execution_count = 7
    student = to_student_version(nb)
    for cell in student.cells:
        role = cell_role(cell)
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
        if role in (CellRole.PROMPT, CellRole.SETUP, CellRole.TEST):
            assert cell.metadata["editable"] is False
        assert cell.metadata["deletable"] is False
        if role is CellRole.SOLUTION:
            assert cell.source.endswith("# YOUR CODE HERE\nraise NotImplementedError()")
        if role is CellRole.MANUAL:
            assert cell.source == "YOUR ANSWER HERE"
    assert [grade_id(c) for c in student.cells] == [grade_id(c) for c in nb.cells]


@pytest.mark.parametrize("path", _sources(), ids=lambda p: p.stem)
def test_no_solution_or_hidden_test_reaches_exercises(path):
    text = (EXERCISES / path.name).read_text()
    for marker in MARKERS:
        assert marker not in text
    student = read_notebook(EXERCISES / path.name)
    lines = {line.strip() for c in student.cells for line in c.source.splitlines()}
    secrets = solution_lines(read_notebook(path))
    assert secrets, "the source must have solution lines to check"
    assert not secrets & lines
    joined = "\n".join(c.source for c in student.cells)
    assert not [s for s in secrets if s in joined]


def test_build_exercises_check_detects_stale_and_extra(tmp_path, capsys):
    assert build_exercises(SOLUTIONS, EXERCISES, check=True).up_to_date, \
        "exercises/ is stale: run `course build-exercises`"
    ex = tmp_path / "ex"
    first = build_exercises(SOLUTIONS, ex)
    assert first.written == [p.name for p in _sources()]
    assert build_exercises(SOLUTIONS, ex).written == []  # idempotent
    target = ex / _sources()[0].name
    target.write_text(target.read_text().replace("YOUR CODE HERE", "my answer"))
    (ex / "99_orphan.ipynb").write_text("{}")
    argv = ["build-exercises", "--check", "--solutions", str(SOLUTIONS), "--exercises", str(ex)]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "stale" in err and target.name in err and "99_orphan" in err
    assert main(argv[:1] + argv[2:]) == 0
    assert target.read_text() == (EXERCISES / target.name).read_text()


def test_invalid_sources_are_rejected():
    nb = nbformat.v4.new_notebook(metadata={"course": {"exercise": "x"}})
    cell = nbformat.v4.new_markdown_cell("### BEGIN SOLUTION\nsecret")
    nb.cells.append(cell)
    assert any("markers in a free cell" in p for p in validate_source(nb))
    with pytest.raises(ValueError, match="not a valid exercise source"):
        to_student_version(nb)
    with pytest.raises(ValueError, match="arguments must be literals"):
        parse_check_calls("check_answer('y', equals=secret_value)")
    with pytest.raises(ValueError, match="statement of its own"):
        parse_check_calls("assert check_answer('y', equals=1)")
    for weight in ("True", "1e999", "0", "'2'"):
        with pytest.raises(ValueError, match=r"^line 1: check_answer: weight must be a finite "
                                             r"number in \(0, inf\), got "):
            parse_check_calls(f"check_answer('y', equals=1, weight={weight})")


def test_checks_work_as_plain_asserts_in_a_namespace(capsys):
    ns = {"year": 2022, "order": ["a", "b"], "choice": " (B) ", "share": 0.374}
    assert check_answer("year", equals=2022, namespace=ns)
    assert check_answer("share", close_to=0.375, tol=0.005, namespace=ns)
    assert check_choice("choice", "b", namespace=ns)
    with pytest.raises(AssertionError, match="order is not") as info:
        check_answer("order", sequence=["b", "a"], namespace=ns)
    assert "'b', 'a'" not in str(info.value)
    with pytest.raises(AssertionError, match="no variable called missing"):
        check_answer("missing", equals=1, namespace=ns)
    assert self_check("year", type=int, between=(1949, 2024), namespace=ns) is True
    right = capsys.readouterr().out
    assert "does not say whether the value is correct" in right and "course check" in right
    with pytest.raises(FormError) as wrong:  # shown as its one line, never a traceback
        self_check("share", type=int, namespace=ns)
    (line,) = wrong.value._render_traceback_()
    assert "whole number" in line and "\n" not in line and capsys.readouterr().out == ""
    assert not judge("check_answer", "x", {"equals": 1}, {"kind": "bool", "value": True}).passed


@pytest.mark.slow
def test_release_bundle_leaks_nothing(tmp_path):
    dest = tmp_path / "bundle"
    result = build_release(ROOT, dest)
    files = set(result.files)
    assert "README.md" in files and "pyproject.toml" in files and "environment.yml" in files
    assert {f"exercises/{p.name}" for p in _sources()} <= files
    assert "course_lib/checks/__init__.py" in files
    assert "teaching-platform/classroom/cli.py" in files
    assert not any(f.startswith(("solutions/", "instructor/", "tests/")) for f in files)
    assert scan_for_leaks(dest, SOLUTIONS) == []
    # the scanner is not blind: a copied solution is caught
    (dest / "solutions").mkdir()
    src = _sources()[0]
    (dest / "solutions" / src.name).write_text(src.read_text())
    (dest / "notes.md").write_text(next(iter(solution_lines(read_notebook(src)))) + "\n")
    leaks = scan_for_leaks(dest, SOLUTIONS)
    assert any("file from solutions/" in x for x in leaks)
    assert any(x.startswith("notes.md: contains solution") for x in leaks)
    with pytest.raises(CourseError, match="is not empty"):
        build_release(ROOT, dest)


def test_corrupt_and_foreign_files_are_reported_clearly(tmp_path):
    bad = tmp_path / "bad.ipynb"
    bad.write_text("{")
    with pytest.raises(ValueError, match="not valid JSON"):
        read_notebook(bad)
    bad.write_text(json.dumps({"hello": 1}))
    with pytest.raises(ValueError, match="not a Jupyter notebook"):
        read_notebook(bad)


def test_model_names_stay_importable_after_the_split():
    """Names other modules import from notebooks.model/transform are the defining objects."""
    defining = {**vars(cells), **vars(checkcalls), **vars(notebook_io), **vars(validate)}
    assert set(model.__all__) >= {"CellRole", "CheckCall", "NotebookFormatError", "WIDGET_TAG",
                                  "cell_source", "parse_check_calls", "points", "read_notebook"}
    for name in model.__all__:
        assert getattr(model, name) is defining[name], name
    for name in ("atomic_write_text", "clear_hidden_tests", "to_student_version",
                 "solution_lines", "build_exercises"):
        assert callable(getattr(transform, name)), name
