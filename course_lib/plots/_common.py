"""Small helpers shared by the figure modules: argument checks and text formatting.

Examples
--------
>>> fmt(0.4567), fmt(float("nan")), observer_label("ISR", "Israel")
('0.46', 'n/a', 'Israel (ISR)')
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import pandas as pd

from course_lib import _validate

__all__ = ["fmt", "check_table", "check_top", "check_codes", "source_labels", "observer_label"]


def fmt(x: float | None, digits: int = 2) -> str:
    """Format a number for alt text (``'n/a'`` when missing).

    Examples
    --------
    >>> fmt(1.0, 1), fmt(None)
    ('1.0', 'n/a')
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return f"{x:.{digits}f}"


def check_table(table: pd.DataFrame, columns: Iterable[str], argname: str) -> None:
    """Raise ``ValueError`` naming ``argname`` unless ``table`` has every column.

    Examples
    --------
    >>> check_table(pd.DataFrame({"a": [1]}), ["a", "b"], "states")
    Traceback (most recent call last):
    ...
    ValueError: states must have the columns ['a', 'b'], missing ['b']
    """
    columns = list(columns)
    if not isinstance(table, pd.DataFrame):
        raise ValueError(f"{argname} must be a pandas DataFrame with the columns "
                         f"{sorted(columns)}, got {type(table).__name__}")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"{argname} must have the columns {sorted(columns)}, missing {missing}")


def check_top(top: object) -> int:
    """Return ``top`` if it is an integer in [1, 30], else raise ``ValueError``.

    Examples
    --------
    >>> check_top(8)
    8
    >>> check_top(True)
    Traceback (most recent call last):
    ...
    ValueError: top must be an integer in [1, 30], got True
    """
    return _validate.integer(top, "top", 1, 30)


def check_codes(codes: Sequence[str], states: pd.DataFrame) -> list[str]:
    """Return ``codes`` as a list of 1 to 30 ISO3 codes of ``states``, else raise ``ValueError``.

    A single string is refused rather than split into letters.

    Examples
    --------
    >>> states = pd.DataFrame({"name": ["Israel"]}, index=["ISR"])
    >>> check_codes(("ISR",), states)
    ['ISR']
    >>> check_codes("ISR", states)
    Traceback (most recent call last):
    ...
    ValueError: codes must be a list of ISO3 codes such as ['ISR'], got the string 'ISR'
    """
    codes = _validate.code_list(codes, "codes", states.index)
    if len(codes) > 30:
        raise ValueError(f"codes must hold between 1 and 30 ISO3 codes, got {len(codes)}")
    return codes


def source_labels(ranked: pd.DataFrame) -> list[str]:
    """``"Name (CODE)"`` per row of a ranked table (the code alone without a name column).

    Examples
    --------
    >>> source_labels(pd.DataFrame({"name": ["Iran"]}, index=["IRN"]))
    ['Iran (IRN)']
    """
    names = ranked["name"] if "name" in ranked else ranked.index
    return [f"{n} ({c})" for c, n in zip(ranked.index, names, strict=True)]


def observer_label(observer: str, observer_name: str | None) -> str:
    """``"Name (CODE)"`` when a display name is given, else the code.

    Examples
    --------
    >>> observer_label("ISR", None)
    'ISR'
    """
    return f"{observer_name} ({observer})" if observer_name else observer
