"""Exercise totals per student: autograded + manual marks, the late penalty, what is unmarked.

Every export and the terminal summary read these, so a total is computed in one place: the
points earned (autograded checks plus the latest manual marks), minus the late penalty (a
percent of the points earned, see :mod:`classroom.gradebook.deadlines`).

Examples
--------
>>> import tempfile
>>> from classroom.gradebook.store import open_gradebook
>>> class_totals(open_gradebook(tempfile.mkdtemp()))
([], {})
"""

from __future__ import annotations

from dataclasses import dataclass

from classroom.gradebook.deadlines import CourseConfig, compute_lateness, stored_config
from classroom.gradebook.history import latest_results
from classroom.gradebook.store import Gradebook

__all__ = ["ExerciseInfo", "Total", "class_totals", "exercise_total"]


@dataclass(frozen=True)
class ExerciseInfo:
    """An exercise as the exports name it."""

    id: str
    title: str
    max_points: float


@dataclass(frozen=True)
class Total:
    """One student's exercise: points before and after the late penalty."""

    student: str
    exercise: str
    status: str                 # "graded" or "error"
    auto: float
    manual: float
    unmarked: int               # manual questions not marked yet
    late: bool
    penalty_percent: float
    penalty_points: float
    final: float
    lms_id: str

    @property
    def earned(self) -> float:
        """Points before the penalty."""
        return round(self.auto + self.manual, 4)


def exercise_total(result: dict, config: CourseConfig) -> Total:
    """The :class:`Total` of one result (from :func:`~history.latest_results`).

    Examples
    --------
    >>> from classroom.gradebook.deadlines import parse_config
    >>> config = parse_config({"exercises": {"01_x": {"due": "2026-01-01T00:00:00Z"}},
    ...                        "late_penalty": {"percent_per_day": 10}})
    >>> t = exercise_total({"student": "ann", "exercise": "01_x", "status": "graded",
    ...     "score": 8.0, "manual": {"q6": {"points": 4.0}}, "late": False,
    ...     "submitted_at": "2026-01-02T12:00:00+00:00", "time_source": None}, config)
    >>> t.earned, t.penalty_percent, t.penalty_points, t.final
    (12.0, 20.0, 2.4, 9.6)
    """
    auto = float(result.get("score") or 0.0)
    marks = [m.get("points") for m in result.get("manual", {}).values()]
    manual = float(sum(p for p in marks if p is not None))
    when = compute_lateness(config, result["student"], result["exercise"],
                     result.get("submitted_at"), result.get("time_source"),
                     bool(result.get("late")))
    earned = auto + manual
    penalty = round(earned * when.penalty_percent / 100, 4)
    return Total(result["student"], result["exercise"], result["status"], round(auto, 4),
                 round(manual, 4), sum(p is None for p in marks), when.late,
                 when.penalty_percent, penalty, round(earned - penalty, 4),
                 result.get("lms_id") or "")


def class_totals(book: Gradebook) -> tuple[list[ExerciseInfo], dict[str, dict[str, Total]]]:
    """Exercises graded (in id order) and ``{student: {exercise: Total}}``.

    Examples
    --------
    >>> import tempfile
    >>> from classroom.gradebook.store import open_gradebook
    >>> class_totals(open_gradebook(tempfile.mkdtemp()))
    ([], {})
    """
    config = stored_config(book)
    results = latest_results(book)
    graded = sorted({r["exercise"] for r in results})
    rows = dict(((ex, (title, auto + manual)) for ex, title, auto, manual in book.conn.execute(
        "SELECT id, title, max_auto, max_manual FROM exercises")))
    exercises = [ExerciseInfo(ex, rows.get(ex, (ex, 0.0))[0], rows.get(ex, (ex, 0.0))[1])
                 for ex in graded]
    totals: dict[str, dict[str, Total]] = {}
    for r in results:
        totals.setdefault(r["student"], {})[r["exercise"]] = exercise_total(r, config)
    return exercises, totals
