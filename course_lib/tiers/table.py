"""The tier table: conversion, checking (``check_tier_table``) and its envelope.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from course_lib.tiers.parameters import (
    COST_INPUTS,
    DEFAULT_WEIGHTS,
    TIERS,
    CostWeights,
    Tier,
    _is_real,
)

__all__ = ['TierTableReport', 'check_tier_table', 'tier_table']

# ---------------------------------------------------------------------------------------------
# Validation helpers
# ---------------------------------------------------------------------------------------------


def _weights(weights: Any) -> tuple[float, float, float]:
    """Validate ``weights`` (None, CostWeights or a mapping) and return normalised weights."""
    if weights is None:
        return DEFAULT_WEIGHTS.normalised()
    if isinstance(weights, CostWeights):
        return weights.normalised()
    if isinstance(weights, Mapping):
        unknown = sorted(set(map(str, weights)) - set(COST_INPUTS))
        if unknown:
            raise ValueError(
                f"weights has unknown keys {unknown}; allowed keys are {list(COST_INPUTS)}"
            )
        missing = [name for name in COST_INPUTS if name not in weights]
        if missing:
            raise ValueError(
                f"weights must give all of {list(COST_INPUTS)} (finite numbers >= 0), "
                f"missing {missing}"
            )
        return CostWeights(**{name: weights[name] for name in COST_INPUTS}).normalised()
    raise ValueError(
        "weights must be None, a CostWeights or a mapping with keys "
        f"{list(COST_INPUTS)} (finite numbers >= 0, not all zero), got {weights!r}"
    )


# ---------------------------------------------------------------------------------------------
# The tier table: conversion, checking, envelope
# ---------------------------------------------------------------------------------------------

_TABLE_COLUMNS = ("key", "label", "security", "cost")


@dataclass(frozen=True)
class _Ladder:
    """Validated tier table plus the tiers that can be chosen (upper envelope)."""

    tiers: tuple[Tier, ...]
    neighbour_breakpoints: tuple[float, ...]
    choosable: tuple[int, ...]  # positions in ``tiers``, shallow to deep
    breaks: tuple[float, ...]  # breakpoints between consecutive choosable tiers

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(t.key for t in self.tiers)

    def level(self, ratio: float) -> int:
        """Position in ``choosable`` for ``ratio`` (strictly above a breakpoint to go deeper)."""
        return int(np.searchsorted(np.asarray(self.breaks, dtype=float), ratio, side="left"))


def _text(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def _tiers_from(table: Any) -> tuple[Tier, ...]:
    if table is None:
        return TIERS
    if isinstance(table, pd.DataFrame):
        missing = [c for c in _TABLE_COLUMNS if c not in table.columns]
        if missing:
            raise ValueError(
                f"table must have columns {list(_TABLE_COLUMNS)} (description and example are "
                f"optional); missing {missing}"
            )
        rows = []
        for record in table.to_dict("records"):
            rows.append(
                Tier(
                    key=record["key"],
                    label=record["label"],
                    security=record["security"],
                    cost=record["cost"],
                    description=_text(record.get("description")),
                    example=_text(record.get("example")),
                )
            )
        return tuple(rows)
    if isinstance(table, Sequence) and not isinstance(table, str):
        if not all(isinstance(t, Tier) for t in table):
            raise ValueError(
                "table must be None, a DataFrame with columns key, label, security, cost, or a "
                "sequence of Tier objects"
            )
        return tuple(table)
    raise ValueError(
        "table must be None, a DataFrame with columns key, label, security, cost, or a sequence "
        f"of Tier objects, got {type(table).__name__}"
    )


def _slope(s: Sequence[float], c: Sequence[float], i: int, j: int) -> float:
    """Breakpoint between tiers i and j, rounded to 12 decimals.

    Rounding removes binary floating-point noise, so that the default table's breakpoints are
    exactly 0.5, 1.0 and 1.2 (``(0.4 - 0.1) / (0.5 - 0.2)`` is 1.0000000000000002 unrounded)
    and an exact tie at a breakpoint really goes to the shallower tier.
    """
    return round((c[j] - c[i]) / (s[j] - s[i]), 12)


def _ladder(table: Any) -> _Ladder:
    tiers = _tiers_from(table)
    if len(tiers) < 2:
        raise ValueError(f"table must have at least 2 tiers, got {len(tiers)}")
    keys = [t.key for t in tiers]
    for t in tiers:
        if not isinstance(t.key, str) or not t.key:
            raise ValueError(f"table keys must be non-empty strings, got {t.key!r}")
    if len(set(keys)) != len(keys):
        raise ValueError(f"table keys must be unique, got {keys}")
    for t in tiers:
        for attr in ("security", "cost"):
            value = getattr(t, attr)
            if not _is_real(value) or not math.isfinite(value) or not 0.0 <= value <= 1.0:
                raise ValueError(
                    f"table {attr} of tier '{t.key}' must be a finite number in [0, 1], "
                    f"got {value!r}"
                )
    if tiers[0].security != 0 or tiers[0].cost != 0:
        raise ValueError(
            f"table's first tier must be (security 0, cost 0) -- the 'no alignment' baseline; "
            f"got ({tiers[0].security}, {tiers[0].cost}) for '{tiers[0].key}'"
        )
    for lo, hi in zip(tiers, tiers[1:], strict=False):
        if not hi.security > lo.security or not hi.cost > lo.cost:
            raise ValueError(
                "table security and cost must both be strictly ascending from shallow to deep "
                f"tier; '{hi.key}' ({hi.security}, {hi.cost}) does not exceed '{lo.key}' "
                f"({lo.security}, {lo.cost})"
            )
    s = [float(t.security) for t in tiers]
    c = [float(t.cost) for t in tiers]
    neighbour = tuple(_slope(s, c, i, i + 1) for i in range(len(tiers) - 1))
    # Upper envelope of the lines u_k(R) = R*s_k - c_k, walked from R = 0 upward.
    choosable = [0]
    breaks: list[float] = []
    current = 0
    while current < len(tiers) - 1:
        slopes = [_slope(s, c, current, j) for j in range(current + 1, len(tiers))]
        best = min(slopes)
        # Among tiers reached at the same breakpoint, the deepest wins just above it.
        nxt = current + 1 + max(i for i, b in enumerate(slopes) if b == best)
        choosable.append(nxt)
        breaks.append(best)
        current = nxt
    return _Ladder(tuple(tiers), neighbour, tuple(choosable), tuple(breaks))


@dataclass(frozen=True)
class TierTableReport:
    """Result of :func:`check_tier_table`.

    Attributes
    ----------
    keys : tuple of str
        Tier keys, shallow to deep.
    neighbour_breakpoints : tuple of float
        ``(c_{k+1} - c_k) / (s_{k+1} - s_k)`` for each pair of neighbouring tiers.
    choosable : tuple of str
        Tiers that are chosen for some ratio ``R``.
    dominated : tuple of str
        Tiers that are never chosen, whatever ``R`` is.
    bands : dict
        For each choosable tier, the interval ``(low, high]`` of ``R`` in which it is chosen
        (the first tier's band includes 0; the last tier's ``high`` is ``inf``).
    """

    keys: tuple[str, ...]
    neighbour_breakpoints: tuple[float, ...]
    choosable: tuple[str, ...]
    dominated: tuple[str, ...]
    bands: dict[str, tuple[float, float]]

    @property
    def convex(self) -> bool:
        """True when the neighbour breakpoints increase, so that every tier can be chosen."""
        return not self.dominated

    def messages(self) -> list[str]:
        """Plain-English findings, one sentence each."""
        out = []
        pairs = zip(self.keys, self.keys[1:], self.neighbour_breakpoints, strict=False)
        for lo, hi, b in pairs:
            out.append(f"'{hi}' beats '{lo}' when R = N/K exceeds {b:.3g}.")
        if self.dominated:
            out.append(
                "Breakpoints do not increase, so these tiers can never be chosen: "
                + ", ".join(f"'{k}'" for k in self.dominated)
                + "."
            )
        else:
            out.append("Breakpoints increase, so every tier is chosen for some R.")
        return out


def check_tier_table(table: Any = None) -> TierTableReport:
    """Validate a tier table and report which tiers can ever be chosen.

    Parameters
    ----------
    table : None, pandas.DataFrame or sequence of Tier
        ``None`` for the default table. A DataFrame needs columns ``key``, ``label``,
        ``security``, ``cost``.

    Returns
    -------
    TierTableReport

    Raises
    ------
    ValueError
        If the table is of an unknown kind, has fewer than 2 tiers, duplicate keys, values
        outside [0, 1], a first tier other than (0, 0), or security/cost not strictly ascending.

    Examples
    --------
    >>> report = check_tier_table()
    >>> report.neighbour_breakpoints
    (0.5, 1.0, 1.2)
    >>> report.dominated
    ()
    >>> bad = tier_table()
    >>> bad.loc[2, "cost"] = 0.55        # partnership now costs too much for what it gives
    >>> check_tier_table(bad).dominated
    ('partnership',)
    """
    lad = _ladder(table)
    keys = lad.keys
    choosable = tuple(keys[i] for i in lad.choosable)
    lows = (0.0, *lad.breaks)
    highs = (*lad.breaks, math.inf)
    bands = {k: (lo, hi) for k, lo, hi in zip(choosable, lows, highs, strict=True)}
    return TierTableReport(
        keys=keys,
        neighbour_breakpoints=lad.neighbour_breakpoints,
        choosable=choosable,
        dominated=tuple(k for k in keys if k not in choosable),
        bands=bands,
    )


def tier_table(table: Any = None) -> pd.DataFrame:
    """Return the tier table as a new DataFrame (a copy: editing it changes nothing here).

    Parameters
    ----------
    table : None, pandas.DataFrame or sequence of Tier
        ``None`` for the default table :data:`TIERS`; anything else is validated first.

    Returns
    -------
    pandas.DataFrame
        Columns ``key, label, security, cost, description, example`` in tier order (row
        position = tier index used by :func:`decision_grid`).

    Examples
    --------
    >>> tier_table()[["key", "security", "cost"]]
               key  security  cost
    0         none       0.0   0.0
    1       ad_hoc       0.2   0.1
    2  partnership       0.5   0.4
    3     alliance       1.0   1.0
    """
    lad = _ladder(table)
    return pd.DataFrame(
        {
            "key": [t.key for t in lad.tiers],
            "label": [t.label for t in lad.tiers],
            "security": [float(t.security) for t in lad.tiers],
            "cost": [float(t.cost) for t in lad.tiers],
            "description": [t.description for t in lad.tiers],
            "example": [t.example for t in lad.tiers],
        }
    )


