"""Reading the gradebook: the latest result per submission, and a student's runs.

Examples
--------
>>> import tempfile
>>> from classroom.gradebook.store import open_gradebook
>>> book = open_gradebook(tempfile.mkdtemp())
>>> latest_results(book), student_history(book, "ann")
([], [])
"""

from __future__ import annotations

import json

from classroom.gradebook.marks import latest_marks
from classroom.gradebook.store import Gradebook

__all__ = ["format_history", "latest_results", "student_history"]


def latest_results(book: Gradebook) -> list[dict]:
    """The newest result of every (student, exercise), with manual marks merged in, sorted."""
    rows = book.conn.execute(
        "SELECT r.result_json, s.submitted_at, s.late, s.lms_id FROM results r "
        "JOIN submissions s ON s.id = r.submission_id WHERE r.id IN "
        "(SELECT MAX(id) FROM results GROUP BY student, exercise)").fetchall()
    results = []
    for text, submitted_at, late, lms_id in rows:
        result = json.loads(text)
        result.pop("retry", None)
        result["submitted_at"], result["late"], result["lms_id"] = submitted_at, bool(late), \
            lms_id
        marks = latest_marks(book, result["student"], result["exercise"])
        for gid, item in result.get("manual", {}).items():
            mark = marks.get(gid)
            if mark is not None:
                item.update(points=mark["points"], status="marked", comment=mark["comment"],
                            marker=mark["marker"], marked_at=mark["marked_at"],
                            rubric=mark["rubric"])
        results.append(result)
    return sorted(results, key=lambda r: (r["student"], r["exercise"], r["source_file"]))


def student_history(book: Gradebook, student: str) -> list[dict]:
    """Every result of ``student``, oldest first, with its run's time and version."""
    rows = book.conn.execute(
        "SELECT r.run_id, u.started_at, r.graded_at, r.exercise, r.status, r.score, "
        "r.max_score, r.isolation, r.course_lib_version, s.sha256 FROM results r "
        "JOIN runs u ON u.id = r.run_id JOIN submissions s ON s.id = r.submission_id "
        "WHERE r.student = ? ORDER BY r.id", (student,)).fetchall()
    keys = ("run", "run_started", "graded_at", "exercise", "status", "score", "max_score",
            "isolation", "course_lib_version", "sha256")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def format_history(student: str, history: list[dict]) -> str:
    """Lines for ``course gradebook history`` (one per result).

    Examples
    --------
    >>> print(format_history("ann", [{"run": 1, "graded_at": "2026-01-01T10:00:00+00:00",
    ...     "exercise": "01_x", "status": "graded", "score": 4.0, "max_score": 6.0,
    ...     "isolation": "sandbox", "course_lib_version": "0.1.0", "sha256": "ab" * 32}]))
    run 1  2026-01-01T10:00:00+00:00  01_x  graded 4/6  isolation sandbox  course_lib 0.1.0  \
submission abababababab
    """
    if not history:
        return f"no grading runs recorded for student {student!r}"
    lines = []
    for h in history:
        score = f"{h['score']:g}/{h['max_score']:g}" if h["max_score"] is not None else "-"
        lines.append(f"run {h['run']}  {h['graded_at']}  {h['exercise']}  {h['status']} "
                     f"{score}  isolation {h['isolation']}  course_lib "
                     f"{h['course_lib_version']}  submission {h['sha256'][:12]}")
    return "\n".join(lines)
