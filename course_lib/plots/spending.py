"""Military expenditure in 2022 by state: :func:`milex_chart`.

Examples
--------
>>> s = pd.DataFrame({"name": ["Egypt"], "group": ["MENA"], "milex_usd_2022": [4.6e9],
...     "milex_share_gdp_2022_pct": [1.2]}, index=["EGY"])
>>> fig, alt = milex_chart(s, ["EGY"])
>>> alt.split(". ")[1]
'Largest: Egypt 4.6 bn US$ (1.2% of GDP).'
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from course_lib.plots._common import check_codes, check_table, fmt
from course_lib.plots.render import new_figure
from course_lib.plots.style import GROUP_STYLES, PALETTE

__all__ = ["milex_chart"]


def milex_chart(states: pd.DataFrame, codes: Sequence[str]) -> tuple[Figure, str]:
    """Horizontal bars of 2022 military expenditure, labelled with the share of GDP.

    Parameters
    ----------
    states : pandas.DataFrame
        From :func:`course_lib.datasets.load_states` (columns ``name, group,
        milex_usd_2022, milex_share_gdp_2022_pct``).
    codes : sequence of str
        ISO3 codes to show (1 to 30), sorted by spending in the chart. A missing figure
        is drawn as an empty bar marked "no data".

    Returns
    -------
    (Figure, str)
        Bars are coloured and hatched by group (NATO, MENA, Other).

    Examples
    --------
    >>> s = pd.DataFrame({"name": ["Turkey"], "group": ["NATO"],
    ...     "milex_usd_2022": [10.6e9], "milex_share_gdp_2022_pct": [1.1]}, index=["TUR"])
    >>> fig, alt = milex_chart(s, ["TUR"])
    >>> fig.axes[0].get_xlabel()
    'Military expenditure 2022 (US$ bn, current prices; SIPRI)'
    """
    check_table(states, ["name", "group", "milex_usd_2022", "milex_share_gdp_2022_pct"],
                 "states")
    codes = check_codes(codes, states)
    sub = states.loc[codes].sort_values("milex_usd_2022", ascending=False, kind="stable",
                                        na_position="last")
    fig = new_figure()
    fig.subplots_adjust(left=0.3, right=0.95, top=0.88, bottom=0.15)
    ax = fig.axes[0]
    vals = sub["milex_usd_2022"].to_numpy(dtype=float) / 1e9
    y = np.arange(len(sub))
    groups = [g if g in GROUP_STYLES else "Other" for g in sub["group"]]
    bars = ax.barh(
        y, np.nan_to_num(vals), color=[GROUP_STYLES[g][0] for g in groups],
        edgecolor=PALETTE["black"], linewidth=0.5,
    )
    for rect, g in zip(bars.patches, groups, strict=True):
        rect.set_hatch(GROUP_STYLES[g][1])
    vmax = np.nanmax(vals) if np.isfinite(vals).any() else 1.0
    for yi, v, share in zip(y, vals, sub["milex_share_gdp_2022_pct"], strict=True):
        label = "no data" if not np.isfinite(v) else (
            f"{share:.1f}% of GDP" if np.isfinite(share) else "share n/a")
        ax.text((0 if not np.isfinite(v) else v) + vmax * 0.01, yi, label, va="center",
                fontsize="small")
    ax.set_yticks(y, [f"{n} ({c})" for c, n in zip(sub.index, sub["name"], strict=True)])
    ax.invert_yaxis()
    ax.set_xlim(0, vmax * 1.3)
    ax.set_xlabel("Military expenditure 2022 (US$ bn, current prices; SIPRI)")
    ax.set_ylabel("State")
    ax.set_title("Military expenditure in 2022")
    present = list(dict.fromkeys(groups))
    ax.legend(
        handles=[Patch(facecolor=GROUP_STYLES[g][0], hatch=GROUP_STYLES[g][1],
                       edgecolor=PALETTE["black"], label=g) for g in present],
        loc="lower right", fontsize="small",
    )
    items = ", ".join(
        f"{n} {fmt(v, 1)} bn US$ ({fmt(s, 1)}% of GDP)"
        for n, v, s in zip(
            sub["name"].head(5), vals[:5], sub["milex_share_gdp_2022_pct"].head(5), strict=True
        )
    )
    alt = (
        f"Horizontal bar chart of military expenditure in 2022 for {len(sub)} states, "
        f"largest first. Largest: {items}."
    )
    return fig, alt

