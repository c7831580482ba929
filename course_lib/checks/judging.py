"""Judging: one function per answer mode, each returning an :class:`Outcome`.

:func:`judge` dispatches a parsed check call (``check_answer``, ``check_choice`` or
``self_check`` with its keyword arguments) to the function for its answer mode:
:func:`judge_choice`, :func:`judge_close_to`, :func:`judge_sequence` (``sequence=`` and
``items=``), :func:`judge_one_of`, :func:`judge_equals` and, for self-checks,
:func:`~course_lib.checks.forms.judge_form`. Messages never contain the expected value.

Examples
--------
>>> judge_equals("y", {"equals": 2022}, encode_value(2022))
Outcome(passed=True, message='y: correct.')
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from course_lib.checks.encoding import decode_value, encode_value  # noqa: F401 - doctests
from course_lib.checks.forms import (
    FORM_ONLY_NOTE,
    KIND_WORDS,
    TYPE_NAMES,
    Outcome,
    describe_kind,
    judge_form,
    kind_matches,
    norm_text,
    type_name,
)

__all__ = [
    "CHECK_FUNCTIONS",
    "FORM_ONLY_NOTE",
    "TYPE_NAMES",
    "Outcome",
    "judge",
    "judge_choice",
    "judge_close_to",
    "judge_equals",
    "judge_form",
    "judge_one_of",
    "judge_sequence",
    "decimals_asked",
    "type_name",
]

#: Names of the check functions the grader understands, and whether they earn points.
CHECK_FUNCTIONS: dict[str, bool] = {
    "check_answer": True,
    "check_choice": True,
    "self_check": False,
}


def _same(got: Any, want: Any, ignore_case: bool) -> bool:
    if isinstance(want, bool) or isinstance(got, bool):
        return isinstance(got, bool) and isinstance(want, bool) and got == want
    if isinstance(want, int | float) and isinstance(got, int | float):
        return got == want
    if isinstance(want, str) and isinstance(got, str):
        return norm_text(got) == norm_text(want) if ignore_case else got.strip() == want.strip()
    if isinstance(want, list | tuple) and isinstance(got, list | tuple):
        return len(got) == len(want) and all(
            _same(g, w, ignore_case) for g, w in zip(got, want, strict=True)
        )
    if isinstance(want, dict) and isinstance(got, dict):
        return set(got) == set(want) and all(_same(got[k], want[k], ignore_case) for k in want)
    return False


def _with_hint(message: str, hint: str | None) -> str:
    return f"{message} Hint: {hint}" if hint else message


def _correct(name: str) -> Outcome:
    return Outcome(True, f"{name}: correct.")


def _not_kind(name: str, wanted: str, encoded: Mapping) -> Outcome:
    return Outcome(False, f"{name}: should be {wanted}, but it is {describe_kind(encoded)}.")


def judge_choice(name: str, args: Mapping[str, Any], encoded: Mapping) -> Outcome:
    """Judge a multiple-choice answer: one option letter, compared ignoring case and brackets.

    Examples
    --------
    >>> judge_choice("q4", {"answer": "b"}, encode_value("(B)")).passed
    True
    """
    if encoded.get("kind") != "str":
        return Outcome(False, f"{name}: give the letter of one option as text, e.g. \"a\".")
    got = decode_value(encoded)
    letter = got.strip().strip("()").strip().casefold()
    options = args.get("options")
    if options is not None and letter not in [str(o).casefold() for o in options]:
        return Outcome(False, f"{name}: {got!r} is not one of the offered options.")
    if letter == str(args["answer"]).strip().casefold():
        return _correct(name)
    return Outcome(False, _with_hint(
        f"{name}: this is not the right option. "
        "Re-read the options and the material they refer to.", args.get("hint")))


def decimals_asked(tol: float) -> int | None:
    """Decimals an answer needs so rounding keeps it within ``tol``: the least ``d`` with
    ``0.5 * 10**-d <= tol`` (``None``: no tolerance).

    Examples
    --------
    >>> decimals_asked(0.002), decimals_asked(0.005), decimals_asked(0.01), decimals_asked(0)
    (3, 2, 2, None)
    """
    if not tol > 0:
        return None
    return max(0, math.ceil(math.log10(0.5 / tol) - 1e-9))


def _decimals(x: float) -> int | None:
    """How many decimals ``x`` shows (``None`` when more than 9)."""
    for d in range(10):
        if abs(round(x, d) - x) <= 1e-12 * max(1.0, abs(x)):
            return d
    return None


def _rounded_too_coarsely(got: float, target: float, tol: float) -> int | None:
    """The decimals of ``got`` when rounding alone explains the miss, else ``None``."""
    need, shown = decimals_asked(tol), _decimals(got)
    if need is None or shown is None or shown >= need:
        return None
    return shown if abs(got - target) <= 0.5 * 10.0 ** -shown + tol else None


def judge_close_to(name: str, args: Mapping[str, Any], encoded: Mapping) -> Outcome:
    """Judge a number against ``close_to`` within ``tol``; say so when rounding is the cause.

    Examples
    --------
    >>> judge_close_to("x", {"close_to": 0.5, "tol": 0.01}, encode_value(0.505)).passed
    True
    >>> judge_close_to("x", {"close_to": 0.426, "tol": 0.002}, encode_value(0.43)).message
    'x: your number is rounded to 2 decimals; this question needs at least 3 decimals (answers \
within 0.002 count). Round to 3 or more decimals, or do not round.'
    """
    target = float(args["close_to"])
    tol = float(args.get("tol", 0.0) or 0.0)
    got = decode_value(encoded)
    if encoded.get("kind") not in ("int", "float") or got is None or not math.isfinite(got):
        return _not_kind(name, "a finite number", encoded)
    if abs(float(got) - target) <= tol + 1e-12 * max(1.0, abs(target)):
        return _correct(name)
    if (shown := _rounded_too_coarsely(float(got), target, tol)) is not None:
        need = decimals_asked(tol)
        return Outcome(False, f"{name}: your number is rounded to {shown} decimal"
                       f"{'' if shown == 1 else 's'}; this question needs at least {need} "
                       f"decimals (answers within {tol:g} count). Round to {need} or more "
                       "decimals, or do not round.")
    return Outcome(False, _with_hint(
        f"{name}: the number is outside the accepted range. "
        "Check which rows you counted and what you divided by.", args.get("hint")))


def judge_sequence(name: str, args: Mapping[str, Any], encoded: Mapping) -> Outcome:
    """Judge a list against ``sequence`` (order matters) or ``items`` (any order).

    Examples
    --------
    >>> judge_sequence("xs", {"items": ["a", "b"]}, encode_value(["B", "a"])).passed
    True
    >>> judge_sequence("xs", {"sequence": ["a", "b"]}, encode_value(["b", "a"])).message
    'xs: the items are right but their order is not.'
    """
    hint = args.get("hint")
    ordered = "sequence" in args
    want = list(args["sequence"] if ordered else args["items"])
    ignore_case = bool(args.get("ignore_case", True))
    if encoded.get("kind") not in ("list", "tuple", "set"):
        return _not_kind(name, "a list", encoded)
    got = decode_value(encoded)
    if len(got) != len(want):
        return Outcome(False, _with_hint(
            f"{name}: your list has {len(got)} item(s); the question asks for {len(want)}.",
            hint))
    if ordered and _same(got, want, ignore_case):
        return _correct(name)
    remaining = list(want)
    for item in got:
        for i, w in enumerate(remaining):
            if _same(item, w, ignore_case):
                del remaining[i]
                break
    if remaining:
        return Outcome(False, _with_hint(
            f"{name}: at least one item in your list is not right.", hint))
    if not ordered:
        return _correct(name)
    return Outcome(False, _with_hint(
        f"{name}: the items are right but their order is not.", hint))


def judge_one_of(name: str, args: Mapping[str, Any], encoded: Mapping) -> Outcome:
    """Judge an answer against a list of accepted alternatives.

    Examples
    --------
    >>> judge_one_of("c", {"one_of": ["Egypt", "Jordan"]}, encode_value(" jordan")).passed
    True
    """
    ignore_case = bool(args.get("ignore_case", True))
    if any(_same(decode_value(encoded), w, ignore_case) for w in args["one_of"]):
        return _correct(name)
    return Outcome(False, _with_hint(f"{name}: this is not an accepted answer.",
                                     args.get("hint")))


def judge_equals(name: str, args: Mapping[str, Any], encoded: Mapping) -> Outcome:
    """Judge an answer against one expected value (text ignoring case unless told).

    Examples
    --------
    >>> judge_equals("y", {"equals": 2022}, encode_value("2022")).message
    'y: should be a number, but it is text (str).'
    >>> judge_equals("code", {"equals": "EGY"}, encode_value(3)).message
    'code: should be text (str), but it is a whole number (int).'
    """
    want = args["equals"]
    if _same(decode_value(encoded), want, bool(args.get("ignore_case", True))):
        return _correct(name)
    is_number = isinstance(want, int | float) and not isinstance(want, bool)
    if is_number and encoded.get("kind") not in ("int", "float"):
        return _not_kind(name, "a number", encoded)
    wanted = encode_value(want).get("kind", "other")
    if not is_number and wanted in KIND_WORDS and not kind_matches(encoded.get("kind", "other"),
                                                                     wanted):
        return _not_kind(name, KIND_WORDS[wanted], encoded)
    return Outcome(False, _with_hint(f"{name}: the value is not right.", args.get("hint")))


_ANSWER_MODES = (
    ("close_to", judge_close_to),
    ("sequence", judge_sequence),
    ("items", judge_sequence),
    ("one_of", judge_one_of),
    ("equals", judge_equals),
)


def judge(function: str, name: str, args: Mapping[str, Any], encoded: Mapping | None) -> Outcome:
    """Judge one check call against an encoded answer.

    Parameters
    ----------
    function : {"check_answer", "check_choice", "self_check"}
        The check function named in the cell.
    name : str
        The answer variable's name.
    args : mapping
        The call's keyword arguments (for ``check_choice`` the correct option is
        under ``"answer"``).
    encoded : mapping or None
        The answer as produced by :func:`encode_value`; ``None`` or
        ``{"defined": False}`` when the variable does not exist.

    Returns
    -------
    Outcome
        ``passed`` and a message that never reveals expected values.

    Examples
    --------
    >>> judge("check_answer", "share", {"close_to": 0.58, "tol": 0.01}, encode_value(0.585))
    Outcome(passed=True, message='share: correct.')
    >>> judge("check_choice", "q4", {"answer": "b"}, encode_value("c")).message
    'q4: this is not the right option. Re-read the options and the material they refer to.'
    >>> judge("self_check", "y", {"type": "int"}, encode_value("2022")).passed
    False
    """
    if function not in CHECK_FUNCTIONS:
        raise ValueError(
            f"function must be one of {', '.join(CHECK_FUNCTIONS)}, got {function!r}"
        )
    if encoded is None or encoded.get("defined") is False:
        return Outcome(
            False,
            f"{name}: no variable called {name} exists after running your notebook. "
            f"Assign your answer to {name} in the answer cell (and keep the name exactly).",
        )
    if function == "self_check":
        return judge_form(name, args, encoded)
    if function == "check_choice":
        return judge_choice(name, args, encoded)
    if args.get("type") is not None:
        wanted = type_name(args["type"])
        if not kind_matches(encoded.get("kind", "other"), wanted):
            return _not_kind(name, KIND_WORDS[wanted], encoded)
    for key, mode in _ANSWER_MODES:
        if key in args:
            return mode(name, args, encoded)
    raise ValueError(
        "check_answer needs one of equals=, close_to=, sequence=, items= or one_of=; got "
        f"{sorted(args)}"
    )
