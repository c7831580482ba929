"""The one notebook model: nbgrader cell metadata, roles, exercise identity, check calls.

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

import ast
import enum
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from course_lib.checks import CHECK_FUNCTIONS, TYPE_NAMES

__all__ = [
    "BEGIN_HIDDEN",
    "BEGIN_SOLUTION",
    "END_HIDDEN",
    "END_SOLUTION",
    "NBGRADER_SCHEMA",
    "WIDGET_TAG",
    "CellRole",
    "CheckCall",
    "ExerciseInfo",
    "NotebookFormatError",
    "cell_role",
    "cell_source",
    "exercise_info",
    "grade_id",
    "iter_regions",
    "mark_cell",
    "nbgrader_metadata",
    "parse_check_calls",
    "points",
    "read_notebook",
    "validate_source",
    "write_notebook",
]

NBGRADER_SCHEMA = 3
BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"
BEGIN_HIDDEN = "### BEGIN HIDDEN TESTS"
END_HIDDEN = "### END HIDDEN TESTS"
#: Tag of locked cells that only display a widget; the grader does not run them.
WIDGET_TAG = "widget"
_GRADE_ID = re.compile(r"^[A-Za-z0-9_\-]+$")


class NotebookFormatError(ValueError):
    """A file is not a readable Jupyter notebook (corrupt JSON, wrong format)."""


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
    if not _GRADE_ID.match(gid or ""):
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


def read_notebook(path: str | Path) -> nbformat.NotebookNode:
    """Read a notebook, turning every way it can be broken into :class:`NotebookFormatError`.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "bad.ipynb")
    >>> _ = open(p, "w").write("{not json")
    >>> read_notebook(p)
    Traceback (most recent call last):
    ...
    course_lib.notebooks.model.NotebookFormatError: bad.ipynb is not valid JSON ...
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise NotebookFormatError(f"{path.name} cannot be read: {exc.strerror}") from exc
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise NotebookFormatError(f"{path.name} is not UTF-8 text (binary file?)") from exc
    except json.JSONDecodeError as exc:
        raise NotebookFormatError(
            f"{path.name} is not valid JSON (line {exc.lineno}, column {exc.colno}): "
            "the file is damaged; re-download or re-save it from Jupyter"
        ) from exc
    if not isinstance(data, dict) or "cells" not in data or "nbformat" not in data:
        raise NotebookFormatError(
            f"{path.name} is JSON but not a Jupyter notebook (no 'cells'/'nbformat')"
        )
    if data.get("nbformat") != 4:
        raise NotebookFormatError(
            f"{path.name} uses notebook format {data.get('nbformat')!r}; format 4 is required"
        )
    try:
        nb = nbformat.reads(json.dumps(data), as_version=4)
        nbformat.validate(nb)
    except Exception as exc:  # nbformat raises several exception types
        raise NotebookFormatError(f"{path.name} is not a valid notebook: {exc}") from exc
    return nb


def write_notebook(nb: dict) -> str:
    """Serialise a notebook deterministically (sorted keys, one-space indent, final newline).

    Examples
    --------
    >>> write_notebook(nbformat.v4.new_notebook()).endswith("}\\n")
    True
    """
    return nbformat.writes(nbformat.from_dict(nb)) + "\n"


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


@dataclass(frozen=True)
class CheckCall:
    """One parsed check call from a test cell.

    Attributes
    ----------
    function : str
        ``check_answer``, ``check_choice`` or ``self_check``.
    name : str
        The answer variable it inspects.
    args : dict
        Literal keyword arguments (``check_choice``'s option is under ``"answer"``).
    hidden : bool
        True when the call sits between the hidden-test markers.
    weight : float
        Share of the question's points (graded checks only).
    """

    function: str
    name: str
    args: dict = field(default_factory=dict)
    hidden: bool = False
    weight: float = 1.0

    @property
    def graded(self) -> bool:
        """Whether the check earns points."""
        return CHECK_FUNCTIONS[self.function]


def _literal(node: ast.AST, where: str) -> Any:
    if isinstance(node, ast.Name) and node.id in TYPE_NAMES:
        return node.id
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError) as exc:
        raise ValueError(f"{where}: arguments must be literals, got {ast.unparse(node)!r}") from exc


