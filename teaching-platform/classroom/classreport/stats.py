"""Item statistics of a class: facility, discrimination, failure reasons, marking progress.

- *facility* of a question: the mean points earned divided by its maximum (1 = everybody
  earned full points);
- *discrimination index* (upper-lower groups, Kelley 1939): students are ranked by their
  exercise total; the index is the mean fraction of the question's points in the top 27 %
  minus that in the bottom 27 % (from -1 to 1; near 0 or negative: the question does not
  separate strong from weak work);
- *failure reasons*: the failed checks' messages and answer-cell errors, with numbers and
  quoted values blanked so that the same reason counts once;
- *marking progress*: manual questions marked out of those submitted;
- *choices*: for a choice question, how many students picked each option (the key is the
  option of the students whose answer passed);
- *flags* (item analysis; only with at least ``MIN_STUDENTS_FOR_FLAGS`` graded students): a
  discrimination index below ``LOW_DISCRIMINATION`` (near zero or negative: the question does
  not separate stronger from weaker work, or the key or wording is off), and distractors that
  no student chose (they do not work as distractors: Haladyna and Downing 1993 call a
  distractor chosen by almost nobody non-functioning).

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

__all__ = ["LOW_DISCRIMINATION", "MIN_STUDENTS_FOR_FLAGS", "ChoiceCounts", "ExerciseStats",
           "QuestionStats", "choice_counts", "discrimination", "exercise_stats", "item_flags",
           "reason_key"]

_NUMBER = re.compile(r"(?<![A-Za-z_])-?\d+(?:\.\d+)?")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
GROUP_SHARE = 0.27
#: A question whose discrimination index is below this is flagged for review.
LOW_DISCRIMINATION = 0.10
#: Flags are raised only from this many graded students on (27 % groups of at least three).
MIN_STUDENTS_FOR_FLAGS = 10


@dataclass
class ChoiceCounts:
    """How a class answered one choice question.

    Attributes
    ----------
    counts : dict
        Option letter -> students who chose it, in the order offered.
    key : str or None
        The option of the students whose answer passed (``None`` when nobody's did).
    other : int
        Students with no answer, or one that is not an offered letter.
    """

    counts: dict[str, int]
    key: str | None
    other: int = 0

    @property
    def answered(self) -> int:
        """Students who chose one of the options."""
        return sum(self.counts.values())

    def unpicked_distractors(self) -> list[str]:
        """Options other than the key that nobody chose.

        Examples
        --------
        >>> ChoiceCounts({"a": 5, "b": 0, "c": 3, "d": 0}, "d").unpicked_distractors()
        ['b']
        """
        return [o for o, n in self.counts.items() if n == 0 and o != self.key]


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
    choices: ChoiceCounts | None = None
    flags: list[str] = field(default_factory=list)


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


def choice_counts(gid: str, results: list[dict]) -> ChoiceCounts | None:
    """The options chosen on the choice question ``gid`` (``None``: not a choice question).

    Examples
    --------
    >>> def r(choice, passed):
    ...     check = {"options": ["a", "b", "c"], "choice": choice, "passed": passed}
    ...     return {"questions": {"q1_test": {"checks": [check]}}}
    >>> c = choice_counts("q1_test", [r("b", True), r("a", False), r("b", True), r(None, False)])
    >>> c.counts, c.key, c.other, c.unpicked_distractors()
    ({'a': 1, 'b': 2, 'c': 0}, 'b', 1, ['c'])
    """
    counts: dict[str, int] | None = None
    keys: Counter = Counter()
    other = 0
    for r in results:
        check = next((c for c in r["questions"].get(gid, {}).get("checks", [])
                      if "options" in c), None)
        if check is None:
            continue
        counts = counts if counts is not None else {o: 0 for o in check["options"]}
        choice = check.get("choice")
        if choice in counts:
            counts[choice] += 1
            keys[choice] += bool(check.get("passed"))
        else:
            other += 1
    if counts is None:
        return None
    key = next((k for k, n in keys.most_common() if n), None)
    return ChoiceCounts(counts, key, other)


def item_flags(q: QuestionStats, students: int) -> list[str]:
    """Why a question deserves a second look (empty: no reason, or too few students to tell).

    Examples
    --------
    >>> q = QuestionStats("q2_test", "auto", 2.0, 0.6, 2.0, -0.2,
    ...                   choices=ChoiceCounts({"a": 9, "b": 0, "c": 3}, "a"))
    >>> item_flags(q, 12)  # doctest: +NORMALIZE_WHITESPACE
    ['negative discrimination (-0.20): weaker students did better; check the key and the
      wording', 'nobody chose b: it does not work as a distractor']
    >>> item_flags(q, 9)
    []
    """
    if students < MIN_STUDENTS_FOR_FLAGS:
        return []
    flags = []
    d = q.discrimination
    if d is not None and d < 0:
        flags.append(f"negative discrimination ({d:.2f}): weaker students did better; check "
                     "the key and the wording")
    elif d is not None and d < LOW_DISCRIMINATION:
        flags.append(f"discrimination near zero ({d:.2f}): the question does not separate "
                     "stronger from weaker work")
    if q.choices is not None:
        unused = q.choices.unpicked_distractors()
        if unused:
            work = "it does not work as a distractor" if len(unused) == 1 else \
                "they do not work as distractors"
            flags.append(f"nobody chose {', '.join(unused)}: {work}")
        if q.choices.key is None and q.choices.answered:
            flags.append("no student chose the key")
    return flags


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
        reasons.most_common(3), choices=choice_counts(gid, results))


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
    for q in stats:
        q.flags = item_flags(q, len(graded))
    return ExerciseStats(exercise, title, sum(p for _, _, p in questions), totals, stats)
