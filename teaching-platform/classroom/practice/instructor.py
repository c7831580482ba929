"""Practice verdicts from the instructor sources: the grader itself, on one notebook.

In the full course repository (the one holding ``solutions/``), ``course check NOTEBOOK``
grades the learner's notebook exactly as ``course grade`` would, in a temporary grading
folder that is removed afterwards (nothing is written into the learner's folders).

Examples
--------
>>> SOLUTIONS_HINT
'solutions/NN_slug_exercises.ipynb'
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from classroom.grading.batch import grade_batch
from classroom.grading.results import SubmissionResult
from classroom.grading.runner import Limits

__all__ = ["SOLUTIONS_HINT", "grade_with_solutions"]

#: Where the instructor sources sit in the repository.
SOLUTIONS_HINT = "solutions/NN_slug_exercises.ipynb"


def grade_with_solutions(notebook: str | Path, solutions_dir: str | Path, *,
                         isolate: str = "auto", limits: Limits | None = None
                         ) -> SubmissionResult:
    """Grade ``notebook`` against ``solutions_dir``; return the grader's result.

    Raises
    ------
    CourseError, ValueError
        As :func:`classroom.grading.batch.grade_batch` (e.g. a notebook that is no exercise).
    """
    with tempfile.TemporaryDirectory(prefix="course-check-") as tmp:
        batch = grade_batch([Path(notebook)], Path(tmp) / "grading", solutions_dir=solutions_dir,
                            limits=limits, jobs=1, isolate=isolate, progress=False,
                            preload=False)
    if not batch.results:
        raise ValueError(f"{notebook} is not one of the exercises in {solutions_dir}")
    return batch.results[0]
