"""LMS files that cannot misroute or erase a grade (issue 19, items 6 and 7).

Each export is imported by a model of the LMS's own importer (``lms_importers.py``), written
rule by rule from its code: Moodle's ``grade/import/csv/classes/load_data.php`` and
``grade/import/lib.php`` (moodle/moodle), Canvas's ``app/models/gradebook_importer.rb``
(instructure/canvas-lms).  The class: roster students with and without an email, a Canvas id
that is not a number, a student without a submission whose grade the LMS already holds, a
submission that could not be graded, a folder nobody on the roster owns, two Canvas downloads
of one name, and ids that a spreadsheet would run as formulas.  No kernel runs here.
"""

from __future__ import annotations

import contextlib
import csv
import io
import tomllib

import pytest

from classroom.errors import CourseError
from classroom.gradebook.deadlines import apply_config, parse_config
from classroom.gradebook.export import render_export
from classroom.gradebook.history import latest_results
from classroom.gradebook.lms import lms_files
from classroom.gradebook.roster import check_roster, import_roster, parse_roster, roster_by_folder
from classroom.gradebook.store import open_gradebook
from classroom.grading.judge import error_result
from classroom.grading.report import export_all
from tests.classloop.classloop_helpers import run_cli
from tests.classloop.lms_importers import (
    CanvasCourse,
    ImportAborted,
    MoodleCourse,
    canvas_import,
    moodle_import,
)
from tests.grading.submissions_kit import EXERCISE, SOLUTIONS, write_submission

ROSTER = """id,name,email,lms_id,folder
s1,Ann Lee,ann@x.org,1111,ann
s2,Bo Li,,2222,bo
s3,Cy Wu,cy@x.org,abc,cy
s4,Di No,di@x.org,4444,di
s5,Ed Ox,ed@x.org,5555,ed
s6,"=cmd|' /C calc'!A0",e6@x.org,6666,@SUM(1)
"""
#: (student folder, exercise, points; None: could not be graded, lms id from the file name)
SUBMISSIONS = [("ann", "01_x", 8.0, None), ("ann", "02_y", 4.0, None),
               ("bo", "01_x", 6.0, None), ("cy", "01_x", 7.0, None),
               ("ed", "01_x", None, None), ("@SUM(1)", "01_x", 5.0, None),
               ("visitor", "01_x", 3.0, None), ("canvas-7777", "01_x", 9.0, "7777"),
               ("canvas-8888", "01_x", 2.0, "8888")]
CONFIG = """
[exercises.01_x]
due = "2026-11-20T23:59:00+01:00"
canvas_id = "4711"
[exercises.02_y]
due = "2026-11-27T23:59:00+01:00"
canvas_id = 4712
"""


def _result(student: str, exercise: str, points: float | None) -> dict:
    if points is None:
        return error_result(student, exercise, f"{student}.ipynb", "not a notebook").to_json()
    return {"student": student, "exercise": exercise, "title": exercise, "status": "graded",
            "source_file": f"{student}.ipynb", "score": points, "max_score": 10.0,
            "auto_max_score": 10.0, "manual_max_score": 0.0, "manual": {},
            "questions": {"q1": {"grade_id": "q1", "points": points, "max_points": 10.0,
                                 "status": "graded", "checks": [], "errors": []}},
            "messages": [], "errors": []}


@pytest.fixture
def book(tmp_path):
    book = open_gradebook(tmp_path)
    book.sync_exercise("01_x", "Essay one", "h1", [("q1", "auto", 10.0)], 10.0, 0.0)
    book.sync_exercise("02_y", "Essay two", "h2", [("q1", "auto", 5.0)], 5.0, 0.0)
    run = book.start_run("test")
    for student, exercise, points, lms in SUBMISSIONS:
        book.record_result(run, _result(student, exercise, points),
                           {"sha256": f"{student}{exercise}", "source_path": f"{student}.ipynb",
                            "lms_id": lms}, "h")
    import_roster(book, parse_roster(ROSTER))
    apply_config(book, parse_config(tomllib.loads(CONFIG)))
    yield book
    book.close()


def _no_canvas_ids():
    return parse_config(tomllib.loads('[exercises.01_x]\ndue = "2026-11-20T23:59:00Z"\n'))


def _files(book, fmt: str, **kw) -> dict[str, object]:
    return {f.exercise: f for f in lms_files(book, fmt, **kw)}


# --- Canvas (app/models/gradebook_importer.rb) ----------------------------------------------

