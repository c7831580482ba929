"""Split threat scores into one part per Walt factor, for stacked bars.

Examples
--------
>>> t = pd.DataFrame({"power": [0.5], "proximity": [1.0], "capability": [0.5],
...                   "intent": [1.0]}, index=["X"])
>>> factor_contributions(t).sum(axis=1).round(3).tolist()
[0.75]
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from course_lib import _validate
from course_lib.plots._common import check_table
from course_lib.plots.style import FACTORS
from course_lib.threat import threat_breakdown

__all__ = ["factor_contributions"]


def factor_contributions(
    table: pd.DataFrame,
    weights: Mapping[str, float] | None = None,
    method: str = "additive",
) -> pd.DataFrame:
    """Split each source's threat score into one part per Walt factor, for stacked bars.

    Parameters
    ----------
    table : pandas.DataFrame
        A threat table (as from :func:`course_lib.threat.threat_to`) with the columns
        ``power, proximity, capability, intent``. Rows with a missing factor get NaN parts.
    weights : mapping, optional
        Factor weights naming all four factors (``>= 0``, positive sum); defaults to
        :data:`course_lib.threat.DEFAULT_WEIGHTS`.
    method : {"additive", "geometric"}
        Additive: part ``k`` is ``w_k f_k / sum(w)`` (as in
        :func:`course_lib.threat.threat_breakdown`). Geometric: the score's logarithm is a
        weighted sum of log factors, so part ``k`` is the score times factor ``k``'s share of
        that sum (the factor that holds the score down most takes the largest part). Either
        way the parts add up to the score.

    Returns
    -------
    pandas.DataFrame
        Same index, one column per factor.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"power": [0.5], "proximity": [1.0], "capability": [0.5],
    ...                   "intent": [1.0]}, index=["X"])
    >>> w = {"power": 1, "proximity": 1, "capability": 1, "intent": 1}
    >>> factor_contributions(t, w).round(3).to_dict("records")
    [{'power': 0.125, 'proximity': 0.25, 'capability': 0.125, 'intent': 0.25}]
    >>> g = factor_contributions(t, w, "geometric")
    >>> round(float(g.sum(axis=1).iloc[0]), 4), float(g["intent"].iloc[0])
    (0.7071, 0.0)
    """
    check_table(table, FACTORS, "table")
    _validate.choice(method, "method", ("additive", "geometric"))
    out = pd.DataFrame(np.nan, index=table.index, columns=list(FACTORS))
    complete = table[list(FACTORS)].notna().all(axis=1)
    if not complete.any():
        return out
    parts = threat_breakdown(table.loc[complete, list(FACTORS)], weights, method)
    values = parts[list(FACTORS)].to_numpy(dtype=float)
    if method == "geometric":
        score = parts["threat"].to_numpy(dtype=float)[:, None]
        denom = values.sum(axis=1, keepdims=True)
        w = np.array([float(weights[k]) for k in FACTORS]) if weights else np.ones(4)
        even = np.broadcast_to(w / w.sum(), values.shape)
        safe = np.where(denom < 0, denom, 1.0)
        values = np.where(denom < 0, values / safe, even) * score
    out.loc[complete, list(FACTORS)] = values
    return out
