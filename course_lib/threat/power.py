"""Power: the COW composite index (CINC) and the course's 2022 power index.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from course_lib import _validate, datasets
from course_lib.threat.constants import COMPONENTS, POWER_COMPONENTS

__all__ = ['cinc', 'power_index']

# --------------------------------------------------------------------------------------------
# power: CINC and the course's 2022 index
# --------------------------------------------------------------------------------------------


def _mean_share(frame: pd.DataFrame, columns: Sequence[str], argument: str) -> pd.Series:
    """Mean over present columns of each row's share of the column total."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{argument} must have columns {list(columns)}, missing {missing}")
    shares = {}
    for column in columns:
        try:
            arr = _validate.number_array(frame[column].to_numpy(), f"{argument}[{column!r}]",
                                         0.0, math.inf, high_open=True, allow_nan=True)
        except ValueError as exc:
            raise ValueError(
                f"{exc} (COW codes missing values as -9: convert them to NaN first)"
            ) from None
        values = pd.Series(arr, index=frame.index)
        present = arr[~np.isnan(arr)]
        total = present.sum()
        # A component nobody reports (or everybody reports as 0) has no shares: skip it.
        shares[column] = values / total if total > 0 else values * np.nan
    return pd.DataFrame(shares, index=frame.index).mean(axis=1, skipna=True)


def cinc(components: pd.DataFrame) -> pd.Series:
    """Composite Index of National Capability (Singer, Bremer & Stuckey 1972).

    ``CINC_i = mean over components k that state i reports of x_ik / sum_j x_jk``, with the
    sums taken over all states in ``components``, which should therefore be the whole state
    system in one year. Missing components (NaN) are skipped, as in the published NMC data; a
    state missing all six gets NaN. This reproduces the ``cinc`` column of NMC v6.0 to better
    than 1e-8 (see ``tests/threat/test_power.py``).

    Parameters
    ----------
    components : pandas.DataFrame
        One row per state and the columns in :data:`COMPONENTS` (other columns are ignored).
        Values must be finite and >= 0, or NaN for missing. The raw COW files code missing
        values as -9: convert them to NaN first.

    Returns
    -------
    pandas.Series
        CINC per state, named ``"cinc"``; sums to 1 when nothing is missing.

    Raises
    ------
    ValueError
        If a component column is missing, or a value is negative, infinite or not a number.

    Examples
    --------
    >>> toy = pd.DataFrame(
    ...     {"milex": [60, 30, 10], "milper": [5, 3, 2], "irst": [1, 1, 2],
    ...      "pec": [4, 4, 2], "tpop": [100, 50, 50], "upop": [10, 20, float("nan")]},
    ...     index=["A", "B", "C"],
    ... )
    >>> cinc(toy).round(4)
    A    0.4306
    B    0.3611
    C    0.2500
    Name: cinc, dtype: float64
    """
    if not isinstance(components, pd.DataFrame):
        raise ValueError(
            f"components must be a pandas DataFrame with columns {list(COMPONENTS)}, "
            f"got {type(components).__name__}"
        )
    return _mean_share(components, COMPONENTS, "components").rename("cinc")


def _load_states(states: pd.DataFrame | None) -> pd.DataFrame:
    if states is None:
        states = datasets.load_states()
    _validate.dataframe(states, "states")
    if len(states) < 2:
        raise ValueError(f"states must have at least 2 rows, got {len(states)}")
    if not states.index.is_unique:
        dupes = sorted(set(states.index[states.index.duplicated()]))
        raise ValueError(f"states must have unique ISO3 codes in its index, duplicated {dupes}")
    return states


def power_index(states: pd.DataFrame | None = None) -> pd.Series:
    """The course's own CINC-style power index for 2022 (not the COW CINC).

    For each state, the mean over the components it reports of its share of the **course's
    state set** (55 states by default, not the whole world) in :data:`POWER_COMPONENTS`:
    military expenditure (SIPRI, 2022), armed forces personnel (World Bank / IISS, 2020),
    population (World Bank, 2022) and GDP (World Bank, 2022). GDP replaces COW's industrial
    components. Because shares are of the course set, the values sum to 1 over that set and are
    not comparable with published CINC scores.

    Parameters
    ----------
    states : pandas.DataFrame, optional
        Indexed by ISO3 with the :data:`POWER_COMPONENTS` columns. Defaults to
        :func:`course_lib.datasets.load_states`.

    Returns
    -------
    pandas.Series
        Index values in [0, 1], named ``"power_index"``; NaN only if a state has none of the
        four components.

    Raises
    ------
    ValueError
        If a column is missing or holds negative or non-numeric values.

    Examples
    --------
    >>> toy = pd.DataFrame(
    ...     {"milex_usd_2022": [3e9, 1e9], "armed_forces_personnel": [1e5, float("nan")],
    ...      "population_2022": [1e7, 3e7], "gdp_usd_2022": [2e11, 2e11]},
    ...     index=["A", "B"],
    ... )
    >>> power_index(toy).round(4)
    A    0.625
    B    0.500
    Name: power_index, dtype: float64
    """
    states = _load_states(states)
    return _mean_share(states, POWER_COMPONENTS, "states").rename("power_index")


