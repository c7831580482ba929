"""Judging in the grader's process: probed answers + parsed checks -> points and feedback.

Points: a question's points are split across its *graded* checks
(``check_answer``/``check_choice``) in proportion to their ``weight``
(default 1, so equal shares).  Visible ``self_check`` calls earn nothing; their
result is reported as form feedback.  A warning or anything on stderr never
costs points: only the probed values count.

Examples
--------
>>> from course_lib.notebooks.model import CheckCall
>>> from course_lib.grading.exercise import Question
>>> from course_lib.checks import encode_value
>>> q = Question("q1_test", 4.0, (CheckCall("check_answer", "a", {"equals": 1}),
...     CheckCall("check_answer", "b", {"equals": 2}, weight=3.0)), ("q1",))
>>> r = judge_question(q, {"a": encode_value(1), "b": encode_value(0)}, [], [])
>>> r["points"], r["max_points"]
(1.0, 4.0)
"""

from __future__ import annotations

from collections.abc import Mapping

from course_lib.checks import judge
from course_lib.grading.exercise import ExerciseSpec, Question
from course_lib.grading.runner import CellError, RunResult

__all__ = ["grade_result", "judge_question"]


def _round(x: float) -> float:
    return round(x + 0.0, 4)


def judge_question(
    question: Question,
    values: Mapping[str, dict] | None,
    cell_errors: list[CellError],
    run_events: list[str],
) -> dict:
    """Judge one question; returns the JSON-ready per-question record.

    ``values`` is ``None`` when the answers could not be read; every check then
    fails with the reason from ``run_events``.
    """
    graded = [c for c in question.checks if c.graded]
    total_weight = sum(c.weight for c in graded) or 1.0
    checks = []
    earned = 0.0
    for call in question.checks:
        share = question.points * call.weight / total_weight if call.graded else 0.0
        if values is None:
            passed = False
            reason = run_events[-1] if run_events else "your answers could not be read"
            message = f"{call.name}: not checked because {reason}."
        else:
            outcome = judge(call.function, call.name, call.args, values.get(call.name))
            passed, message = outcome.passed, outcome.message
        if passed:
            earned += share
        checks.append(
            {
                "variable": call.name,
                "kind": (
                    "self-check (form only, no points)"
                    if not call.graded
                    else ("hidden check" if call.hidden else "visible check")
                ),
                "passed": passed,
                "points": _round(share if passed else 0.0),
                "max_points": _round(share),
                "message": message,
            }
        )
    errors = [_cell_error_text(e) for e in cell_errors if e.grade_id in question.answer_cells]
    graded_msgs = {c["message"] for c in checks if c["max_points"]}
    checks = [
        c for c in checks if c["max_points"] or c["passed"] or c["message"] not in graded_msgs
    ]
    return {
        "grade_id": question.grade_id,
        "points": _round(earned),
        "max_points": _round(question.points),
        "status": "graded",
        "checks": checks,
        "errors": errors,
    }


def _cell_error_text(e: CellError) -> str:
    text = f"your answer cell {e.grade_id} raised {e.ename}: {e.evalue}".rstrip(": ")
    if e.ename == "NotImplementedError":
        text += " (the answer is not written yet: replace the stub with your code)"
    return text


def grade_result(
    spec: ExerciseSpec,
    run: RunResult,
    *,
    student: str,
    source: str,
    notes: list[str],
    manual_answers: Mapping[str, str] | None = None,
) -> dict:
    """Assemble the full JSON result of one submission."""
    questions = {q.grade_id: judge_question(q, run.values, run.cell_errors, run.events)
                 for q in spec.questions}
    manual = {
        m.grade_id: {
            "grade_id": m.grade_id,
            "points": None,
            "max_points": _round(m.points),
            "status": "needs manual grading",
            "answer": (manual_answers or {}).get(m.grade_id, ""),
        }
        for m in spec.manual
    }
    other_errors = [
        f"cell {e.index + 1} raised {e.ename}: {e.evalue}".rstrip(": ")
        for e in run.cell_errors
        if not any(e.grade_id in q.answer_cells for q in spec.questions)
    ]
    score = _round(sum(q["points"] for q in questions.values()))
    return {
        "student": student,
        "exercise": spec.exercise,
        "title": spec.title,
        "source_file": source,
        "status": "graded",
        "score": score,
        "max_score": _round(spec.max_auto + spec.max_manual),
        "auto_max_score": _round(spec.max_auto),
        "manual_max_score": _round(spec.max_manual),
        "questions": questions,
        "manual": manual,
        "messages": sorted(set(notes)) + run.events,
        "errors": other_errors,
        "isolation": run.isolation,
        "output_truncated": run.output_truncated,
    }


def error_result(student: str, exercise: str, source: str, message: str) -> dict:
    """JSON result for a submission that could not be graded at all.

    Examples
    --------
    >>> error_result("ann", "01_x", "ann/01_x.ipynb", "not a notebook")["status"]
    'error'
    """
    return {
        "student": student,
        "exercise": exercise,
        "title": exercise,
        "source_file": source,
        "status": "error",
        "score": 0.0,
        "max_score": None,
        "questions": {},
        "manual": {},
        "messages": [],
        "errors": [message],
    }
