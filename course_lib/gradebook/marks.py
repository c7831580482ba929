"""Manual marks: points, comment and marker per question, append-only.

A new mark for the same question supersedes the earlier one (the latest counts); nothing is
ever deleted, and regrading a submission never touches the marks.

Examples
--------
>>> import tempfile
>>> from course_lib.gradebook.store import open_gradebook
>>> book = open_gradebook(tempfile.mkdtemp())
>>> book.sync_exercise("01_x", "X", "h", [("q6", "manual", 6.0)], 0.0, 6.0)
>>> _ = add_mark(book, "ann lee", "01_x", "q6", 4.5, comment="Clear.", marker="kb")
>>> latest_marks(book, "ann lee", "01_x")["q6"]["points"]
4.5
"""

from __future__ import annotations

import json
import math

from course_lib.errors import CourseError
from course_lib.gradebook.store import Gradebook, now_iso

__all__ = ["add_mark", "latest_marks"]


def add_mark(book: Gradebook, student: str, exercise: str, grade_id: str, points: float, *,
             comment: str = "", marker: str, rubric: list[dict] | None = None,
             second_marking: bool = False) -> int:
    """Record a manual mark (one transaction); returns its id.

    Raises
    ------
    CourseError
        When the question is not a manually graded question of the exercise, or ``points``
        is outside ``[0, max_points]``, or ``marker`` is empty.
    """
    row = book.conn.execute("SELECT max_points FROM questions WHERE exercise = ? AND "
                            "grade_id = ? AND kind = 'manual'", (exercise, grade_id)).fetchone()
    if row is None:
        raise CourseError(f"{exercise} has no manually graded question {grade_id!r}")
    if not isinstance(points, int | float) or not math.isfinite(points) or \
            not 0 <= points <= row[0]:
        raise CourseError(f"points for {grade_id} must be between 0 and {row[0]:g}, "
                          f"got {points!r}")
    if not marker.strip():
        raise CourseError("marker must name who marked (initials are enough)")
    with book.transaction() as c:
        cur = c.execute(
            "INSERT INTO manual_marks (student, exercise, grade_id, points, comment, marker, "
            "rubric_json, marked_at, second_marking) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (student, exercise, grade_id, float(points), comment, marker,
             json.dumps(rubric) if rubric is not None else None, now_iso(),
             int(second_marking)))
    return int(cur.lastrowid)


def latest_marks(book: Gradebook, student: str, exercise: str) -> dict[str, dict]:
    """The latest first-marking mark per question of one student's exercise."""
    rows = book.conn.execute(
        "SELECT grade_id, points, comment, marker, marked_at, rubric_json FROM manual_marks "
        "WHERE student = ? AND exercise = ? AND second_marking = 0 ORDER BY id",
        (student, exercise)).fetchall()
    return {gid: {"points": pts, "comment": comment, "marker": marker, "marked_at": when,
                  "rubric": json.loads(rubric) if rubric else None}
            for gid, pts, comment, marker, when, rubric in rows}
