"""Roster import and deadlines on the simulated class (issue 10, items 3 and 4)."""

from __future__ import annotations

import json

import pytest

from classroom.errors import CourseError
from classroom.gradebook.deadlines import lateness, parse_config, stored_config
from classroom.gradebook.roster import parse_roster, roster_by_folder
from classroom.gradebook.store import open_gradebook
from classroom.gradebook.totals import class_totals
from tests.classloop.classloop_helpers import MARKS, GradedClass, run_cli
from tests.grading.class_kit import EXTENDED, LATE, NO_SUBMISSION, STUDENTS, UNKNOWN_FOLDER
from tests.grading.submissions_kit import EXERCISE

pytestmark = pytest.mark.kernel


def test_roster_import_reports_unknown_folder_and_missing_student(graded_class: GradedClass):
    lines = graded_class.roster_output.splitlines()
    assert f"unknown folder (not on the roster): {UNKNOWN_FOLDER!r}" in lines
    assert f"no submission: {NO_SUBMISSION} (Student {NO_SUBMISSION.upper()})" in lines
    assert lines[-1].startswith(f"imported {len(STUDENTS) + 1} student(s)")
    assert len(lines) == 3  # one line each, nothing else reported
    book = open_gradebook(graded_class.out, create=False)
    roster = roster_by_folder(book)
    book.close()
    assert roster["s05"].email == "s05@example.edu" and roster["s05"].lms_id == "1005"


def test_roster_maps_a_folder_column_and_refuses_bad_rosters():
    rows = parse_roster("\ufeffID,Name,Email,LMS_ID,Folder\nu1,Lee Ann,a@x,77,ann_lee\n")
    assert (rows[0].id, rows[0].folder) == ("u1", "ann_lee")
    with pytest.raises(CourseError, match="lacks lms_id"):
        parse_roster("id,name,email\nu1,A,a@x\n")
    with pytest.raises(CourseError, match="line 3.*twice"):
        parse_roster("id,name,email,lms_id\nu1,A,a,1\nu1,B,b,2\n")
    status, _ = run_cli(["roster", "import", "/nonexistent/roster.csv", "--dir", "/tmp"])
    assert status == 2


def test_late_submission_is_penalised_per_the_toml(graded_class: GradedClass):
    book = open_gradebook(graded_class.out, create=False)
    try:
        late = lateness(book, LATE, EXERCISE)
        extended = lateness(book, EXTENDED, EXERCISE)
        on_time = lateness(book, "s01", EXERCISE)
        _, totals = class_totals(book)
        flagged = dict(book.conn.execute("SELECT student, late FROM submissions"))
    finally:
        book.close()
    # 30 hours late: 2 started days x 10 % per day (cap 50 %, grace 15 min)
    assert late is not None and late.late and late.penalty_percent == 20.0
    assert late.minutes_late == pytest.approx(30 * 60 + 1, abs=1)
    assert late.time_source == "file modification time"
    assert "late, 20% of the points taken off" in late.describe()
    assert extended is not None and not extended.late and extended.extended
    assert "extended due date" in extended.describe()
    assert on_time is not None and not on_time.late and on_time.penalty_percent == 0
    t = totals[LATE][EXERCISE]
    assert t.manual == MARKS[LATE] and t.late
    assert t.penalty_points == pytest.approx(0.2 * (t.auto + t.manual))
    assert t.final == pytest.approx(0.8 * (t.auto + t.manual))
    assert flagged[LATE] == 1 and flagged[EXTENDED] == 0 and flagged["s01"] == 0


def test_config_is_stored_and_feedback_json_keeps_the_time(graded_class: GradedClass):
    book = open_gradebook(graded_class.out, create=False)
    try:
        config = stored_config(book)
        due = book.conn.execute("SELECT due_at FROM exercises WHERE id = ?",
                                (EXERCISE,)).fetchone()[0]
    finally:
        book.close()
    assert due == "2026-11-20T22:59:00+00:00" == config.due[EXERCISE]
    assert config.canvas_ids[EXERCISE] == "4711"
    assert config.extensions[(EXTENDED, EXERCISE)][1] == "medical certificate"
    result = json.loads((graded_class.out / "s-s07" / f"{EXERCISE}.json").read_text())
    assert result["submitted_at"] == "2026-11-22T04:59:00+00:00" and result["late"] is True


@pytest.mark.parametrize("bad, message", [
    ({"exercises": {"x": {"due": "2026-11-20T23:59:00"}}}, "timezone"),
    ({"exercises": {"x": {"due": "soon"}}}, "ISO 8601"),
    ({"late_penalty": {"percent_per_day": 150}}, r"percent_per_day must be a number in \[0, 100\]"),
    ({"extensions": [{"student": "a"}]}, "needs student, exercise and due"),
])
def test_bad_configuration_is_refused_with_one_line(bad: dict, message: str):
    with pytest.raises(CourseError, match=message):
        parse_config(bad)


def test_grade_refuses_a_broken_toml_before_grading(tmp_path):
    toml = tmp_path / "course.toml"
    toml.write_text("[exercises\n")
    status, _ = run_cli(["grade", str(tmp_path / "none"), "--out", str(tmp_path / "o"),
                         "--config", str(toml)])
    assert status == 2 and not (tmp_path / "o").exists()


def test_feedback_flags_late_work(graded_class: GradedClass):
    feedback = {s: (graded_class.out / f"s-{s}" / f"{EXERCISE}.feedback.md").read_text()
                for s in (LATE, EXTENDED, "s01")}
    assert "late, 20% of the points taken off" in feedback[LATE]
    assert "Submitted on time (by the extended due date" in feedback[EXTENDED]
    assert "taken off" not in feedback["s01"] and "Submitted on time" in feedback["s01"]
