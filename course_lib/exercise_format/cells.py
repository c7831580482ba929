"""Cells of an exercise notebook: nbgrader metadata, roles, exercise identity, marker regions.

Exercise sources follow nbgrader's schema 3 so an instructor can move them into
nbgrader unchanged.  Every command (build, release, grading, slides) reads cell
roles through :func:`cell_role` and never parses metadata on its own.

Examples
--------
>>> import nbformat
>>> cell = nbformat.v4.new_code_cell("x = 1")
>>> _ = mark_cell(cell, CellRole.SOLUTION, "q1")
>>> cell_role(cell), grade_id(cell)
(<CellRole.SOLUTION: 'solution'>, 'q1')
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "BEGIN_HIDDEN",
    "BEGIN_SOLUTION",
    "END_HIDDEN",
    "END_SOLUTION",
    "GRADE_ID_PATTERN",
    "MARKERS",
    "NBGRADER_SCHEMA",
    "WIDGET_TAG",
    "CellRole",
    "ExerciseInfo",
    "cell_role",
    "cell_source",
    "exercise_info",
    "grade_id",
    "iter_regions",
    "mark_cell",
    "nbgrader_metadata",
    "points",
]

NBGRADER_SCHEMA = 3
BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"
BEGIN_HIDDEN = "### BEGIN HIDDEN TESTS"
END_HIDDEN = "### END HIDDEN TESTS"
#: Tag of locked cells that only display a widget; the grader does not run them.
WIDGET_TAG = "widget"
#: The four nbgrader marker lines (solution and hidden-test regions).
MARKERS = (BEGIN_SOLUTION, END_SOLUTION, BEGIN_HIDDEN, END_HIDDEN)
#: What a grade_id may hold: letters, digits, ``_`` and ``-``.
GRADE_ID_PATTERN = re.compile(r"^[A-Za-z0-9_\-]+$")


class CellRole(enum.StrEnum):
    """What a cell is for, derived from its ``metadata.nbgrader`` flags.

    ``PROMPT``   locked markdown (instructions, question text);
    ``SETUP``    locked code the learner runs but may not change (imports, data);
    ``SOLUTION`` autograded answer cell (nbgrader "Autograded answer");
    ``MANUAL``   manually graded answer (nbgrader "Manually graded answer");
    ``TEST``     locked test cell holding check calls (nbgrader "Autograder tests");
    ``FREE``     any cell without nbgrader metadata (learner scratch work).
    """

    PROMPT = "prompt"
    SETUP = "setup"
    SOLUTION = "solution"
    MANUAL = "manual"
    TEST = "test"
    FREE = "free"


_FLAGS = {
    CellRole.PROMPT: (False, False, True),
    CellRole.SETUP: (False, False, True),
    CellRole.SOLUTION: (False, True, False),
    CellRole.MANUAL: (True, True, False),
    CellRole.TEST: (True, False, True),
}


def nbgrader_metadata(cell: dict) -> dict | None:
    """Return the cell's ``metadata.nbgrader`` dict, or ``None`` when absent.

    Examples
    --------
    >>> nbgrader_metadata({"metadata": {}}) is None
    True
    """
    meta = cell.get("metadata", {}).get("nbgrader")
    return meta if isinstance(meta, dict) else None


def cell_role(cell: dict) -> CellRole:
    """Classify a cell by its nbgrader flags (see :class:`CellRole`).

    Examples
    --------
    >>> cell_role({"cell_type": "markdown", "metadata": {"nbgrader": {
    ...     "grade": False, "solution": False, "locked": True, "grade_id": "intro"}}})
    <CellRole.PROMPT: 'prompt'>
    """
    meta = nbgrader_metadata(cell)
    if meta is None:
        return CellRole.FREE
    grade, solution = bool(meta.get("grade")), bool(meta.get("solution"))
    if solution and grade:
        return CellRole.MANUAL
    if solution:
        return CellRole.SOLUTION
    if grade:
        return CellRole.TEST
    if meta.get("locked"):
        return CellRole.SETUP if cell.get("cell_type") == "code" else CellRole.PROMPT
    return CellRole.FREE


def grade_id(cell: dict) -> str | None:
    """Return the cell's nbgrader ``grade_id`` (``None`` for free cells).

    Examples
    --------
    >>> grade_id({"metadata": {"nbgrader": {"grade_id": "q1"}}})
    'q1'
    """
    meta = nbgrader_metadata(cell)
    gid = meta.get("grade_id") if meta else None
    return gid if isinstance(gid, str) and gid else None


def points(cell: dict) -> float:
    """Points of a graded cell (0 for ungraded cells).

    Examples
    --------
    >>> points({"metadata": {"nbgrader": {"grade": True, "points": 4}}})
    4.0
    """
    meta = nbgrader_metadata(cell) or {}
    if not meta.get("grade"):
        return 0.0
    try:
        return float(meta.get("points", 0) or 0)
    except (TypeError, ValueError):
        return 0.0


def mark_cell(cell: dict, role: CellRole, gid: str, pts: float = 0) -> dict:
    """Write nbgrader schema-3 metadata (and JupyterLab lock flags) for ``role``.

    Parameters
    ----------
    cell : dict
        The cell to mark (changed in place and returned).
    role : CellRole
        Any role except ``FREE``.
    gid : str
        Unique id within the notebook (letters, digits, ``_`` and ``-``).
    pts : float
        Points for ``TEST`` and ``MANUAL`` cells (must be > 0 for them, 0 otherwise).

    Examples
    --------
    >>> c = mark_cell({"cell_type": "code", "metadata": {}}, CellRole.TEST, "q1_test", 4)
    >>> c["metadata"]["nbgrader"]["points"], c["metadata"]["editable"]
    (4, False)
    """
    role = CellRole(role)
    if role is CellRole.FREE:
        raise ValueError("role must be one of prompt, setup, solution, manual, test, got 'free'")
    if not GRADE_ID_PATTERN.match(gid or ""):
        raise ValueError(f"gid must be letters, digits, '_' or '-', got {gid!r}")
    graded = role in (CellRole.TEST, CellRole.MANUAL)
    if graded and not pts > 0:
        raise ValueError(f"pts must be > 0 for a {role.value} cell, got {pts!r}")
    if not graded and pts:
        raise ValueError(f"pts must be 0 for a {role.value} cell, got {pts!r}")
    grade, solution, locked = _FLAGS[role]
    meta = {
        "grade": grade,
        "grade_id": gid,
        "locked": locked,
        "schema_version": NBGRADER_SCHEMA,
        "solution": solution,
    }
    if graded:
        meta["points"] = pts
    cell.setdefault("metadata", {})["nbgrader"] = meta
    cell["metadata"]["editable"] = not locked
    cell["metadata"]["deletable"] = False
    return cell


@dataclass(frozen=True)
class ExerciseInfo:
    """Identity of an exercise notebook (from ``metadata.course``)."""

    exercise: str
    lesson: str
    title: str


def exercise_info(nb: dict, path: str | Path | None = None) -> ExerciseInfo | None:
    """Read ``metadata.course`` (falling back to the file name for the exercise id).

    Returns ``None`` when neither the metadata nor the path names an exercise.

    Examples
    --------
    >>> exercise_info({"metadata": {"course": {"exercise": "01_x", "lesson": "01",
    ...     "title": "T"}}})
    ExerciseInfo(exercise='01_x', lesson='01', title='T')
    >>> exercise_info({"metadata": {}}, "alice/01_x.ipynb").exercise
    '01_x'
    """
    course = nb.get("metadata", {}).get("course")
    course = course if isinstance(course, dict) else {}
    exercise = course.get("exercise")
    if not isinstance(exercise, str) or not exercise:
        if path is None:
            return None
        exercise = Path(path).stem
    lesson = course.get("lesson")
    if not isinstance(lesson, str):
        lesson = exercise[:2] if exercise[:2].isdigit() else ""
    title = course.get("title") if isinstance(course.get("title"), str) else exercise
    return ExerciseInfo(exercise=exercise, lesson=lesson, title=title)


def cell_source(cell: dict) -> str:
    """A cell's source as one string (on disk nbformat may store a list of lines).

    Examples
    --------
    >>> cell_source({"source": ["a\\n", "b"]}), cell_source({})
    ('a\\nb', '')
    """
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def iter_regions(source: str, begin: str, end: str) -> Iterator[tuple[bool, str]]:
    """Split ``source`` into ``(inside, line)`` pairs around ``begin``/``end`` marker lines.

    Marker lines themselves are yielded with ``inside=True``.  An unclosed
    region raises ``ValueError``.

    Examples
    --------
    >>> [i for i, _ in iter_regions("a\\n### BEGIN SOLUTION\\nb\\n### END SOLUTION",
    ...      BEGIN_SOLUTION, END_SOLUTION)]
    [False, True, True, True]
    """
    inside = False
    for line in source.splitlines():
        mark = line.strip()
        if mark == begin:
            if inside:
                raise ValueError(f"source has a nested {begin!r}")
            inside = True
            yield True, line
        elif mark == end:
            if not inside:
                raise ValueError(f"source has {end!r} without {begin!r}")
            inside = False
            yield True, line
        else:
            yield inside, line
    if inside:
        raise ValueError(f"source has {begin!r} without {end!r}")
