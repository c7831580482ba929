"""Checks of what the Monte Carlo samplers take: draw keywords, keywords, factor tables.

Examples
--------
>>> _draw_options(100, 0, 1.0)
(100, 0, 1.0)
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from course_lib import _validate
from course_lib.threat.constants import FACTORS, MAX_PAIR_DRAWS

__all__: list[str] = []


def _check_keywords(
    keywords: Mapping[str, Any], target: Any, *, taken: tuple[str, ...] = ()
) -> None:
    """Refuse keywords that ``target`` does not take (one line, not a raw ``TypeError``)."""
    allowed = [name for name, p in inspect.signature(target).parameters.items()
               if p.kind is p.KEYWORD_ONLY or p.kind is p.POSITIONAL_OR_KEYWORD]
    unknown = sorted(set(keywords) - set(allowed) - set(taken))
    if unknown:
        raise ValueError(f"keywords {unknown} are not taken by {target.__name__}; allowed: "
                         f"{sorted(set(allowed) - set(taken))}")


def _draw_options(n_draws: Any, seed: Any, concentration: Any) -> tuple[int, int, float]:
    """Check the Monte Carlo keywords shared by the two samplers (before any table is built)."""
    return (
        _validate.integer(n_draws, "n_draws", 1, MAX_PAIR_DRAWS),
        _validate.seed(seed),
        _validate.positive(concentration, "concentration"),
    )


def _check_score_count(n_draws: int, rows: int, what: str) -> None:
    """Refuse more than :data:`MAX_PAIR_DRAWS` scores (draws x rows) before allocating them."""
    if n_draws * rows > MAX_PAIR_DRAWS:
        raise ValueError(
            f"n_draws must be at most {MAX_PAIR_DRAWS // max(rows, 1):,} for {rows:,} {what} "
            f"(n_draws x {what} <= MAX_PAIR_DRAWS = {MAX_PAIR_DRAWS:,}), got {n_draws:,}"
        )


def _check_observer_factors(
    factors: Any, observer: Any, factor_kwargs: Mapping[str, Any]
) -> pd.DataFrame:
    """Validate a :func:`threat_factors` table passed to :func:`weight_sensitivity`."""
    if factor_kwargs:
        raise ValueError(
            f"factor keywords {sorted(factor_kwargs)} cannot be combined with factors=; "
            "build the table with threat_factors instead"
        )
    if not isinstance(factors, pd.DataFrame):
        raise ValueError(
            f"factors must be a DataFrame from threat_factors, got {type(factors).__name__}"
        )
    missing = [c for c in ("name", *FACTORS) if c not in factors.columns]
    if missing:
        raise ValueError(f"factors must have the columns of threat_factors, missing {missing}")
    if factors.index.nlevels != 1 or not factors.index.is_unique:
        raise ValueError("factors must be indexed by unique source ISO3 codes (one level)")
    if observer in factors.index:
        raise ValueError(f"factors must not list the observer {observer!r} as a source")
    for k in FACTORS:
        _validate.number_array(factors[k].to_numpy(), f"factors[{k!r}]", 0.0, 1.0,
                               allow_nan=True)
    return factors


def _pair_matrix(factors: Any, n_draws: int) -> np.ndarray:
    """Check an :func:`all_pairs_factors` table and the score cap; return its (pairs, 4) array."""
    if not isinstance(factors, pd.DataFrame) or factors.index.nlevels != 2:
        raise ValueError("factors must be a DataFrame from all_pairs_factors (observer, source)")
    _validate.dataframe(factors, "factors", FACTORS)
    _check_score_count(n_draws, len(factors), "pairs")
    return np.column_stack([
        _validate.number_array(factors[k].to_numpy(), f"factors[{k!r}]", 0.0, 1.0,
                               allow_nan=True)
        for k in FACTORS
    ])
