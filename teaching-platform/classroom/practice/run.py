"""Run a learner's exercise notebook in a fresh local kernel and read its answers back.

For ``course check`` in a student bundle, where the grading package is not shipped: the
learner's own notebook runs top to bottom (nbclient, errors do not stop it) in its folder, with
the test cells and the widget cells emptied, then one probe cell prints the answer variables
as JSON (:func:`course_lib.checks.encode_value`) after a random marker. The kernel is the
learner's own Python, unisolated: this is their own work on their own machine.

Examples
--------
>>> probe = probe_cell(["q1"], "abc")
>>> "encode_value" in probe and "'q1'" in probe
True
"""

from __future__ import annotations

import copy
import json
import secrets
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from classroom.notebooks.model import WIDGET_TAG, CellRole, cell_role, grade_id, read_notebook

__all__ = ["LocalRun", "probe_cell", "run_locally"]


@dataclass
class LocalRun:
    """What a local run produced: the answers (``None`` if unreadable) and what went wrong."""

    values: dict[str, dict] | None
    errors: list[str] = field(default_factory=list)


def probe_cell(names: Iterable[str], marker: str) -> str:
    """Source of the cell that prints ``marker`` and the answers as one JSON line."""
    wanted = sorted(set(names))
    return (
        "import json as _json\n"
        "from course_lib.checks import encode_value as _encode\n"
        f"print({marker!r} + _json.dumps({{_n: _encode(globals()[_n]) if _n in globals() "
        f"else {{'defined': False}} for _n in {wanted!r}}}))\n"
    )


def _prepared(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    out = copy.deepcopy(nb)
    for cell in out.cells:
        if cell.cell_type != "code":
            continue
        cell.outputs, cell.execution_count = [], None
        if cell_role(cell) is CellRole.TEST or WIDGET_TAG in cell.metadata.get("tags", []):
            cell.source = ""
    return out


def _errors(nb: nbformat.NotebookNode) -> list[str]:
    found = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                where = grade_id(cell) or f"cell {index + 1}"
                found.append(f"{where} raised {output.get('ename')}: {output.get('evalue')}")
    return found


def run_locally(notebook: str | Path, names: Iterable[str], *,
                timeout_cell: float = 60.0) -> LocalRun:
    """Execute ``notebook`` (a copy; the file is not changed) and probe ``names``.

    Raises
    ------
    ValueError
        If ``timeout_cell`` is not positive.
    """
    if not timeout_cell > 0:
        raise ValueError(f"timeout_cell must be > 0 seconds, got {timeout_cell!r}")
    path = Path(notebook)
    nb = _prepared(read_notebook(path))
    marker = f"course-check-{secrets.token_hex(8)}:"
    nb.cells.append(nbformat.v4.new_code_cell(probe_cell(names, marker)))
    client = NotebookClient(nb, timeout=int(timeout_cell), allow_errors=True,
                            kernel_name="python3",
                            resources={"metadata": {"path": str(path.resolve().parent)}})
    try:
        client.execute(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except (CellTimeoutError, DeadKernelError, RuntimeError) as exc:
        return LocalRun(None, [f"the notebook did not finish ({type(exc).__name__})"])
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.get("name") == "stdout")
    line = next((ln for ln in text.splitlines() if ln.startswith(marker)), None)
    nb.cells.pop()
    values = json.loads(line[len(marker):]) if line else None
    errors = _errors(nb)
    if values is None:
        errors.append("your answers could not be read after the notebook ran")
    return LocalRun(values, errors)
