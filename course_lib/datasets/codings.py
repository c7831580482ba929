"""Dated codings of the intentions table: one coding, with what it keeps from earlier ones.

The intentions table (``intentions.csv``) holds several dated codings, oldest first as in
:data:`~course_lib.datasets.schema.INTENTION_CODINGS`. A later coding lists only the dyads it
recodes; :func:`intentions_as_of` rebuilds the full table as of one coding.

Examples
--------
>>> table = pd.DataFrame({"observer": ["AAA", "AAA"], "source": ["BBB", "BBB"],
...                       "coding": ["2023", "2026-12"], "score": [0.2, 0.9]})
>>> intentions_as_of(table, "2026-12")["score"].tolist()
[0.9]
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from course_lib import _validate
from course_lib.datasets.schema import INTENTION_CODINGS

__all__ = ["intentions_as_of"]


def intentions_as_of(table: pd.DataFrame, coding: str) -> pd.DataFrame:
    """One dated coding of an intentions table: its own rows and what it keeps from before.

    Codings are ordered as in :data:`~course_lib.datasets.INTENTION_CODINGS`. A coding lists
    only the dyads it (re)codes; every dyad it does not list keeps its row from the latest
    earlier coding. So ``"2026-12"`` is the 2023 table with the dyads recoded in 2026 replaced
    (or added).

    Parameters
    ----------
    table : pandas.DataFrame
        An intentions table with at least the columns ``observer``, ``source`` and ``coding``
        (e.g. ``load_intentions(coding=None)``, or your own table in the same format).
    coding : {"2023", "2026-12"}
        The coding to return.

    Returns
    -------
    pandas.DataFrame
        A new frame with one row per (observer, source) dyad and the columns of ``table``, in
        the order of each dyad's first row in ``table``; ``coding`` says which coding each row
        comes from.

    Raises
    ------
    ValueError
        If ``coding`` is not one of :data:`~course_lib.datasets.INTENTION_CODINGS`, ``table``
        lacks a column, holds a coding that is not one of them, or codes the same dyad twice
        within one coding.

    Examples
    --------
    >>> table = pd.DataFrame({"observer": ["AAA", "AAA", "AAA"], "source": ["BBB", "CCC", "BBB"],
    ...                       "coding": ["2023", "2023", "2026-12"], "score": [0.2, 0.5, 0.9]})
    >>> intentions_as_of(table, "2026-12")
      observer source   coding  score
    0      AAA    BBB  2026-12    0.9
    1      AAA    CCC     2023    0.5
    >>> intentions_as_of(table, "2023")["score"].tolist()
    [0.2, 0.5]
    """
    return _coding_rows(table, coding, "table")


def _coding_rows(table: Any, coding: Any, argument: str) -> pd.DataFrame:
    """:func:`intentions_as_of`, naming the caller's argument in every error message."""
    coding = _validate.choice(coding, "coding", INTENTION_CODINGS)
    table = _validate.dataframe(table, argument, ["observer", "source", "coding"])
    position = {name: i for i, name in enumerate(INTENTION_CODINGS)}
    stored = table["coding"].tolist()
    unknown = [c for c in stored if not isinstance(c, str) or c not in position]
    if unknown:
        raise ValueError(f"{argument}['coding'] must hold codings from {list(INTENTION_CODINGS)}, "
                         f"got {_validate.shown(unknown[0])} (give every row you add a coding, "
                         f"e.g. '{INTENTION_CODINGS[0]}')")
    dyads = list(zip(table["observer"].tolist(), table["source"].tolist(), strict=True))
    seen: set[tuple[Any, Any, str]] = set()
    for (observer, source), code in zip(dyads, stored, strict=True):
        if (observer, source, code) in seen:
            raise ValueError(f"{argument} must code each dyad once per coding, got two rows for "
                             f"{observer}->{source} in coding {code!r}")
        seen.add((observer, source, code))
    chosen: dict[tuple[Any, Any], int] = {}
    for row, (dyad, code) in enumerate(zip(dyads, stored, strict=True)):
        if position[code] > position[coding]:
            continue
        current = chosen.get(dyad)
        if current is None or position[code] > position[stored[current]]:
            chosen[dyad] = row
    first = {}
    for row, dyad in enumerate(dyads):
        first.setdefault(dyad, row)
    rows = sorted(chosen.values(), key=lambda r: first[dyads[r]])
    return table.iloc[rows].reset_index(drop=True).copy(deep=True)
