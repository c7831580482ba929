"""Authoring mistakes in check calls, caught when exercises are built (parsed, never run).

:func:`check_call_problems` reads one parsed check call (see
:func:`~course_lib.exercise_format.checkcalls.parse_check_calls`, which uses :mod:`ast` and
:func:`ast.literal_eval`, so no cell code runs) and lists what would make it misjudge answers:
a non-finite ``close_to`` or ``tol`` (``1e999`` is infinity), a reversed ``between`` range, a
choice whose answer is not among its options or that has no options, arguments of the wrong
type and keywords the check function does not take.  :func:`authoring_problems` does this for
every test cell of a notebook, naming the cell by its ``grade_id``; ``course build-exercises``
refuses to build when the list is not empty.

Choice questions must not give their key away (:func:`choice_items`, after
:mod:`course_lib.quizzes.giveaways`): each ``check_choice`` needs its options listed in the
prompt as ``- **a** ...`` after the first mention of its variable, with the letters its
``options=`` names; a key that is the longest option by a clear margin, or options that repeat,
are refused.

Two rules keep the exercises usable unchanged in nbgrader (:func:`nbgrader_problems`): nbgrader
scores a test cell all-or-nothing, so each test cell holds exactly one graded check (its own
points); and it reads a displayed value as the cell's score, so every check call ends with ``;``
and the cell shows no ``True`` (in the instructor's and in the student's version).

Examples
--------
>>> from course_lib.exercise_format.checkcalls import parse_check_calls
>>> [call] = parse_check_calls('check_answer("share", close_to=1e999, tol=0.01)')
>>> check_call_problems(call)
["check_answer('share'): close_to must be a finite number, got inf"]
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any

from course_lib import _validate
from course_lib.checks import TYPE_NAMES
from course_lib.exercise_format.cells import CellRole, cell_role, cell_source, grade_id, points
from course_lib.exercise_format.checkcalls import CheckCall, parse_check_calls
from course_lib.quizzes.giveaways import ChoiceItem, option_problems, prompt_options

__all__ = ["KEYWORDS", "authoring_problems", "check_call_problems", "choice_items",
           "nbgrader_problems"]

#: Keyword arguments each check function takes (``weight`` is read by the parser).
KEYWORDS: dict[str, frozenset[str]] = {
    "check_answer": frozenset({"equals", "close_to", "tol", "sequence", "items", "one_of",
                               "type", "ignore_case", "hint", "recompute"}),
    "check_choice": frozenset({"answer", "options", "hint"}),
    "self_check": frozenset({"type", "between", "length", "choices", "nonempty"}),
}


def _finite(value: Any) -> bool:
    return _validate.is_number(value) and math.isfinite(value)


def _non_finite_numbers(value: Any) -> Iterator[Any]:
    """Numbers inside a literal (lists, tuples, dicts) that are infinite or NaN."""
    if _validate.is_number(value) and not math.isfinite(value):
        yield value
    elif isinstance(value, list | tuple | set):
        for item in value:
            yield from _non_finite_numbers(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _non_finite_numbers(item)


def _letter(value: Any) -> str:
    return str(value).strip().strip("()").strip().casefold()


def _common(args: Mapping[str, Any], allowed: frozenset[str]) -> list[str]:
    problems = [f"takes no argument {key!r}" for key in sorted(set(args) - allowed)]
    if "type" in args and args["type"] not in TYPE_NAMES:
        problems.append(f"type must be one of {', '.join(TYPE_NAMES)}, got {args['type']!r}")
    if args.get("hint") is not None and not isinstance(args["hint"], str):
        problems.append(f"hint must be text, got {args['hint']!r}")
    return problems


def _answer_problems(args: Mapping[str, Any]) -> list[str]:
    problems: list[str] = []
    if "close_to" in args and not _finite(args["close_to"]):
        problems.append(f"close_to must be a finite number, got {args['close_to']!r}")
    if "tol" in args:
        tol = args["tol"]
        if "close_to" not in args:
            problems.append("tol only applies to close_to")
        elif not (_finite(tol) and tol >= 0):
            problems.append(f"tol must be a finite number >= 0, got {tol!r}")
    for key in ("sequence", "items", "one_of"):
        if key in args and (not isinstance(args[key], list | tuple) or not args[key]):
            problems.append(f"{key} must be a non-empty list, got {args[key]!r}")
    if "equals" in args and args["equals"] is None:
        problems.append("equals must be a value, got None")
    for key in ("equals", "sequence", "items", "one_of"):
        bad = list(_non_finite_numbers(args.get(key)))
        if bad:
            problems.append(f"{key} must hold finite numbers only, got {bad[0]!r}")
    if "ignore_case" in args and not isinstance(args["ignore_case"], bool):
        problems.append(f"ignore_case must be True or False, got {args['ignore_case']!r}")
    if "recompute" in args:
        if not isinstance(args["recompute"], bool):
            problems.append(f"recompute must be True or False, got {args['recompute']!r}")
        elif args["recompute"] and "one_of" in args:
            problems.append("recompute needs one expected value (equals, close_to, sequence or "
                            "items), not one_of")
    return problems


def _options(value: Any) -> list[str] | None:
    """The options of a choice as text, or ``None`` when they are not text."""
    if isinstance(value, str):
        return list(value)
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def _choice_problems(args: Mapping[str, Any]) -> list[str]:
    problems: list[str] = []
    answer = args.get("answer")
    if not isinstance(answer, str) or not _letter(answer):
        problems.append(f"the answer must be an option letter as text, got {answer!r}")
    if "options" in args and args["options"] is not None:
        options = _options(args["options"])
        if not options:
            problems.append(f"options must be non-empty text or a list of texts, "
                            f"got {args['options']!r}")
        elif isinstance(answer, str) and _letter(answer) \
                and _letter(answer) not in [_letter(o) for o in options]:
            problems.append(f"the answer {answer!r} is not one of the options {options!r}")
    return problems


def _form_problems(args: Mapping[str, Any]) -> list[str]:
    problems: list[str] = []
    between = args.get("between")
    if between is not None:
        if not (isinstance(between, list | tuple) and len(between) == 2
                and all(_finite(v) for v in between)):
            problems.append(f"between must be (low, high) with finite numbers, got {between!r}")
        elif between[0] > between[1]:
            problems.append(f"between is reversed: low {between[0]!r} > high {between[1]!r}")
    length = args.get("length")
    if length is not None and not (isinstance(length, int) and not isinstance(length, bool)
                                   and length >= 0):
        problems.append(f"length must be a whole number >= 0, got {length!r}")
    if "choices" in args and args["choices"] is not None and not _options(args["choices"]):
        problems.append(f"choices must be non-empty text or a list of texts, "
                        f"got {args['choices']!r}")
    if "nonempty" in args and not isinstance(args["nonempty"], bool):
        problems.append(f"nonempty must be True or False, got {args['nonempty']!r}")
    return problems


_RULES = {"check_answer": _answer_problems, "check_choice": _choice_problems,
          "self_check": _form_problems}


def check_call_problems(call: CheckCall) -> list[str]:
    """What is wrong with one check call (empty list = nothing).

    Examples
    --------
    >>> from course_lib.exercise_format.checkcalls import parse_check_calls
    >>> calls = parse_check_calls('self_check("y", between=(2024, 1949))\\n'
    ...                           'check_choice("q", "e", options="abcd")')
    >>> [p for c in calls for p in check_call_problems(c)]  # doctest: +NORMALIZE_WHITESPACE
    ["self_check('y'): between is reversed: low 2024 > high 1949",
     "check_choice('q'): the answer 'e' is not one of the options ['a', 'b', 'c', 'd']"]
    """
    found = _common(call.args, KEYWORDS[call.function])
    found += _RULES[call.function](call.args)
    return [f"{call.function}({call.name!r}): {p}" for p in found]


def _consistency(calls: list[CheckCall]) -> list[str]:
    """Graded checks whose expected answer fails the visible self-check of the same variable."""
    problems: list[str] = []
    forms = [c for c in calls if c.function == "self_check"]
    for call in calls:
        for form in (f for f in forms if f.name == call.name):
            choices = _options(form.args.get("choices")) if form.args.get("choices") else None
            answer = call.args.get("answer")
            if call.function == "check_choice" and choices and isinstance(answer, str) \
                    and _letter(answer) not in [_letter(c) for c in choices]:
                problems.append(f"check_choice({call.name!r}): the answer {answer!r} is not "
                                f"among the self_check choices {choices!r}")
            between = form.args.get("between")
            value = call.args.get("equals", call.args.get("close_to"))
            tol = call.args.get("tol", 0) if "close_to" in call.args else 0
            tol = tol if _finite(tol) else 0
            if (call.function == "check_answer" and _finite(value) and isinstance(between, list
                    | tuple) and len(between) == 2 and all(_finite(v) for v in between)
                    and not between[0] <= value - tol <= value + tol <= between[1]):
                problems.append(f"check_answer({call.name!r}): the accepted values are not all "
                                f"inside the self_check range {tuple(between)!r} (a right "
                                "answer would fail its self-check)")
    return problems


def nbgrader_problems(calls: list[CheckCall]) -> list[str]:
    """Why a test cell's calls would score differently in nbgrader (empty list = nothing).

    Examples
    --------
    >>> from course_lib.exercise_format.checkcalls import parse_check_calls
    >>> nbgrader_problems(parse_check_calls('check_answer("a", equals=1);\\n'
    ...                                     'check_answer("b", equals=2)'))  # doctest: +ELLIPSIS
    ['holds 2 graded checks (a, b); nbgrader scores a test cell all-or-nothing, so give ...',
     "check_answer('b') must end with ';' (otherwise the cell shows True, which nbgrader ...)"]
    """
    problems: list[str] = []
    graded = [c for c in calls if c.graded]
    if len(graded) > 1:
        problems.append(f"holds {len(graded)} graded checks ({', '.join(c.name for c in graded)})"
                        "; nbgrader scores a test cell all-or-nothing, so give each graded check "
                        "a test cell of its own with its own points")
    problems += [f"{c.function}({c.name!r}) must end with ';' (otherwise the cell shows True, "
                 "which nbgrader reads as the cell's score)" for c in calls if not c.quiet]
    return problems


def _prompt_text(nb: dict) -> str:
    return "\n".join(cell_source(c) for c in nb.get("cells", [])
                     if cell_role(c) is CellRole.PROMPT and c.get("cell_type") == "markdown")


def _choice_item(call: CheckCall, prompt: str, cell_points: float) -> tuple[ChoiceItem | None,
                                                                             list[str]]:
    shown = prompt_options(prompt, call.name)
    where = f"check_choice({call.name!r})"
    if not shown:
        return None, [f"{where}: the prompt lists no options after the first mention of "
                      f"`{call.name}` (one line '- **a** ...' per option)"]
    letters = list(shown)
    declared = _options(call.args.get("options"))
    if declared and [_letter(o) for o in declared] != letters:
        return None, [f"{where}: the prompt shows the options {letters!r}, the check names "
                      f"{[_letter(o) for o in declared]!r}"]
    key = _letter(call.args.get("answer", ""))
    if key not in letters:
        return None, []  # reported by check_call_problems
    item = ChoiceItem(call.name, tuple(shown.values()), letters.index(key), cell_points)
    return item, [f"{where}: {p}" for p in option_problems(item.options, item.key)]


def _test_cells(nb: dict) -> Iterator[tuple[str, dict, list[CheckCall]]]:
    """``("cell <id>", cell, check calls)`` of every test code cell whose calls parse.

    Cells that do not parse are left to :func:`~classroom.notebooks.validate.validate_source`,
    which reports them.
    """
    for index, cell in enumerate(nb.get("cells", [])):
        if cell_role(cell) is not CellRole.TEST or cell.get("cell_type") != "code":
            continue
        try:
            calls = parse_check_calls(cell_source(cell))
        except ValueError:
            continue
        yield f"cell {grade_id(cell) or index}", cell, calls


def choice_items(nb: dict) -> tuple[list[ChoiceItem], list[str]]:
    """Every graded choice question with its options as the prompt shows them, and what gives
    a key away (``cell <id>: ...``).

    Examples
    --------
    >>> import nbformat
    >>> from course_lib.exercise_format.cells import mark_cell
    >>> prompt = nbformat.v4.new_markdown_cell("Set `q1` to the letter.\\n\\n- **a** yes\\n"
    ...                                        "- **b** no, because the rule restates it")
    >>> test = nbformat.v4.new_code_cell('check_choice("q1", "b", options="ab");')
    >>> nb = nbformat.v4.new_notebook(cells=[mark_cell(prompt, CellRole.PROMPT, "q1_prompt"),
    ...                                      mark_cell(test, CellRole.TEST, "q1_test", 2)])
    >>> items, problems = choice_items(nb)
    >>> items[0].options, problems  # doctest: +ELLIPSIS
    (('yes', 'no, because the rule restates it'), ["cell q1_test: check_choice('q1'): the key ...
    """
    prompt = _prompt_text(nb)
    items: list[ChoiceItem] = []
    problems: list[str] = []
    for where, cell, calls in _test_cells(nb):
        for call in (c for c in calls if c.function == "check_choice"):
            item, found = _choice_item(call, prompt, points(cell))
            items += [item] if item is not None else []
            problems += [f"{where}: {p}" for p in found]
    return items, problems


def authoring_problems(nb: dict) -> list[str]:
    """Check-call mistakes in every test cell of an exercise source, as ``cell <id>: ...``.

    Test cells that do not parse are left to
    :func:`~classroom.notebooks.validate.validate_source`, which reports them.

    Examples
    --------
    >>> import nbformat
    >>> from course_lib.exercise_format.cells import mark_cell
    >>> cell = nbformat.v4.new_code_cell('check_answer("x", items=[]);')
    >>> nb = nbformat.v4.new_notebook(cells=[mark_cell(cell, CellRole.TEST, "q1_test", 2)])
    >>> authoring_problems(nb)
    ["cell q1_test: check_answer('x'): items must be a non-empty list, got []"]
    """
    problems: list[str] = []
    for where, _cell, calls in _test_cells(nb):
        found = [p for call in calls for p in check_call_problems(call)] + _consistency(calls)
        found += nbgrader_problems(calls)
        problems.extend(f"{where}: {p}" for p in found)
    return problems + choice_items(nb)[1]
