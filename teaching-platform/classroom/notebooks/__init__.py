"""The one notebook model shared by build, release, grading and slides.

- :mod:`classroom.notebooks.model`          the public names, re-exported from:
  :mod:`~course_lib.exercise_format.cells` (nbgrader metadata, roles, markers),
  :mod:`~course_lib.exercise_format.notebook_io` (reading and writing files),
  :mod:`~course_lib.exercise_format.checkcalls` (check calls parsed with ``ast``) and
  :mod:`~classroom.notebooks.validate` (the authoring contract)
- :mod:`classroom.notebooks.authoring`      mistakes in check calls, caught at build time
- :mod:`classroom.notebooks.preprocessors`  the student-version steps (nbconvert preprocessors)
- :mod:`classroom.notebooks.transform`      solutions -> exercises (``course build-exercises``)
- :mod:`classroom.notebooks.guard`          what a command may replace (marker files)
- :mod:`classroom.notebooks.release`        the student bundle (``course release``)
"""

from classroom.notebooks.authoring import authoring_problems
from classroom.notebooks.model import (
    CellRole,
    CheckCall,
    ExerciseInfo,
    NotebookFormatError,
    cell_role,
    exercise_info,
    grade_id,
    mark_cell,
    parse_check_calls,
    read_notebook,
    validate_source,
    write_notebook,
)
from classroom.notebooks.release import build_release, scan_for_leaks
from classroom.notebooks.transform import (
    BuildResult,
    atomic_write_text,
    build_exercises,
    solution_lines,
    to_student_version,
)

__all__ = [
    "BuildResult",
    "CellRole",
    "CheckCall",
    "ExerciseInfo",
    "NotebookFormatError",
    "atomic_write_text",
    "authoring_problems",
    "build_exercises",
    "build_release",
    "cell_role",
    "exercise_info",
    "grade_id",
    "mark_cell",
    "parse_check_calls",
    "read_notebook",
    "scan_for_leaks",
    "solution_lines",
    "to_student_version",
    "validate_source",
    "write_notebook",
]
