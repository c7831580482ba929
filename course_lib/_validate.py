"""One set of argument rules for every public function of ``course_lib``.

Each rule returns the checked value (converted to a plain Python or NumPy type) or raises
``ValueError`` with a one-line message that names the argument, says what is allowed and shows
what was given, e.g. ``"threat must be a finite number in [0, 1], got nan"``. Bad input never
ends in a raw ``TypeError``, ``AttributeError`` or ``KeyError``.

The rules, once for the whole package. **Numbers** are real numbers only (``int``, ``float``,
NumPy integers and floats): strings (``"0.5"``), ``None`` and bools are refused, so a typo
never becomes a number. **Ranges** (:func:`finite_in`, :func:`unit_interval`, :func:`positive`)
refuse NaN and infinities. **Integers** (:func:`integer`, :func:`seed`) refuse ``2.0`` and
``True``. **Choices** are exact strings. **Flags** (:func:`flag`) are ``True``/``False`` only:
``"False"``, ``"no"``, ``0``, ``0.5`` and NaN are refused. **State codes** (:func:`state_code`)
are exact upper-case ISO3 codes of the states table; **code lists** (:func:`code_list`) hold
distinct codes, and a bare ``str`` is refused, never split into letters. **Arrays**
(:func:`number_array`, :func:`bool_array`) follow the same rules element by element.

Why state codes are **not** normalised. ``"isr"`` and ``" ISR "`` are refused with a hint
(``did you mean 'ISR'?``) instead of being upper-cased and stripped. Codes are the index of
every table the library returns; a function that quietly accepted ``"isr"`` would hand back
tables indexed ``"ISR"``, and the student's next ``table.loc["isr"]`` would fail far from the
cause. One exact spelling everywhere keeps inputs and outputs the same, and the hint makes the
fix a one-character edit.

It imports only NumPy and pandas; callers pass the allowed codes in (by default
``course_lib.datasets.state_codes()``), so every layer may use it.

Examples
--------
>>> unit_interval(0.25, "threat")
0.25
>>> unit_interval("0.5", "threat")
Traceback (most recent call last):
...
ValueError: threat must be a finite number in [0, 1], got '0.5'
>>> state_code("isr", "observer", ("ISR", "IRN"))  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
ValueError: observer must be one of the 2 ISO3 codes ... got 'isr'; did you mean 'ISR'?
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "bool_array", "choice", "code_list", "dataframe", "finite_in", "flag", "integer", "interval",
    "is_number", "number_array", "positive", "seed", "shown", "state_code", "unit_interval",
]


def shown(value: Any) -> str:
    """How a bad value appears in a message: numbers plainly, everything else by ``repr``.

    Examples
    --------
    >>> shown(1.0), shown(-1), shown(float("nan")), shown(np.float64(0.5)), shown("0.5")
    ('1', '-1', 'nan', '0.5', "'0.5'")
    """
    if is_number(value):
        number = _as_float(value)
        if math.isfinite(number) and number == int(number) and abs(number) < 1e15:
            return str(int(number))
        return repr(value) if isinstance(value, int | np.integer) else repr(number)
    if isinstance(value, np.generic):  # np.str_, np.bool_: shown as the plain Python value
        return repr(value.item())
    return repr(value)


def is_number(value: Any) -> bool:
    """Whether ``value`` is a real number (int, float, NumPy number) and not a bool.

    Examples
    --------
    >>> is_number(3), is_number(np.float32(0.5)), is_number(True), is_number("1")
    (True, True, False, False)
    """
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_
    )


def _as_float(value: Any) -> float:
    """``float(value)`` for a real number; a Python int too large for a float gives +-inf."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def interval(low: float, high: float, *, low_open: bool = False, high_open: bool = False) -> str:
    """The interval as written in messages, e.g. ``[0, 1]`` or ``(0, inf)``.

    Examples
    --------
    >>> interval(0, math.inf, high_open=True)
    '[0, inf)'
    """
    return f"{'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"


def _outside(number: float, low: float, high: float, low_open: bool, high_open: bool) -> bool:
    return (number <= low if low_open else number < low) or (
        number >= high if high_open else number > high)