CANVAS = CanvasCourse(
    students={1111: "Ann Lee", 2222: "Bo Li", 3: "Cy Wu", 4444: "Di No", 5555: "Ed Ox",
              6666: "Six", 7777: "John Smith", 8888: "John Smith"},
    assignments={4711: "Essay one", 4712: "Essay two"},
    scores={(4444, 4711): "9", (5555, 4711): "4", (2222, 4712): "3"})


def test_canvas_blank_cell_over_a_grade_erases_it_so_the_model_can_fail():
    """gradebook_importer.rb, no_change_to_value?: a blank new value over a present one is a
    change, so the import removes the grade. A whole-class file with blank cells did that."""
    old_style = ("Student,ID,SIS User ID,SIS Login ID,Section,Essay one (4711)\n"
                 "Ann Lee,1111,,,,8\nDi No,4444,,,,\n")
    after = canvas_import(old_style, CANVAS)
    assert (4444, 4711) not in after.scores and after.scores[(1111, 4711)] == "8"


def test_canvas_files_put_every_grade_on_its_student_and_erase_none(book):
    files = _files(book, "canvas")
    course = CANVAS
    for exercise in ("01_x", "02_y"):
        course = canvas_import(files[exercise].text, course)
    assert course.new_students == [] and course.new_assignments == {}
    assert course.scores == {
        (1111, 4711): "8", (2222, 4711): "6", (6666, 4711): "5", (7777, 4711): "9",
        (8888, 4711): "2", (1111, 4712): "4",
        (4444, 4711): "9", (5555, 4711): "4", (2222, 4712): "3"}  # kept: not in the files
    assert course.points_possible == {4711: "10", 4712: "5"}  # the "Points Possible" row


def test_canvas_rows_without_a_numeric_id_are_left_out_and_named(book):
    """gradebook_importer.rb, process_student: an ID that is not a Canvas user id falls back
    to the SIS ids and then to the *name*: such a row could land on another student."""
    left = _files(book, "canvas")["01_x"].left_out
    assert any(line.startswith("cy:") and "'abc'" in line for line in left)
    assert any(line.startswith("visitor:") and "Canvas user id" in line for line in left)
    assert any(line.startswith("ed:") and "could not be graded" in line for line in left)
    text = _files(book, "canvas")["01_x"].text
    assert ",abc," not in text and "visitor" not in text


def test_two_canvas_students_of_one_name_get_their_own_grades(book):
    rows = list(csv.reader(io.StringIO(_files(book, "canvas")["01_x"].text)))
    ids = [r[1] for r in rows[2:]]
    assert "7777" in ids and "8888" in ids and len(ids) == len(set(ids))


def test_canvas_points_possible_row_gives_a_new_assignment_its_points(book):
    apply_config(book, _no_canvas_ids())
    text = _files(book, "canvas", exercise="01_x")["01_x"].text
    after = canvas_import(text, CanvasCourse({1111: "Ann Lee"}, {}))
    assert after.new_assignments == {"Essay one": "10"}
    assert after.new_scores == {(1111, "Essay one"): "8"}  # no zero for anyone else


def test_canvas_id_must_be_a_number(book):
    """Assignment.title_and_id reads an id only from "Title (digits)": "Title (abc)" became a
    new assignment of that name."""
    with pytest.raises(CourseError, match="canvas_id must be the Canvas assignment's number"):
        parse_config(tomllib.loads('[exercises.01_x]\ndue = "2026-11-20T23:59:00Z"\n'
                                   'canvas_id = "abc"\n'))
    book.conn.execute("UPDATE settings SET value_json = replace(value_json, '4711', '47a')")
    with pytest.raises(CourseError, match="canvas_id"):
        lms_files(book, "canvas")


def test_canvas_headers_the_importer_would_misread_are_refused(book):
    """title_and_id takes "(digits)" at the end as an id; strip_non_assignment_columns drops a
    column whose title contains "Final Grade" and the like."""
    apply_config(book, _no_canvas_ids())
    for title in ("Essay (2023)", "Final Grade essay"):
        book.conn.execute("UPDATE exercises SET title = ? WHERE id = '01_x'", (title,))
        with pytest.raises(CourseError, match="Canvas would"):
            lms_files(book, "canvas", exercise="01_x")


def test_a_student_named_points_possible_is_not_read_as_the_points_row(book):
    """check_for_non_student_row: any row whose first cell contains "Points Possible"."""
    book.conn.execute("UPDATE students SET name = 'Points Possible Jr' WHERE id = 's1'")
    text = _files(book, "canvas")["01_x"].text
    assert sum("Points Possible" in r[0] for r in csv.reader(io.StringIO(text))) == 1
    assert canvas_import(text, CANVAS).scores[(1111, 4711)] == "8"


