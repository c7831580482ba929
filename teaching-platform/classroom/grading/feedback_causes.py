"""Why an answer could not be checked: the cell errors of a run, traced to their cause.

A learner whose answer cell stops with an error sees which cell failed and why, in words that
point at the fix: an earlier cell that failed (named, with its error type and one-line message),
or a name that is defined only in a later cell (found by the ``NameError`` and a later cell that
assigns, defines or imports the name).  Cell sources are parsed with :mod:`ast`, never run.

Examples
--------
>>> sorted(defined_names("import pandas as pd\\ndef helper(x):\\n    y = x\\nz, w = 1, 2"))
['helper', 'pd', 'w', 'z']
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from classroom.grading.limits import CellError
from classroom.notebooks.model import grade_id

__all__ = ["Causes", "defined_names", "error_text"]

_UNDEFINED = re.compile(r"name '(\w+)' is not defined")


def defined_names(source: str) -> set[str]:
    """Top-level names a cell binds (assignments, ``def``, ``class``, imports, loop targets).

    Examples
    --------
    >>> sorted(defined_names("for i in range(3):\\n    total = i\\nfrom math import pi"))
    ['i', 'pi', 'total']
    >>> defined_names("this is not python")
    set()
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    names: set[str] = set()
    for stmt in tree.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(stmt.name)
            continue
        for node in ast.walk(stmt):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.alias):
                names.add((node.asname or node.name).split(".")[0])
    return names


def error_text(e: CellError) -> str:
    """The error type and its one-line message (the first line only).

    Examples
    --------
    >>> error_text(CellError(3, "q2", "KeyError", "'milex'\\nmore"))
    "KeyError: 'milex'"
    """
    first = (e.evalue or "").strip().splitlines()
    return f"{e.ename}: {first[0]}" if first else e.ename


@dataclass
class Causes:
    """The cell errors of one run, with what is needed to trace them.

    ``titles`` maps answer-cell ``grade_id`` -> question title; ``cells`` are the executed
    notebook's cells (``None`` when it is not at hand: later definitions are then not traced).
    """

    errors: list[CellError]
    titles: Mapping[str, str] = field(default_factory=dict)
    cells: list | None = None

    def _position(self, gid: str) -> int | None:
        for i, cell in enumerate(self.cells or []):
            if grade_id(cell) == gid:
                return i
        return None

    def describe(self, e: CellError) -> str:
        """Which cell an error came from, in the learner's terms."""
        where = f"cell {e.index + 1}"
        if e.grade_id in self.titles:
            return f"{where} (the answer cell of {self.titles[e.grade_id]})"
        return f"{where} (a cell of yours)" if e.grade_id is None else f"{where} ({e.grade_id})"

    def later_definition(self, name: str, after: int) -> int | None:
        """Index of the first cell after ``after`` that defines ``name`` (``None``: none)."""
        for i, cell in enumerate(self.cells or []):
            if i > after and cell.get("cell_type") == "code" and name in defined_names(
                    "".join(cell.get("source", ""))):
                return i
        return None

    def _earlier(self, before: int) -> CellError | None:
        return next((e for e in self.errors if e.index < before), None)

    def explain(self, answer_cells: Iterable[str]) -> list[str]:
        """One sentence per error in ``answer_cells``, naming its cause and the fix."""
        out = []
        for e in (e for e in self.errors if e.grade_id in set(answer_cells)):
            text = f"your answer cell {e.grade_id} stopped with {error_text(e)}"
            if e.ename == "NotImplementedError":
                out.append(text + " (the answer is not written yet: replace the stub with your "
                           "code)")
                continue
            missing = _UNDEFINED.search(e.evalue or "")
            name = missing.group(1) if missing else ""
            later = self.later_definition(name, e.index) if name else None
            earlier = self._earlier(e.index)
            if later is not None:
                text += (f". {name} is defined only in a later cell (cell {later + 1}); the "
                         "notebook runs from top to bottom, so move that definition above "
                         "this answer cell")
            elif earlier is not None:
                text += (f". An earlier cell failed: {self.describe(earlier)} stopped with "
                         f"{error_text(earlier)}; fix that cell first, later cells depend on it")
            out.append(text + ".")
        return out

    def earlier_failure(self, answer_cells: Iterable[str]) -> str | None:
        """When an answer is missing but its own cells ran: an earlier cell that failed."""
        starts = [p for p in (self._position(g) for g in answer_cells) if p is not None]
        first = self._earlier(min(starts)) if starts else None
        if first is None:
            return None
        return (f"an earlier cell failed: {self.describe(first)} stopped with "
                f"{error_text(first)}; fix that cell first, later cells may depend on it")
