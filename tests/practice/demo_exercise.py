"""A two-question exercise source written at test time (fast to run in a kernel)."""

from __future__ import annotations

from pathlib import Path

import nbformat

from classroom.notebooks.model import CellRole, mark_cell

EXERCISE = "00_demo_exercises"
SETUP = "from course_lib.checks import check_answer, check_choice, self_check"
PROMPT = ("# Demo exercises\n\nSet `q3_letter` to the letter.\n\n- **a** the first option"
          "\n- **b** the second one\n- **c** a third option")
ANSWERS = 'q1_year = 2022\nq2_codes = ["RUS", "IRN"]\nq3_letter = "b"'
TEST_Q1 = ('self_check("q1_year", type=int, between=(1949, 2030));\n### BEGIN HIDDEN TESTS\n'
           'check_answer("q1_year", equals=2022, hint="The year of the full-scale invasion.");\n'
           "### END HIDDEN TESTS")
TEST_Q2 = ('self_check("q2_codes", type=list, length=2);\n### BEGIN HIDDEN TESTS\n'
           'check_answer("q2_codes", sequence=["RUS", "IRN"], hint="Most threatening first.");\n'
           "### END HIDDEN TESTS")
TEST_Q3 = ('self_check("q3_letter", type=str, choices="abc");\n### BEGIN HIDDEN TESTS\n'
           'check_choice("q3_letter", "b", options="abc");\n### END HIDDEN TESTS')


def write_source(solutions: Path) -> Path:
    """Write ``solutions/00_demo_exercises.ipynb``; return its path."""
    nb = nbformat.v4.new_notebook(metadata={"course": {"exercise": EXERCISE, "lesson": "00",
                                                       "title": "Demo exercises"}})
    nb.cells = [
        mark_cell(nbformat.v4.new_markdown_cell(PROMPT), CellRole.PROMPT, "intro"),
        mark_cell(nbformat.v4.new_code_cell(SETUP), CellRole.SETUP, "setup"),
        mark_cell(nbformat.v4.new_code_cell(f"### BEGIN SOLUTION\n{ANSWERS}\n### END SOLUTION"),
                  CellRole.SOLUTION, "q1"),
        mark_cell(nbformat.v4.new_code_cell(TEST_Q1), CellRole.TEST, "q1_test", 1),
        mark_cell(nbformat.v4.new_code_cell(TEST_Q2), CellRole.TEST, "q2_test", 2),
        mark_cell(nbformat.v4.new_code_cell(TEST_Q3), CellRole.TEST, "q3_test", 1),
    ]
    solutions.mkdir(parents=True, exist_ok=True)
    path = solutions / f"{EXERCISE}.ipynb"
    nbformat.write(nb, path)
    return path


def answer(exercise_nb: Path, source: str) -> None:
    """Put ``source`` into the learner's answer cell ``q1`` of ``exercise_nb``."""
    nb = nbformat.read(exercise_nb, as_version=4)
    for cell in nb.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "q1":
            cell.source = source
    nbformat.write(nb, exercise_nb)
