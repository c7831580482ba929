"""Aggregation: weights, threat scores, breakdowns and ranked threat tables.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from course_lib import _validate
from course_lib.threat.constants import AGGREGATIONS, DEFAULT_WEIGHTS, FACTORS
from course_lib.threat.tables import threat_factors

__all__ = ['threat_breakdown', 'threat_score', 'threat_to']

# --------------------------------------------------------------------------------------------
# aggregation
# --------------------------------------------------------------------------------------------


def _weight_vector(weights: Mapping[str, float] | Sequence[float] | None) -> np.ndarray:
    """Validate weights and return them normalised to sum 1, in FACTORS order."""
    if weights is None:
        weights = DEFAULT_WEIGHTS
    if isinstance(weights, str | bytes):
        raise ValueError(
            f"weights must be a mapping {{factor: weight}} or {len(FACTORS)} numbers in the order "
            f"{list(FACTORS)}, got {weights!r}"
        )
    if isinstance(weights, Mapping):
        unknown = [k for k in weights if k not in FACTORS]
        if unknown:
            raise ValueError(f"weights keys must be among {list(FACTORS)}, got unknown {unknown}")
        missing = [k for k in FACTORS if k not in weights]
        if missing:
            raise ValueError(f"weights must give all of {list(FACTORS)}, missing {missing}")
        values = [weights[k] for k in FACTORS]
    else:
        try:
            values = list(weights)
        except TypeError:
            raise ValueError(
                f"weights must be a mapping {{factor: weight}} or {len(FACTORS)} numbers in the "
                f"order {list(FACTORS)}, got {_validate.shown(weights)}"
            ) from None
        if len(values) != len(FACTORS):
            raise ValueError(
                f"weights must have {len(FACTORS)} values (order {list(FACTORS)}), "
                f"got {len(values)}"
            )
    vector = np.array(
        [
            _validate.finite_in(v, f"weights[{name!r}]", 0.0, math.inf, high_open=True)
            for name, v in zip(FACTORS, values, strict=True)
        ]
    )
    total = vector.sum()
    if total <= 0:
        raise ValueError("weights must not all be zero: at least one weight must be > 0")
    return vector / total


def _factor_matrix(factors: Mapping[str, float] | pd.DataFrame) -> tuple[np.ndarray, Any]:
    """Validate factors; return an (n, 4) array and the index (None for a mapping)."""
    if isinstance(factors, pd.DataFrame):
        missing = [k for k in FACTORS if k not in factors.columns]
        if missing:
            raise ValueError(f"factors must have columns {list(FACTORS)}, missing {missing}")
        matrix = np.column_stack([
            _validate.number_array(factors[k].to_numpy(), f"factors[{k!r}]", 0.0, 1.0)
            for k in FACTORS
        ]) if len(factors) else np.empty((0, len(FACTORS)))
        index = factors.index
    elif isinstance(factors, Mapping):
        unknown = [k for k in factors if k not in FACTORS]
        if unknown:
            raise ValueError(f"factors keys must be among {list(FACTORS)}, got unknown {unknown}")
        missing = [k for k in FACTORS if k not in factors]
        if missing:
            raise ValueError(f"factors must give all of {list(FACTORS)}, missing {missing}")
        matrix = np.array(
            [[_validate.unit_interval(factors[k], f"factors[{k!r}]") for k in FACTORS]]
        )
        index = None
    else:
        raise ValueError(
            f"factors must be a mapping or a DataFrame with {list(FACTORS)}, "
            f"got {type(factors).__name__}"
        )
    return matrix, index


def _check_eps(eps: Any) -> float:
    return _validate.finite_in(eps, "eps", 0.0, 1.0, low_open=True, high_open=True)


def _aggregation(method: Any, eps: Any, weights: Any) -> tuple[str, float, np.ndarray]:
    """Check the aggregation keywords shared by the scoring functions."""
    return (
        _validate.choice(method, "method", AGGREGATIONS),
        _check_eps(eps),
        _weight_vector(weights),
    )


def _scores(matrix: np.ndarray, w: np.ndarray, method: str, eps: float) -> np.ndarray:
    """Scores for an (n, 4) factor matrix and (4,) or (4, m) normalised weights."""
    if method == "additive":
        return matrix @ w
    return np.exp(np.log(np.maximum(matrix, eps)) @ w)


def threat_score(
    factors: Mapping[str, float] | pd.DataFrame,
    weights: Mapping[str, float] | Sequence[float] | None = None,
    method: str = "additive",
    eps: float = 1e-3,
) -> float | pd.Series:
    """Combine the four factors into one threat score in [0, 1].

    ``"additive"``: ``T = sum_k w_k f_k / sum_k w_k`` (compensatory).
    ``"geometric"``: ``T = prod_k max(f_k, eps) ** (w_k / sum_k w_k)`` (non-compensatory; the
    floor ``eps`` keeps a zero factor from making the logarithm undefined, so a zero factor
    gives a small but positive score).

    Parameters
    ----------
    factors : mapping or pandas.DataFrame
        A mapping with exactly the keys in :data:`FACTORS`, or a DataFrame with those columns
        (other columns are ignored). Every value finite and in [0, 1].
    weights : mapping or sequence of 4 floats, optional
        Non-negative weights, not all zero; a mapping must name all four factors, a sequence
        follows the order of :data:`FACTORS`. Default :data:`DEFAULT_WEIGHTS` (equal).
    method : {"additive", "geometric"}
        Aggregation, see :data:`AGGREGATIONS`.
    eps : float, default 1e-3
        Floor for the geometric method, in (0, 1).

    Returns
    -------
    float or pandas.Series
        A float for a mapping; a Series named ``"threat"`` for a DataFrame.

    Raises
    ------
    ValueError
        For NaN or out-of-range factors, unknown or missing factor names, negative or all-zero
        weights, an unknown method or a bad ``eps``.

    Examples
    --------
    >>> f = {"power": 0.8, "proximity": 0.9, "capability": 0.7, "intent": 0.0}
    >>> threat_score(f)
    0.6
    >>> round(threat_score(f, method="geometric"), 4)  # no intent: almost no threat
    0.1498
    >>> threat_score(f, weights={"power": 0, "proximity": 0, "capability": 0, "intent": 1})
    0.0
    """
    method, floor, w = _aggregation(method, eps, weights)
    matrix, index = _factor_matrix(factors)
    result = _scores(matrix, w, method, floor)
    if index is None:
        return float(result[0])
    return pd.Series(result, index=index, name="threat")


def threat_breakdown(
    factors: Mapping[str, float] | pd.DataFrame,
    weights: Mapping[str, float] | Sequence[float] | None = None,
    method: str = "additive",
    eps: float = 1e-3,
) -> pd.Series | pd.DataFrame:
    """Per-factor contributions to the threat score.

    ``"additive"``: contribution ``w_k f_k / sum w``; the contributions add up to the score.
    ``"geometric"``: log contribution ``(w_k / sum w) * ln(max(f_k, eps))``, which is <= 0 and
    says how far factor k pulls the score down from 1; the contributions add up to
    ``ln(score)``. The column ``threat`` holds the score itself in both cases.

    Parameters
    ----------
    factors, weights, method, eps
        As for :func:`threat_score`.

    Returns
    -------
    pandas.Series or pandas.DataFrame
        A Series (index :data:`FACTORS` + ``"threat"``) for a mapping; a DataFrame with those
        columns for a DataFrame.

    Raises
    ------
    ValueError
        As for :func:`threat_score`.

    Examples
    --------
    >>> f = {"power": 0.8, "proximity": 0.4, "capability": 0.4, "intent": 0.0}
    >>> threat_breakdown(f)
    power         0.2
    proximity     0.1
    capability    0.1
    intent        0.0
    threat        0.4
    dtype: float64
    >>> b = threat_breakdown(f, method="geometric")
    >>> bool(abs(b[list(FACTORS)].sum() - math.log(b["threat"])) < 1e-12)
    True
    """
    method, floor, w = _aggregation(method, eps, weights)
    matrix, index = _factor_matrix(factors)
    if method == "additive":
        parts = matrix * w
    else:
        parts = np.log(np.maximum(matrix, floor)) * w
    frame = pd.DataFrame(parts, columns=list(FACTORS), index=index)
    frame["threat"] = _scores(matrix, w, method, floor)
    if index is None:
        return frame.iloc[0].rename(None)
    return frame


def _rank_order(threat: pd.Series) -> pd.Series:
    """Ranks 1..n for finite scores (ties broken by code), <NA> for NaN."""
    complete = threat.dropna()
    ordered = complete.sort_index(kind="stable").sort_values(ascending=False, kind="stable")
    ranks = pd.Series(pd.NA, index=threat.index, dtype="Int64")
    ranks.loc[ordered.index] = np.arange(1, len(ordered) + 1)
    return ranks


def threat_to(
    observer: str,
    sources: Iterable[str] | None = None,
    *,
    weights: Mapping[str, float] | Sequence[float] | None = None,
    method: str = "additive",
    decay: str = "exponential",
    lambda_km: float = 2000.0,
    miles_per_day: float = 250.0,
    nuclear_bonus: float = 0.25,
    intentions: Mapping[str, float] | None = None,
    default_intent: float = 0.1,
    allied_intent: float | None = 0.02,
    scale: str = "dyadic",
    eps: float = 1e-3,
    states: pd.DataFrame | None = None,
    borders: pd.DataFrame | None = None,
    coded_intentions: pd.DataFrame | None = None,
    intent_coding: str | None = None,
) -> pd.DataFrame:
    """Threat table: how threatening each source is to ``observer``, most threatening first.

    Builds the factors with :func:`threat_factors` and combines them with
    :func:`threat_score`. Sources with a missing factor (no military-expenditure figure) get
    NaN threat and no rank, and are listed last.

    Parameters
    ----------
    observer, sources, decay, lambda_km, miles_per_day, nuclear_bonus, intentions,
    default_intent, allied_intent, scale, states, borders, coded_intentions, intent_coding
        As for :func:`threat_factors`; ``intent_coding="2026-12"`` scores with the course's
        December 2026 coding of intentions instead of the paper's 2023 view.
    weights, method, eps
        As for :func:`threat_score`.

    Returns
    -------
    pandas.DataFrame
        Indexed by source ISO3 (observer excluded), columns ``name``, ``distance_km``,
        ``contiguous``, ``power``, ``proximity``, ``capability``, ``intent``,
        ``intent_basis``, ``threat`` and ``rank`` (1 = most threatening), sorted by
        ``threat`` descending.

    Raises
    ------
    ValueError
        For unknown codes or any parameter out of range.

    Examples
    --------
    >>> toy = pd.DataFrame(
    ...     {"name": ["Aland", "Bland", "Cland"], "lat": [0.0, 0.0, 0.0],
    ...      "lon": [0.0, 10.0, 40.0], "milex_usd_2022": [1e9, 4e9, 2e9],
    ...      "armed_forces_personnel": [1e4, 5e4, 2e4], "population_2022": [1e7, 2e7, 1e7],
    ...      "gdp_usd_2022": [1e11, 2e11, 1e11],
    ...      "nuclear_status": ["NPT non-nuclear-weapon state"] * 3},
    ...     index=pd.Index(["AAA", "BBB", "CCC"], name="iso3"),
    ... )
    >>> t = threat_to("AAA", states=toy, borders=pd.DataFrame({"iso3_a": [], "iso3_b": []}),
    ...               coded_intentions=pd.DataFrame({"observer": [], "source": [], "score": []}),
    ...               intentions={"CCC": 0.9})
    >>> t[["intent", "intent_basis", "threat", "rank"]].round(3)
            intent intent_basis  threat  rank
    source
    CCC        0.9     override   0.521     1
    BBB        0.1      default   0.504     2
    """
    method, floor, w = _aggregation(method, eps, weights)
    table = threat_factors(
        observer,
        sources,
        decay=decay,
        lambda_km=lambda_km,
        miles_per_day=miles_per_day,
        nuclear_bonus=nuclear_bonus,
        intentions=intentions,
        default_intent=default_intent,
        allied_intent=allied_intent,
        scale=scale,
        states=states,
        borders=borders,
        coded_intentions=coded_intentions,
        intent_coding=intent_coding,
    )
    matrix = table[list(FACTORS)].to_numpy(dtype=float)
    complete = ~np.isnan(matrix).any(axis=1)
    threat = np.full(len(table), np.nan)
    threat[complete] = _scores(matrix[complete], w, method, floor)
    table["threat"] = threat
    table["rank"] = _rank_order(table["threat"])
    order = np.lexsort((table.index.to_numpy(dtype=str), table["rank"].fillna(10**9).to_numpy()))
    return table.iloc[order]


