"""Practice keys: salted hashes of an exercise's exact answers, and judging against them.

A practice key lets ``course check`` give a self-paced learner a right-or-wrong verdict in a
student bundle that ships no ``solutions/``. For every graded check of the instructor source it
stores a salted SHA-256 of the *canonical form* of the expected answer (text folded like the
grader folds it, numbers as floats, ``items=`` sorted), never the answer itself. Numbers checked
with ``close_to`` are stored as hashes of the grid points ``k * step`` (``step = tol / 10``)
whose rounding cells meet the accepted range, so an answer is accepted when it rounds to one
of them: never stricter than the grader, and at the edges up to ``tol / 10`` more lenient.

**A practice aid, not a secret.** The answers are short (a letter, a year, a code), so anyone can
find them by hashing guesses. Graded releases ship no key.

Examples
--------
>>> check = {"function": "check_answer", "name": "y", "args": {"equals": 2022}}
>>> entry = key_entry(check, salt="s", exercise="demo")
>>> sorted(entry), "2022" in str(entry)
(['args', 'digests', 'function', 'mode', 'name'], False)
>>> judge_entry(entry, 2022, salt="s", exercise="demo").passed
True
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from typing import Any

from course_lib.checks import Outcome, encode_value, judge

__all__ = ["PUBLIC_ARGS", "canonical", "digest", "judge_entry", "key_entry"]

#: Check arguments a key keeps in clear (they are shown to learners anyway or carry no answer).
PUBLIC_ARGS = ("type", "ignore_case", "hint", "options", "weight")
_MODES = ("close_to", "sequence", "items", "one_of", "equals")


def canonical(value: Any, ignore_case: bool = True) -> str:
    """A JSON text equal for two values exactly when the grader treats them as the same.

    Examples
    --------
    >>> canonical(" Mediterranean  dialogue") == canonical("mediterranean Dialogue")
    True
    >>> canonical(3) == canonical(3.0), canonical(True) == canonical(1)
    (True, False)
    """
    return json.dumps(_tagged(value, ignore_case), sort_keys=True, ensure_ascii=True)


def _tagged(value: Any, ignore_case: bool) -> Any:
    if isinstance(value, bool):
        return ["b", value]
    if isinstance(value, int | float):
        return ["n", repr(float(value))]
    if isinstance(value, str):
        return ["s", " ".join(value.split()).casefold() if ignore_case else value.strip()]
    if isinstance(value, list | tuple):
        return ["l", [_tagged(v, ignore_case) for v in value]]
    if isinstance(value, dict):
        return ["d", {str(k): _tagged(v, ignore_case) for k, v in value.items()}]
    return ["z", repr(value)]


def digest(payload: str, *, salt: str, exercise: str, name: str) -> str:
    """Salted SHA-256 (hex) of ``payload`` for the answer ``name`` of ``exercise``.

    Examples
    --------
    >>> len(digest("x", salt="s", exercise="e", name="n"))
    64
    """
    return hashlib.sha256(f"{salt}|{exercise}|{name}|{payload}".encode()).hexdigest()


def _letter(value: Any) -> str:
    return str(value).strip().strip("()").strip().casefold()


def _grid(target: float, tol: float) -> tuple[float, list[int]]:
    """Step and the grid points whose rounding cell ``[(k - 1/2) step, (k + 1/2) step]``
    meets ``[target - tol, target + tol]``: every accepted number is covered."""
    step = tol / 10
    lo = math.floor((target - tol) / step - 0.5) + 1
    hi = math.ceil((target + tol) / step + 0.5) - 1
    return step, list(range(lo, hi + 1))


def _payloads(function: str, args: Mapping[str, Any]) -> tuple[str, list[str], dict]:
    """(mode, payloads to hash, extra public fields) of one graded check."""
    fold = bool(args.get("ignore_case", True))
    if function == "check_choice":
        return "choice", [canonical(_letter(args["answer"]))], {}
    mode = next(m for m in _MODES if m in args)
    want = args[mode]
    if mode == "close_to" and float(args.get("tol", 0) or 0) > 0:
        step, ks = _grid(float(want), float(args["tol"]))
        return mode, [f"k:{k}" for k in ks], {"step": step}
    if mode == "close_to":
        return "equals", [canonical(float(want))], {}
    if mode == "one_of":
        return mode, [canonical(w, fold) for w in want], {}
    if mode == "sequence":
        items = sorted(canonical(w, fold) for w in want)
        return mode, [canonical(list(want), fold), "items:" + json.dumps(items)], {
            "n_items": len(want)}
    if mode == "items":
        items = sorted(canonical(w, fold) for w in want)
        return mode, ["items:" + json.dumps(items)], {"n_items": len(want)}
    return mode, [canonical(want, fold)], {}


def key_entry(check: Mapping[str, Any], *, salt: str, exercise: str) -> dict[str, Any]:
    """The key entry of one graded check: its mode, public arguments and digests.

    ``check`` holds ``function`` (``check_answer`` or ``check_choice``), ``name`` and ``args``
    as parsed from the instructor source.

    Raises
    ------
    ValueError
        If the check gives no answer mode.
    """
    function, name, args = check["function"], check["name"], dict(check["args"])
    if function not in ("check_answer", "check_choice"):
        raise ValueError(f"check function must be check_answer or check_choice, got {function!r}")
    if function == "check_answer" and not any(m in args for m in _MODES):
        raise ValueError(f"{name}: check_answer gives none of {', '.join(_MODES)}")
    mode, payloads, extra = _payloads(function, args)
    public = {k: args[k] for k in PUBLIC_ARGS if args.get(k) is not None}
    digests = [digest(p, salt=salt, exercise=exercise, name=name) for p in payloads]
    return {"function": function, "name": name, "mode": mode, "args": {**public, **extra},
            "digests": digests}


def _wrong(name: str, text: str, hint: str | None) -> Outcome:
    return Outcome(False, f"{name}: {text}" + (f" Hint: {hint}" if hint else ""))


def _candidates(entry: Mapping[str, Any], value: Any) -> list[str]:
    args, mode = entry["args"], entry["mode"]
    fold = bool(args.get("ignore_case", True))
    if mode == "choice":
        return [canonical(_letter(value))]
    if mode == "close_to":
        return [f"k:{round(float(value) / args['step'])}"]
    if mode in ("sequence", "items"):
        items = "items:" + json.dumps(sorted(canonical(v, fold) for v in value))
        return [canonical(list(value), fold), items] if mode == "sequence" else [items]
    return [canonical(value, fold)]


def _form_problem(entry: Mapping[str, Any], value: Any) -> Outcome | None:
    """The grader's own message when the answer has the wrong kind, else ``None``."""
    name, args, mode = entry["name"], entry["args"], entry["mode"]
    encoded = encode_value(value)
    if args.get("type"):
        outcome = judge("self_check", name, {"type": args["type"]}, encoded)
        if not outcome.passed:
            return outcome
    if mode == "choice":
        if not isinstance(value, str):
            return Outcome(False, f"{name}: give the letter of one option as text, e.g. \"a\".")
        options = args.get("options")
        if options and _letter(value) not in [str(o).casefold() for o in options]:
            return Outcome(False, f"{name}: {value!r} is not one of the offered options.")
    if mode == "close_to" and (isinstance(value, bool) or not isinstance(value, int | float)
                               or not math.isfinite(value)):
        return Outcome(False, f"{name}: should be a finite number, but it is not.")
    if mode in ("sequence", "items"):
        if not isinstance(value, list | tuple | set):
            return Outcome(False, f"{name}: should be a list.")
        if len(value) != entry["args"]["n_items"]:
            return _wrong(name, f"your list has {len(value)} item(s); the question asks for "
                          f"{entry['args']['n_items']}.", args.get("hint"))
    return None


