"""Solutions -> exercises: the student version of an exercise source notebook.

Examples
--------
>>> import nbformat
>>> from course_lib.notebooks.model import CellRole, mark_cell
>>> nb = nbformat.v4.new_notebook()
>>> nb.metadata["course"] = {"exercise": "00_demo", "lesson": "00", "title": "Demo"}
>>> cell = nbformat.v4.new_code_cell("### BEGIN SOLUTION\\nx = 42\\n### END SOLUTION")
>>> nb.cells.append(mark_cell(cell, CellRole.SOLUTION, "q1"))
>>> print(to_student_version(nb).cells[0].source)
# YOUR CODE HERE
raise NotImplementedError()
"""

from __future__ import annotations

import copy
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from course_lib.notebooks.model import (
    BEGIN_HIDDEN,
    BEGIN_SOLUTION,
    END_HIDDEN,
    END_SOLUTION,
    CellRole,
    cell_role,
    iter_regions,
    read_notebook,
    validate_source,
    write_notebook,
)

__all__ = [
    "BuildResult",
    "atomic_write_text",
    "build_exercises",
    "clear_hidden_tests",
    "clear_solution",
    "solution_lines",
    "to_student_version",
]

CODE_STUB = ["# YOUR CODE HERE", "raise NotImplementedError()"]
MARKDOWN_STUB = ["YOUR ANSWER HERE"]


def atomic_write_text(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (temporary file + :func:`os.replace`).

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "a", "b.txt")
    >>> atomic_write_text(p, "hi")
    >>> open(p).read()
    'hi'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def clear_solution(source: str, cell_type: str) -> str:
    """Replace solution regions by the stub (whole cell when it has no markers).

    Examples
    --------
    >>> print(clear_solution("def f():\\n    ### BEGIN SOLUTION\\n    return 1\\n"
    ...                      "    ### END SOLUTION", "code"))
    def f():
        # YOUR CODE HERE
        raise NotImplementedError()
    >>> clear_solution("My essay", "markdown")
    'YOUR ANSWER HERE'
    """
    stub = CODE_STUB if cell_type == "code" else MARKDOWN_STUB
    if BEGIN_SOLUTION not in source:
        return "\n".join(stub)
    out: list[str] = []
    for inside, line in iter_regions(source, BEGIN_SOLUTION, END_SOLUTION):
        if not inside:
            out.append(line)
        elif line.strip() == BEGIN_SOLUTION:
            indent = line[: len(line) - len(line.lstrip())]
            out.extend(indent + s for s in stub)
    return "\n".join(out)


def clear_hidden_tests(source: str) -> str:
    """Remove hidden-test regions (markers included).

    Examples
    --------
    >>> clear_hidden_tests("a\\n### BEGIN HIDDEN TESTS\\nb\\n### END HIDDEN TESTS\\nc")
    'a\\nc'
    """
    if BEGIN_HIDDEN not in source:
        return source
    kept = [line for inside, line in iter_regions(source, BEGIN_HIDDEN, END_HIDDEN) if not inside]
    return "\n".join(kept).rstrip("\n")


def to_student_version(nb: dict) -> nbformat.NotebookNode:
    """Student version: solutions stubbed, hidden tests removed, outputs cleared, cells locked.

    Raises
    ------
    ValueError
        When the source fails :func:`~course_lib.notebooks.model.validate_source`.
    """
    problems = validate_source(nb)
    if problems:
        raise ValueError("nb is not a valid exercise source: " + "; ".join(problems))
    out = nbformat.from_dict(copy.deepcopy(dict(nb)))
    for cell in out.cells:
        role = cell_role(cell)
        if role in (CellRole.SOLUTION, CellRole.MANUAL):
            cell.source = clear_solution(cell.source, cell.cell_type)
        elif role is CellRole.TEST:
            cell.source = clear_hidden_tests(cell.source)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        for key in ("execution", "collapsed", "scrolled"):
            cell.metadata.pop(key, None)
        if role is not CellRole.FREE:
            locked = role in (CellRole.PROMPT, CellRole.SETUP, CellRole.TEST)
            cell.metadata["editable"] = not locked
            cell.metadata["deletable"] = False
    return out


