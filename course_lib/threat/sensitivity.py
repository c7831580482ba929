"""Sensitivity: Monte Carlo over weights, for one observer and for all pairs.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from course_lib import _validate
from course_lib.threat._inputs import (
    _check_keywords,
    _check_observer_factors,
    _check_score_count,
    _draw_options,
    _pair_matrix,
)
from course_lib.threat.constants import AGGREGATIONS, FACTORS
from course_lib.threat.score import _check_eps, _scores
from course_lib.threat.tables import (
    _build_system,
    _factor_frame,
    _factor_options,
    threat_factors,
)

__all__ = ['all_pairs_factors', 'all_pairs_monte_carlo', 'weight_sensitivity']

# --------------------------------------------------------------------------------------------
# Monte Carlo over weights
# --------------------------------------------------------------------------------------------

def _dirichlet_weights(n_draws: int, seed: int, concentration: float) -> np.ndarray:
    """(n_draws, 4) weight vectors on the simplex from a symmetric Dirichlet."""
    rng = np.random.default_rng(seed)
    return rng.dirichlet(np.full(len(FACTORS), concentration), size=n_draws)


def weight_sensitivity(
    observer: str,
    n_draws: int = 2000,
    seed: int = 0,
    concentration: float = 1.0,
    *,
    factors: pd.DataFrame | None = None,
    **threat_kwargs: Any,
) -> pd.DataFrame:
    """Monte Carlo over factor weights: how robust is the observer's threat ranking?

    Draws ``n_draws`` weight vectors from a symmetric Dirichlet(``concentration``) with
    ``numpy.random.default_rng(seed)`` (concentration 1 = uniform over all weightings;
    larger values keep draws near equal weights), scores every source under each draw and
    summarises. The factors are built once.

    Parameters
    ----------
    observer : str
        ISO3 code of the observer.
    n_draws : int, default 2000
        Number of weight vectors, >= 1.
    seed : int, default 0
        Seed (>= 0); the same seed gives the same result.
    concentration : float, default 1.0
        Dirichlet concentration, > 0.
    factors : pandas.DataFrame, optional
        A table from :func:`threat_factors` for this ``observer`` to reuse instead of
        rebuilding it (an interactive caller that changes only the draws saves the rebuild).
        It needs the columns ``name`` and the four factors, unique source codes not equal to
        ``observer``, and factor values in [0, 1] (NaN for missing). Then only ``method``
        and ``eps`` may be passed in ``threat_kwargs``: the other keywords build the table.
        The result equals the one computed from the same table rebuilt.
    **threat_kwargs
        Any keyword of :func:`threat_to` except ``weights`` (e.g. ``method``, ``decay``,
        ``intentions``, ``sources``).

    Returns
    -------
    pandas.DataFrame
        Indexed by source, columns ``name``, ``threat_mean``, ``threat_p05``, ``threat_p95``,
        ``share_first`` (share of draws in which the source ranks first) and ``median_rank``,
        sorted by ``threat_mean`` descending. Sources with a missing factor are listed last
        with NaN and are left out of the ranking.

    Raises
    ------
    ValueError
        For bad ``n_draws`` (also when ``n_draws`` times the number of sources exceeds
        :data:`MAX_PAIR_DRAWS`), ``seed`` or ``concentration``, a ``weights`` keyword, a
        malformed ``factors`` table (or one combined with factor keywords), or any error of
        :func:`threat_to`.

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
    >>> s = weight_sensitivity("AAA", n_draws=500, states=toy,
    ...                        borders=pd.DataFrame({"iso3_a": [], "iso3_b": []}),
    ...                        coded_intentions=pd.DataFrame({"observer": [], "source": [],
    ...                                                       "score": []}),
    ...                        intentions={"CCC": 0.9})
    >>> list(s.index), bool(0 < s.loc["CCC", "share_first"] < 1)
    (['CCC', 'BBB'], True)

    Reusing a factor table gives the same result without rebuilding it:

    >>> f = threat_factors("AAA", states=toy, borders=pd.DataFrame({"iso3_a": [], "iso3_b": []}),
    ...                    coded_intentions=pd.DataFrame({"observer": [], "source": [],
    ...                                                   "score": []}),
    ...                    intentions={"CCC": 0.9})
    >>> weight_sensitivity("AAA", n_draws=500, factors=f).equals(s)
    True
    """
    n, seed, alpha = _draw_options(n_draws, seed, concentration)
    if "weights" in threat_kwargs:
        raise ValueError("weights must not be given to weight_sensitivity: the weights are drawn")
    method = _validate.choice(threat_kwargs.pop("method", "additive"), "method", AGGREGATIONS)
    floor = _check_eps(threat_kwargs.pop("eps", 1e-3))
    if factors is None:
        _check_keywords(threat_kwargs, threat_factors, taken=("observer",))
        table = threat_factors(observer, **threat_kwargs)
    else:
        table = _check_observer_factors(factors, observer, threat_kwargs)
    matrix = table[list(FACTORS)].to_numpy(dtype=float)
    complete = ~np.isnan(matrix).any(axis=1)
    _check_score_count(n, len(table), "sources")
    draws = _dirichlet_weights(n, seed, alpha)
    scores = _scores(matrix[complete], draws.T, method, floor)  # (sources, draws)
    order = np.argsort(-scores, axis=0, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(1, scores.shape[0] + 1)[:, None], axis=0)
    out = pd.DataFrame(
        {
            "name": table["name"],
            "threat_mean": np.nan,
            "threat_p05": np.nan,
            "threat_p95": np.nan,
            "share_first": np.nan,
            "median_rank": np.nan,
        },
        index=table.index,
    )
    if complete.any():
        p05, p95 = np.percentile(scores, [5.0, 95.0], axis=1)
        out.loc[complete, "threat_mean"] = scores.mean(axis=1)
        out.loc[complete, "threat_p05"] = p05
        out.loc[complete, "threat_p95"] = p95
        out.loc[complete, "share_first"] = (ranks == 1).mean(axis=1)
        out.loc[complete, "median_rank"] = np.median(ranks, axis=1)
    return out.sort_values("threat_mean", ascending=False, kind="stable", na_position="last")


def all_pairs_factors(
    *,
    decay: str = "exponential",
    lambda_km: float = 2000.0,
    miles_per_day: float = 250.0,
    nuclear_bonus: float = 0.25,
    default_intent: float = 0.1,
    allied_intent: float | None = 0.02,
    scale: str = "dyadic",
    states: pd.DataFrame | None = None,
    borders: pd.DataFrame | None = None,
    coded_intentions: pd.DataFrame | None = None,
    intent_coding: str | None = None,
) -> pd.DataFrame:
    """Factor table for every ordered pair (observer, source), observer != source.

    For the 55 course states that is 55 * 54 = 2970 rows. Parameters are those of
    :func:`threat_factors` (per-observer ``intentions`` overrides are not taken here: pass an
    edited ``coded_intentions`` table instead).

    Returns
    -------
    pandas.DataFrame
        MultiIndex (``observer``, ``source``), ordered by observer then source as in the states
        table, with the columns of :func:`threat_factors`.

    Examples
    --------
    >>> toy = pd.DataFrame(
    ...     {"name": ["A", "B", "C"], "lat": [0.0, 0.0, 0.0], "lon": [0.0, 10.0, 40.0],
    ...      "milex_usd_2022": [1e9, 4e9, 2e9], "armed_forces_personnel": [1e4, 5e4, 2e4],
    ...      "population_2022": [1e7, 2e7, 1e7], "gdp_usd_2022": [1e11, 2e11, 1e11]},
    ...     index=pd.Index(["AAA", "BBB", "CCC"], name="iso3"),
    ... )
    >>> pairs = all_pairs_factors(states=toy, borders=pd.DataFrame({"iso3_a": [], "iso3_b": []}),
    ...                           coded_intentions=pd.DataFrame({"observer": [], "source": [],
    ...                                                          "score": []}))
    >>> len(pairs), pairs.index[0]
    (6, ('AAA', 'BBB'))
    """
    options = _factor_options(decay=decay, lambda_km=lambda_km, miles_per_day=miles_per_day,
                              default_intent=default_intent, allied_intent=allied_intent,
                              scale=scale)
    system = _build_system(states, borders, coded_intentions, nuclear_bonus, intent_coding)
    frames = {
        observer: _factor_frame(system, observer, [c for c in system.codes if c != observer],
                                options)
        for observer in system.codes
    }
    return pd.concat(frames, names=["observer", "source"])


def all_pairs_monte_carlo(
    n_draws: int,
    seed: int = 0,
    method: str = "additive",
    *,
    concentration: float = 1.0,
    eps: float = 1e-3,
    factors: pd.DataFrame | None = None,
    summary: bool = True,
    chunk_size: int = 2000,
    **factor_kwargs: Any,
) -> pd.DataFrame | np.ndarray:
    """Monte Carlo over weights for every ordered pair of states at once.

    The factor tensor (pairs x 4) is built once (:func:`all_pairs_factors`) and the weights
    ``W`` (draws x 4, Dirichlet) are applied by one matrix product per chunk of draws:
    ``F @ W.T`` for the additive method, ``exp(log(max(F, eps)) @ W.T)`` for the geometric
    one. With 2970 pairs, 10,000 draws take well under a second on one core
    (``benchmarks/threat_scale.py`` prints the timing).

    Parameters
    ----------
    n_draws : int
        Number of weight vectors, >= 1.
    seed : int, default 0
        Seed (>= 0) for ``numpy.random.default_rng``; the same seed gives the same weights for
        both methods.
    method : {"additive", "geometric"}
        Aggregation.
    concentration : float, default 1.0
        Dirichlet concentration, > 0.
    eps : float, default 1e-3
        Geometric floor, in (0, 1).
    factors : pandas.DataFrame, optional
        A table from :func:`all_pairs_factors` to reuse (then ``factor_kwargs`` must be empty).
    summary : bool, default True
        If False, return the full (pairs x draws) score array instead of a summary.
    chunk_size : int, default 2000
        Draws processed per matrix product when summarising (bounds memory).
    **factor_kwargs
        Passed to :func:`all_pairs_factors` when ``factors`` is not given.

    Returns
    -------
    pandas.DataFrame or numpy.ndarray
        Summary indexed like ``factors`` with ``threat_mean``, ``threat_sd``, ``threat_min``,
        ``threat_max`` and ``share_top`` (share of draws in which the source is the observer's
        most threatening source); or the raw float64 array. Pairs with a missing factor give
        NaN.

    Raises
    ------
    ValueError
        For bad ``n_draws``, ``seed``, ``concentration``, ``eps``, ``chunk_size``, ``summary``
        or ``method``, a malformed ``factors`` table, or more than :data:`MAX_PAIR_DRAWS`
        scores (``n_draws`` times the number of pairs): the call refuses before it allocates
        anything, so ``all_pairs_monte_carlo(10**9)`` fails at once instead of running out of
        memory.

    Examples
    --------
    >>> toy = pd.DataFrame(
    ...     {"name": ["A", "B", "C"], "lat": [0.0, 0.0, 0.0], "lon": [0.0, 10.0, 40.0],
    ...      "milex_usd_2022": [1e9, 4e9, 2e9], "armed_forces_personnel": [1e4, 5e4, 2e4],
    ...      "population_2022": [1e7, 2e7, 1e7], "gdp_usd_2022": [1e11, 2e11, 1e11]},
    ...     index=pd.Index(["AAA", "BBB", "CCC"], name="iso3"),
    ... )
    >>> pairs = all_pairs_factors(states=toy, borders=pd.DataFrame({"iso3_a": [], "iso3_b": []}),
    ...                           coded_intentions=pd.DataFrame({"observer": [], "source": [],
    ...                                                          "score": []}))
    >>> all_pairs_monte_carlo(100, factors=pairs, summary=False).shape
    (6, 100)
    >>> s = all_pairs_monte_carlo(100, factors=pairs)
    >>> s.groupby(level="observer")["share_top"].sum().tolist()
    [1.0, 1.0, 1.0]
    """
    n, seed, alpha = _draw_options(n_draws, seed, concentration)
    _validate.choice(method, "method", AGGREGATIONS)
    floor = _check_eps(eps)
    chunk = _validate.integer(chunk_size, "chunk_size", 1)
    summary = _validate.flag(summary, "summary")
    if factors is None:
        _check_keywords(factor_kwargs, all_pairs_factors)
        factors = all_pairs_factors(**factor_kwargs)
    elif factor_kwargs:
        raise ValueError(
            f"factor keywords {sorted(factor_kwargs)} cannot be combined with factors=; "
            "build the table with all_pairs_factors instead"
        )
    matrix = _pair_matrix(factors, n)
    complete = ~np.isnan(matrix).any(axis=1)
    values = matrix[complete]
    draws = _dirichlet_weights(n, seed, alpha)
    # For the geometric method, log once: exp(log(F) @ W.T) == prod F ** w.
    base = values if method == "additive" else np.log(np.maximum(values, floor))

    if not summary:
        out = np.full((len(matrix), n), np.nan)
        raw = base @ draws.T
        out[complete] = raw if method == "additive" else np.exp(raw)
        return out

    observers = factors.index.get_level_values(0)[complete]
    codes, group = np.unique(np.asarray(observers, dtype=str), return_inverse=True)
    starts_sorted = np.all(np.diff(group) >= 0) if len(group) else True
    if not starts_sorted:
        order = np.argsort(group, kind="stable")
        base, group = base[order], group[order]
    else:
        order = None
    bounds = np.flatnonzero(np.diff(np.r_[-1, group, len(codes)]))
    total = np.zeros(len(base))
    total_sq = np.zeros(len(base))
    low = np.full(len(base), np.inf)
    high = np.full(len(base), -np.inf)
    top = np.zeros(len(base))
    for start in range(0, n, chunk):
        w = draws[start : start + chunk].T
        scores = base @ w
        if method == "geometric":
            np.exp(scores, out=scores)
        total += scores.sum(axis=1)
        total_sq += np.einsum("ij,ij->i", scores, scores)
        np.minimum(low, scores.min(axis=1), out=low)
        np.maximum(high, scores.max(axis=1), out=high)
        for g in range(len(bounds) - 1):
            lo, hi = bounds[g], bounds[g + 1]
            winners = scores[lo:hi].argmax(axis=0)
            top[lo:hi] += np.bincount(winners, minlength=hi - lo)
    mean = total / n
    sd = np.sqrt(np.maximum(total_sq / n - mean**2, 0.0))
    stats = np.column_stack([mean, sd, low, high, top / n])
    if order is not None:
        unsorted = np.empty_like(stats)
        unsorted[order] = stats
        stats = unsorted
    columns = ["threat_mean", "threat_sd", "threat_min", "threat_max", "share_top"]
    result = pd.DataFrame(np.nan, index=factors.index, columns=columns)
    result.loc[complete, columns] = stats
    return result
