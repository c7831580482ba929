"""Judging in the grader's process: probed answers + parsed checks -> points and feedback.

Points: each test cell is scored all-or-nothing, as nbgrader scores it: the cell's points
are earned when its graded checks pass (``check_answer``/``check_choice``).  Visible
``self_check`` calls earn nothing and never fail a cell (they print, they do not raise); their
result is reported as form feedback.  The exercise sources hold one graded check per test cell,
so a question of several parts is several test cells.  A warning or anything on stderr never
costs points: only the probed values count.

Examples
--------
>>> from classroom.notebooks.model import CheckCall
>>> from classroom.grading.exercise import Question
>>> from course_lib.checks import encode_value
>>> q = Question("a_test", 2.0, (CheckCall("self_check", "a", {"type": "int"}),
...     CheckCall("check_answer", "a", {"equals": 1})), ("q1",), "Question 1: one", "q1")
>>> r = judge_question(q, {"a": encode_value(3)}, [], [])
>>> r.points, r.max_points, r.title, r.checks[-1].your_value
(0.0, 2.0, 'Question 1: one', '3')
"""

from __future__ import annotations

from collections.abc import Mapping

import nbformat

from classroom.grading.exercise import ExerciseSpec, ManualItem, Question
from classroom.grading.feedback_causes import Causes, error_text
from classroom.grading.results import CheckResult, ManualResult, QuestionResult, SubmissionResult
from classroom.grading.runner import CellError, RunResult
from classroom.notebooks.model import CheckCall
from course_lib.checks import FORM_ONLY_NOTE, decode_value, judge

__all__ = ["error_result", "grade_result", "judge_question"]

_EXPECTED_KEYS = ("equals", "close_to", "sequence", "items", "one_of", "answer")


def _round(x: float) -> float:
    return round(x + 0.0, 4)


def _atoms(value: object) -> list[str]:
    if isinstance(value, list | tuple | set):
        return [a for v in value for a in _atoms(v)]
    if isinstance(value, dict):
        return [a for v in value.values() for a in _atoms(v)]
    return [" ".join(str(value).split()).casefold()]


def _own_value(call: CheckCall, encoded: Mapping | None) -> str | None:
    """The learner's value as short text, unless it could show an expected value."""
    if not encoded or encoded.get("defined") is False or not call.graded:
        return None
    try:
        text = repr(decode_value(encoded))
    except Exception:  # noqa: BLE001 - an odd value is simply not shown
        return None
    shown = " ".join(text.split()).casefold()
    expected = [a for k in _EXPECTED_KEYS if k in call.args for a in _atoms(call.args[k])]
    if len(text) > 60 or any(a and a in shown for a in expected):
        return None
    return text


