"""The student-version steps as nbconvert preprocessors, one transformation per class.

As in nbgrader's ``preprocessors/``, each class does one thing and :data:`STUDENT_PIPELINE`
composes them; nbconvert's own :class:`~nbconvert.preprocessors.ClearOutputPreprocessor` clears
the outputs.  :func:`~classroom.notebooks.transform.to_student_version` runs the pipeline.

Examples
--------
>>> import nbformat
>>> from course_lib.exercise_format.cells import CellRole, mark_cell
>>> cell = mark_cell(nbformat.v4.new_code_cell("### BEGIN SOLUTION\\nx = 1\\n### END SOLUTION"),
...                  CellRole.SOLUTION, "q1")
>>> nb, _ = ClearSolutions().preprocess(nbformat.v4.new_notebook(cells=[cell]), {})
>>> print(nb.cells[0].source)
# YOUR CODE HERE
raise NotImplementedError()
"""

from __future__ import annotations

from nbconvert.preprocessors import ClearOutputPreprocessor, Preprocessor

from course_lib.exercise_format.cells import (
    BEGIN_HIDDEN,
    BEGIN_SOLUTION,
    END_HIDDEN,
    END_SOLUTION,
    CellRole,
    cell_role,
    iter_regions,
)
from classroom.notebooks.validate import validate_source

__all__ = [
    "CODE_STUB",
    "MARKDOWN_STUB",
    "STUDENT_PIPELINE",
    "ClearCellMetadata",
    "ClearOutputPreprocessor",
    "ClearSolutions",
    "LockCells",
    "RemoveHiddenTests",
    "ValidateSource",
    "clear_hidden_tests",
    "clear_solution",
]

CODE_STUB = ["# YOUR CODE HERE", "raise NotImplementedError()"]
MARKDOWN_STUB = ["YOUR ANSWER HERE"]


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


class ValidateSource(Preprocessor):
    """Refuse a notebook that breaks the authoring contract (``ValueError`` naming problems)."""

    def preprocess(self, nb, resources):  # noqa: D102 - see the class docstring
        problems = validate_source(nb)
        if problems:
            raise ValueError("nb is not a valid exercise source: " + "; ".join(problems))
        return nb, resources


class ClearSolutions(Preprocessor):
    """Replace the model answers of solution and manual cells by the stub."""

    def preprocess_cell(self, cell, resources, index):  # noqa: D102
        if cell_role(cell) in (CellRole.SOLUTION, CellRole.MANUAL):
            cell.source = clear_solution(cell.source, cell.cell_type)
        return cell, resources


class RemoveHiddenTests(Preprocessor):
    """Remove the hidden-test regions of test cells."""

    def preprocess_cell(self, cell, resources, index):  # noqa: D102
        if cell_role(cell) is CellRole.TEST:
            cell.source = clear_hidden_tests(cell.source)
        return cell, resources


class ClearCellMetadata(Preprocessor):
    """Drop run-time cell metadata (``execution`` timings, ``collapsed``, ``scrolled``)."""

    fields = ("execution", "collapsed", "scrolled")

    def preprocess_cell(self, cell, resources, index):  # noqa: D102
        for key in self.fields:
            cell.metadata.pop(key, None)
        return cell, resources


class LockCells(Preprocessor):
    """Lock prompt, setup and test cells; no graded cell may be deleted (JupyterLab flags)."""

    def preprocess_cell(self, cell, resources, index):  # noqa: D102
        role = cell_role(cell)
        if role is not CellRole.FREE:
            locked = role in (CellRole.PROMPT, CellRole.SETUP, CellRole.TEST)
            cell.metadata["editable"] = not locked
            cell.metadata["deletable"] = False
        return cell, resources


#: The student-version steps, in order (classes; instantiate to run).
STUDENT_PIPELINE: tuple[type[Preprocessor], ...] = (
    ValidateSource,
    ClearSolutions,
    RemoveHiddenTests,
    ClearOutputPreprocessor,
    ClearCellMetadata,
    LockCells,
)
