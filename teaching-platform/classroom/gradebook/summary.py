"""``course gradebook show``: a short summary of the class in the terminal.

Examples
--------
>>> import tempfile
>>> from classroom.gradebook.store import open_gradebook
>>> print(summary_text(open_gradebook(tempfile.mkdtemp())))
students: 0 (0 on the roster) · submissions graded: 0 · could not be graded: 0
late: 0 · unmarked manual questions: 0
"""

from __future__ import annotations

from statistics import mean

from classroom.gradebook.roster import roster_by_folder
from classroom.gradebook.store import Gradebook
from classroom.gradebook.totals import class_totals

__all__ = ["summary_text"]


def summary_text(book: Gradebook) -> str:
    """Students, submissions, mean per exercise, unmarked questions and late work.

    Examples
    --------
    >>> import tempfile
    >>> from classroom.gradebook.store import open_gradebook
    >>> summary_text(open_gradebook(tempfile.mkdtemp())).splitlines()[1]
    'late: 0 · unmarked manual questions: 0'
    """
    exercises, totals = class_totals(book)
    every = [t for mine in totals.values() for t in mine.values()]
    roster = roster_by_folder(book)
    on_roster = {who.id for who in roster.values()}
    students = len(on_roster) + sum(s not in roster for s in totals)
    lines = [f"students: {students} ({len(on_roster)} on the roster) · "
             f"submissions graded: {sum(t.status == 'graded' for t in every)} · could not be "
             f"graded: {sum(t.status == 'error' for t in every)}",
             f"late: {sum(t.late for t in every)} · unmarked manual questions: "
             f"{sum(t.unmarked for t in every)}"]
    for e in exercises:
        mine = [t for t in every if t.exercise == e.id]
        finals = [t.final for t in mine]
        lines.append(f"{e.id}: {len(mine)} submissions, mean {mean(finals):.2f} / "
                     f"{e.max_points:g} after penalties, {sum(t.late for t in mine)} late, "
                     f"{sum(t.unmarked > 0 for t in mine)} with unmarked reflections")
    return "\n".join(lines)