def parse_check_calls(source: str) -> list[CheckCall]:
    """Parse the check calls of a test cell (literal arguments only).

    Other statements (imports, comments) are allowed and ignored; any call to a
    check function that is not a top-level expression statement, or that uses
    non-literal arguments, raises ``ValueError``.

    Examples
    --------
    >>> src = 'self_check("y", type=int)\\n### BEGIN HIDDEN TESTS\\n' \\
    ...       'check_answer("y", equals=2022)\\n### END HIDDEN TESTS'
    >>> [(c.function, c.hidden, c.args) for c in parse_check_calls(src)]
    [('self_check', False, {'type': 'int'}), ('check_answer', True, {'equals': 2022})]
    """
    hidden_lines = {
        n for n, (inside, _) in enumerate(iter_regions(source, BEGIN_HIDDEN, END_HIDDEN), 1)
        if inside
    }
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise ValueError(f"test cell is not valid Python: {exc.msg} (line {exc.lineno})") from exc
    calls: list[CheckCall] = []
    top_level: set[int] = set()
    for stmt in tree.body:
        if (
            isinstance(stmt, ast.Expr)
            and isinstance(stmt.value, ast.Call)
            and isinstance(stmt.value.func, ast.Name)
            and stmt.value.func.id in CHECK_FUNCTIONS
        ):
            top_level.add(id(stmt.value))
            calls.append(_parse_call(stmt.value, stmt.lineno in hidden_lines))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in CHECK_FUNCTIONS
            and id(node) not in top_level
        ):
            raise ValueError(
                f"line {node.lineno}: {node.func.id}(...) must be a statement of its own"
            )
    return calls


def _parse_call(call: ast.Call, hidden: bool) -> CheckCall:
    fn = call.func.id  # type: ignore[attr-defined]
    where = f"line {call.lineno}: {fn}"
    positional = [_literal(a, where) for a in call.args]
    kwargs = {}
    for kw in call.keywords:
        if kw.arg is None:
            raise ValueError(f"{where}: **kwargs are not allowed")
        kwargs[kw.arg] = _literal(kw.value, where)
    if fn == "check_choice":
        if len(positional) != 2:
            raise ValueError(f"{where}: needs (name, answer), got {len(positional)} positional")
        kwargs["answer"] = positional[1]
        if kwargs.get("options") is not None:
            kwargs["options"] = list(kwargs["options"])
    elif len(positional) != 1:
        raise ValueError(f"{where}: needs exactly one positional argument (the variable name)")
    name = positional[0]
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"{where}: the first argument must be a variable name, got {name!r}")
    if kwargs.get("choices") is not None:
        kwargs["choices"] = list(kwargs["choices"])
    weight = kwargs.pop("weight", 1.0)
    if not isinstance(weight, int | float) or not weight > 0:
        raise ValueError(f"{where}: weight must be a number > 0, got {weight!r}")
    if fn == "check_answer":
        modes = [k for k in ("equals", "close_to", "sequence", "items", "one_of") if k in kwargs]
        if len(modes) != 1:
            raise ValueError(
                f"{where}: needs exactly one of equals, close_to, sequence, items, one_of"
            )
    return CheckCall(function=fn, name=name, args=kwargs, hidden=hidden, weight=float(weight))


def validate_source(nb: dict) -> list[str]:
    """List authoring problems in an exercise source notebook (empty list = valid).

    Checks: ``metadata.course.exercise`` present; grade ids unique and
    well-formed; schema version 3; graded cells have points > 0; solution
    markers only in solution cells and balanced; hidden-test markers only in
    test cells; every test cell parses and holds at least one graded check.

    Examples
    --------
    >>> validate_source({"metadata": {}, "cells": []})
    ['metadata.course.exercise is missing']
    """
    problems: list[str] = []
    course = nb.get("metadata", {}).get("course")
    if not isinstance(course, dict) or not course.get("exercise"):
        problems.append("metadata.course.exercise is missing")
    seen: set[str] = set()
    for i, cell in enumerate(nb.get("cells", [])):
        role = cell_role(cell)
        meta = nbgrader_metadata(cell)
        src = cell.get("source", "")
        src = "".join(src) if isinstance(src, list) else src
        where = f"cell {i}"
        if meta is not None:
            gid = grade_id(cell)
            where = f"cell {i} ({gid})"
            if gid is None or not _GRADE_ID.match(gid):
                problems.append(f"cell {i}: grade_id missing or malformed")
            elif gid in seen:
                problems.append(f"{where}: duplicate grade_id")
            else:
                seen.add(gid)
            if meta.get("schema_version") != NBGRADER_SCHEMA:
                problems.append(f"{where}: schema_version must be {NBGRADER_SCHEMA}")
        if role in (CellRole.TEST, CellRole.MANUAL) and not points(cell) > 0:
            problems.append(f"{where}: graded cell needs points > 0")
        for begin, end, allowed in (
            (BEGIN_SOLUTION, END_SOLUTION, (CellRole.SOLUTION, CellRole.MANUAL)),
            (BEGIN_HIDDEN, END_HIDDEN, (CellRole.TEST,)),
        ):
            if begin in src or end in src:
                if role not in allowed:
                    problems.append(f"{where}: {begin!r} markers in a {role.value} cell")
                try:
                    list(iter_regions(src, begin, end))
                except ValueError as exc:
                    problems.append(f"{where}: {exc}")
        if role is CellRole.TEST:
            if cell.get("cell_type") != "code":
                problems.append(f"{where}: test cells must be code cells")
                continue
            try:
                calls = parse_check_calls(src)
            except ValueError as exc:
                problems.append(f"{where}: {exc}")
                continue
            if not any(c.graded for c in calls):
                problems.append(f"{where}: no check_answer/check_choice call")
    return problems
