"""One marker's session over a marking queue: where they are, what is saved, saving at once.

The session knows nothing of widgets: the widget reads the current item and its saved
scores from here and calls :meth:`MarkingSession.save` on every change.  A mark is saved
when every rubric line has a score; its total is the sum of the lines, never more than the
question's points.  Saving what is already saved adds nothing.

Examples
--------
>>> import tempfile
>>> from classroom.gradebook.store import open_gradebook
>>> from classroom.marking.queue import MarkingItem, MarkingQueue
>>> from classroom.marking.rubric import Criterion, ManualQuestion
>>> book = open_gradebook(tempfile.mkdtemp())
>>> book.sync_exercise("01_x", "X", "h", [("q6", "manual", 3.0)], 0.0, 3.0)
>>> q = ManualQuestion("01_x", "q6", "Q6", 3.0, (Criterion("Claim", 2), Criterion("Style", 1)))
>>> session = MarkingSession(book, MarkingQueue([MarkingItem("ann", "S-A", q, "text")]))
>>> session.set_marker("kb")
>>> session.save([2.0, None], "")
'not saved yet: give every rubric line a score (1 left)'
>>> session.save([2.0, 0.5], "")
Traceback (most recent call last):
...
ValueError: score for 'Style' must be one of 0, 1, got 0.5
>>> session.save([2.0, 1.0], "Clear."), session.queue.progress()
('saved S-A q6: 3/3', '1/1 marked')
"""

from __future__ import annotations

import math
import re

from classroom.gradebook.marks import add_mark, latest_mark
from classroom.gradebook.store import Gradebook
from classroom.marking.queue import MarkingItem, MarkingQueue
from classroom.marking.second import Disagreement, disagreements

__all__ = ["MarkingSession"]

_INITIALS = re.compile(r"^[\w.\- ]{1,20}$")


def _fmt(value: float) -> str:
    return f"{value:g}"


class MarkingSession:
    """Marking state: the queue, the current index, the marker and the mode."""

    def __init__(self, book: Gradebook, queue: MarkingQueue, *, marker: str = "",
                 second: bool = False, names: bool = False) -> None:
        self.book, self.queue, self.second, self.names = book, queue, second, names
        self.marker = ""
        if marker:
            self.set_marker(marker)
        start = queue.next_unmarked(0)
        self.index = 0 if start is None else start

    def set_marker(self, initials: str) -> None:
        """Who marks from now on (required before anything is saved).

        Raises
        ------
        ValueError
            When ``initials`` is empty or longer than 20 characters.
        """
        initials = initials.strip()
        if not _INITIALS.match(initials):
            raise ValueError(f"marker must be your initials (1-20 letters), got {initials!r}")
        self.marker = initials

    @property
    def current(self) -> MarkingItem | None:
        """The item being marked (``None`` when the queue is empty)."""
        return self.queue.items[self.index] if self.queue.items else None

    def label(self, item: MarkingItem) -> str:
        """The anonymous code, or with ``names`` the roster name (else the student id)."""
        if not self.names:
            return item.code
        row = self.book.conn.execute("SELECT name FROM students WHERE id = ?",
                                     (item.student,)).fetchone()
        return f"{row[0] if row and row[0] else item.student} ({item.code})"

    def go(self, index: int) -> None:
        """Move to ``index`` (clamped to the queue)."""
        self.index = max(0, min(index, len(self.queue) - 1)) if self.queue.items else 0

    def next_unmarked(self) -> bool:
        """Move to the next unmarked item after this one; ``False`` when all are marked."""
        found = self.queue.next_unmarked(self.index + 1) if self.queue.items else None
        if found is not None:
            self.index = found
        return found is not None

    def saved(self) -> dict | None:
        """The latest saved mark of the current item (in this session's marking)."""
        item = self.current
        return None if item is None else latest_mark(self.book, *item.key, second=self.second)

    def saved_scores(self) -> tuple[list[float | None], str]:
        """The current item's saved score per rubric line, and its comment."""
        item, mark = self.current, self.saved()
        if item is None or mark is None:
            return [None] * (len(item.question.criteria) if item else 0), ""
        given = {str(r.get("criterion")): r.get("points") for r in mark["rubric"] or []}
        if not given and len(item.question.criteria) == 1:
            given = {item.question.criteria[0].text: mark["points"]}
        return [given.get(c.text) for c in item.question.criteria], mark["comment"]

    def total(self, scores: list[float | None]) -> float:
        """The sum of the scores given, limited to the question's points."""
        item = self.current
        top = item.question.points if item else 0.0
        return min(top, sum(s for s in scores if s is not None))

    def _rubric(self, scores: list[float]) -> list[dict]:
        item = self.current
        assert item is not None
        lines = []
        for criterion, score in zip(item.question.criteria, scores, strict=True):
            if not any(math.isclose(score, step) for step in criterion.steps):
                raise ValueError(f"score for {criterion.text!r} must be one of "
                                 f"{', '.join(map(_fmt, criterion.steps))}, got {score!r}")
            lines.append({"criterion": criterion.text, "points": score,
                          "max_points": criterion.points})
        return lines

    def save(self, scores: list[float | None], comment: str) -> str:
        """Save the current item's mark at once; returns what happened, in words.

        Raises
        ------
        ValueError
            When no marker is set, or a score is not one of its rubric line's steps.
        """
        item = self.current
        if item is None:
            return "nothing to mark"
        if not self.marker:
            raise ValueError("marker must be set (your initials) before marking")
        missing = sum(s is None for s in scores)
        if missing:
            return f"not saved yet: give every rubric line a score ({missing} left)"
        rubric = self._rubric([float(s) for s in scores if s is not None])
        total = self.total(scores)
        mark = self.saved()
        if mark is None or (mark["points"], mark["comment"], mark["rubric"], mark["marker"]) \
                != (total, comment, rubric, self.marker):
            add_mark(self.book, *item.key, total, comment=comment, marker=self.marker,
                     rubric=rubric, second_marking=self.second)
        self.queue.marked.add(item.key)
        return f"saved {self.label(item)} {item.question.grade_id}: {_fmt(total)}/" \
               f"{_fmt(item.question.points)}"

    def is_unsaved(self, scores: list[float | None], comment: str) -> bool:
        """Whether these scores and comment differ from what is saved for the current item.

        Examples
        --------
        >>> import tempfile
        >>> from classroom.gradebook.store import open_gradebook
        >>> MarkingSession(open_gradebook(tempfile.mkdtemp()), MarkingQueue([])).is_unsaved(
        ...     [], "")
        False
        """
        if self.current is None:
            return False
        saved_scores, saved_comment = self.saved_scores()
        return (list(scores), comment) != (saved_scores, saved_comment)

    def disagreements(self) -> list[Disagreement]:
        """Where first and second marks differ by more than a point (this queue's items)."""
        keys = {i.key for i in self.queue.items}
        return [d for d in disagreements(self.book)
                if (d.student, d.exercise, d.grade_id) in keys]
