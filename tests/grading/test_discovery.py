"""Submissions are regular files and identities are exact (issue 8, item 2); no kernels run here."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import nbformat
import pytest

from classroom.errors import CourseError
from classroom.grading.batch import grade_batch
from classroom.grading.discovery import (
    decode_id,
    discover_submissions,
    encode_id,
    parse_canvas_name,
)
from classroom.grading.exercise import assemble_submission
from classroom.grading.plan import load_exercises, plan
from classroom.notebooks.model import grade_id
from tests.grading.submissions_kit import (
    EXERCISE,
    SOLUTIONS,
    SOURCE,
    make_submission,
    student_notebook,
)

#: twelve ids that a lossy "safe name" folded into eight (issue 8)
COLLISION_CLASS = ["ann lee", "ann_lee", "Ann Lee", "ann-lee", "josé", "jos", "jose\u0301x",
                   "josex", "日本", "中国", "a.b", "a%2Eb"]


@pytest.fixture(scope="module")
def specs():
    return load_exercises(SOLUTIONS)[0]


def test_encoding_is_collision_free_and_reversible():
    encoded = [encode_id(s) for s in COLLISION_CLASS]
    assert len(set(encoded)) == len(COLLISION_CLASS)
    assert len({e.lower() for e in encoded}) == len(COLLISION_CLASS)  # case-insensitive disks
    for name, enc in zip(COLLISION_CLASS, encoded, strict=True):
        assert decode_id(enc) == unicodedata.normalize("NFC", name)
        assert "/" not in enc and "." not in enc and enc.startswith("s-")
    assert encode_id("jose\u0301") == encode_id("josé")  # NFC: one student, not two


def test_student_ids_are_kept_exactly(tmp_path, specs):
    for name in COLLISION_CLASS:
        make_submission(tmp_path, name)
    found = discover_submissions([tmp_path], specs)
    students = sorted(s.student for s in found.submissions)
    assert students == sorted({unicodedata.normalize("NFC", n) for n in COLLISION_CLASS})
    assert "Ann Lee" in students and "ann lee" in students and "日本" in students


def test_symlinks_and_special_files_are_error_rows(tmp_path, specs):
    subs = tmp_path / "subs"
    (subs / "mallory").mkdir(parents=True)
    os.symlink(SOURCE, subs / "mallory" / f"{EXERCISE}.ipynb")
    os.symlink(SOLUTIONS, subs / "linked_folder")
    make_submission(tmp_path / "elsewhere", "eve")
    os.symlink(tmp_path / "elsewhere" / "eve" / f"{EXERCISE}.ipynb", subs / "bare.ipynb")
    (subs / "pipe").mkdir()
    os.mkfifo(subs / "pipe" / f"{EXERCISE}.ipynb")
    found = discover_submissions([subs, subs / "bare.ipynb"], specs)
    errors = {s.student: s.error for s in found.submissions}
    assert all(s.data is None for s in found.submissions)
    assert "symbolic link" in errors["mallory"]
    assert "symbolic link" in errors["linked_folder"]
    assert "symbolic link" in errors["bare"]
    assert "not a regular file (a named pipe)" in errors["pipe"]


def test_symlinked_solution_is_never_graded(tmp_path):
    subs = tmp_path / "subs"
    (subs / "mallory").mkdir(parents=True)
    os.symlink(SOURCE, subs / "mallory" / f"{EXERCISE}.ipynb")
    batch = grade_batch([subs], tmp_path / "out", solutions_dir=SOLUTIONS, jobs=1)
    r = batch.by_student("mallory", EXERCISE)
    assert r.status == "error" and r.score == 0
    assert "symbolic link" in r.errors[0]
    assert batch.graded == 1 and batch.isolation == []  # no kernel ran


def test_other_files_are_ignored_not_graded(tmp_path, specs):
    make_submission(tmp_path, "ann")
    (tmp_path / "ann" / "notes.txt").write_text("x")
    (tmp_path / "ann" / ".ipynb_checkpoints").mkdir()
    nbformat.write(student_notebook(), tmp_path / "ann" / ".ipynb_checkpoints" / "x.ipynb")
    (tmp_path / "README.md").write_text("x")
    found = discover_submissions([tmp_path], specs)
    assert [s.path.name for s in found.submissions] == [f"{EXERCISE}.ipynb"]
    assert sorted(p.name for p in found.ignored) == ["README.md", "notes.txt"]


def test_nbgrader_layout_and_timestamp(tmp_path, specs):
    course = tmp_path / "course"
    nb_path = course / "submitted" / "Ann Lee" / "ps1" / f"{EXERCISE}.ipynb"
    nb_path.parent.mkdir(parents=True)
    nbformat.write(student_notebook(), nb_path)
    (nb_path.parent / "timestamp.txt").write_text("2026-11-30 17:05:09.123456 UTC\n")
    (found,) = discover_submissions([course], specs).submissions
    assert found.student == "Ann Lee"
    assert found.submitted_at == "2026-11-30T17:05:09+00:00"
    assert found.time_source == "nbgrader timestamp.txt"


def test_canvas_names_keep_lms_id_and_late_flag(tmp_path, specs):
    assert parse_canvas_name("smithjo_77_88_notes.ipynb").late is False
    assert parse_canvas_name("homework.ipynb") is None
    folder = tmp_path / "canvas"
    folder.mkdir()
    nbformat.write(student_notebook(), folder / f"leeann_LATE_1234_5678_{EXERCISE}-1.ipynb")
    nbformat.write(student_notebook(), folder / f"doejane_4321_8765_{EXERCISE}.ipynb")
    subs = {s.student: s for s in discover_submissions([folder], specs).submissions}
    assert set(subs) == {"canvas-1234", "canvas-4321"}  # the Canvas user id is the identity
    assert subs["canvas-1234"].lms_id == "1234" and subs["canvas-1234"].late is True
    assert subs["canvas-1234"].lms_submission_id == "5678"
    assert subs["canvas-1234"].hint == EXERCISE
    assert subs["canvas-4321"].lms_id == "4321" and subs["canvas-4321"].late is False
    items = plan(list(subs.values()), specs)
    assert all(i.error is None and i.exercise == EXERCISE for i in items)


def test_two_canvas_students_with_one_name_stay_two(tmp_path, specs):
    """Issue 19, item 6: ``smithjohn_1111_...`` and ``smithjohn_2222_...`` are two students.

    Canvas names a bulk-download file ``<sortable name>[_LATE]_<user id>_<attachment id>_
    <file name>``, the name reduced to word characters and lower-cased (``late`` then too),
    with digit runs between underscores removed from it (content_zipper.rb, get_filename and
    sanitize_user_name, instructure/canvas-lms): the user id is the only identity in it.
    """
    folder = tmp_path / "canvas"
    folder.mkdir()
    for name in (f"smithjohn_1111_501_{EXERCISE}.ipynb", f"smithjohn_2222_502_{EXERCISE}.ipynb",
                 f"o_brienpat_late_3333_503_{EXERCISE}-2.ipynb"):
        nbformat.write(student_notebook(), folder / name)
    subs = discover_submissions([folder], specs).submissions
    assert [(s.student, s.lms_id, s.late) for s in subs] == [
        ("canvas-1111", "1111", False), ("canvas-2222", "2222", False),
        ("canvas-3333", "3333", True)]
    items = plan(subs, specs)
    assert [(i.sub.student, i.error) for i in items] == [
        ("canvas-1111", None), ("canvas-2222", None), ("canvas-3333", None)]
    assert parse_canvas_name(f"o_brienpat_late_3333_503_{EXERCISE}-2.ipynb").student \
        == "o_brienpat"  # the name is kept, as a display field only
    assert parse_canvas_name("1111_501_02_x.ipynb") is None  # no name: ids cannot be told apart


def test_two_notebooks_for_one_exercise_are_ambiguous(tmp_path, specs):
    make_submission(tmp_path, "ann")
    nbformat.write(student_notebook(fresh=True), tmp_path / "ann" / "my copy.ipynb")
    items = plan(discover_submissions([tmp_path], specs).submissions, specs)
    (item,) = items
    assert item.error is not None and item.error.startswith("ambiguous: 2 notebooks")
    assert "my copy.ipynb" in item.error and f"{EXERCISE}.ipynb" in item.error


def test_duplicated_answer_cell_grades_the_last_one_that_ran(specs):
    nb = student_notebook({"q1": "q1_core_tasks = 'a'"})
    original = next(c for c in nb.cells if grade_id(c) == "q1")
    pasted = nbformat.from_dict(dict(original))
    pasted.source = "q1_core_tasks = 'b'"
    nb.cells.insert(nb.cells.index(original) + 1, pasted)
    original.execution_count, pasted.execution_count = 9, 4
    built, notes = assemble_submission(specs[EXERCISE], nb)
    sources = [c.source for c in built.cells if grade_id(c) == "q1"]
    assert sources == ["q1_core_tasks = 'a'"]
    assert any("2 cells for q1" in n and "ran last" in n for n in notes)
    original.execution_count = None
    pasted.execution_count = None
    built, notes = assemble_submission(specs[EXERCISE], nb)
    assert [c.source for c in built.cells if grade_id(c) == "q1"] == ["q1_core_tasks = 'b'"]
    assert any("the last one" in n for n in notes)


@pytest.mark.parametrize("where", ["equal", "inside"])
def test_out_inside_submissions_is_refused(tmp_path, where):
    make_submission(tmp_path / "subs", "ann")
    out = tmp_path / "subs" if where == "equal" else tmp_path / "subs" / "ann" / "reports"
    with pytest.raises(CourseError, match="inside the submissions folder"):
        grade_batch([tmp_path / "subs"], out, solutions_dir=SOLUTIONS)
    assert not Path(tmp_path / "subs" / "gradebook.sqlite").exists()