def finite_in(
    value: Any,
    argument: str,
    low: float = -math.inf,
    high: float = math.inf,
    *,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """Return ``value`` as a float if it is a finite real number in the interval.

    Examples
    --------
    >>> finite_in(2, "lambda_km", 0, math.inf, low_open=True, high_open=True)
    2.0
    >>> finite_in(True, "eps", 0, 1, low_open=True, high_open=True)
    Traceback (most recent call last):
    ...
    ValueError: eps must be a finite number in (0, 1), got True
    """
    if is_number(value):
        number = _as_float(value)
        if math.isfinite(number) and not _outside(number, low, high, low_open, high_open):
            return number
    where = interval(low, high, low_open=low_open, high_open=high_open)
    raise ValueError(f"{argument} must be a finite number in {where}, got {shown(value)}")


def unit_interval(value: Any, argument: str) -> float:
    """Return ``value`` as a float in [0, 1] (see :func:`finite_in`).

    Examples
    --------
    >>> unit_interval(np.float64(1.0), "resolve")
    1.0
    """
    return finite_in(value, argument, 0.0, 1.0)


def positive(value: Any, argument: str) -> float:
    """Return ``value`` as a float in (0, inf) (see :func:`finite_in`).

    Examples
    --------
    >>> positive(0, "miles_per_day")
    Traceback (most recent call last):
    ...
    ValueError: miles_per_day must be a finite number in (0, inf), got 0
    """
    return finite_in(value, argument, 0.0, math.inf, low_open=True, high_open=True)


def integer(value: Any, argument: str, low: int | None = None, high: int | None = None) -> int:
    """Return ``value`` as an int if it is an integer (not a bool, not ``2.0``) within bounds.

    Examples
    --------
    >>> integer(np.int64(7), "top", 1, 30)
    7
    >>> integer(0, "n_draws", 1)
    Traceback (most recent call last):
    ...
    ValueError: n_draws must be an integer >= 1, got 0
    """
    ok = isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_)
    if ok and (low is None or value >= low) and (high is None or value <= high):
        return int(value)
    bounds = (f" in [{low}, {high}]" if low is not None and high is not None
              else f" >= {low}" if low is not None else f" <= {high}" if high is not None else "")
    raise ValueError(f"{argument} must be an integer{bounds}, got {shown(value)}")


def seed(value: Any, argument: str = "seed") -> int:
    """Return a random seed: an integer >= 0.

    Examples
    --------
    >>> seed(-1)
    Traceback (most recent call last):
    ...
    ValueError: seed must be an integer >= 0, got -1
    """
    return integer(value, argument, 0)


def choice(value: Any, argument: str, allowed: Sequence[str]) -> str:
    """Return ``value`` if it is exactly one of the ``allowed`` strings.

    Examples
    --------
    >>> choice("Additive", "method", ("additive", "geometric"))
    Traceback (most recent call last):
    ...
    ValueError: method must be one of ['additive', 'geometric'], got 'Additive'
    """
    if isinstance(value, str) and value in allowed:
        return str(value)
    raise ValueError(f"{argument} must be one of {list(allowed)}, got {shown(value)}")


def flag(value: Any, argument: str) -> bool:
    """Return ``value`` as a bool if it is ``True``/``False`` or a NumPy bool.

    Examples
    --------
    >>> flag(np.bool_(True), "contiguity")
    True
    >>> flag("no", "partner_available")
    Traceback (most recent call last):
    ...
    ValueError: partner_available must be True or False, got 'no'
    """
    if isinstance(value, bool | np.bool_):
        return bool(value)
    raise ValueError(f"{argument} must be True or False, got {shown(value)}")


def _suggestion(value: Any, codes: Collection[str]) -> str:
    if isinstance(value, str):
        guess = value.strip().upper()
        if guess != value and guess in codes:
            return f"; did you mean {guess!r}?"
    return ""


def state_code(value: Any, argument: str, codes: Collection[str]) -> str:
    """Return ``value`` if it is exactly one of ``codes`` (upper-case ISO3; not normalised).

    Examples
    --------
    >>> state_code("IRN", "source", ["ISR", "IRN"])
    'IRN'
    >>> state_code(376, "source", ["ISR", "IRN"])
    Traceback (most recent call last):
    ...
    ValueError: source must be one of the 2 ISO3 codes in the states table (e.g. 'ISR'), got 376
    """
    if isinstance(value, str) and value in codes:
        return str(value)
    listed = list(codes)
    example = "ISR" if "ISR" in codes else (str(listed[0]) if listed else "ISR")
    raise ValueError(
        f"{argument} must be one of the {len(listed)} ISO3 codes in the states table "
        f"(e.g. {example!r}), got {shown(value)}{_suggestion(value, codes)}"
    )


def code_list(values: Any, argument: str, codes: Collection[str]) -> list[str]:
    """Return ``values`` as a non-empty list of distinct state codes; a bare ``str`` is refused.

    Examples
    --------
    >>> code_list(("IRN", "ISR"), "sources", ["ISR", "IRN"])
    ['IRN', 'ISR']
    >>> code_list("IRN", "sources", ["ISR", "IRN"])
    Traceback (most recent call last):
    ...
    ValueError: sources must be a list of ISO3 codes such as ['IRN'], got the string 'IRN'
    >>> code_list(["IRN", "IRN"], "sources", ["ISR", "IRN"])
    Traceback (most recent call last):
    ...
    ValueError: sources must not repeat a code, got 'IRN' twice
    """
    if isinstance(values, str | bytes):
        raise ValueError(f"{argument} must be a list of ISO3 codes such as [{str(values)!r}], "
                         f"got the string {values!r}")
    if isinstance(values, Mapping) or not isinstance(values, Iterable):
        raise ValueError(f"{argument} must be a list of ISO3 codes, got {shown(values)}")
    items = list(values)
    if not items:
        raise ValueError(f"{argument} must be a non-empty list of ISO3 codes in the states "
                         "table, got an empty list")
    out = [state_code(v, argument, codes) for v in items]
    for code in out:
        if out.count(code) > 1:
            raise ValueError(f"{argument} must not repeat a code, got {code!r} twice")
    return out


