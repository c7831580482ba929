"""Second marking: a seeded sample of students, and where the two markers disagree.

The sample is drawn from the graded students with a seed of its own (by default one
derived from the grading folder's marking key), so every session of the second marker sees
the same students.  Two marks disagree when they differ by more than a point.

Examples
--------
>>> sorted(second_sample(["a", "b", "c", "d", "e"], 0.2, seed=1)) == sorted(
...     second_sample(["e", "d", "c", "b", "a"], 0.2, seed=1))
True
>>> len(second_sample([str(i) for i in range(60)], 0.2, seed=7))
12
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from classroom.gradebook.store import Gradebook
from classroom.marking.anonymise import marking_key
from course_lib import _validate

__all__ = ["DISAGREEMENT_POINTS", "Disagreement", "disagreements", "folder_seed",
           "second_sample"]

#: Marks further apart than this many points are listed as disagreements.
DISAGREEMENT_POINTS = 1.0


@dataclass(frozen=True)
class Disagreement:
    """A question two markers scored more than :data:`DISAGREEMENT_POINTS` apart."""

    student: str
    exercise: str
    grade_id: str
    first: float
    second: float
    first_marker: str
    second_marker: str

    @property
    def difference(self) -> float:
        """How far apart the two marks are."""
        return abs(self.first - self.second)


def folder_seed(folder: str | Path) -> int:
    """The grading folder's default sample seed (stable; from its marking key)."""
    return int.from_bytes(hashlib.sha256(marking_key(folder) + b"second").digest()[:8], "big")


def second_sample(students: Iterable[str], fraction: float, *, seed: int) -> set[str]:
    """``ceil(fraction * n)`` students (at least one), drawn with ``seed``.

    Raises
    ------
    ValueError
        When ``fraction`` is not a number in ``(0, 1]`` (``True`` is not the whole class) or
        ``seed`` is not an integer (the package's rules, :mod:`course_lib._validate`).

    Examples
    --------
    >>> second_sample(["a", "b"], True, seed=1)
    Traceback (most recent call last):
    ...
    ValueError: sample must be a finite number in (0, 1], got True
    """
    fraction = _validate.finite_in(fraction, "sample", 0.0, 1.0, low_open=True)
    seed = _validate.integer(seed, "seed")
    pool = sorted(set(students))
    if not pool:
        return set()
    size = min(len(pool), max(1, math.ceil(fraction * len(pool) - 1e-9)))
    return set(random.Random(seed).sample(pool, size))


def _latest(book: Gradebook, second: bool) -> dict[tuple[str, str, str], tuple[float, str]]:
    rows = book.conn.execute(
        "SELECT student, exercise, grade_id, points, marker FROM manual_marks WHERE id IN "
        "(SELECT MAX(id) FROM manual_marks WHERE second_marking = ? "
        "GROUP BY student, exercise, grade_id)", (int(second),)).fetchall()
    return {(s, e, g): (p, m) for s, e, g, p, m in rows}


def disagreements(book: Gradebook, threshold: float = DISAGREEMENT_POINTS
                  ) -> list[Disagreement]:
    """Questions marked twice whose latest marks differ by more than ``threshold`` points.

    Examples
    --------
    >>> import tempfile
    >>> from classroom.gradebook.marks import add_mark
    >>> from classroom.gradebook.store import open_gradebook
    >>> book = open_gradebook(tempfile.mkdtemp())
    >>> book.sync_exercise("01_x", "X", "h", [("q6", "manual", 6.0)], 0.0, 6.0)
    >>> _ = add_mark(book, "ann", "01_x", "q6", 5, marker="kb")
    >>> _ = add_mark(book, "ann", "01_x", "q6", 2.5, marker="jd", second_marking=True)
    >>> [(d.student, d.difference) for d in disagreements(book)]
    [('ann', 2.5)]
    """
    first, second = _latest(book, False), _latest(book, True)
    found = [Disagreement(*key, first[key][0], pts, first[key][1], marker)
             for key, (pts, marker) in second.items()
             if key in first and abs(first[key][0] - pts) > threshold + 1e-9]
    return sorted(found, key=lambda d: (d.exercise, d.grade_id, d.student))
