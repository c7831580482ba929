"""The format of an exercise notebook, shared by self-checks, practice keys and progress.

The course's platform (build, release, grading, slides) reads exercise notebooks through these
modules too, so there is one notebook model:

- :mod:`~course_lib.exercise_format.cells`        nbgrader metadata, roles, identity, markers
- :mod:`~course_lib.exercise_format.checkcalls`   check calls parsed from test cells
- :mod:`~course_lib.exercise_format.notebook_io`  reading and writing notebook files
- :mod:`~course_lib.exercise_format.rubrics`      reflections' rubric levels and word ranges

Examples
--------
>>> import nbformat
>>> cell = nbformat.v4.new_code_cell("x = 1")
>>> _ = mark_cell(cell, CellRole.SOLUTION, "q1")
>>> cell_role(cell), grade_id(cell)
(<CellRole.SOLUTION: 'solution'>, 'q1')
"""

from course_lib.exercise_format.cells import (
    BEGIN_HIDDEN,
    BEGIN_SOLUTION,
    END_HIDDEN,
    END_SOLUTION,
    MARKERS,
    NBGRADER_SCHEMA,
    WIDGET_TAG,
    CellRole,
    ExerciseInfo,
    cell_role,
    cell_source,
    exercise_info,
    grade_id,
    iter_regions,
    mark_cell,
    nbgrader_metadata,
    points,
)
from course_lib.exercise_format.checkcalls import CheckCall, parse_check_calls
from course_lib.exercise_format.notebook_io import (
    NotebookFormatError,
    exercise_sources,
    read_notebook,
    write_notebook,
)

__all__ = [
    "BEGIN_HIDDEN",
    "BEGIN_SOLUTION",
    "END_HIDDEN",
    "END_SOLUTION",
    "MARKERS",
    "NBGRADER_SCHEMA",
    "WIDGET_TAG",
    "CellRole",
    "CheckCall",
    "ExerciseInfo",
    "NotebookFormatError",
    "cell_role",
    "cell_source",
    "exercise_info",
    "exercise_sources",
    "grade_id",
    "iter_regions",
    "mark_cell",
    "nbgrader_metadata",
    "parse_check_calls",
    "points",
    "read_notebook",
    "write_notebook",
]
