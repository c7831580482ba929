"""Learner feedback in Markdown: one section per question, titled as in the notebook.

What a learner reads, per question (several test cells of one question share its heading):
the points, each check that failed with a hint matched to the failure (the judge's message:
rounding, wrong type, order, an earlier cell that failed, a name defined only later), their
own value where showing it reveals nothing, and for reflections the word count against the
range asked, or, once marked, the marks with the rubric lines and the marker's comment.  The
sentence saying that self-checks check form only appears once, in the introduction (the
judge's per-check messages leave it out).  Hidden
test code and expected values never appear (the judge's messages never hold them).

Examples
--------
>>> words_in("  Russia's bases in Syria -- tie the two directions. ")
8
>>> reflection_state(ManualResult("q6", "Q6", None, 6.0, "needs manual grading", "Too short.",
...                               words=[150, 250]))
'too short (2 words; 150-250 asked)'
"""

from __future__ import annotations

import re

from classroom.grading.results import CheckResult, ManualResult, QuestionResult, SubmissionResult
from course_lib.exercise_format.rubrics import ANY_LEVEL, word_ranges, word_verdict, words_asked

__all__ = ["reflection_state", "render_feedback", "words_in"]

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_STUB = "YOUR ANSWER HERE"
#: How a rubric level is named in feedback.
_LEVEL_NAMES = {"full": "full marks", "partial": "partial marks", "none": "no marks"}


def _fmt(x: float | None) -> str:
    return "" if x is None else f"{x:g}"


def _clean(text: str) -> str:
    return _ANSI.sub("", str(text))


def words_in(text: str) -> int:
    """Words in a written answer (the answer stub does not count)."""
    return len(_WORD.findall(text.replace(_STUB, "")))


def reflection_state(item: ManualResult) -> str:
    """How an unmarked written answer stands: missing, too short or long, or answered."""
    count = words_in(item.answer)
    if count == 0:
        return "no answer written yet"
    ranges = word_ranges({"words": item.words})
    if not ranges:
        return f"answered ({count} words)"
    noun = f"{count} word{'' if count == 1 else 's'}"
    if list(ranges) == [ANY_LEVEL]:
        lo, hi = ranges[ANY_LEVEL]
        asked = f"{noun}; {lo}-{hi} asked"
    else:
        asked = f"{noun}; asked: {words_asked(ranges)}"
    verdict = word_verdict(count, ranges)
    if verdict.startswith("below"):
        return f"too short ({asked})"
    if verdict.startswith("above"):
        return f"too long ({asked})"
    return f"answered ({asked})"


def _natural(text: str) -> list:
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", text)]


def _groups(questions: dict[str, QuestionResult]) -> list[tuple[str, list[QuestionResult]]]:
    """Test-cell records grouped by question, in the notebook's order."""
    groups: dict[str, list[QuestionResult]] = {}
    for q in sorted(questions.values(), key=lambda q: _natural(q.group or q.grade_id)):
        groups.setdefault(q.group or q.grade_id, []).append(q)
    return list(groups.items())


def _check_line(check: CheckResult) -> str | None:
    own = f" (your value: {_clean(check.your_value)})" if check.your_value else ""
    top = check.max_points
    pts = f"{_fmt(check.points)} of {_fmt(top)} point{'' if top == 1 else 's'}"
    if check.passed and check.graded:
        return f"- right ({pts}): {_clean(check.message)}"
    if check.passed:
        return None  # a passed form check adds nothing the graded check does not say
    label = f"not right ({pts})" if check.graded else "self-check failed"
    return f"- {label}, {check.kind}: {_clean(check.message)}{own}"


def _question_section(title: str, cells: list[QuestionResult]) -> list[str]:
    got = sum(c.points for c in cells)
    top = sum(c.max_points for c in cells)
    lines = [f"## {title}: {_fmt(got)} of {_fmt(top)} points", ""]
    errors = list(dict.fromkeys(e for c in cells for e in c.errors))
    lines += [f"- **Error:** {_clean(e)}" for e in errors]
    for cell in cells:
        lines += [line for check in cell.checks if (line := _check_line(check))]
    return lines + [""]


def _manual_section(gid: str, item: ManualResult) -> list[str]:
    title = item.title or gid
    if item.points is None:
        return [f"## {title} (graded by a person, up to {_fmt(item.max_points)} points)", "",
                f"Not marked yet; your answer is {reflection_state(item)}.", ""]
    lines = [f"## {title}: {_fmt(item.points)} of {_fmt(item.max_points)} points "
             "(marked by a person)", ""]
    for line in item.rubric or []:
        top = f" of {_fmt(line['max_points'])}" if line.get("max_points") is not None else ""
        got = "not scored" if line.get("points") is None else _fmt(line["points"])
        level = line.get("level")
        said = f" ({_LEVEL_NAMES.get(level[0], level[0])}: {_clean(level[1])})" \
            if isinstance(level, list) and len(level) == 2 else ""
        lines.append(f"- {_clean(line['criterion'])}: {got}{top}{said}")
    if item.comment:
        lines += ["", f"Comment: {_clean(item.comment)}"]
    return lines + [""]


