"""Expected values computed at grading time, for checks marked ``recompute=True``.

Some answers follow from the course's data: how many timeline rows fall in a category, the
order of dated events. An instructor who adds rows of their own changes those answers, so a
literal in a hidden test would mark right answers wrong. A check written
``check_answer("q5_rows", equals=3, recompute=True)`` keeps its literal for nbgrader and for
the record, and ``course grade`` replaces it before judging with the value the exercise's
**model answer** computes on the data installed now: the instructor's source runs once per
batch, in the same isolated kernel and limits as a submission (test and widget cells are not
run; the values come back through the same probes), and nothing of it reaches a learner's
kernel. When the model answer cannot be run, or gives no value of the right kind, the literal
is kept and the batch says so in a warning.

Examples
--------
>>> from classroom.grading.exercise import Question
>>> from course_lib.checks import encode_value
>>> from course_lib.exercise_format.checkcalls import CheckCall
>>> q = Question("q5_test", 1.0, (CheckCall("check_answer", "q5_rows",
...     {"equals": 3, "recompute": True}),), ("q5",))
>>> new, notes = with_expected([q], {"q5_rows": encode_value(4)})
>>> new[0].checks[0].args["equals"], notes
(4, [])
"""

from __future__ import annotations

import dataclasses
import math
import tempfile
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from pathlib import Path

import nbformat

from classroom.grading.exercise import ExerciseSpec, Question, assemble_submission
from classroom.grading.parent import KernelParent
from classroom.grading.runner import Limits, run_notebook, start_kernel
from course_lib.checks import decode_value
from course_lib.exercise_format.checkcalls import CheckCall
from course_lib.exercise_format.notebook_io import exercise_sources

__all__ = ["RECOMPUTED_KEYS", "needs_recompute", "recompute_specs", "with_expected"]

#: The expected-value keywords a recomputed check may carry.
RECOMPUTED_KEYS = ("equals", "close_to", "sequence", "items")
#: How the batch hands over its kernel parent (``None`` when it could not start one).
Parent = Callable[[], Awaitable[KernelParent | None]]


def _recomputed(call: CheckCall) -> bool:
    return call.graded and call.args.get("recompute") is True


def needs_recompute(spec: ExerciseSpec) -> list[str]:
    """The answer variables whose expected values ``spec`` recomputes at grading time."""
    return sorted({c.name for q in spec.questions for c in q.checks if _recomputed(c)})


def _new_args(call: CheckCall, encoded: Mapping | None) -> dict | None:
    """The call's arguments with the model's value as the expected one (``None``: keep)."""
    if not encoded or encoded.get("defined") is False:
        return None
    value = decode_value(encoded)
    key = next((k for k in RECOMPUTED_KEYS if k in call.args), None)
    if key is None:
        return None
    if key == "close_to":
        if encoded.get("kind") not in ("int", "float") or value is None \
                or not math.isfinite(value):
            return None
    elif key in ("sequence", "items") and not isinstance(value, list):
        return None
    elif value is None:
        return None
    return {**call.args, key: value}


def with_expected(questions: Sequence[Question], values: Mapping[str, dict] | None
                  ) -> tuple[list[Question], list[str]]:
    """``questions`` with each recomputed check's expected value taken from ``values``.

    Returns the questions and one note per check that kept its literal value.
    """
    out, notes = [], []
    for question in questions:
        calls = []
        for call in question.checks:
            if _recomputed(call):
                args = _new_args(call, (values or {}).get(call.name))
                if args is None:
                    notes.append(f"{call.name}: the model answer gave no usable value")
                else:
                    call = dataclasses.replace(call, args=args)
            calls.append(call)
        out.append(dataclasses.replace(question, checks=tuple(calls)))
    return out, notes


async def _model_values(spec: ExerciseSpec, source: nbformat.NotebookNode, limits: Limits,
                        hide: list[Path], isolate: str, parent: Parent
                        ) -> tuple[dict | None, list[str]]:
    nb, _ = assemble_submission(spec, source)
    with tempfile.TemporaryDirectory(prefix="course-reference-") as tmp:
        kernel = await start_kernel(Path(tmp), limits, hide=hide, isolate=isolate,
                                    preload=spec.preload,
                                    parent=await parent() if parent is not None else None)
        run, _ = await run_notebook(nb, kernel, limits, needs_recompute(spec))
    errors = [f"cell {e.grade_id or e.index}: {e.ename}" for e in run.cell_errors]
    return run.values, errors + run.events


async def recompute_specs(specs: Mapping[str, ExerciseSpec], exercises: Iterable[str],
                          solutions_dir: Path, limits: Limits, hide: list[Path],
                          isolate: str, *, parent: Parent | None = None
                          ) -> tuple[dict[str, ExerciseSpec], list[str]]:
    """Run the model answer of every exercise in ``exercises`` that recomputes a check, and
    return the specs with those checks' expected values replaced, plus warnings.

    ``parent`` gives the batch's kernel parent (``None`` from it, or no ``parent``: the kernel
    starts one of its own)."""
    out = dict(specs)
    warnings: list[str] = []
    sources: dict[str, nbformat.NotebookNode] | None = None
    for exercise in sorted(set(exercises)):
        spec = specs.get(exercise)
        if spec is None or not needs_recompute(spec):
            continue
        sources = exercise_sources(solutions_dir) if sources is None else sources
        values, problems = None, ["its source could not be read"]
        if exercise in sources:
            values, problems = await _model_values(spec, sources[exercise], limits, hide,
                                                   isolate, parent)
        questions, notes = with_expected(spec.questions, values)
        out[exercise] = dataclasses.replace(spec, questions=questions)
        if notes:
            why = "; ".join(problems) or "no value came back"
            warnings.append(f"{exercise}: expected values could not all be recomputed from "
                            f"the model answer ({why}); the values written in the source were "
                            f"used for: {', '.join(n.split(':')[0] for n in notes)}")
    return out, warnings
