"""Answer checks for exercise notebooks: visible self-checks and graded checks.

The same calls serve three readers:

* a learner running a test cell sees a plain ``assert``-style result
  (:func:`self_check` checks only the *form* of an answer and says so);
* nbgrader runs the cells unchanged: a failing :func:`check_answer` or
  :func:`check_choice` raises ``AssertionError``;
* the course grader (:mod:`course_lib.grading`) never runs these calls in the
  learner's kernel.  It parses them from the instructor's source with
  :func:`ast.literal_eval`, reads the answer variables back as JSON and judges
  them in its own process with :func:`judge`, so expected values never enter
  the learner's kernel.

Every judgement goes through :func:`encode_value` and :func:`judge`, so the
kernel-side asserts and the grader agree exactly.  Failure messages never
contain the expected value.

Examples
--------
>>> q1_year = 2022
>>> check_answer("q1_year", equals=2022, namespace={"q1_year": q1_year})
True
>>> judge("check_answer", "q1_year", {"equals": 2022}, encode_value(2014)).passed
False
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "CHECK_FUNCTIONS",
    "FORM_ONLY_NOTE",
    "Outcome",
    "check_answer",
    "check_choice",
    "encode_value",
    "judge",
    "self_check",
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

_MAX_ITEMS = 1000
_MAX_STR = 10_000


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


def encode_value(value: Any, _depth: int = 0) -> dict:
    """Encode a Python value as JSON-ready data for judging.

    This function is self-contained (it imports nothing at module level) so the
    grader can send its source into a kernel as part of a probe.

    Parameters
    ----------
    value : object
        Any value; numpy scalars and arrays, pandas Series and Index are unwrapped.

    Returns
    -------
    dict
        ``{"kind": ..., "value": ..., "pytype": ...}`` where kind is one of
        ``int float bool str none list tuple set dict other``.

    Examples
    --------
    >>> encode_value(3)
    {'kind': 'int', 'value': 3, 'pytype': 'int'}
    >>> encode_value((1, "a"))["value"]
    [{'kind': 'int', 'value': 1, 'pytype': 'int'}, {'kind': 'str', 'value': 'a', 'pytype': 'str'}]
    """
    import math as _m

    pytype = type(value).__name__
    module = type(value).__module__ or ""
    if _depth > 4:
        return {"kind": "other", "value": None, "pytype": pytype}
    if module.startswith(("numpy", "pandas")) and hasattr(value, "tolist"):
        try:
            plain = value.tolist()
        except Exception:  # noqa: BLE001 - anything odd becomes "other"
            plain = None
        if plain is not None:
            encoded = encode_value(plain, _depth)
            encoded["pytype"] = pytype
            return encoded
    if value is None:
        return {"kind": "none", "value": None, "pytype": pytype}
    if isinstance(value, bool):
        return {"kind": "bool", "value": bool(value), "pytype": pytype}
    if isinstance(value, int):
        if abs(value) > 2**63:
            return {"kind": "int", "value": None, "pytype": pytype, "repr": "huge"}
        return {"kind": "int", "value": int(value), "pytype": pytype}
    if isinstance(value, float):
        if _m.isfinite(value):
            return {"kind": "float", "value": float(value), "pytype": pytype}
        return {"kind": "float", "value": None, "pytype": pytype, "repr": repr(float(value))}
    if isinstance(value, str):
        return {"kind": "str", "value": str(value)[:10_000], "pytype": pytype}
    if isinstance(value, list | tuple | set | frozenset):
        kind = "list" if isinstance(value, list) else "tuple"
        items = list(value)
        if isinstance(value, set | frozenset):
            kind = "set"
            try:
                items = sorted(items)
            except TypeError:
                items = sorted(items, key=repr)
        return {
            "kind": kind,
            "value": [encode_value(v, _depth + 1) for v in items[:1000]],
            "pytype": pytype,
        }
    if isinstance(value, dict):
        return {
            "kind": "dict",
            "value": [
                [encode_value(k, _depth + 1), encode_value(v, _depth + 1)]
                for k, v in list(value.items())[:1000]
            ],
            "pytype": pytype,
        }
    return {"kind": "other", "value": None, "pytype": pytype}


def _plain(encoded: Mapping) -> Any:
    """Turn an encoded value back into plain Python (lists for sequences)."""
    kind = encoded.get("kind")
    if kind in ("list", "tuple", "set"):
        return [_plain(v) for v in encoded.get("value") or []]
    if kind == "dict":
        return {_hashable(_plain(k)): _plain(v) for k, v in encoded.get("value") or []}
    if kind == "float" and encoded.get("value") is None:
        return float(encoded.get("repr", "nan"))
    return encoded.get("value")


def _hashable(value: Any) -> Any:
    return tuple(_hashable(v) for v in value) if isinstance(value, list) else value


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


def _describe(encoded: Mapping) -> str:
    return _KIND_WORDS.get(encoded.get("kind", "other"), "an unsupported kind of value")


def _type_name(spec: Any) -> str:
    name = spec if isinstance(spec, str) else getattr(spec, "__name__", repr(spec))
    if name not in TYPE_NAMES:
        raise ValueError(f"type must be one of {', '.join(TYPE_NAMES)}, got {name!r}")
    return name


def _with_hint(message: str, hint: str | None) -> str:
    return f"{message} Hint: {hint}" if hint else message


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
    hint = args.get("hint")
    if encoded is None or encoded.get("defined") is False:
        return Outcome(
            False,
            f"{name}: no variable called {name} exists after running your notebook. "
            f"Assign your answer to {name} in the answer cell (and keep the name exactly).",
        )
    kind = encoded.get("kind", "other")
    if function == "self_check":
        return _judge_form(name, args, encoded)
    if function == "check_choice":
        got = _plain(encoded)
        if kind != "str":
            return Outcome(False, f"{name}: give the letter of one option as text, e.g. \"a\".")
        letter = got.strip().strip("()").strip().casefold()
        options = args.get("options")
        if options is not None and letter not in [str(o).casefold() for o in options]:
            return Outcome(False, f"{name}: {got!r} is not one of the offered options.")
        if letter == str(args["answer"]).strip().casefold():
            return Outcome(True, f"{name}: correct.")
        return Outcome(
            False,
            _with_hint(
                f"{name}: this is not the right option. "
                "Re-read the options and the material they refer to.",
                hint,
            ),
        )
    # check_answer
    if "type" in args and args["type"] is not None:
        wanted = _type_name(args["type"])
        if not _kind_matches(kind, wanted):
            return Outcome(
                False, f"{name}: should be {_KIND_WORDS[wanted]}, but it is {_describe(encoded)}."
            )
    got = _plain(encoded)
    ignore_case = bool(args.get("ignore_case", True))
    if "close_to" in args:
        target = float(args["close_to"])
        tol = float(args.get("tol", 0.0) or 0.0)
        if kind not in ("int", "float") or got is None or not math.isfinite(float(got)):
            return Outcome(
                False, f"{name}: should be a finite number, but it is {_describe(encoded)}."
            )
        ok = abs(float(got) - target) <= tol + 1e-12 * max(1.0, abs(target))
        msg = f"{name}: correct." if ok else (
            f"{name}: the number is outside the accepted range. "
            "Check which rows you counted and what you divided by."
        )
        return Outcome(ok, msg if ok else _with_hint(msg, hint))
    if "sequence" in args or "items" in args:
        ordered = "sequence" in args
        want = list(args["sequence"] if ordered else args["items"])
        if kind not in ("list", "tuple", "set"):
            return Outcome(False, f"{name}: should be a list, but it is {_describe(encoded)}.")
        if len(got) != len(want):
            return Outcome(
                False,
                _with_hint(
                    f"{name}: your list has {len(got)} item(s); "
                    f"the question asks for {len(want)}.",
                    hint,
                ),
            )
        if ordered and _same(got, want, ignore_case):
            return Outcome(True, f"{name}: correct.")
        remaining = list(want)
        for item in got:
            for i, w in enumerate(remaining):
                if _same(item, w, ignore_case):
                    del remaining[i]
                    break
        if not remaining:
            if not ordered:
                return Outcome(True, f"{name}: correct.")
            return Outcome(
                False,
                _with_hint(f"{name}: the items are right but their order is not.", hint),
            )
        return Outcome(
            False, _with_hint(f"{name}: at least one item in your list is not right.", hint)
        )
    if "one_of" in args:
        if any(_same(got, w, ignore_case) for w in args["one_of"]):
            return Outcome(True, f"{name}: correct.")
        return Outcome(False, _with_hint(f"{name}: this is not an accepted answer.", hint))
    if "equals" in args:
        if _same(got, args["equals"], ignore_case):
            return Outcome(True, f"{name}: correct.")
        want = args["equals"]
        if isinstance(want, int | float) and not isinstance(want, bool) and kind not in (
            "int",
            "float",
        ):
            return Outcome(False, f"{name}: should be a number, but it is {_describe(encoded)}.")
        return Outcome(False, _with_hint(f"{name}: the value is not right.", hint))
    raise ValueError(
        "check_answer needs one of equals=, close_to=, sequence=, items= or one_of=; got "
        f"{sorted(args)}"
    )


def _judge_form(name: str, args: Mapping[str, Any], encoded: Mapping) -> Outcome:
    kind = encoded.get("kind", "other")
    got = _plain(encoded)
    if args.get("type") is not None:
        wanted = _type_name(args["type"])
        if not _kind_matches(kind, wanted):
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
        choices = [str(c).casefold() for c in args["choices"]]
        if kind != "str" or got.strip().strip("()").strip().casefold() not in choices:
            shown = ", ".join(repr(c) for c in args["choices"])
            return Outcome(False, f"{name}: should be one of {shown}.")
    if args.get("nonempty") and (got is None or (hasattr(got, "__len__") and len(got) == 0)):
        return Outcome(False, f"{name}: should not be empty.")
    return Outcome(True, f"{name}: the form is right. {FORM_ONLY_NOTE}")


def _lookup(name: str, namespace: Mapping[str, Any] | None, depth: int = 2) -> Mapping | None:
    if namespace is None:
        frame = sys._getframe(depth)
        namespace = frame.f_globals
    if name in namespace:
        return encode_value(namespace[name])
    return {"defined": False}


def _kwargs_for(type_: Any) -> dict:
    return {} if type_ is None else {"type": _type_name(type_)}


def check_answer(
    name: str,
    *,
    equals: Any = None,
    close_to: float | None = None,
    tol: float = 0.0,
    sequence: list | None = None,
    items: list | None = None,
    one_of: list | None = None,
    type: Any = None,  # noqa: A002 - mirrors the authoring syntax ``type=int``
    ignore_case: bool = True,
    hint: str | None = None,
    weight: float = 1.0,
    namespace: Mapping[str, Any] | None = None,
) -> bool:
    """Assert that the variable ``name`` holds the right answer (graded check).

    Give exactly one of ``equals``, ``close_to`` (with ``tol``), ``sequence``
    (ordered list), ``items`` (list in any order) or ``one_of`` (accepted
    alternatives).  Text is compared ignoring case and repeated spaces unless
    ``ignore_case=False``.  ``weight`` sets this check's share of the
    question's points when a test cell holds several checks.

    Parameters
    ----------
    name : str
        Name of the answer variable.
    namespace : mapping, optional
        Where to look the variable up; default: the caller's globals (the
        notebook's namespace).

    Returns
    -------
    bool
        ``True`` when the check passes.

    Raises
    ------
    AssertionError
        When the answer is missing or wrong (the message does not reveal the
        expected value).

    Examples
    --------
    >>> check_answer("order", sequence=["a", "b"], namespace={"order": ["A", "b"]})
    True
    >>> check_answer("x", close_to=0.5, tol=0.01, namespace={"x": 0.7})
    Traceback (most recent call last):
    ...
    AssertionError: x: the number is outside the accepted range. Check which rows ...
    """
    args: dict[str, Any] = {"ignore_case": ignore_case, "hint": hint, **_kwargs_for(type)}
    given = {
        "equals": equals,
        "close_to": close_to,
        "sequence": sequence,
        "items": items,
        "one_of": one_of,
    }
    chosen = [k for k, v in given.items() if v is not None]
    if len(chosen) != 1:
        raise ValueError(
            "check_answer needs exactly one of equals, close_to, sequence, items, one_of; "
            f"got {chosen or 'none'}"
        )
    args[chosen[0]] = given[chosen[0]]
    if chosen[0] == "close_to":
        if not (isinstance(tol, int | float) and tol >= 0):
            raise ValueError(f"tol must be a number >= 0, got {tol!r}")
        args["tol"] = tol
    if not weight > 0:
        raise ValueError(f"weight must be > 0, got {weight!r}")
    outcome = judge("check_answer", name, args, _lookup(name, namespace))
    if not outcome.passed:
        raise AssertionError(outcome.message)
    return True


def check_choice(
    name: str,
    answer: str,
    *,
    options: str | list | None = None,
    hint: str | None = None,
    weight: float = 1.0,
    namespace: Mapping[str, Any] | None = None,
) -> bool:
    """Assert that the multiple-choice answer ``name`` is the option ``answer``.

    Letters are compared ignoring case, spaces and brackets (``"(B) "`` equals ``"b"``).

    Examples
    --------
    >>> check_choice("q4", "b", namespace={"q4": "(B)"})
    True
    >>> check_choice("q4", "b", options="abc", namespace={"q4": "z"})
    Traceback (most recent call last):
    ...
    AssertionError: q4: 'z' is not one of the offered options.
    """
    if not weight > 0:
        raise ValueError(f"weight must be > 0, got {weight!r}")
    args = {"answer": answer, "options": list(options) if options else None, "hint": hint}
    outcome = judge("check_choice", name, args, _lookup(name, namespace))
    if not outcome.passed:
        raise AssertionError(outcome.message)
    return True


def self_check(
    name: str,
    *,
    type: Any = None,  # noqa: A002 - mirrors the authoring syntax ``type=int``
    between: tuple | None = None,
    length: int | None = None,
    choices: str | list | None = None,
    nonempty: bool = False,
    namespace: Mapping[str, Any] | None = None,
) -> bool:
    """Check the FORM of an answer (visible self-check; earns no points).

    Prints a confirmation that says plainly it does not check correctness, or
    raises ``AssertionError`` explaining what form is expected.

    Examples
    --------
    >>> self_check("year", type=int, between=(1949, 2024), namespace={"year": 2011})
    year: the form is right. This checks the form of your answer, not whether it is correct; \
hidden checks run when your work is graded.
    True
    """
    args = {
        **_kwargs_for(type),
        "between": between,
        "length": length,
        "choices": list(choices) if choices else None,
        "nonempty": nonempty,
    }
    outcome = judge("self_check", name, args, _lookup(name, namespace))
    if not outcome.passed:
        raise AssertionError(f"{outcome.message} ({FORM_ONLY_NOTE})")
    print(outcome.message)
    return True