# --- Moodle (grade/import/csv/classes/load_data.php, grade/import/lib.php) --------------------

MOODLE = MoodleCourse(
    users={1: {"email": "ann@x.org", "idnumber": "s1"}, 2: {"email": "", "idnumber": "s2"},
           3: {"email": "cy@x.org", "idnumber": "s3"}, 4: {"email": "di@x.org", "idnumber": "s4"},
           5: {"email": "ed@x.org", "idnumber": "s5"}, 6: {"email": "e6@x.org", "idnumber": "s6"}},
    grades={(4, "i1"): 9.0, (5, "i1"): 4.0}, feedback={(4, "i1"): "great"})
EXISTING = {"Essay one": ("existing", "i1"), "Essay one (feedback)": ("feedback", "i1")}


def test_moodle_blank_key_writes_to_the_previous_student_so_the_model_can_fail():
    """load_data.php: a blank key is skipped but $this->studentid keeps the previous row's
    student; a blank first row aborts the import; '' over an existing grade erases it."""
    old_style = ("First name,Last name,Email address,Essay one\nAnn,Lee,ann@x.org,8\n"
                 "Bo,Li,,6\nDi,No,di@x.org,\n")
    after = moodle_import(old_style, MOODLE, map_from="Email address", map_to="useremail",
                          columns=EXISTING)
    assert after.grades[(1, "i1")] == 6.0 and after.grades[(4, "i1")] is None
    with pytest.raises(ImportAborted):
        moodle_import("First name,Last name,Email address,Essay one\nBo,Li,,6\n", MOODLE,
                      map_from="Email address", map_to="useremail", columns=EXISTING)


@pytest.mark.parametrize("match, column, users", [
    ("email", "Email address", {1, 3, 6}), ("idnumber", "ID number", {1, 2, 3, 6})])
def test_moodle_file_maps_every_grade_to_its_student_and_erases_nothing(book, match, column,
                                                                        users):
    file = _files(book, "moodle", match=match)["01_x"]
    assert file.text.splitlines()[0] == f"First name,Last name,{column},Essay one," \
                                        "Essay one (feedback)"
    after = moodle_import(file.text, MOODLE, map_from=column, map_to=f"user{match}",
                          columns=EXISTING)
    points = {1: 8.0, 2: 6.0, 3: 7.0, 6: 5.0}
    assert after.grades == {**MOODLE.grades, **{(u, "i1"): points[u] for u in users}}
    assert after.feedback[(4, "i1")] == "great"  # not in the file: feedback kept
    assert all(after.feedback[(u, "i1")] for u in users)  # never an empty (erasing) cell
    new = moodle_import(file.text, MOODLE, map_from=column, map_to=f"user{match}",
                        columns={"Essay one": ("new", "n1")})
    assert {u for (u, item) in new.grades if item == "n1"} == users  # no zero for the rest


def test_moodle_rows_without_the_key_are_left_out_and_named(book):
    left = _files(book, "moodle", match="email")["01_x"].left_out
    assert any(line.startswith("bo:") and "no email" in line for line in left)
    assert any(line.startswith("visitor:") and "not on the roster" in line for line in left)
    assert any(line.startswith("ed:") and "could not be graded" in line for line in left)
    assert not any(line.startswith(("ann:", "cy:")) for line in left)


def test_moodle_a_key_two_students_share_is_left_out(book):
    import_roster(book, parse_roster("id,name,email,lms_id,folder\ns9,Vi Si,ANN@x.org,,vi\n"))
    run = book.start_run("test")
    book.record_result(run, _result("vi", "01_x", 1.0), {"sha256": "v", "source_path": "v"}, "h")
    file = _files(book, "moodle")["01_x"]
    assert "ann@x.org" not in file.text.lower()
    assert sum("shared by 2 students" in line for line in file.left_out) == 2


def test_roster_refuses_a_repeated_email_or_lms_id():
    with pytest.raises(CourseError, match="line 3: email 'A@x'"):
        parse_roster("id,name,email,lms_id\nu1,A,a@x,1\nu2,B,A@x,2\n")
    with pytest.raises(CourseError, match="line 3: lms_id '1'"):
        parse_roster("id,name,email,lms_id\nu1,A,a@x,1\nu2,B,b@x,1\n")


def test_canvas_downloads_belong_to_the_roster_student_with_that_lms_id(book):
    import_roster(book, parse_roster("id,name,email,lms_id\ns7,John Smith,j7@x.org,7777\n"))
    roster = roster_by_folder(book)
    assert roster["canvas-7777"].id == "s7" and "canvas-8888" not in roster
    check = check_roster(book)
    assert "canvas-8888" in check.unknown_folders and "canvas-7777" not in check.unknown_folders
    assert "s7" not in [s.id for s in check.without_submission]


