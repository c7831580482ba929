"""Class exports checked column by column (issue 10, item 3) and ``course gradebook show``."""

from __future__ import annotations

import csv
import io

import pytest

from classroom.gradebook.export import render_export
from classroom.gradebook.lms import lms_files
from classroom.gradebook.store import open_gradebook
from classroom.gradebook.totals import class_totals
from classroom.grading.judge import error_result
from tests.classloop.classloop_helpers import MARKS, GradedClass, run_cli
from tests.grading.class_kit import LATE, NO_SUBMISSION, STUDENTS, UNKNOWN_FOLDER
from tests.grading.submissions_kit import EXERCISE

pytestmark = pytest.mark.kernel

TITLE = "Exercises 01: NATO's southern direction in the shadow of the Russia-Ukraine war"


def _export(graded: GradedClass, fmt: str, tmp_path) -> list[list[str]]:
    out = tmp_path / f"{fmt}.csv"
    status, printed = run_cli(["gradebook", "export", "--format", fmt, "--out", str(out),
                               "--dir", str(graded.out)])
    assert status == 0 and printed.startswith(f"wrote {fmt} export")
    return list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))


def _totals(graded: GradedClass) -> dict:
    book = open_gradebook(graded.out, create=False)
    try:
        return class_totals(book)[1]
    finally:
        book.close()


def test_canvas_export_has_the_documented_columns(graded_class: GradedClass, tmp_path):
    rows = _export(graded_class, "canvas", tmp_path)
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                       f"{TITLE} (4711)"]
    assert rows[1] == ["Points Possible", "", "", "", "", "26"]
    by_id = {r[1]: r for r in rows[2:]}
    # every graded roster student, under their Canvas id; nobody without graded work (s31
    # handed nothing in; "visitor" has no Canvas id): Canvas keeps what it has for them
    assert set(by_id) == {str(1000 + int(s[1:])) for s in STUDENTS}
    totals = _totals(graded_class)
    for student in STUDENTS:
        row = by_id[str(1000 + int(student[1:]))]
        assert row[0] == f"Student {student.upper()}" and row[2:5] == ["", "", ""]
        assert float(row[5]) == pytest.approx(totals[student][EXERCISE].final)
    t = totals[LATE][EXERCISE]
    assert float(by_id["1007"][5]) == pytest.approx(0.8 * (t.auto + MARKS[LATE]))
    s01 = totals["s01"][EXERCISE]
    assert float(by_id["1001"][5]) == pytest.approx(s01.auto + MARKS["s01"]) and not s01.late
    assert by_id["1006"][5] == "0"  # the blank notebook earned nothing: a real grade
    assert not any(NO_SUBMISSION in r[0].lower() or r[5] == "" for r in rows[2:])


def test_moodle_export_maps_by_email_and_shows_the_penalty(graded_class: GradedClass,
                                                           tmp_path):
    rows = _export(graded_class, "moodle", tmp_path)
    assert rows[0] == ["First name", "Last name", "Email address", TITLE,
                       f"{TITLE} (feedback)"]
    by_email = {r[2]: r for r in rows[1:]}
    assert set(by_email) == {f"{s}@example.edu" for s in STUDENTS}
    assert by_email["s04@example.edu"][:2] == ["Student", "S04"]
    assert "Late: 20% penalty" in by_email[f"{LATE}@example.edu"][4]
    assert by_email["s01@example.edu"][4].startswith("Total ")
    totals = _totals(graded_class)
    assert float(by_email["s12@example.edu"][3]) == pytest.approx(totals["s12"][EXERCISE].final)


def test_wide_export_has_a_penalty_column(graded_class: GradedClass, tmp_path):
    rows = _export(graded_class, "wide", tmp_path)
    assert rows[0] == ["student", "id", "name", "email", "lms_id", EXERCISE,
                       f"{EXERCISE} penalty", f"{EXERCISE} late", f"{EXERCISE} unmarked",
                       "total"]
    by_folder = {r[0]: r for r in rows[1:]}
    t = _totals(graded_class)[LATE][EXERCISE]
    late = by_folder[LATE]
    assert float(late[6]) == pytest.approx(t.penalty_points) and float(late[6]) > 0
    assert late[7] == "yes" and late[8] == "0"
    assert float(late[5]) + float(late[6]) == pytest.approx(t.auto + t.manual)
    assert by_folder["s02"][6:9] == ["0", "no", "1"]  # on time, reflection not marked
    assert by_folder[UNKNOWN_FOLDER][1] == ""          # graded, but not on the roster


def test_long_export_has_one_row_per_question(graded_class: GradedClass, tmp_path):
    rows = _export(graded_class, "long", tmp_path)
    assert rows[0] == ["student", "id", "exercise", "question", "kind", "points",
                       "max_points", "status", "late", "exercise_penalty_percent"]
    mine = [r for r in rows[1:] if r[0] == LATE]
    assert len(mine) == 14 and {r[4] for r in mine} == {"auto", "manual"}  # 13 + 1
    assert all(r[8] == "yes" and r[9] == "20" for r in mine)
    q6 = next(r for r in mine if r[3] == "q6")
    assert q6[5] == "6" and q6[7] == "marked"
    assert len({r[0] for r in rows[1:]}) == len(STUDENTS) + 1


def test_export_never_overwrites_a_file_it_did_not_write(graded_class: GradedClass,
                                                         tmp_path):
    mine = tmp_path / "notes.csv"
    mine.write_text("my own notes\n")
    argv = ["gradebook", "export", "--format", "canvas", "--out", str(mine), "--dir",
            str(graded_class.out)]
    status, _ = run_cli(argv)
    assert status == 2 and mine.read_text() == "my own notes\n"
    status, _ = run_cli(argv + ["--overwrite"])
    assert status == 0 and mine.read_text().startswith("Student,ID,")
    status, _ = run_cli(argv)  # now it is the tool's own file: rewritten without --overwrite
    assert status == 0


def test_show_prints_a_short_summary(graded_class: GradedClass):
    status, printed = run_cli(["gradebook", "show", "--dir", str(graded_class.out)])
    lines = printed.splitlines()
    assert status == 0 and len(lines) == 3
    assert lines[0].startswith(f"students: {len(STUDENTS) + 2} ({len(STUDENTS) + 1} on the "
                               f"roster) · submissions graded: {len(STUDENTS) + 1}")
    assert "late: 1 ·" in lines[1]
    assert f"unmarked manual questions: {len(STUDENTS) + 1 - len(MARKS)}" in lines[1]
    assert lines[2].startswith(f"{EXERCISE}: {len(STUDENTS) + 1} submissions, mean ")


def test_a_submission_that_could_not_be_graded_is_left_out_of_lms_files(tmp_path):
    book = open_gradebook(tmp_path)
    book.sync_exercise("01_x", "X", "h", [("q1", "auto", 4.0)], 4.0, 0.0)
    run = book.start_run("test")
    book.record_result(run, error_result("ann", "01_x", "ann.ipynb", "not a notebook").to_json(),
                       {"sha256": "a", "source_path": "ann.ipynb", "lms_id": "55"}, "h")
    try:
        (canvas,) = lms_files(book, "canvas")
        (moodle,) = lms_files(book, "moodle")
        wide = list(csv.reader(io.StringIO(render_export(book, "wide"))))
    finally:
        book.close()
    for file in (canvas, moodle):
        assert file.rows == 0 and file.left_out[0].startswith("ann: could not be graded")
    assert wide[1][5] == "error"
    with pytest.raises(ValueError, match="format must be one of wide, long"):
        render_export(open_gradebook(tmp_path), "excel")
