"""The manually graded questions of an exercise: title, points, rubric and word ranges.

Read from the instructor source (``solutions/*.ipynb``) through the one notebook model: a
reflection cell (role ``MANUAL``) carries ``metadata.course.rubric`` (``[{"criterion",
"points", "levels"}, ...]``, the levels saying what earns full, partial and no marks) and
``metadata.course.words`` (one ``[min, max]`` or one range per level of study; see
:mod:`course_lib.exercise_format.rubrics`); its title is the heading of the prompt cell before
it.  A question without a rubric is marked on one line, "Overall".

Examples
--------
>>> import nbformat
>>> from classroom.notebooks.model import CellRole, mark_cell
>>> nb = nbformat.v4.new_notebook(metadata={"course": {"exercise": "01_x"}})
>>> answer = mark_cell(nbformat.v4.new_markdown_cell("..."), CellRole.MANUAL, "q6", 3)
>>> answer.metadata["course"] = {"rubric": [{"criterion": "Claim", "points": 2},
...     {"criterion": "Style", "points": 1}], "words": [150, 250]}
>>> nb.cells = [nbformat.v4.new_markdown_cell("## Question 6: why?"), answer]
>>> q = manual_questions(nb)[0]
>>> q.title, q.points, q.words, [c.steps for c in q.criteria]
('Question 6: why?', 3.0, {'': (150, 250)}, [(0.0, 1.0, 2.0), (0.0, 1.0)])
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from classroom.gradebook.marks import question_rubric, set_question_rubric
from classroom.gradebook.store import Gradebook
from classroom.notebooks.model import (
    CellRole,
    cell_role,
    cell_source,
    exercise_info,
    grade_id,
    points,
)
from course_lib import _validate
from course_lib.exercise_format.notebook_io import exercise_sources
from course_lib.exercise_format.rubrics import ANY_LEVEL, level_reached, rubric_levels

__all__ = ["Criterion", "ManualQuestion", "load_questions", "manual_questions"]

_ASIDE = re.compile(r"\s*\([^()]*\)\s*$")
#: The single rubric line of a question whose source gives none.
OVERALL = "Overall"


@dataclass(frozen=True)
class Criterion:
    """One rubric line: what is looked for, the points it carries and, by level (``full``,
    ``partial``, ``none``), what earns them."""

    text: str
    points: float
    levels: Mapping[str, str] = field(default_factory=dict)

    def level_of(self, score: float) -> str:
        """The level a score on this line reaches (``full``, ``partial`` or ``none``).

        Examples
        --------
        >>> Criterion("c", 2).level_of(1), Criterion("c", 2).level_of(2)
        ('partial', 'full')
        """
        return level_reached(score, self.points) or "none"

    @property
    def steps(self) -> tuple[float, ...]:
        """The scores a marker may give: 0..points in steps of 1, or of 0.5 for half points.

        Examples
        --------
        >>> Criterion("c", 1.5).steps
        (0.0, 0.5, 1.0, 1.5)
        """
        step = 1.0 if float(self.points).is_integer() else 0.5
        return tuple(i * step for i in range(int(math.floor(self.points / step)) + 1))


@dataclass(frozen=True)
class ManualQuestion:
    """A manually graded question of one exercise."""

    exercise: str
    grade_id: str
    title: str
    points: float
    criteria: tuple[Criterion, ...]
    words: Mapping[str, tuple[int, int]] = field(default_factory=dict)

    def rubric_lines(self) -> list[dict]:
        """The rubric as stored in the gradebook: ``[{"criterion", "points", "levels"}, ...]``
        (``levels`` only when the source gives them)."""
        return [{"criterion": c.text, "points": c.points, **({"levels": dict(c.levels)}
                                                              if c.levels else {})}
                for c in self.criteria]


def _heading(text: str) -> str | None:
    """The first heading of a prompt, without a closing "(6 points, ...)" aside.

    Examples
    --------
    >>> _heading("## Question 6: reflection (6 points, graded by a person)\\n\\nWrite...")
    'Question 6: reflection'
    """
    for line in text.splitlines():
        if line.startswith("#"):
            return _ASIDE.sub("", line.lstrip("#").strip()) or None
    return None


def _criteria(meta: dict, total: float, where: str) -> tuple[Criterion, ...]:
    lines = meta.get("rubric") if isinstance(meta.get("rubric"), list) else []
    found = tuple(
        Criterion(str(r["criterion"]),
                  _validate.positive(r["points"], f"{where}: rubric points for "
                                                  f"{str(r['criterion'])!r}"),
                  rubric_levels(r))
        for r in lines if isinstance(r, dict) and "criterion" in r and "points" in r)
    return found or (Criterion(OVERALL, total),)


def _word_range(words: object, where: str) -> tuple[int, int]:
    if not isinstance(words, list | tuple) or len(words) != 2:
        raise ValueError(f"{where}: words must be [min, max], got {words!r}")
    low = _validate.integer(words[0], f"{where}: the fewest words", 0)
    return low, _validate.integer(words[1], f"{where}: the most words", low)


def _words(meta: dict, where: str) -> dict[str, tuple[int, int]]:
    """The word ranges of ``metadata.course.words``: one ``[min, max]`` (under ``""``) or one
    per level of study (whole numbers, no bools).

    Examples
    --------
    >>> _words({"words": [150, 250]}, "q6"), _words({}, "q6")
    ({'': (150, 250)}, {})
    >>> _words({"words": {"undergraduate": [200, 300], "master's": [350, 500]}}, "q6")
    {'undergraduate': (200, 300), "master's": (350, 500)}
    >>> _words({"words": [True, 250]}, "q6")
    Traceback (most recent call last):
    ...
    ValueError: q6: the fewest words must be an integer >= 0, got True
    """
    words = meta.get("words")
    if words is None:
        return {}
    if isinstance(words, dict):
        return {str(level): _word_range(r, f"{where} ({level})") for level, r in words.items()}
    return {ANY_LEVEL: _word_range(words, where)}


def manual_questions(nb: dict) -> list[ManualQuestion]:
    """The manually graded questions of an exercise source, in notebook order."""
    info = exercise_info(nb)
    exercise = info.exercise if info else ""
    found, title = [], None
    for cell in nb.get("cells", []):
        role = cell_role(cell)
        if role is not CellRole.MANUAL:
            title = _heading(cell_source(cell)) if cell.get("cell_type") == "markdown" \
                and role is not CellRole.SOLUTION else title
            continue
        gid = grade_id(cell)
        if not gid:
            continue
        meta = cell.get("metadata", {}).get("course")
        meta = meta if isinstance(meta, dict) else {}
        where = f"{exercise} {gid}".strip()
        found.append(ManualQuestion(exercise, gid, title or gid, points(cell),
                                    _criteria(meta, points(cell), where), _words(meta, where)))
    return found


def _from_book(book: Gradebook, exercise: str, gid: str, total: float) -> ManualQuestion:
    title, lines = question_rubric(book, exercise, gid)
    return ManualQuestion(exercise, gid, title or gid, total,
                          _criteria({"rubric": lines}, total, f"{exercise} {gid}"))


def load_questions(book: Gradebook, solutions_dir: str | Path | None = None
                   ) -> list[ManualQuestion]:
    """Every manually graded question in the gradebook, with its rubric, in marking order.

    The rubric is read from the exercise's source in ``solutions_dir`` and kept in the
    gradebook (so feedback can show it later); without a source, what the gradebook kept is
    used.  A source whose points disagree with the gradebook's question is not used (the
    grading folder was graded against another version).
    """
    rows = book.conn.execute("SELECT exercise, grade_id, max_points FROM questions WHERE "
                             "kind = 'manual' ORDER BY exercise, position").fetchall()
    sources = exercise_sources(solutions_dir)
    from_source = {(q.exercise, q.grade_id): q for nb in sources.values()
                   for q in manual_questions(nb)}
    questions = []
    for exercise, gid, total in rows:
        q = from_source.get((exercise, gid))
        if q is not None and math.isclose(q.points, total):
            set_question_rubric(book, exercise, gid, q.title, q.rubric_lines())
        else:
            q = _from_book(book, exercise, gid, total)
        questions.append(q)
    return questions
