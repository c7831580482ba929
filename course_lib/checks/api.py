"""The self-check API that exercise cells call: graded checks and visible form checks.

The same calls serve three readers:

* a learner running a test cell sees ONE line per :func:`self_check` and no traceback:
  ``✓ name: the form is right ...`` (with the command that gives a real verdict, ``course
  check``) or ``✗ name: what is wrong ...``; a country name where an ISO3 code is asked is
  rejected with a pointer to its code (:func:`country_name_pointer`). A failed self-check
  raises :class:`FormError`, which IPython shows as that one line instead of a traceback
  (``_render_traceback_``) while the cell still ends in an *error* output, so nbgrader's
  ``validate`` (and its Validate button) reports a blank or ill-formed answer;
* nbgrader runs the cells unchanged: a failing :func:`check_answer` or
  :func:`check_choice` raises ``AssertionError``;
* the course grader (:mod:`classroom.grading`) never runs these calls in the
  learner's kernel.  It parses them from the instructor's source with
  :func:`ast.literal_eval`, reads the answer variables back as JSON and judges
  them in its own process with :func:`~course_lib.checks.judging.judge`, so expected values
  never enter the learner's kernel.

Examples
--------
>>> check_answer("q1_year", equals=2022, namespace={"q1_year": 2022})
True
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

from course_lib import _validate
from course_lib.checks.encoding import decode_value, encode_value
from course_lib.checks.judging import judge, type_name
from course_lib.datasets import load_states

__all__ = ["FormError", "check_answer", "check_choice", "country_name_pointer", "self_check",
           "verdict_command"]

#: Where a self-paced learner gets a right-or-wrong verdict (see ``course check --help``).
VERDICT_COMMAND = "course check {notebook}"


class FormError(AssertionError):
    """A visible self-check found an answer of the wrong form (or no answer).

    The message is the one line a learner sees. IPython calls ``_render_traceback_`` instead of
    printing a traceback, so the cell's output is an error whose traceback is that line: the
    learner reads ``✗ name: ...`` and nothing else, and nbgrader's ``validate``, which fails a
    notebook whose graded cells end in an error, reports it.

    Examples
    --------
    >>> FormError("✗ q1: should be text (str).")._render_traceback_()
    ['✗ q1: should be text (str).']
    """

    def _render_traceback_(self) -> list[str]:
        return [str(self)]


def _lookup(name: str, namespace: Mapping[str, Any] | None, depth: int = 2) -> Mapping | None:
    if namespace is None:
        frame = sys._getframe(depth)
        namespace = frame.f_globals
    if name in namespace:
        return encode_value(namespace[name])
    return {"defined": False}


def _kwargs_for(type_: Any) -> dict:
    return {} if type_ is None else {"type": type_name(type_)}


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
    recompute: bool = False,
    namespace: Mapping[str, Any] | None = None,
) -> bool:
    """Assert that the variable ``name`` holds the right answer (graded check).

    Give exactly one of ``equals``, ``close_to`` (with ``tol``), ``sequence``
    (ordered list), ``items`` (list in any order) or ``one_of`` (accepted
    alternatives).  Text is compared ignoring case and repeated spaces unless
    ``ignore_case=False``.  ``weight`` sets this check's share of the
    question's points when a test cell holds several checks.

    ``recompute=True`` marks an expected value that depends on the course's data (a count of
    timeline rows, say): ``course grade`` recomputes it from the model answer, run on the data
    installed at grading time, so an instructor who adds rows does not break the check. In a
    kernel (nbgrader, a learner's own run) the literal value given here is used.

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
        args["tol"] = _validate.finite_in(tol, "tol", 0.0)
    _validate.positive(weight, "weight")
    _validate.flag(recompute, "recompute")
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
    _validate.positive(weight, "weight")
    args = {"answer": answer, "options": list(options) if options else None, "hint": hint}
    outcome = judge("check_choice", name, args, _lookup(name, namespace))
    if not outcome.passed:
        raise AssertionError(outcome.message)
    return True


def country_name_pointer(name: str, value: Any) -> str | None:
    """A message when ``value`` (text or a list of texts) holds country names, not ISO3 codes.

    Returns ``None`` when no item is the name of a state in the course's states table.

    Examples
    --------
    >>> country_name_pointer("top", "Iran")
    "top: 'Iran' is a country name; give its ISO3 code, 'IRN' (the index of load_states())."
    >>> country_name_pointer("top", ["RUS", "iran"]) is None, country_name_pointer("t", "IRN")
    (False, None)
    """
    items = value if isinstance(value, list | tuple) else [value]
    texts = [v for v in items if isinstance(v, str)]
    if not texts:
        return None
    states = load_states()
    codes = {str(n).casefold(): code for code, n in states["name"].items()}
    for text in texts:
        code = codes.get(" ".join(text.split()).casefold())
        if code is not None and text.strip() != code:
            return (f"{name}: {text.strip()!r} is a country name; give its ISO3 code, "
                    f"{code!r} (the index of load_states()).")
    return None


def verdict_command(namespace: Mapping[str, Any] | None = None) -> str:
    """The command that judges this notebook (its path when the kernel knows it).

    JupyterLab's kernels hold the notebook's path in ``__session__``.

    Examples
    --------
    >>> verdict_command({"__session__": "exercises/03_measuring_threat_exercises.ipynb"})
    'course check exercises/03_measuring_threat_exercises.ipynb'
    >>> verdict_command({})
    'course check NOTEBOOK.ipynb'
    """
    session = (namespace or {}).get("__session__")
    path = session if isinstance(session, str) and session.endswith(".ipynb") else None
    return VERDICT_COMMAND.format(notebook=path or "NOTEBOOK.ipynb")


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
    """Check the FORM of an answer (visible self-check; earns no points): ONE line either way.

    When the form is right it prints a line starting with ``✓`` (which says how to get a real
    verdict: ``course check``) and returns ``True``. When it is wrong, or the answer is missing,
    it raises :class:`FormError` whose message starts with ``✗`` and says what to fix: in a
    notebook the learner sees just that line (no traceback), and the cell ends in an error, so
    nbgrader's ``validate`` reports the notebook as failing. The form rules are never stricter
    than the graded checks (see :func:`~course_lib.checks.judging.judge_form`), so a failing
    self-check never costs points. A bad *argument* (an author's mistake) raises ``ValueError``.

    Returns
    -------
    bool
        ``True`` (the form is right).

    Raises
    ------
    FormError
        When the form is wrong or the variable does not exist.

    Examples
    --------
    >>> self_check("year", type=int, between=(1949, 2024), namespace={"year": 2011})
    ✓ year: the form is right. This does not say whether the value is correct: ...
    True
    >>> self_check("year", type=int, namespace={"year": "2011"})
    Traceback (most recent call last):
    ...
    course_lib.checks.api.FormError: ✗ year: should be a whole number (int), but it is text ...
    """
    args = {
        **_kwargs_for(type),
        "between": between,
        "length": length,
        "choices": list(choices) if choices else None,
        "nonempty": nonempty,
    }
    if namespace is None:
        namespace = sys._getframe(1).f_globals
    encoded = _lookup(name, namespace)
    outcome = judge("self_check", name, args, encoded)
    pointer = None
    if encoded is not None and encoded.get("defined", True) is not False:
        pointer = country_name_pointer(name, decode_value(encoded))
    if outcome.passed and pointer is None:
        print(f"✓ {name}: the form is right. This does not say whether the value is correct: "
              f"for a verdict, save the notebook and run `{verdict_command(namespace)}` in a "
              "terminal.")
        return True
    raise FormError(f"✗ {pointer or outcome.message} Fix the answer cell and run it again.")