def _as_array(value: Any, argument: str, what: str) -> np.ndarray:
    """``numpy.asarray`` that reports ragged or odd input as a ``ValueError``."""
    if isinstance(value, str | bytes | Mapping) or value is None:
        raise ValueError(f"{argument} must be {what}, got {shown(value)}")
    try:
        arr = np.asarray(value)
        # Mixed lists such as [0.5, "1"] become all-text arrays: look at the items themselves.
        return arr if arr.dtype.kind in "biufc" else np.asarray(value, dtype=object)
    except (TypeError, ValueError):
        raise ValueError(f"{argument} must be {what}, got {shown(value)}") from None


def _first_bad(arr: np.ndarray, bad: np.ndarray) -> tuple[Any, str]:
    """The first flagged element and, for arrays, where it is."""
    position = tuple(int(p) for p in np.argwhere(bad)[0])
    if arr.ndim == 0:
        return arr[()], ""
    return arr[position], f" at position {position[0] if arr.ndim == 1 else position}"


def number_array(
    value: Any,
    argument: str,
    low: float = -math.inf,
    high: float = math.inf,
    *,
    low_open: bool = False,
    high_open: bool = False,
    allow_nan: bool = False,
) -> np.ndarray:
    """Return ``value`` as a float array whose every element obeys the number rules.

    ``allow_nan=True`` lets NaN (and ``None``) stand for a missing figure.

    Examples
    --------
    >>> number_array([0.5, 1], "threat_values", 0, 1)
    array([0.5, 1. ])
    >>> number_array([0.5, "1"], "threat_values", 0, 1)
    Traceback (most recent call last):
    ...
    ValueError: threat_values must contain finite numbers in [0, 1], got '1' at position 1
    """
    where = interval(low, high, low_open=low_open, high_open=high_open)
    arr = _as_array(value, argument, f"a number or an array of numbers in {where}")
    rule = "be a finite number" if arr.ndim == 0 else "contain finite numbers"
    where += " (or NaN for missing)" if allow_nan else ""
    if arr.dtype.kind in "iuf":
        numbers = arr.astype(float)
    else:  # object arrays: every item must itself be a number (or a missing value)
        flat = [is_number(v) or (allow_nan and (v is None or v is pd.NA)) for v in arr.ravel()]
        wrong = ~np.array(flat, dtype=bool).reshape(arr.shape)
        if wrong.any():
            bad, at = _first_bad(arr, wrong)
            raise ValueError(f"{argument} must {rule} in {where}, got {shown(bad)}{at}")
        numbers = np.array([np.nan if v is None or v is pd.NA else _as_float(v)
                            for v in arr.ravel()], dtype=float).reshape(arr.shape)
    missing = np.isnan(numbers) if allow_nan else np.zeros(numbers.shape, dtype=bool)
    with np.errstate(invalid="ignore"):
        out = ~np.isfinite(numbers) | (numbers <= low if low_open else numbers < low) | (
            numbers >= high if high_open else numbers > high)
    wrong = out & ~missing
    if wrong.any():
        bad, at = _first_bad(numbers, wrong)
        raise ValueError(f"{argument} must {rule} in {where}, got {shown(bad)}{at}")
    return numbers


def bool_array(value: Any, argument: str) -> np.ndarray:
    """Return ``value`` as a bool array if every element is ``True``/``False`` (or NumPy bool).

    Examples
    --------
    >>> bool_array([True, np.bool_(False)], "nuclear_armed")
    array([ True, False])
    >>> bool_array([True, "False"], "nuclear_armed")
    Traceback (most recent call last):
    ...
    ValueError: nuclear_armed must contain only True or False, got 'False' at position 1
    """
    arr = _as_array(value, argument, "True/False or an array of them")
    if arr.dtype.kind != "b":
        wrong = np.array([not isinstance(v, bool | np.bool_) for v in arr.ravel()],
                         dtype=bool).reshape(arr.shape)
        if wrong.any():
            bad, at = _first_bad(arr, wrong)
            raise ValueError(f"{argument} must contain only True or False, got {shown(bad)}{at}")
    return arr.astype(bool)


def dataframe(value: Any, argument: str, columns: Sequence[str] = ()) -> pd.DataFrame:
    """Return ``value`` if it is a pandas DataFrame with all of ``columns``.

    Examples
    --------
    >>> dataframe([1, 2], "states")
    Traceback (most recent call last):
    ...
    ValueError: states must be a pandas DataFrame, got list
    >>> dataframe(pd.DataFrame({"lat": [0.0]}), "states", ["lat", "lon"])
    Traceback (most recent call last):
    ...
    ValueError: states must have columns ['lat', 'lon'], missing ['lon']
    """
    if not isinstance(value, pd.DataFrame):
        raise ValueError(f"{argument} must be a pandas DataFrame, got {type(value).__name__}")
    missing = [c for c in columns if c not in value.columns]
    if missing:
        raise ValueError(f"{argument} must have columns {list(columns)}, missing {missing}")
    return value
