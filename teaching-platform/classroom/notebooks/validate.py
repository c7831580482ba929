"""The authoring contract of an exercise source: metadata, grade ids, markers, test cells.

Examples
--------
>>> validate_source({"metadata": {"course": {"exercise": "e"}}, "cells": []})
[]
"""

from __future__ import annotations

from course_lib.exercise_format.cells import (
    BEGIN_HIDDEN,
    BEGIN_SOLUTION,
    END_HIDDEN,
    END_SOLUTION,
    GRADE_ID_PATTERN,
    NBGRADER_SCHEMA,
    CellRole,
    cell_role,
    cell_source,
    grade_id,
    iter_regions,
    nbgrader_metadata,
    points,
)
from course_lib.exercise_format.checkcalls import parse_check_calls

__all__ = ["validate_source"]


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
        src = cell_source(cell)
        where = f"cell {i}"
        if meta is not None:
            gid = grade_id(cell)
            where = f"cell {i} ({gid})"
            if gid is None or not GRADE_ID_PATTERN.match(gid):
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