def _option_letter(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    letter = value.strip().strip("()").strip().casefold()
    return letter or None


def _choice(call: CheckCall, encoded: Mapping | None) -> tuple[list[str] | None, str | None]:
    """For a graded choice: the options offered and the one the learner chose (the class
    report's item analysis counts them); never the key.  ``(None, None)`` for other checks."""
    if call.function != "check_choice" or not call.graded:
        return None, None
    options = call.args.get("options")
    letters = [str(o).strip().casefold() for o in options] if options else []
    chosen = _option_letter(decode_value(encoded)) if encoded and \
        encoded.get("kind") == "str" else None
    return letters, chosen if chosen in letters or not letters else None


def _check_record(call: CheckCall, values: Mapping[str, dict] | None, reason: str,
                  blocked: str | None) -> CheckResult:
    encoded = values.get(call.name) if values is not None else None
    if values is None:
        passed, message = False, f"{call.name}: not checked because {reason}."
    elif blocked and (encoded is None or encoded.get("defined") is False):
        passed, message = False, f"{call.name}: no value to check, because {blocked}."
    else:
        outcome = judge(call.function, call.name, call.args, encoded)
        passed, message = outcome.passed, outcome.message.replace(FORM_ONLY_NOTE, "").strip()
    kind = "self-check (form only)" if not call.graded else \
        ("hidden check" if call.hidden else "visible check")
    options, choice = _choice(call, encoded)
    return CheckResult(call.name, kind, call.graded, passed, message,
                       your_value=None if passed else _own_value(call, encoded),
                       options=options, choice=choice)


def judge_question(
    question: Question,
    values: Mapping[str, dict] | None,
    cell_errors: list[CellError],
    run_events: list[str],
    causes: Causes | None = None,
) -> QuestionResult:
    """Judge one test cell: its points and the record of each check.

    ``values`` is ``None`` when the answers could not be read; every check then
    fails with the reason from ``run_events``.  ``causes`` traces cell errors (which
    cell failed, a name defined only later); without it only the cell's own errors show.
    """
    causes = causes or Causes(cell_errors)
    errors = causes.explain(question.answer_cells)
    blocked = "your answer cell stopped with an error (see above)" if errors else \
        causes.earlier_failure(question.answer_cells)
    reason = run_events[-1] if run_events else "your answers could not be read"
    checks = [_check_record(c, values, reason, blocked) for c in question.checks]
    graded = [c for c in checks if c.graded]
    full = bool(graded) and all(c.passed for c in graded)
    share = _round(question.points)
    for c in checks:
        c.max_points = share if c.graded else 0.0
        c.points = share if c.graded and full else 0.0
    graded_msgs = {c.message for c in checks if c.graded}
    checks = [c for c in checks if c.graded or c.passed or c.message not in graded_msgs]
    return QuestionResult(question.grade_id, question.group or question.grade_id,
                          question.title or question.grade_id, share if full else 0.0, share,
                          "graded", checks, errors)


def grade_result(
    spec: ExerciseSpec,
    run: RunResult,
    *,
    student: str,
    source: str,
    notes: list[str],
    manual_answers: Mapping[str, str] | None = None,
    executed: nbformat.NotebookNode | None = None,
    manual_attachments: Mapping[str, Mapping] | None = None,
) -> SubmissionResult:
    """Assemble the full result of one submission.

    ``executed`` is the notebook as it ran (optional): with it, a name defined only in a
    later cell is traced.  (The instructor's page of it is made after the batch's kernels are
    done, see :func:`classroom.grading.report.make_pages`.)  ``manual_attachments`` are the
    pasted images of each manually graded answer (kept with its text for marking).
    """
    titles = {a: q.title for q in spec.questions for a in q.answer_cells if q.title}
    causes = Causes(run.cell_errors, titles, executed.cells if executed is not None else None)
    questions = {q.grade_id: judge_question(q, run.values, run.cell_errors, run.events, causes)
                 for q in spec.questions}
    manual = {m.grade_id: _manual_record(m, (manual_answers or {}).get(m.grade_id, ""),
                                         (manual_attachments or {}).get(m.grade_id))
              for m in spec.manual}
    other_errors = [
        f"{causes.describe(e)} raised {error_text(e)}"
        for e in run.cell_errors
        if not any(e.grade_id in q.answer_cells for q in spec.questions)
    ]
    return SubmissionResult(
        student, spec.exercise, spec.title, source, "graded",
        _round(sum(q.points for q in questions.values())), _round(spec.max_auto + spec.max_manual),
        questions, manual, sorted(set(notes)) + run.events, other_errors,
        auto_max_score=_round(spec.max_auto), manual_max_score=_round(spec.max_manual),
        isolation=run.isolation, limits=run.limits, output_truncated=run.output_truncated)


def _manual_record(item: ManualItem, answer: str, attachments: Mapping | None = None
                   ) -> ManualResult:
    return ManualResult(
        item.grade_id, item.title or item.grade_id, None, _round(item.points),
        "needs manual grading", answer,
        # pasted images are part of the answer (the marking widget shows them)
        attachments={name: dict(bundle) for name, bundle in attachments.items()}
        if attachments else None,
        words={level: list(r) for level, r in item.words.items()} if item.words else None,
        rubric_criteria=[dict(line) for line in item.rubric] if item.rubric else None)


def error_result(student: str, exercise: str, source: str, message: str) -> SubmissionResult:
    """The result of a submission that could not be graded at all.

    Examples
    --------
    >>> error_result("ann", "01_x", "ann/01_x.ipynb", "not a notebook").status
    'error'
    """
    return SubmissionResult(student, exercise, exercise, source, "error", 0.0, None,
                            errors=[message])
