"""The decision map: tiers over a grid of two inputs (``decision_grid``, ``decision_frame``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from course_lib import _validate
from course_lib.tiers.model import _cost, _need, _ratio
from course_lib.tiers.parameters import CostWeights, _round12, _unit
from course_lib.tiers.table import _ladder, _weights

__all__ = ['decision_frame', 'decision_grid']

def _unit_array(values: Any, name: str) -> np.ndarray:
    """A non-empty 1-D array of numbers in [0, 1] (the package's rules), rounded."""
    arr = _validate.number_array(values, name, 0.0, 1.0)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(
            f"{name} must be a non-empty 1-D sequence of numbers in [0, 1], got shape {arr.shape}"
        )
    return _round12(arr)


def decision_grid(
    threat_values: Sequence[float] | np.ndarray,
    autonomy_values: Sequence[float] | np.ndarray,
    *,
    self_reliance: float,
    entrapment: float,
    dominance: float,
    weights: Mapping[str, float] | CostWeights | None = None,
    table: Any = None,
) -> np.ndarray:
    """Tier indices over a threat x autonomy grid, for a 2-D decision map.

    Parameters
    ----------
    threat_values, autonomy_values : 1-D array-like
        Values in [0, 1].
    self_reliance, entrapment, dominance : float
        Held fixed, in [0, 1].
    weights, table
        As in :func:`choose_tier`.

    Returns
    -------
    numpy.ndarray of int, shape ``(len(threat_values), len(autonomy_values))``
        ``grid[i, j]`` is the row position in :func:`tier_table` of the tier chosen at
        ``threat_values[i]`` and ``autonomy_values[j]``; identical to :func:`choose_tier`.
        (For ``imshow`` with threat on the x axis, plot ``grid.T``.)

    Examples
    --------
    >>> decision_grid([0.2, 0.6, 1.0], [0.0, 0.5, 1.0],
    ...               self_reliance=0.2, entrapment=0.3, dominance=0.2)
    array([[1, 0, 0],
           [3, 3, 1],
           [3, 3, 3]])
    """
    t = _unit_array(threat_values, "threat_values")
    a = _unit_array(autonomy_values, "autonomy_values")
    s = _unit(self_reliance, "self_reliance")
    e = _unit(entrapment, "entrapment")
    d = _unit(dominance, "dominance")
    w = _weights(weights)
    lad = _ladder(table)
    need = _need(t, s)[:, None]
    cost = _cost(a, e, d, w)[None, :]
    r = _ratio(*np.broadcast_arrays(need, cost))
    levels = np.searchsorted(np.asarray(lad.breaks, dtype=float), r, side="left")
    return np.asarray(lad.choosable, dtype=int)[levels]


def decision_frame(
    threat_values: Sequence[float] | np.ndarray,
    autonomy_values: Sequence[float] | np.ndarray,
    *,
    self_reliance: float,
    entrapment: float,
    dominance: float,
    weights: Mapping[str, float] | CostWeights | None = None,
    table: Any = None,
) -> pd.DataFrame:
    """The grid of :func:`decision_grid` as tier keys, labelled by its axes.

    Parameters
    ----------
    threat_values, autonomy_values, self_reliance, entrapment, dominance, weights, table
        As in :func:`decision_grid`.

    Returns
    -------
    pandas.DataFrame
        Tier keys; index: threat values (name ``"threat"``), columns: autonomy values (name
        ``"autonomy"``), in the order given. This is the input of
        :func:`course_lib.plots.decision_map`.

    Examples
    --------
    >>> decision_frame([0.2, 1.0], [0.0, 1.0], self_reliance=0.2, entrapment=0.3,
    ...                dominance=0.2).to_numpy().tolist()
    [['ad_hoc', 'none'], ['alliance', 'alliance']]
    """
    grid = decision_grid(threat_values, autonomy_values, self_reliance=self_reliance,
                         entrapment=entrapment, dominance=dominance, weights=weights, table=table)
    keys = np.asarray(_ladder(table).keys, dtype=object)
    return pd.DataFrame(
        keys[grid],
        index=pd.Index(np.asarray(threat_values, dtype=float), name="threat"),
        columns=pd.Index(np.asarray(autonomy_values, dtype=float), name="autonomy"),
    )


