"""Solutions -> exercises: the student version of an exercise source notebook.

:func:`to_student_version` runs the nbconvert preprocessors of
:mod:`~classroom.notebooks.preprocessors` (validate, clear solutions, remove hidden tests,
clear outputs, clear run-time metadata, lock cells); :func:`build_exercises` writes the student
copies, refusing authoring mistakes (:mod:`~classroom.notebooks.authoring`), a target folder
that holds solution sources, and files it did not generate.  Among those mistakes are the two
nbgrader rules (one graded check per test cell; every check call ends with ``;``): since the
hidden-test region is removed whole, a source that keeps them gives a student version whose
test cells display nothing either.

Examples
--------
>>> import nbformat
>>> from classroom.notebooks.model import CellRole, mark_cell
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
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from classroom.errors import CourseError
from course_lib.files import atomic_write_text
from classroom.notebooks.audit import ExerciseAudit, audit_exercise
from classroom.notebooks.authoring import authoring_problems
from classroom.notebooks.guard import is_generated_exercise, solution_sources_in
from classroom.notebooks.model import (
    BEGIN_HIDDEN,
    BEGIN_SOLUTION,
    END_HIDDEN,
    END_SOLUTION,
    MARKERS,
    CellRole,
    cell_role,
    cell_source,
    iter_regions,
    read_notebook,
    validate_source,
    write_notebook,
)
from classroom.notebooks.preprocessors import (
    CODE_STUB,
    MARKDOWN_STUB,
    STUDENT_PIPELINE,
    clear_hidden_tests,
    clear_solution,
)

__all__ = [
    "CODE_STUB",
    "MARKDOWN_STUB",
    "BuildResult",
    "atomic_write_text",
    "build_exercises",
    "clear_hidden_tests",
    "clear_solution",
    "solution_lines",
    "student_text",
    "to_student_version",
]


def to_student_version(nb: dict) -> nbformat.NotebookNode:
    """Student version: solutions stubbed, hidden tests removed, outputs cleared, cells locked.

    ``nb`` is not changed; the steps are :data:`~classroom.notebooks.preprocessors.
    STUDENT_PIPELINE`, run in order.

    Raises
    ------
    ValueError
        When the source fails :func:`~classroom.notebooks.model.validate_source`.
    """
    out = nbformat.from_dict(copy.deepcopy(dict(nb)))
    resources: dict = {}
    for step in STUDENT_PIPELINE:
        out, resources = step().preprocess(out, resources)
    return out


def solution_lines(nb: dict, min_length: int = 6) -> set[str]:
    """Stripped lines that appear only in the instructor version (solutions, hidden tests).

    Lines that also occur in the student version (e.g. a repeated comment) and
    lines shorter than ``min_length`` characters are left out, so the set can
    be used to scan a bundle for leaks without false alarms.

    Examples
    --------
    >>> import nbformat
    >>> from classroom.notebooks.model import CellRole, mark_cell
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
        source = cell_source(cell)
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
            if len(text) >= min_length and text not in public and text not in MARKERS:
                secret.add(text)
    return secret


@dataclass
class BuildResult:
    """What :func:`build_exercises` did (paths relative to the exercises folder)."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    audits: list[ExerciseAudit] = field(default_factory=list)

    @property
    def up_to_date(self) -> bool:
        """True when nothing was (or would have to be) written or removed."""
        return not (self.written or self.stale or self.extra)


def student_text(src: Path) -> str:
    """The student copy of the exercise source ``src``, serialised (nothing is written).

    Raises
    ------
    CourseError
        When the source breaks the authoring contract or a check call is mistaken (a choice
        question that gives its key away included); the message names the notebook and the
        cell (its ``grade_id``).
    """
    return _checked_student(src)[0]


def _checked_student(src: Path) -> tuple[str, ExerciseAudit]:
    nb = read_notebook(src)
    problems = validate_source(nb) + authoring_problems(nb)
    if problems:
        raise CourseError(f"{src}: {'; '.join(problems)}; fix the source and build again")
    return write_notebook(to_student_version(nb)), audit_exercise(nb, src.stem)


def _refuse_unsafe_target(solutions_dir: Path, exercises_dir: Path) -> None:
    if exercises_dir.exists() and not exercises_dir.is_dir():
        raise CourseError(f"{exercises_dir} is not a folder; give --exercises a folder")
    if exercises_dir.is_dir() and exercises_dir.resolve() == solutions_dir.resolve():
        raise CourseError(f"{exercises_dir} is the solutions folder; refusing to write student "
                          "copies over the solution sources")
    sources = solution_sources_in(exercises_dir)
    if sources:
        shown = ", ".join(sources[:3]) + (", ..." if len(sources) > 3 else "")
        raise CourseError(f"{exercises_dir} holds solution sources ({shown}); refusing to "
                          "write student copies there")


def build_exercises(
    solutions_dir: str | Path, exercises_dir: str | Path, *, check: bool = False
) -> BuildResult:
    """Generate ``exercises/`` from ``solutions/`` (or, with ``check``, only compare).

    Every source is converted and checked before anything is written.  Nothing is written
    into a folder that holds solution sources, and an existing file is replaced only when it
    is a student copy of that exercise (see
    :func:`~classroom.notebooks.guard.is_generated_exercise`).  Files honour the umask.

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
        When ``solutions_dir`` is not a folder or a source is not a readable notebook.
    CourseError
        When a source has authoring mistakes (naming notebook and cell), the target holds
        solution sources, or a file to replace was not generated by this command.
    """
    solutions_dir, exercises_dir = Path(solutions_dir), Path(exercises_dir)
    if not solutions_dir.is_dir():
        raise ValueError(f"solutions_dir must be an existing folder, got {str(solutions_dir)!r}")
    if not check:
        _refuse_unsafe_target(solutions_dir, exercises_dir)
    result = BuildResult()
    sources = sorted(solutions_dir.glob("*.ipynb"))
    pending: list[tuple[Path, str]] = []
    for src in sources:
        text, audit = _checked_student(src)
        result.audits.append(audit)
        target = exercises_dir / src.name
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        if current == text:
            result.unchanged.append(src.name)
        elif check:
            result.stale.append(src.name)
        elif target.exists() and not is_generated_exercise(target):
            raise CourseError(f"{target} was not generated by `course build-exercises` (not a "
                              "student copy of this exercise); refusing to overwrite it: move "
                              "it away first")
        else:
            pending.append((target, text))
    for target, text in pending:
        atomic_write_text(target, text)
        result.written.append(target.name)
    names = {s.name for s in sources}
    if exercises_dir.is_dir():
        result.extra = sorted(
            p.name for p in exercises_dir.glob("*.ipynb") if p.name not in names
        )
    return result
