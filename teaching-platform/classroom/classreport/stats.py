"""Item statistics of a class: facility, discrimination, failure reasons, marking progress.

- *facility* of a question: the mean points earned divided by its maximum (1 = everybody
  earned full points);
- *discrimination index* (upper-lower groups, Kelley 1939): students are ranked by their
  exercise total; the index is the mean fraction of the question's points in the top 27 %
  minus that in the bottom 27 % (from -1 to 1; near 0 or negative: the question does not
  separate strong from weak work);
- *failure reasons*: the failed checks' messages and answer-cell errors, with numbers and
  quoted values blanked so that the same reason counts once;
- *marking progress*: manual questions marked out of those submitted.

Examples
--------
>>> discrimination([1.0, 1.0, 0.0, 0.0], [10, 9, 2, 1])
1.0
>>> reason_key("q5_share: you gave 0.3; expected 3 decimals")
'q5_share: you gave #; expected # decimals'
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

__all__ = ["ExerciseStats", "QuestionStats", "discrimination", "exercise_stats",
           "reason_key"]

_NUMBER = re.compile(r"(?<![A-Za-z_])-?\d+(?:\.\d+)?")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
GROUP_SHARE = 0.27


@dataclass
class QuestionStats:
    """One question across the class."""

    grade_id: str
    kind: str
    max_points: float
    facility: float | None
    max_seen: float | None
    discrimination: float | None
    reasons: list[tuple[str, int]] = field(default_factory=list)
    marked: int = 0
    answered: int = 0


@dataclass
class ExerciseStats:
    """One exercise: totals per student and its questions."""

    exercise: str
    title: str
    max_points: float
    totals: dict[str, float]
    questions: list[QuestionStats]


def reason_key(message: str) -> str:
    """A failure message with numbers and quoted values blanked (``#`` and ``…``).

    Examples
    --------
    >>> reason_key("cell 3 raised KeyError: 'x'")
    'cell # raised KeyError: …'
    """
    return _NUMBER.sub("#", _QUOTED.sub("…", message)).strip()


def discrimination(fractions: list[float], totals: list[float]) -> float | None:
    """Upper-lower 27 % discrimination index (``None`` with fewer than 4 students).

    Examples
    --------
    >>> discrimination([0.0, 0.5, 1.0, 1.0], [1, 2, 3, 4])  # groups of 2: 1.0 - 0.25
    0.75
    """
    if len(fractions) < 4:
        return None
    order = sorted(range(len(totals)), key=lambda i: totals[i], reverse=True)
    size = max(1, math.ceil(GROUP_SHARE * len(order)))
    upper = [fractions[i] for i in order[:size]]
    lower = [fractions[i] for i in order[-size:]]
    return round(sum(upper) / size - sum(lower) / size, 3)


def _auto_question(gid: str, max_points: float, results: list[dict],
                   totals: dict[str, float]) -> QuestionStats:
    points, reasons = [], Counter()
    for r in results:
        q = r["questions"].get(gid)
        if q is None:
            continue
        points.append((r["student"], q["points"]))
        if q["points"] < q["max_points"]:
            failed = [c["message"] for c in q["checks"] if not c["passed"] and c["max_points"]]
            for text in dict.fromkeys(reason_key(m) for m in failed + q["errors"]):
                reasons[text] += 1
    fractions = [p / max_points if max_points else 0.0 for _, p in points]
    return QuestionStats(
        gid, "auto", max_points,
        round(sum(fractions) / len(fractions), 3) if fractions else None,
        max((p for _, p in points), default=None),
        discrimination(fractions, [totals[s] for s, _ in points]),
        reasons.most_common(3))


def _manual_question(gid: str, max_points: float, results: list[dict],
                     totals: dict[str, float]) -> QuestionStats:
    items = [(r["student"], r["manual"][gid]) for r in results if gid in r["manual"]]
    marked = [(s, m["points"]) for s, m in items if m.get("points") is not None]
    fractions = [p / max_points if max_points else 0.0 for _, p in marked]
    return QuestionStats(
        gid, "manual", max_points,
        round(sum(fractions) / len(fractions), 3) if fractions else None,
        max((p for _, p in marked), default=None),
        discrimination(fractions, [totals[s] for s, _ in marked]),
        [], len(marked), len(items))


def exercise_stats(exercise: str, title: str, questions: list[tuple[str, str, float]],
                   results: list[dict], totals: dict[str, float]) -> ExerciseStats:
    """Statistics of one exercise from its graded results.

    ``questions`` is ``(grade_id, kind, max_points)`` in notebook order; ``totals`` maps each
    student to the exercise total (before penalties) used to rank for discrimination.

    Examples
    --------
    >>> r = {"student": "a", "status": "graded", "manual": {},
    ...      "questions": {"q1": {"points": 1.0, "max_points": 2.0, "checks": [], "errors": []}}}
    >>> exercise_stats("01_x", "X", [("q1", "auto", 2.0)], [r], {"a": 1.0}).questions[0].facility
    0.5
    """
    graded = [r for r in results if r["status"] == "graded"]
    stats = [(_auto_question if kind == "auto" else _manual_question)(gid, pts, graded, totals)
             for gid, kind, pts in questions]
    # questions no result holds (renamed since by the instructor source) are left out
    stats = [q for q in stats if q.facility is not None or q.answered]
    return ExerciseStats(exercise, title, sum(p for _, _, p in questions), totals, stats)