# --- every CSV: spreadsheet formulas (OWASP "CSV Injection") -----------------------------------

FORMULAS = ["=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-2+3", "@SUM(1)", "\tx", "\rx"]


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_no_cell_of_any_csv_starts_a_formula(tmp_path):
    book = open_gradebook(tmp_path)
    book.sync_exercise("01_x", "=Essay", "h", [("q1", "auto", 10.0)], 10.0, 0.0)
    run = book.start_run("test")
    roster = io.StringIO()
    writer = csv.writer(roster)
    writer.writerow(["id", "name", "email", "lms_id", "folder"])
    for i, text in enumerate(FORMULAS):
        result = _result(text, "01_x", 5.0)
        result["errors"] = [text]
        book.record_result(run, result, {"sha256": str(i), "source_path": "x"}, "h")
        if text.strip() == text:  # a roster cell is stripped, so "\tx" cannot be a folder
            writer.writerow([f"r{i}", text, f"u{i}@x.org", 100 + i, text])
    import_roster(book, parse_roster(roster.getvalue()))
    texts = [render_export(book, "wide"), render_export(book, "long")]
    texts += [f.text for fmt in ("canvas", "moodle") for f in lms_files(book, fmt)]
    export_all(book)
    texts.append((tmp_path / "gradebook.csv").read_text(encoding="utf-8"))
    for text in texts:
        cells = _cells(text)
        dangerous = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")
                     and not _number(c)]
        assert dangerous == [], text
        assert "'=HYPERLINK(\"http://x\",\"y\")" in cells or "'=Essay" in cells
    book.close()


# --- the command ----------------------------------------------------------------------------

def _cli(argv: list[str]) -> tuple[int, str, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        status, out = run_cli(argv)
    return status, out, err.getvalue()


def test_command_writes_one_file_per_exercise_and_names_who_is_left_out(book, tmp_path):
    folder = tmp_path / "canvas"
    status, out, err = _cli(["gradebook", "export", "--format", "canvas", "--out", str(folder),
                             "--dir", str(book.folder)])
    assert status == 0
    assert sorted(p.name for p in folder.iterdir()) == ["01_x.canvas.csv", "02_y.canvas.csv"]
    assert "cy: " in err and "visitor: " in err and "ed: " in err
    assert all(line.startswith(("left out of ", "not in ", "warning: ")) for line in
               err.splitlines())
    status, _, err = _cli(["gradebook", "export", "--format", "moodle", "--out",
                           str(tmp_path / "m.csv"), "--dir", str(book.folder)])
    assert status == 2 and len(err.splitlines()) == 1 and "--exercise" in err
    status, _, _ = _cli(["gradebook", "export", "--format", "moodle", "--out",
                         str(tmp_path / "m.csv"), "--dir", str(book.folder), "--exercise",
                         "02_y", "--match", "idnumber"])
    assert status == 0 and (tmp_path / "m.csv").read_text().startswith("First name,Last name,"
                                                                        "ID number,Essay two")
    status, _, err = _cli(["gradebook", "export", "--format", "canvas", "--out",
                           str(tmp_path / "c.csv"), "--dir", str(book.folder), "--exercise",
                           "09_none"])
    assert status == 2 and len(err.splitlines()) == 1


def test_two_canvas_downloads_of_one_name_are_graded_and_exported_apart(tmp_path):
    """Issue 19, item 6, end to end: ``smithjohn_1111_...`` and ``smithjohn_2222_...``."""
    subs = tmp_path / "canvas"
    write_submission(subs / f"smithjohn_1111_501_{EXERCISE}.ipynb")
    write_submission(subs / f"smithjohn_2222_502_{EXERCISE}.ipynb", fresh=True)
    out = tmp_path / "graded"
    status, _ = run_cli(["grade", str(subs), "--out", str(out), "--solutions", str(SOLUTIONS),
                         "--jobs", "2"])
    assert status == 0
    with open_gradebook(out, create=False) as graded:
        (file,) = lms_files(graded, "canvas")
        scores = {r["student"]: r["score"] for r in latest_results(graded)}
    assert set(scores) == {"canvas-1111", "canvas-2222"} and scores["canvas-1111"] > 0
    assert scores["canvas-2222"] == 0  # the fresh notebook: nothing answered
    rows = {r[1]: r[5] for r in list(csv.reader(io.StringIO(file.text)))[2:]}
    assert rows == {"1111": f"{scores['canvas-1111']:g}", "2222": "0"}
