"""Deadline rules on a hand-made gradebook (no grading): extensions, grace, flags, caps."""

from __future__ import annotations

import pytest

from classroom.gradebook.deadlines import (
    PenaltyRule,
    apply_config,
    flag_late_submissions,
    lateness,
    parse_config,
    penalty_percent,
)
from classroom.gradebook.roster import import_roster, parse_roster
from classroom.gradebook.store import open_gradebook
from classroom.grading.judge import error_result

EX = "01_x"


def _book(tmp_path, submissions: dict[str, tuple[str, bool]]):
    book = open_gradebook(tmp_path)
    book.sync_exercise(EX, "X", "h", [("q1", "auto", 4.0)], 4.0, 0.0)
    run = book.start_run("test")
    for student, (when, flagged) in submissions.items():
        book.record_result(run, error_result(student, EX, f"{student}.ipynb", "x").to_json(),
                           {"sha256": student, "source_path": f"{student}.ipynb",
                            "submitted_at": when, "time_source": "file modification time",
                            "late": flagged}, "h")
    return book


def test_extension_named_by_roster_id_applies_to_the_folder_and_clears_the_flag(tmp_path):
    book = _book(tmp_path, {"ann_lee": ("2026-01-03T00:00:00+00:00", True),
                            "bo": ("2026-01-01T00:10:00+00:00", False),
                            "cy": ("2026-01-05T00:00:00+00:00", True)})
    import_roster(book, parse_roster("id,name,email,lms_id,folder\nu1,Ann,a@x,1,ann_lee\n"))
    apply_config(book, parse_config({
        "exercises": {EX: {"due": "2026-01-01T01:00:00+01:00"}},
        "late_penalty": {"percent_per_day": 25, "max_percent": 60, "grace_minutes": 15},
        "extensions": [{"student": "u1", "exercise": EX, "due": "2026-01-04T00:00:00Z"}]}))
    assert flag_late_submissions(book) == 1
    ann, bo, cy = (lateness(book, s, EX) for s in ("ann_lee", "bo", "cy"))
    assert ann.extended and not ann.late                    # extension by roster id
    assert not bo.late and bo.minutes_late == 10            # within the 15 grace minutes
    assert cy.late and cy.penalty_percent == 60             # 4 days x 25 %, capped at 60 %
    flags = dict(book.conn.execute("SELECT student, late FROM submissions"))
    assert flags == {"ann_lee": 0, "bo": 0, "cy": 1}
    book.close()


def test_without_a_due_date_only_the_collection_flag_counts(tmp_path):
    book = _book(tmp_path, {"dee": ("2026-01-03T00:00:00+00:00", True)})
    found = lateness(book, "dee", EX)
    assert found.late and found.penalty_percent == 0 and found.due_at is None
    assert found.describe() == "No due date is set for this exercise."
    book.close()


@pytest.mark.parametrize("minutes, expected", [(0, 0.0), (15, 0.0), (16, 10.0), (1440, 10.0),
                                               (1441, 20.0), (100 * 1440, 100.0)])
def test_penalty_per_started_day(minutes: float, expected: float):
    assert penalty_percent(minutes, PenaltyRule(10, 100, 15)) == expected
