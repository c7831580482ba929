"""Manual marks: points, comment, marker and rubric lines per question, append-only.

A new mark for the same question supersedes the earlier one (the latest counts); nothing is
ever deleted, and regrading a submission never touches the marks.  A second marker's marks
(``second_marking=True``) are kept apart: they never replace the first marker's, they only
let the two be compared.  The rubric of a question (its criteria and their points) is kept
with the question so feedback can show it without the instructor's sources.

Examples
--------
>>> import tempfile
>>> from classroom.gradebook.store import open_gradebook
>>> book = open_gradebook(tempfile.mkdtemp())
>>> book.sync_exercise("01_x", "X", "h", [("q6", "manual", 6.0)], 0.0, 6.0)
>>> _ = add_mark(book, "ann lee", "01_x", "q6", 4.5, comment="Clear.", marker="kb")
>>> latest_marks(book, "ann lee", "01_x")["q6"]["points"]
4.5
>>> _ = add_mark(book, "ann lee", "01_x", "q6", 3, marker="jd", second_marking=True)
>>> latest_mark(book, "ann lee", "01_x", "q6")["marker"], sorted(marked_keys(book, second=True))
('kb', [('ann lee', '01_x', 'q6')])
"""

from __future__ import annotations

import json

from classroom.errors import CourseError
from classroom.gradebook.store import Gradebook, now_iso
from course_lib import _validate

__all__ = ["add_mark", "latest_mark", "latest_marks", "marked_keys", "question_rubric",
           "set_question_rubric"]


def _points(value: object, argument: str, top: float) -> float:
    """``value`` as points in ``[0, top]`` by the package's rules (no bools, no NaN, no text)."""
    try:
        return _validate.finite_in(value, argument, 0.0, top)
    except ValueError as exc:
        raise CourseError(str(exc)) from None


def _check_rubric(rubric: list[dict], max_points: float) -> None:
    for line in rubric:
        if not isinstance(line, dict) or not str(line.get("criterion", "")).strip():
            raise CourseError(f"each rubric line needs a criterion, got {line!r}")
        name = line["criterion"]
        top = line.get("max_points")
        top = max_points if top is None else _points(top, f"rubric maximum for {name!r}",
                                                     max_points)
        _points(line.get("points"), f"rubric points for {name!r}", top)
    if sum(float(line["points"]) for line in rubric) > max_points + 1e-9:
        raise CourseError(f"rubric lines add up to more than the question's {max_points:g} "
                          "points")


def add_mark(book: Gradebook, student: str, exercise: str, grade_id: str, points: float, *,
             comment: str = "", marker: str, rubric: list[dict] | None = None,
             second_marking: bool = False) -> int:
    """Record a manual mark (one transaction); returns its id.

    ``rubric`` holds the lines marked, ``{"criterion", "points", "max_points"}`` each.

    Raises
    ------
    CourseError
        When the question is not a manually graded question of the exercise, ``points``
        is outside ``[0, max_points]``, a rubric line is outside its own range, or ``marker``
        is empty.
    """
    row = book.conn.execute("SELECT max_points FROM questions WHERE exercise = ? AND "
                            "grade_id = ? AND kind = 'manual'", (exercise, grade_id)).fetchone()
    if row is None:
        raise CourseError(f"{exercise} has no manually graded question {grade_id!r}")
    points = _points(points, f"points for {grade_id}", row[0])
    if not marker.strip():
        raise CourseError("marker must name who marked (initials are enough)")
    if rubric is not None:
        _check_rubric(rubric, row[0])
    with book.transaction() as c:
        cur = c.execute(
            "INSERT INTO manual_marks (student, exercise, grade_id, points, comment, marker, "
            "rubric_json, marked_at, second_marking) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (student, exercise, grade_id, float(points), comment, marker,
             json.dumps(rubric, ensure_ascii=False) if rubric is not None else None, now_iso(),
             int(second_marking)))
    return int(cur.lastrowid)


def _as_mark(row: tuple) -> dict:
    pts, comment, marker, when, rubric = row
    return {"points": pts, "comment": comment, "marker": marker, "marked_at": when,
            "rubric": json.loads(rubric) if rubric else None}


def latest_marks(book: Gradebook, student: str, exercise: str, *,
                 second: bool = False) -> dict[str, dict]:
    """The latest mark per question of one student's exercise (first marking unless
    ``second``)."""
    rows = book.conn.execute(
        "SELECT grade_id, points, comment, marker, marked_at, rubric_json FROM manual_marks "
        "WHERE student = ? AND exercise = ? AND second_marking = ? ORDER BY id",
        (student, exercise, int(second))).fetchall()
    return {row[0]: _as_mark(row[1:]) for row in rows}


def latest_mark(book: Gradebook, student: str, exercise: str, grade_id: str, *,
                second: bool = False) -> dict | None:
    """The latest mark of one question (``None`` when it is not marked)."""
    row = book.conn.execute(
        "SELECT points, comment, marker, marked_at, rubric_json FROM manual_marks "
        "WHERE student = ? AND exercise = ? AND grade_id = ? AND second_marking = ? "
        "ORDER BY id DESC LIMIT 1", (student, exercise, grade_id, int(second))).fetchone()
    return _as_mark(row) if row else None


def marked_keys(book: Gradebook, *, second: bool = False) -> set[tuple[str, str, str]]:
    """Every ``(student, exercise, grade_id)`` holding a mark (of the second marking if
    ``second``)."""
    rows = book.conn.execute("SELECT DISTINCT student, exercise, grade_id FROM manual_marks "
                             "WHERE second_marking = ?", (int(second),)).fetchall()
    return {tuple(r) for r in rows}


def set_question_rubric(book: Gradebook, exercise: str, grade_id: str, title: str | None,
                        rubric: list[dict]) -> None:
    """Keep a question's title and rubric (``[{"criterion", "points"}, ...]``) with it.

    Raises
    ------
    CourseError
        When the exercise has no such question.
    """
    with book.transaction() as c:
        cur = c.execute("UPDATE questions SET title = ?, rubric_json = ? WHERE exercise = ? "
                        "AND grade_id = ?", (title, json.dumps(rubric, ensure_ascii=False),
                                             exercise, grade_id))
    if cur.rowcount == 0:
        raise CourseError(f"{exercise} has no question {grade_id!r}")


def question_rubric(book: Gradebook, exercise: str, grade_id: str) -> tuple[str | None, list]:
    """A question's title and rubric lines as kept by :func:`set_question_rubric`.

    Examples
    --------
    >>> import tempfile
    >>> from classroom.gradebook.store import open_gradebook
    >>> book = open_gradebook(tempfile.mkdtemp())
    >>> book.sync_exercise("01_x", "X", "h", [("q6", "manual", 2.0)], 0.0, 2.0)
    >>> set_question_rubric(book, "01_x", "q6", "Question 6", [{"criterion": "c", "points": 2}])
    >>> question_rubric(book, "01_x", "q6")
    ('Question 6', [{'criterion': 'c', 'points': 2}])
    """
    row = book.conn.execute("SELECT title, rubric_json FROM questions WHERE exercise = ? AND "
                            "grade_id = ?", (exercise, grade_id)).fetchone()
    if row is None:
        return None, []
    return row[0], json.loads(row[1]) if row[1] else []