def _totals(result: SubmissionResult, groups: list[tuple[str, list[QuestionResult]]]
            ) -> list[str]:
    rows = ["| Question | Points |", "|---|---|"]
    for _, cells in groups:
        rows.append(f"| {cells[0].title or cells[0].grade_id} | "
                    f"{_fmt(sum(c.points for c in cells))} of "
                    f"{_fmt(sum(c.max_points for c in cells))} |")
    for gid, item in sorted(result.manual.items()):
        top = _fmt(item.max_points)
        got = f"not marked yet (up to {top})" if item.points is None else \
            f"{_fmt(item.points)} of {top}"
        rows.append(f"| {item.title or gid} | {got} |")
    manual = [m.points for m in result.manual.values() if m.points is not None]
    total = result.score + sum(manual)
    rows.append(f"| **Total** | **{_fmt(total)} of {_fmt(result.max_score)}** |")
    return rows + [""]


def _error_feedback(result: SubmissionResult, lines: list[str]) -> str:
    lines += ["**This file could not be graded.**", ""]
    lines += [f"- {_clean(e)}" for e in result.errors]
    lines += ["", "Fix the problem and submit the notebook again (an `.ipynb` file saved "
              "from Jupyter).", ""]
    return "\n".join(lines)


def render_feedback(result: SubmissionResult, *, late_note: str | None = None) -> str:
    """Markdown feedback a learner can act on; never shows hidden test code or expected values.

    ``late_note`` says how the submission stands against its due date (from the gradebook).

    Examples
    --------
    >>> from classroom.grading.results import CheckResult, QuestionResult
    >>> check = CheckResult("x", "hidden check", True, False,
    ...                     "x: should be a number, but it is text (str).", 0.0, 2.0, "'16'")
    >>> r = SubmissionResult("ann", "01_x", "X", "a.ipynb", "graded", 0.0, 8.0,
    ...     {"x_test": QuestionResult("x_test", "q1", "Question 1: a count", 0.0, 2.0,
    ...                               "graded", [check], [])},
    ...     {"q2": ManualResult("q2", "Question 2: reflection", None, 6.0,
    ...                         "needs manual grading", "Four words only here.",
    ...                         words=[150, 250])},
    ...     auto_max_score=2.0, manual_max_score=6.0)
    >>> text = render_feedback(r)
    >>> print(text[text.index("## Question 1"):text.index("## Totals")].strip())
    ## Question 1: a count: 0 of 2 points
    <BLANKLINE>
    - not right (0 of 2 points), hidden check: x: should be a number, but it is text (str). \
(your value: '16')
    <BLANKLINE>
    ## Question 2: reflection (graded by a person, up to 6 points)
    <BLANKLINE>
    Not marked yet; your answer is too short (4 words; 150-250 asked).
    """
    lines = [f"# Feedback: {result.title or result.exercise}", "",
             f"Student: {result.student} · file: {result.source_file}", ""]
    if not result.graded:
        return _error_feedback(result, lines)
    if late_note:
        lines += [f"**{_clean(late_note)}**", ""]
    elif result.submission is not None and result.submission.late:
        lines += ["**Submitted after the due date.**", ""]
    lines += [
        f"**Autograded score: {_fmt(result.score)} of {_fmt(result.auto_max_score)}** "
        f"(plus up to {_fmt(result.manual_max_score)} points graded by a person).",
        "",
        "How this was graded: your notebook was run from top to bottom in a fresh Python "
        "kernel, then the values of your answer variables were checked. Self-checks (the "
        "checks you can run in the notebook) check the form of your answer, not whether it is "
        "correct; hidden checks run when your work is graded and decide the points, one hidden "
        "check per part of a question. Warnings do not cost points.",
        "",
    ]
    if result.messages:
        lines += ["## Notes on the run", ""]
        lines += [f"- {_clean(m)}" for m in result.messages] + [""]
    groups = _groups(result.questions)
    for _, cells in groups:
        lines += _question_section(cells[0].title or cells[0].grade_id, cells)
    for gid, item in sorted(result.manual.items()):
        lines += _manual_section(gid, item)
    if result.errors:
        lines += ["## Errors in other cells", ""]
        lines += [f"- {_clean(e)}" for e in result.errors] + [""]
    lines += ["## Totals", ""] + _totals(result, groups)
    return "\n".join(lines)