def solution_lines(nb: dict, min_length: int = 6) -> set[str]:
    """Stripped lines that appear only in the instructor version (solutions, hidden tests).

    Lines that also occur in the student version (e.g. a repeated comment) and
    lines shorter than ``min_length`` characters are left out, so the set can
    be used to scan a bundle for leaks without false alarms.

    Examples
    --------
    >>> import nbformat
    >>> from course_lib.notebooks.model import CellRole, mark_cell
    >>> nb = nbformat.v4.new_notebook(metadata={"course": {"exercise": "e"}})
    >>> nb.cells.append(mark_cell(nbformat.v4.new_code_cell("answer = 6 * 7"),
    ...                           CellRole.SOLUTION, "q1"))
    >>> sorted(solution_lines(nb))
    ['answer = 6 * 7']
    """
    student = to_student_version(nb)
    public = {
        line.strip() for cell in student.cells for line in cell.source.splitlines()
    }
    secret: set[str] = set()
    for cell in nb.get("cells", []):
        role = cell_role(cell)
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        if role in (CellRole.SOLUTION, CellRole.MANUAL):
            if BEGIN_SOLUTION in source:
                lines = [ln for inside, ln in iter_regions(source, BEGIN_SOLUTION, END_SOLUTION)
                         if inside]
            else:
                lines = source.splitlines()
        elif role is CellRole.TEST and BEGIN_HIDDEN in source:
            lines = [ln for inside, ln in iter_regions(source, BEGIN_HIDDEN, END_HIDDEN) if inside]
        else:
            continue
        for line in lines:
            text = line.strip()
            markers = (BEGIN_SOLUTION, END_SOLUTION, BEGIN_HIDDEN, END_HIDDEN)
            if len(text) >= min_length and text not in public and text not in markers:
                secret.add(text)
    return secret


@dataclass
class BuildResult:
    """What :func:`build_exercises` did (paths relative to the exercises folder)."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def up_to_date(self) -> bool:
        """True when nothing was (or would have to be) written or removed."""
        return not (self.written or self.stale or self.extra)


def build_exercises(
    solutions_dir: str | Path, exercises_dir: str | Path, *, check: bool = False
) -> BuildResult:
    """Generate ``exercises/`` from ``solutions/`` (or, with ``check``, only compare).

    Parameters
    ----------
    solutions_dir, exercises_dir : path
        Source and target folders; every ``*.ipynb`` in the source is converted.
    check : bool
        Do not write; list in ``stale`` the files that are missing or differ,
        and in ``extra`` exercise files without a source.

    Returns
    -------
    BuildResult

    Raises
    ------
    ValueError
        When a source notebook is invalid (the message names the file).
    """
    solutions_dir, exercises_dir = Path(solutions_dir), Path(exercises_dir)
    if not solutions_dir.is_dir():
        raise ValueError(f"solutions_dir must be an existing folder, got {str(solutions_dir)!r}")
    result = BuildResult()
    sources = sorted(solutions_dir.glob("*.ipynb"))
    for src in sources:
        nb = read_notebook(src)
        try:
            text = write_notebook(to_student_version(nb))
        except ValueError as exc:
            raise ValueError(f"{src.name}: {exc}") from exc
        target = exercises_dir / src.name
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current == text:
            result.unchanged.append(src.name)
        elif check:
            result.stale.append(src.name)
        else:
            atomic_write_text(target, text)
            result.written.append(src.name)
    names = {s.name for s in sources}
    if exercises_dir.is_dir():
        result.extra = sorted(
            p.name for p in exercises_dir.glob("*.ipynb") if p.name not in names
        )
    return result
