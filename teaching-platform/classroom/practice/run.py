"""Run a learner's exercise notebook in a fresh kernel and read its answers back.

For ``course check`` with a practice key (a student bundle, no ``solutions/``): the learner's
saved notebook runs top to bottom through the grader's own runner
(:func:`classroom.grading.runner.run_notebook`: the same forked kernel, limits, isolation as
available, and the same probe that brings the answer variables back as JSON), with the test
cells and the widget cells emptied.  It runs on a copy in a folder of its own, as a submission
does when it is graded; the learner's file and folder are not changed.

Examples
--------
>>> import nbformat
>>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1", outputs=[
...     nbformat.v4.new_output("stream", text="old")])])
>>> prepared(nb).cells[0].outputs, nb.cells[0].outputs[0].text
([], 'old')
"""

from __future__ import annotations

import copy
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from classroom.grading.runner import (
    CellError,
    Limits,
    RunResult,
    run_notebook,
    start_kernel,
)
from classroom.grading.signals import run_cancellable
from classroom.notebooks.model import WIDGET_TAG, CellRole, cell_role, read_notebook

__all__ = ["LocalRun", "prepared", "run_locally"]


@dataclass
class LocalRun:
    """What a run produced: the answers (``None`` if unreadable) and what went wrong."""

    values: dict[str, dict] | None
    errors: list[str] = field(default_factory=list)


def prepared(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` to run: no stored outputs, test and widget cells emptied."""
    out = copy.deepcopy(nb)
    for cell in out.cells:
        if cell.cell_type != "code":
            continue
        cell.outputs, cell.execution_count = [], None
        if cell_role(cell) is CellRole.TEST or WIDGET_TAG in cell.metadata.get("tags", []):
            cell.source = ""
    return out


def _problem(error: CellError) -> str:
    where = error.grade_id or f"cell {error.index + 1}"
    return f"{where} raised {error.ename}: {error.evalue}"


def _errors(run: RunResult) -> list[str]:
    """Each cell's error, then what stopped the run; a last word when no answer came back."""
    errors = [_problem(e) for e in run.cell_errors] + list(run.events)
    if run.values is None and not run.events:
        errors.append("your answers could not be read after the notebook ran")
    return errors


def run_locally(notebook: str | Path, names: Iterable[str], *, timeout_cell: float = 60.0,
                isolate: str = "auto") -> LocalRun:
    """Execute ``notebook`` (a copy; the file is not changed) and probe ``names``.

    Raises
    ------
    ValueError
        If ``timeout_cell`` is not a number of seconds in (0, 86400], or ``isolate`` is
        unknown (``"require"`` without the sandbox too).
    """
    limits = Limits(timeout_cell=timeout_cell)
    path = Path(notebook)
    nb = prepared(read_notebook(path))
    with tempfile.TemporaryDirectory(prefix="course-check-") as work:
        (Path(work) / path.name).write_bytes(path.read_bytes())

        async def run() -> RunResult:
            kernel = await start_kernel(work, limits, isolate=isolate)
            result, _ = await run_notebook(nb, kernel, limits, names)
            return result

        result = run_cancellable(run())
    return LocalRun(result.values, _errors(result))
