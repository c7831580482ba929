"""Manual marks as feedback shows them: rubric lines, points and the marker's comment.

The feedback writer calls :func:`manual_marks_for` after marking; only first-marking marks
count (a second marker's marks are for moderation), and an unmarked question is left out.

Examples
--------
>>> import tempfile
>>> from classroom.gradebook.marks import add_mark, set_question_rubric
>>> from classroom.gradebook.store import open_gradebook
>>> book = open_gradebook(tempfile.mkdtemp())
>>> book.sync_exercise("01_x", "X", "h", [("q6", "manual", 3.0)], 0.0, 3.0)
>>> set_question_rubric(book, "01_x", "q6", "Question 6: why?",
...     [{"criterion": "Claim", "points": 2}, {"criterion": "Style", "points": 1}])
>>> _ = add_mark(book, "ann", "01_x", "q6", 2, comment="Good claim.", marker="kb",
...     rubric=[{"criterion": "Claim", "points": 2, "max_points": 2},
...             {"criterion": "Style", "points": 0, "max_points": 1}])
>>> [m] = manual_marks_for(book, "ann", "01_x")
>>> m.title, m.points, m.max_points, m.comment, [(c.criterion, c.points) for c in m.criteria]
('Question 6: why?', 2.0, 3.0, 'Good claim.', [('Claim', 2), ('Style', 0)])
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from classroom.gradebook.marks import latest_marks, question_rubric
from classroom.gradebook.store import Gradebook
from course_lib.exercise_format.rubrics import level_reached, rubric_levels

__all__ = ["CriterionMark", "ManualMark", "manual_marks_for"]


@dataclass(frozen=True)
class CriterionMark:
    """One rubric line: the criterion, the points given, the points it carries and what earns
    each level (``full``, ``partial``, ``none``) when the rubric says."""

    criterion: str
    points: float | None
    max_points: float
    levels: Mapping[str, str] = field(default_factory=dict)

    @property
    def descriptor(self) -> tuple[str, str] | None:
        """The level the points reach and what the rubric says earns it (``None``: not scored
        or no descriptor).

        Examples
        --------
        >>> CriterionMark("Claim", 1, 2, {"partial": "stated late"}).descriptor
        ('partial', 'stated late')
        """
        level = level_reached(self.points, self.max_points)
        if level is None or level not in self.levels:
            return None
        return level, self.levels[level]


@dataclass(frozen=True)
class ManualMark:
    """A marked question: its title, total, the rubric lines and the comment."""

    grade_id: str
    title: str
    points: float
    max_points: float
    comment: str
    marker: str
    marked_at: str
    criteria: tuple[CriterionMark, ...]


def _criteria(mark: dict, rubric: list[dict]) -> tuple[CriterionMark, ...]:
    given = {str(r.get("criterion")): r for r in mark.get("rubric") or []}
    lines = rubric or [{"criterion": c, "points": r.get("max_points")} for c, r in given.items()]
    return tuple(CriterionMark(str(line["criterion"]),
                               given.get(str(line["criterion"]), {}).get("points"),
                               float(line.get("points") or 0), rubric_levels(line))
                 for line in lines)


def manual_marks_for(book: Gradebook, student: str, exercise: str) -> list[ManualMark]:
    """The marked manual questions of one student's exercise, in notebook order.

    Each :class:`ManualMark` holds every rubric line of the question (``points`` ``None`` for
    a line the marker gave no score, e.g. a mark recorded with ``course gradebook mark``).
    """
    marks = latest_marks(book, student, exercise)
    rows = book.conn.execute("SELECT grade_id, max_points FROM questions WHERE exercise = ? "
                             "AND kind = 'manual' ORDER BY position", (exercise,)).fetchall()
    found = []
    for gid, max_points in rows:
        mark = marks.get(gid)
        if mark is None:
            continue
        title, rubric = question_rubric(book, exercise, gid)
        found.append(ManualMark(gid, title or gid, float(mark["points"]), float(max_points),
                                mark["comment"], mark["marker"], mark["marked_at"],
                                _criteria(mark, rubric)))
    return found
