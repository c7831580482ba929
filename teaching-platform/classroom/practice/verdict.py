"""``course check``'s verdict on one exercise notebook: right or wrong per question.

:func:`check_notebook` picks its judge:

1. the **instructor source** ``solutions/<exercise>.ipynb`` when it exists (the full course
   repository): the grader itself, with isolation as available
   (:mod:`classroom.practice.instructor`);
2. otherwise the **practice key** ``.practice/<exercise>.json`` of a bundle made with
   ``course release --practice``: the notebook runs through the grader's runner, isolated
   as available (:mod:`classroom.practice.run`), and exact answers are compared by salted
   hash (:mod:`course_lib.practice.keyfile`);
3. neither: a one-line error saying how to get one.

The verdict is recorded for ``course progress`` (:func:`course_lib.progress.record_check`).

Examples
--------
>>> report = CheckReport("01_x_exercises.ipynb", "01_x_exercises", "practice key",
...     {"q1": {"max_points": 1.0, "checks": [{"variable": "a", "passed": False,
...                                           "message": "a: this is not the right answer."}]}})
>>> report_lines(report)[1]
'✗ q1 (1 point): a: this is not the right answer.'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from classroom.errors import CourseError
from classroom.notebooks.model import exercise_info, read_notebook
from classroom.practice import instructor
from classroom.practice.run import run_locally
from course_lib.practice.keyfile import find_key, judge_with_key
from course_lib.progress import record_check

__all__ = ["CheckReport", "check_notebook", "report_lines"]

MODE_SOURCE = "instructor source"
MODE_KEY = "practice key"


@dataclass
class CheckReport:
    """The verdict: per question (grade_id -> ``max_points`` and ``checks``), and problems."""

    notebook: str
    exercise: str
    mode: str
    questions: dict[str, dict]
    errors: list[str] = field(default_factory=list)

    def right(self) -> dict[str, bool]:
        """grade_id -> whether every check of the question passed."""
        return {gid: bool(q["checks"]) and all(c["passed"] for c in q["checks"])
                for gid, q in self.questions.items()}


def _points(x: float) -> str:
    return f"{x:g} point" + ("" if x == 1 else "s")


def report_lines(report: CheckReport) -> list[str]:
    """The lines ``course check`` prints: a heading, one per question, problems, a total."""
    lines = [f"{report.notebook}: checked against the {report.mode}"]
    right = report.right()
    for gid, q in report.questions.items():
        mark = "✓" if right[gid] else "✗"
        messages = " ".join(c["message"] for c in q["checks"] if not c["passed"] or right[gid])
        lines.append(f"{mark} {gid} ({_points(float(q['max_points']))}): {messages}")
    lines += [f"problem: {e}" for e in report.errors]
    lines.append(f"{sum(right.values())} of {len(right)} autograded questions right; written "
                 "answers are not checked (compare them with the rubric).")
    return lines


def _from_source(path: Path, source: Path, exercise: str, isolate: str) -> CheckReport:
    result = instructor.grade_with_solutions(path, source.parent, isolate=isolate)
    questions = {gid: {"max_points": q.max_points,
                       "checks": [c.to_json() for c in q.checks if c.max_points]}
                 for gid, q in result.questions.items()}
    errors = [*result.errors, *(e for q in result.questions.values() for e in q.errors)]
    return CheckReport(path.name, exercise, MODE_SOURCE, questions, errors)


def _from_key(path: Path, key: dict, exercise: str, isolate: str) -> CheckReport:
    run = run_locally(path, key["names"], isolate=isolate)
    reason = run.errors[-1] if run.errors else "your answers could not be read"
    verdicts = judge_with_key(key, run.values, reason)
    return CheckReport(path.name, exercise, MODE_KEY, verdicts, run.errors)


def check_notebook(notebook: str | Path, *, solutions_dir: str | Path | None = None,
                   isolate: str = "auto", record: bool = True) -> CheckReport:
    """Judge ``notebook`` (see the module docstring for which judge is used).

    Raises
    ------
    CourseError
        If the file is not an exercise notebook, or no source and no key exists for it.
    """
    path = Path(notebook)
    if not path.is_file():
        raise CourseError(f"{path} does not exist or is not a file")
    info = exercise_info(read_notebook(path))
    if info is None:
        raise CourseError(f"{path} is not an exercise notebook (no metadata.course.exercise)")
    source = Path(solutions_dir) / f"{info.exercise}.ipynb" if solutions_dir else None
    if source is not None and source.is_file():
        report = _from_source(path, source, info.exercise, isolate)
    else:
        key = find_key(path, info.exercise)
        if key is None:
            raise CourseError(
                f"no instructor source and no practice key for {info.exercise}: in a student "
                "bundle ask for one made with `course release --practice`")
        report = _from_key(path, key, info.exercise, isolate)
    if record:
        record_check(path, report.right(), report.mode)
    return report
