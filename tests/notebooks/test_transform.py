"""The student version as a pipeline of nbconvert preprocessors, one transformation per class."""

from __future__ import annotations

import copy

import nbformat
import pytest
from nbconvert.preprocessors import ClearOutputPreprocessor, Preprocessor

from classroom.notebooks.model import CellRole, cell_role, mark_cell, write_notebook
from classroom.notebooks.preprocessors import (
    STUDENT_PIPELINE,
    ClearCellMetadata,
    ClearSolutions,
    LockCells,
    RemoveHiddenTests,
    ValidateSource,
)
from classroom.notebooks.transform import to_student_version


def _source() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(metadata={"course": {"exercise": "09_demo", "lesson": "09",
                                                       "title": "Demo"}})
    solution = nbformat.v4.new_code_cell("y = 0\n### BEGIN SOLUTION\nx = 42\n### END SOLUTION",
                                         execution_count=3)
    solution.outputs = [nbformat.v4.new_output("stream", name="stdout", text="42\n")]
    solution.metadata["execution"] = {"iopub.execute_input": "2026-01-01"}
    solution.metadata["scrolled"] = True
    test = nbformat.v4.new_code_cell('self_check("x", type=int)\n### BEGIN HIDDEN TESTS\n'
                                     'check_answer("x", equals=42)\n### END HIDDEN TESTS')
    nb.cells = [
        mark_cell(nbformat.v4.new_markdown_cell("## Q1 (2 points)"), CellRole.PROMPT, "q1_p"),
        mark_cell(solution, CellRole.SOLUTION, "q1"),
        mark_cell(test, CellRole.TEST, "q1_test", 2),
        mark_cell(nbformat.v4.new_markdown_cell("### BEGIN SOLUTION\nBecause.\n"
                                                "### END SOLUTION"), CellRole.MANUAL, "q2", 3),
        nbformat.v4.new_code_cell("scratch = 1"),
    ]
    return nb


def test_pipeline_is_nbconvert_preprocessors_reusing_clear_output() -> None:
    assert all(issubclass(step, Preprocessor) for step in STUDENT_PIPELINE)
    assert ClearOutputPreprocessor in STUDENT_PIPELINE  # nbconvert's own class, reused
    assert STUDENT_PIPELINE[0] is ValidateSource
    assert len(set(STUDENT_PIPELINE)) == len(STUDENT_PIPELINE) == 6


def _run(step: type[Preprocessor], nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    out, _ = step().preprocess(copy.deepcopy(nb), {})
    return out


def _changed(before: nbformat.NotebookNode, after: nbformat.NotebookNode) -> set[tuple]:
    found = set()
    for i, (a, b) in enumerate(zip(before.cells, after.cells, strict=True)):
        for key in ("source", "outputs", "execution_count", "metadata"):
            if a.get(key) != b.get(key):
                found.add((i, key))
    return found


@pytest.mark.parametrize("step, expected", [
    (ClearSolutions, {(1, "source"), (3, "source")}),
    (RemoveHiddenTests, {(2, "source")}),
    (ClearOutputPreprocessor, {(1, "outputs"), (1, "execution_count"), (1, "metadata")}),
    (ClearCellMetadata, {(1, "metadata")}),
    (LockCells, {(1, "metadata"), (3, "metadata")}),
])
def test_each_step_does_one_thing(step: type[Preprocessor], expected: set) -> None:
    nb = _source()
    for cell in nb.cells:  # LockCells must be seen to set the flags
        cell.metadata.pop("editable", None)
        cell.metadata.pop("deletable", None)
    for i in (0, 2):
        nb.cells[i].metadata.update(editable=False, deletable=False)
    assert _changed(nb, _run(step, nb)) == expected


def test_steps_give_the_expected_cells() -> None:
    nb = _source()
    assert _run(ClearSolutions, nb).cells[1].source == \
        "y = 0\n# YOUR CODE HERE\nraise NotImplementedError()"
    assert _run(ClearSolutions, nb).cells[3].source == "YOUR ANSWER HERE"
    assert _run(RemoveHiddenTests, nb).cells[2].source == 'self_check("x", type=int)'
    assert set(_run(ClearCellMetadata, nb).cells[1].metadata) == {"nbgrader", "editable",
                                                                  "deletable"}
    locked = _run(LockCells, nb)
    assert [c.metadata.get("editable") for c in locked.cells] == [False, True, False, True, None]
    with pytest.raises(ValueError, match="not a valid exercise source"):
        _run(ValidateSource, nbformat.v4.new_notebook())


def test_student_version_is_the_pipeline_and_leaves_the_source_alone() -> None:
    nb = _source()
    before = write_notebook(nb)
    student = to_student_version(nb)
    assert write_notebook(nb) == before
    by_hand = copy.deepcopy(nb)
    for step in STUDENT_PIPELINE:
        by_hand, _ = step().preprocess(by_hand, {})
    assert write_notebook(student) == write_notebook(by_hand)
    text = write_notebook(student)
    for secret in ("x = 42", "equals=42", "BEGIN", "Because", '"text": "42'):
        assert secret not in text, secret
    assert [cell_role(c) for c in student.cells] == [cell_role(c) for c in nb.cells]
    assert student.cells[1].outputs == [] and student.cells[1].execution_count is None
