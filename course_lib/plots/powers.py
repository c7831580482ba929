"""MENA regional powers on spending and aggregate power: :func:`regional_powers`.

Examples
--------
>>> s = pd.DataFrame({"name": ["Egypt"], "milex_usd_2022": [4.6e9], "cinc": [0.0128],
...     "nuclear_status": ["NPT non-nuclear-weapon state"]}, index=["EGY"])
>>> fig, alt = regional_powers(s, ["EGY"])
>>> fig.axes[0].get_xlabel()
'Military expenditure 2022 (US$ bn, SIPRI)'
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from course_lib.datasets import MENA_REGIONAL_POWERS
from course_lib.plots._common import check_codes, check_table, fmt
from course_lib.plots.render import new_figure
from course_lib.plots.style import PALETTE
from course_lib.threat import is_nuclear_armed

__all__ = ["regional_powers"]

_NUCLEAR_MARKERS = {True: ("D", "nuclear-armed"), False: ("o", "no nuclear weapons")}


def regional_powers(
    states: pd.DataFrame,
    codes: Sequence[str] | None = None,
) -> tuple[Figure, str]:
    """Scatter the MENA regional powers on military spending and aggregate power.

    x: military expenditure 2022 (SIPRI, current US$ bn); y: CINC score for 2016 (COW NMC
    v6.0, the latest release; share of world capabilities); marker: diamond for a
    nuclear-armed state (:func:`course_lib.threat.is_nuclear_armed`), circle otherwise;
    every point is labelled with its state's name.

    Parameters
    ----------
    states : pandas.DataFrame
        From :func:`course_lib.datasets.load_states` (columns ``name, milex_usd_2022,
        cinc, nuclear_status``).
    codes : sequence of str, optional
        ISO3 codes; default :data:`course_lib.datasets.MENA_REGIONAL_POWERS`.

    Returns
    -------
    (Figure, str)

    Examples
    --------
    >>> s = pd.DataFrame({"name": ["Israel", "Iran"], "milex_usd_2022": [23.4e9, 6.8e9],
    ...     "cinc": [0.0036, 0.0167], "nuclear_status": ["undeclared nuclear-armed state",
    ...     "NPT non-nuclear-weapon state"]}, index=["ISR", "IRN"])
    >>> fig, alt = regional_powers(s, ["ISR", "IRN"])
    >>> alt.split(": ", 1)[1]
    'Israel 23.4 bn US$, CINC 0.0036, nuclear-armed; Iran 6.8 bn US$, CINC 0.0167, \
no nuclear weapons.'
    """
    check_table(states, ["name", "milex_usd_2022", "cinc", "nuclear_status"], "states")
    codes = check_codes(list(MENA_REGIONAL_POWERS) if codes is None else codes, states)
    sub = states.loc[list(codes)]
    fig = new_figure()
    fig.subplots_adjust(left=0.13, right=0.97, top=0.88, bottom=0.15)
    ax = fig.axes[0]
    x = sub["milex_usd_2022"].to_numpy(dtype=float) / 1e9
    y = sub["cinc"].to_numpy(dtype=float)

    nuclear = [bool(is_nuclear_armed(s)) for s in sub["nuclear_status"]]
    for flag in (False, True):
        mask = np.array(nuclear) == flag
        marker, label = _NUCLEAR_MARKERS[flag]
        ax.scatter(
            x[mask], y[mask], marker=marker, s=70,
            c=PALETTE["vermillion"] if flag else PALETTE["sky_blue"],
            edgecolors=PALETTE["black"], linewidths=0.8, label=label,
        )
    for xi, yi, name in zip(x, y, sub["name"], strict=True):
        if np.isfinite(xi) and np.isfinite(yi):
            ax.annotate(name, (xi, yi), xytext=(5, 4), textcoords="offset points",
                        fontsize="small")
    ax.set_xlabel("Military expenditure 2022 (US$ bn, SIPRI)")
    ax.set_ylabel("CINC 2016 (share of world capabilities)")
    ax.set_title("MENA regional powers: spending, power and nuclear status")
    ax.legend(
        handles=[
            Line2D([], [], marker=_NUCLEAR_MARKERS[f][0], linestyle="",
                   markerfacecolor=PALETTE["vermillion"] if f else PALETTE["sky_blue"],
                   markeredgecolor=PALETTE["black"], color=PALETTE["black"],
                   label=_NUCLEAR_MARKERS[f][1])
            for f in (True, False)
        ],
        loc="best", fontsize="small",
    )
    ax.margins(x=0.2, y=0.15)
    items = "; ".join(
        f"{n} {fmt(xi, 1)} bn US$, CINC {fmt(yi, 4)}, {_NUCLEAR_MARKERS[f][1]}"
        for n, xi, yi, f in zip(sub["name"], x, y, nuclear, strict=True)
    )
    alt = (
        f"Scatter plot of {len(sub)} states, military expenditure in 2022 against CINC "
        f"score, diamonds for nuclear-armed states: {items}."
    )
    return fig, alt