def judge_entry(entry: Mapping[str, Any], value: Any, *, salt: str, exercise: str) -> Outcome:
    """Judge the learner's ``value`` against one key entry (messages as the grader's).

    Examples
    --------
    >>> e = key_entry({"function": "check_answer", "name": "top",
    ...                "args": {"sequence": ["RUS", "IRN"], "hint": "Sort first."}},
    ...               salt="s", exercise="ex")
    >>> judge_entry(e, ["irn", "rus"], salt="s", exercise="ex").message
    'top: the items are right but their order is not. Hint: Sort first.'
    >>> c = key_entry({"function": "check_answer", "name": "x",
    ...                "args": {"close_to": 0.426, "tol": 0.002}}, salt="s", exercise="ex")
    >>> [judge_entry(c, v, salt="s", exercise="ex").passed for v in (0.4265, 0.43)]
    [True, False]
    """
    name, hint = entry["name"], entry["args"].get("hint")
    problem = _form_problem(entry, value)
    if problem is not None:
        return problem
    if isinstance(value, set):
        value = sorted(value, key=repr)
    found = [digest(c, salt=salt, exercise=exercise, name=name)
             for c in _candidates(entry, value)]
    if found[0] in entry["digests"]:
        return Outcome(True, f"{name}: correct.")
    if entry["mode"] == "sequence" and found[1] in entry["digests"]:
        return _wrong(name, "the items are right but their order is not.", hint)
    return _wrong(name, "this is not the right answer.", hint)
