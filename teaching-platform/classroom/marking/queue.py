"""What there is to mark: one item per (submission, manual question), and how far marking got.

Items run question by question (exercise, then the question's place in it), and within a
question by anonymous code, so the order says nothing about names.  "Marked" means the
gradebook holds a mark for the item (of the second marking in a second-marking queue).

Examples
--------
>>> from classroom.marking.rubric import Criterion, ManualQuestion
>>> q = ManualQuestion("01_x", "q6", "Question 6", 2.0, (Criterion("c", 2.0),))
>>> queue = MarkingQueue([MarkingItem("bo", "S-B", q, "text"),
...                       MarkingItem("ann", "S-A", q, "")], marked={("bo", "01_x", "q6")})
>>> [i.code for i in queue.items], queue.progress(), queue.next_unmarked(0)
(['S-A', 'S-B'], '1/2 marked', 0)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from classroom.gradebook.marks import marked_keys
from classroom.gradebook.store import Gradebook
from classroom.marking.anonymise import anonymous_codes
from classroom.marking.answers import latest_answers, latest_images
from classroom.marking.rubric import ManualQuestion, load_questions

__all__ = ["MarkingItem", "MarkingQueue", "build_queue"]

Key = tuple[str, str, str]


@dataclass(frozen=True)
class MarkingItem:
    """One student's answer to one manually graded question (its text and pasted images,
    ``{name: {mime: data}}``)."""

    student: str
    code: str
    question: ManualQuestion
    answer: str
    images: Mapping[str, Mapping[str, str]] = field(default_factory=dict, compare=False)

    @property
    def key(self) -> Key:
        """``(student, exercise, grade_id)``, as the gradebook's marks are keyed."""
        return self.student, self.question.exercise, self.question.grade_id


class MarkingQueue:
    """The items in marking order and the set of those already marked."""

    def __init__(self, items: Iterable[MarkingItem], marked: Iterable[Key] = ()) -> None:
        order = {}
        for item in items:
            order.setdefault((item.question.exercise, item.question.grade_id), len(order))
        self.items = sorted(items, key=lambda i: (order[i.question.exercise,
                                                         i.question.grade_id], i.code))
        keys = {i.key for i in self.items}
        self.marked = {k for k in marked if k in keys}

    def __len__(self) -> int:
        return len(self.items)

    def is_marked(self, index: int) -> bool:
        """Whether the item at ``index`` holds a mark."""
        return self.items[index].key in self.marked

    def progress(self) -> str:
        """``"17/60 marked"``."""
        return f"{len(self.marked)}/{len(self.items)} marked"

    def next_unmarked(self, start: int) -> int | None:
        """The first unmarked item from ``start`` on, wrapping round; ``None`` when all are.

        Examples
        --------
        >>> MarkingQueue([]).next_unmarked(0) is None
        True
        """
        n = len(self.items)
        for step in range(n):
            index = (start + step) % n
            if not self.is_marked(index):
                return index
        return None


def build_queue(book: Gradebook, solutions_dir: str | Path | None = None, *,
                students: Iterable[str] | None = None, second: bool = False) -> MarkingQueue:
    """The marking queue of a grading folder's gradebook.

    Parameters
    ----------
    book : Gradebook
        The open gradebook of the grading folder.
    solutions_dir : path, optional
        Where the exercise sources (with the rubrics) are.
    students : iterable of str, optional
        Only these students (the second-marking sample); default every graded student.
    second : bool
        Count the second marker's marks as "marked" instead of the first's.
    """
    questions = {(q.exercise, q.grade_id): q for q in load_questions(book, solutions_dir)}
    answers = latest_answers(book)
    images = latest_images(book)
    wanted = set(students) if students is not None else None
    chosen = {k: v for k, v in answers.items() if wanted is None or k[0] in wanted}
    codes = anonymous_codes(book.folder, {student for student, _ in answers})
    items = [MarkingItem(student, codes[student], questions[(exercise, gid)], text,
                         images.get((student, exercise), {}).get(gid, {}))
             for (student, exercise), by_question in chosen.items()
             for gid, text in by_question.items() if (exercise, gid) in questions]
    return MarkingQueue(items, marked_keys(book, second=second))
