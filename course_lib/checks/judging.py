"""Judging: one function per answer mode, each returning an :class:`Outcome`.

:func:`judge` dispatches a parsed check call (``check_answer``, ``check_choice`` or
``self_check`` with its keyword arguments) to the function for its answer mode:
:func:`judge_choice`, :func:`judge_close_to`, :func:`judge_sequence` (``sequence=`` and
``items=``), :func:`judge_one_of`, :func:`judge_equals` and :func:`judge_form`. Messages never
contain the expected value.

Examples
--------
>>> judge_equals("y", {"equals": 2022}, encode_value(2022))
Outcome(passed=True, message='y: correct.')
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from course_lib.checks.encoding import decode_value, encode_value  # noqa: F401 - doctests

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

#: Sentence shown with every visible self-check.
FORM_ONLY_NOTE = (
    "This checks the form of your answer, not whether it is correct; "
    "hidden checks run when your work is graded."
)

#: Names of the check functions the grader understands, and whether they earn points.
CHECK_FUNCTIONS: dict[str, bool] = {
    "check_answer": True,
    "check_choice": True,
    "self_check": False,
}

#: Type names accepted by ``type=`` (as bare names in a cell, e.g. ``type=int``).
TYPE_NAMES = ("int", "float", "str", "bool", "list", "tuple", "dict", "set")


@dataclass(frozen=True)
class Outcome:
    """Result of one check.

    Attributes
    ----------
    passed : bool
        Whether the check passed.
    message : str
        Feedback a learner can act on; never contains the expected value.
    """

    passed: bool
    message: str


def _norm_text(text: str) -> str:
    return " ".join(text.split()).casefold()


def _same(got: Any, want: Any, ignore_case: bool) -> bool:
    if isinstance(want, bool) or isinstance(got, bool):
        return isinstance(got, bool) and isinstance(want, bool) and got == want
    if isinstance(want, int | float) and isinstance(got, int | float):
        return got == want
    if isinstance(want, str) and isinstance(got, str):
        return _norm_text(got) == _norm_text(want) if ignore_case else got.strip() == want.strip()
    if isinstance(want, list | tuple) and isinstance(got, list | tuple):
        return len(got) == len(want) and all(
            _same(g, w, ignore_case) for g, w in zip(got, want, strict=True)
        )
    if isinstance(want, dict) and isinstance(got, dict):
        return set(got) == set(want) and all(_same(got[k], want[k], ignore_case) for k in want)
    return False


_KIND_WORDS = {
    "int": "a whole number (int)",
    "float": "a number (float)",
    "bool": "True or False (bool)",
    "str": "text (str)",
    "list": "a list",
    "tuple": "a tuple",
    "dict": "a dict",
    "set": "a set",
    "none": "None",
    "other": "an unsupported kind of value",
}


def _kind_matches(kind: str, wanted: str) -> bool:
    if wanted == "float":
        return kind in ("float", "int")
    if wanted in ("list", "tuple"):
        return kind in ("list", "tuple")
    return kind == wanted


def _form_kind_matches(kind: str, wanted: str, value: Any) -> bool:
    """Like :func:`_kind_matches`, but never stricter than a graded check: a whole-number float
    is an ``int`` (graded checks compare numbers by value) and a set is a ``list`` (``items=``
    accepts one)."""
    if wanted == "int" and kind == "float" and value is not None and float(value).is_integer():
        return True
    if wanted in ("list", "tuple") and kind == "set":
        return True
    return _kind_matches(kind, wanted)


def _describe(encoded: Mapping) -> str:
    return _KIND_WORDS.get(encoded.get("kind", "other"), "an unsupported kind of value")


def type_name(spec: Any) -> str:
    """Return the name of an allowed ``type=`` value (``int`` or ``"int"``), else raise.

    Examples
    --------
    >>> type_name(int), type_name("float")
    ('int', 'float')
    """
    name = spec if isinstance(spec, str) else getattr(spec, "__name__", repr(spec))
    if name not in TYPE_NAMES:
        raise ValueError(f"type must be one of {', '.join(TYPE_NAMES)}, got {name!r}")
    return name


def _with_hint(message: str, hint: str | None) -> str:
    return f"{message} Hint: {hint}" if hint else message


def _correct(name: str) -> Outcome:
    return Outcome(True, f"{name}: correct.")


def _not_kind(name: str, wanted: str, encoded: Mapping) -> Outcome:
    return Outcome(False, f"{name}: should be {wanted}, but it is {_describe(encoded)}.")


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
    if not is_number and wanted in _KIND_WORDS and not _kind_matches(encoded.get("kind", "other"),
                                                                     wanted):
        return _not_kind(name, _KIND_WORDS[wanted], encoded)
    return Outcome(False, _with_hint(f"{name}: the value is not right.", args.get("hint")))


def judge_form(name: str, args: Mapping[str, Any], encoded: Mapping) -> Outcome:
    """Judge only the FORM of an answer (type, range, length, choices, non-empty).

    The form rules are never stricter than the graded checks they sit beside: text is measured
    and matched as a graded check compares it (case and repeated spaces ignored), a whole-number
    float counts as an ``int`` and a set as a list. So an answer a graded check accepts always
    has the right form, and a failed self-check never costs points a graded check would give.

    Examples
    --------
    >>> judge_form("n", {"type": "int", "between": (1, 5)}, encode_value(9)).message
    'n: should be a number between 1 and 5.'
    >>> judge_form("code", {"type": "str", "length": 3}, encode_value(" egy ")).passed
    True
    """
    kind = encoded.get("kind", "other")
    got = decode_value(encoded)
    if kind == "str" and got is not None:
        got = " ".join(got.split())
    if args.get("type") is not None:
        wanted = type_name(args["type"])
        if not _form_kind_matches(kind, wanted, got):
            return Outcome(
                False, f"{name}: should be {_KIND_WORDS[wanted]}, but it is {_describe(encoded)}."
            )
    if args.get("between") is not None:
        lo, hi = args["between"]
        if kind not in ("int", "float") or got is None or not lo <= got <= hi:
            return Outcome(False, f"{name}: should be a number between {lo} and {hi}.")
    if args.get("length") is not None:
        if kind not in ("list", "tuple", "set", "str", "dict") or len(got) != args["length"]:
            return Outcome(False, f"{name}: should have exactly {args['length']} item(s).")
    if args.get("choices") is not None:
        choices = [_norm_text(str(c)) for c in args["choices"]]
        if kind != "str" or _norm_text(got.strip("()")) not in choices:
            shown = ", ".join(repr(c) for c in args["choices"])
            return Outcome(False, f"{name}: should be one of {shown}.")
    if args.get("nonempty") and (got is None or (hasattr(got, "__len__") and len(got) == 0)):
        return Outcome(False, f"{name}: should not be empty.")
    return Outcome(True, f"{name}: the form is right. {FORM_ONLY_NOTE}")


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
        if not _kind_matches(encoded.get("kind", "other"), wanted):
            return _not_kind(name, _KIND_WORDS[wanted], encoded)
    for key, mode in _ANSWER_MODES:
        if key in args:
            return mode(name, args, encoded)
    raise ValueError(
        "check_answer needs one of equals=, close_to=, sequence=, items= or one_of=; got "
        f"{sorted(args)}"
    )
