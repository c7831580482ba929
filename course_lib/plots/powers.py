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
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.transforms import Bbox

from course_lib.datasets import MENA_REGIONAL_POWERS
from course_lib.plots._common import check_codes, check_table, fmt
from course_lib.plots.render import new_figure
from course_lib.plots.style import PALETTE
from course_lib.threat import is_nuclear_armed

__all__ = ["regional_powers"]

_NUCLEAR_MARKERS = {True: ("D", "nuclear-armed"), False: ("o", "no nuclear weapons")}

#: Marker area in points squared.
_MARKER_AREA = 70

#: Where a point's name may go, tried in order: (x, y offset in points, ha, va).
_LABEL_SPOTS = ((5, 4, "left", "bottom"), (5, -4, "left", "top"),
                (-5, 4, "right", "bottom"), (-5, -4, "right", "top"))


def _label_points(ax: Axes, x: np.ndarray, y: np.ndarray, names: Sequence[str]) -> None:
    """Name every finite point, each name at the first spot that overlaps no earlier name,
    no other marker, the legend or the axes edge (the first spot when none is free).

    Examples
    --------
    >>> fig = new_figure(); ax = fig.axes[0]; _ = FigureCanvasAgg(fig)
    >>> _ = ax.scatter([1, 1.02], [1, 1.0]); _ = ax.set_xlim(0, 2), ax.set_ylim(0, 2)
    >>> _label_points(ax, np.array([1, 1.02]), np.array([1, 1.0]), ["Aland", "Bland"])
    >>> [(t.get_text(), t.get_ha()) for t in ax.texts]
    [('Aland', 'right'), ('Bland', 'left')]
    """
    renderer = ax.figure.canvas.get_renderer()
    legend = ax.get_legend()
    taken = [legend.get_window_extent(renderer)] if legend is not None else []
    frame = ax.bbox
    half = np.sqrt(_MARKER_AREA) / 2 * ax.figure.dpi / 72  # marker half-width in pixels
    centres = [ax.transData.transform((xi, yi)) for xi, yi in zip(x, y, strict=True)]
    markers = [Bbox.from_extents(cx - half, cy - half, cx + half, cy + half)
               for cx, cy in centres]
    for i, (xi, yi, name) in enumerate(zip(x, y, names, strict=True)):
        if not (np.isfinite(xi) and np.isfinite(yi)):
            continue
        others = [m for j, m in enumerate(markers) if j != i and np.isfinite(m.x0)]
        for dx, dy, ha, va in _LABEL_SPOTS:
            text = ax.annotate(name, (xi, yi), xytext=(dx, dy), textcoords="offset points",
                               ha=ha, va=va, fontsize="small")
            box = text.get_window_extent(renderer)
            inside = (box.x0 >= frame.x0 and box.x1 <= frame.x1 and box.y0 >= frame.y0
                      and box.y1 <= frame.y1)
            if inside and not any(box.overlaps(other) for other in [*taken, *others]):
                break
            text.remove()
        else:
            dx, dy, ha, va = _LABEL_SPOTS[0]
            text = ax.annotate(name, (xi, yi), xytext=(dx, dy), textcoords="offset points",
                               ha=ha, va=va, fontsize="small")
            box = text.get_window_extent(renderer)
        taken.append(box)


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
            x[mask], y[mask], marker=marker, s=_MARKER_AREA,
            c=PALETTE["vermillion"] if flag else PALETTE["sky_blue"],
            edgecolors=PALETTE["black"], linewidths=0.8, label=label,
        )
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
        loc="lower right", fontsize="small",
    )
    ax.margins(x=0.2, y=0.15)
    ax.autoscale_view()
    FigureCanvasAgg(fig)
    _label_points(ax, x, y, list(sub["name"]))
    items = "; ".join(
        f"{n} {fmt(xi, 1)} bn US$, CINC {fmt(yi, 4)}, {_NUCLEAR_MARKERS[f][1]}"
        for n, xi, yi, f in zip(sub["name"], x, y, nuclear, strict=True)
    )
    alt = (
        f"Scatter plot of {len(sub)} states, military expenditure in 2022 against CINC "
        f"score, diamonds for nuclear-armed states: {items}."
    )
    return fig, alt

