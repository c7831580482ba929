"""The form of an answer: kinds of value and the rules of the visible self-check.

:func:`judge_form` judges only the FORM of an answer (type, range, length, choices, non-empty),
for :func:`course_lib.checks.self_check`; the helpers here (:func:`type_name`, the words for each
kind of value, :class:`Outcome`) are shared with the graded checks in
:mod:`course_lib.checks.judging`. The form rules are never stricter than the graded checks, so
an answer a graded check accepts always has the right form.

Examples
--------
>>> from course_lib.checks.encoding import encode_value
>>> judge_form("n", {"type": "int", "between": (1, 5)}, encode_value(3)).passed
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from course_lib.checks.encoding import decode_value, encode_value  # noqa: F401 - doctests

__all__ = ["FORM_ONLY_NOTE", "KIND_WORDS", "TYPE_NAMES", "Outcome", "describe_kind", "judge_form",
           "kind_matches", "norm_text", "type_name"]

#: Sentence shown with every visible self-check.
FORM_ONLY_NOTE = (
    "This checks the form of your answer, not whether it is correct; "
    "hidden checks run when your work is graded."
)

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


def norm_text(text: str) -> str:
    """Text as the checks compare it: repeated spaces collapsed, case ignored.

    Examples
    --------
    >>> norm_text("  Buck-Pass  now ")
    'buck-pass now'
    """
    return " ".join(text.split()).casefold()


#: How each kind of value is named in a message.
KIND_WORDS = {
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


def kind_matches(kind: str, wanted: str) -> bool:
    """Whether an encoded ``kind`` is what ``type=wanted`` asks for (an int is a float too).

    Examples
    --------
    >>> kind_matches("int", "float"), kind_matches("tuple", "list"), kind_matches("str", "int")
    (True, True, False)
    """
    if wanted == "float":
        return kind in ("float", "int")
    if wanted in ("list", "tuple"):
        return kind in ("list", "tuple")
    return kind == wanted


def _form_kind_matches(kind: str, wanted: str, value: Any) -> bool:
    """Like :func:`kind_matches`, but never stricter than a graded check: a whole-number float
    is an ``int`` (graded checks compare numbers by value) and a set is a ``list`` (``items=``
    accepts one)."""
    if wanted == "int" and kind == "float" and value is not None and float(value).is_integer():
        return True
    if wanted in ("list", "tuple") and kind == "set":
        return True
    return kind_matches(kind, wanted)


def describe_kind(encoded: Mapping) -> str:
    """The kind of an encoded value in words, e.g. ``text (str)``."""
    return KIND_WORDS.get(encoded.get("kind", "other"), "an unsupported kind of value")


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
            return Outcome(False, f"{name}: should be {KIND_WORDS[wanted]}, but it is "
                                  f"{describe_kind(encoded)}.")
    if args.get("between") is not None:
        lo, hi = args["between"]
        if kind not in ("int", "float") or got is None or not lo <= got <= hi:
            return Outcome(False, f"{name}: should be a number between {lo} and {hi}.")
    if args.get("length") is not None:
        if kind not in ("list", "tuple", "set", "str", "dict") or len(got) != args["length"]:
            return Outcome(False, f"{name}: should have exactly {args['length']} item(s).")
    if args.get("choices") is not None:
        choices = [norm_text(str(c)) for c in args["choices"]]
        if kind != "str" or norm_text(got.strip("()")) not in choices:
            shown = ", ".join(repr(c) for c in args["choices"])
            return Outcome(False, f"{name}: should be one of {shown}.")
    if args.get("nonempty") and (got is None or (hasattr(got, "__len__") and len(got) == 0)):
        return Outcome(False, f"{name}: should not be empty.")
    return Outcome(True, f"{name}: the form is right. {FORM_ONLY_NOTE}")
