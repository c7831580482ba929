"""Building submissions for the grading tests (not a test module)."""

from __future__ import annotations

from pathlib import Path

import nbformat

from classroom.notebooks.model import grade_id, read_notebook
from classroom.notebooks.transform import to_student_version

ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS = ROOT / "solutions"
EXERCISE = "01_southern_direction_exercises"
SOURCE = SOLUTIONS / f"{EXERCISE}.ipynb"
ANSWER_IDS = {"q1", "q2", "q3", "q4", "q5", "q6"}


def student_notebook(changes: dict[str, str] | None = None, *, fresh: bool = False
                     ) -> nbformat.NotebookNode:
    """The student version filled with the model answers (unless ``fresh``), then ``changes``."""
    src = read_notebook(SOURCE)
    answers = {} if fresh else {grade_id(c): c.source for c in src.cells
                                if grade_id(c) in ANSWER_IDS}
    answers.update(changes or {})
    nb = to_student_version(src)
    for cell in nb.cells:
        if grade_id(cell) in answers:
            cell.source = answers[grade_id(cell)]
    return nb


def write_submission(path: Path, changes: dict[str, str] | None = None, *,
                     fresh: bool = False) -> Path:
    """Write a submission notebook at ``path`` (parents created)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(student_notebook(changes, fresh=fresh), path)
    return path


def make_submission(folder: Path, student: str, changes: dict[str, str] | None = None, *,
                    fresh: bool = False) -> Path:
    """``folder/<student>/<exercise>.ipynb``."""
    return write_submission(folder / student / f"{EXERCISE}.ipynb", changes, fresh=fresh)
