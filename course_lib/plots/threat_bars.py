"""Stacked bars of threat scores by Walt factor: :func:`threat_bar` and its in-place update.

Examples
--------
>>> t = pd.DataFrame({"name": ["Iran"], "power": [0.4], "proximity": [0.3],
...     "capability": [0.3], "intent": [0.9], "threat": [0.475]}, index=["IRN"])
>>> fig, alt = threat_bar(t, "ISR", top=1)
>>> fig.axes[0].get_title(), [t.get_text() for t in fig.name_texts]
('Threat to ISR by source (additive)', ['Iran (IRN)'])
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.container import BarContainer
from matplotlib.patches import Patch
from matplotlib.text import Text

from course_lib.plots._common import (
    check_table,
    check_top,
    fmt,
    observer_label,
    source_labels,
)
from course_lib.plots.contributions import factor_contributions
from course_lib.plots.render import LiveFigure
from course_lib.plots.style import FACTOR_STYLES, FACTORS, PALETTE

__all__ = ["ThreatBarFigure", "threat_bar", "update_threat_bar"]


class ThreatBarFigure(LiveFigure):
    """The figure :func:`threat_bar` returns, with the artists an update mutates.

    Attributes
    ----------
    top : int
        Number of bar rows (fixed when the figure is made).
    bar_containers : dict of str to BarContainer
        One stacked bar segment per factor and row.
    name_texts : list of Text
        The source name of each row (left of the axes).
    """

    def __init__(self, top: int) -> None:
        super().__init__()
        self.top = top
        self.bar_containers: dict[str, BarContainer] = {}
        self.name_texts: list[Text] = []


def _threat_bar_data(table: pd.DataFrame, weights: Mapping[str, float] | None, method: str,
                     top: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    scored = table[table["threat"].notna()]
    ranked = scored.sort_values("threat", ascending=False, kind="stable").head(top)
    parts = factor_contributions(ranked, weights, method)
    return ranked, parts


def _threat_bar_alt(ranked: pd.DataFrame, label: str, method: str, table: pd.DataFrame
                    ) -> str:
    head = ", ".join(
        f"{row['name']} {fmt(row['threat'])}" for _, row in ranked.head(3).iterrows()
    )
    missing = int(table["threat"].isna().sum())
    note = (f" {missing} source{'s' if missing != 1 else ''} without a full set of data "
            "left out." if missing else "")
    return (
        f"Horizontal stacked bar chart of the threat to {label} from the "
        f"{len(ranked)} highest-scoring of {len(table)} sources, {method} aggregation, "
        f"each bar split into power, proximity, capability and intent. "
        f"Top threats: {head}.{note}"
    )


def threat_bar(
    table: pd.DataFrame,
    observer: str,
    *,
    weights: Mapping[str, float] | None = None,
    method: str = "additive",
    top: int = 8,
    observer_name: str | None = None,
) -> tuple[ThreatBarFigure, str]:
    """Stacked bars of each source's threat score, split by Walt factor.

    Parameters
    ----------
    table : pandas.DataFrame
        Threat table from :func:`course_lib.threat.threat_to` (index: source ISO3; columns
        ``name``, the four factors and ``threat``).
    observer : str
        ISO3 code of the threatened state (used in the title and alt text).
    weights : mapping, optional
        Weights used to split the bars (see :func:`factor_contributions`).
    method : {"additive", "geometric"}
        Aggregation the table was scored with.
    top : int
        Number of sources shown, in [1, 30].
    observer_name : str, optional
        Display name of the observer, e.g. ``"Israel"``.

    Returns
    -------
    (Figure, str)
        The figure and its alt text, naming the top three sources and their scores.

    Examples
    --------
    >>> t = pd.DataFrame({"name": ["Iran", "Syria"], "power": [0.4, 0.1],
    ...     "proximity": [0.3, 0.9], "capability": [0.3, 0.1], "intent": [0.9, 0.6],
    ...     "threat": [0.475, 0.425]}, index=["IRN", "SYR"])
    >>> w = dict.fromkeys(["power", "proximity", "capability", "intent"], 1.0)
    >>> fig, alt = threat_bar(t, "ISR", weights=w, observer_name="Israel")
    >>> fig.axes[0].get_xlabel()
    'Threat score (0 = none, 1 = maximum)'
    >>> alt.endswith("Top threats: Iran 0.47, Syria 0.42.")
    True
    """
    check_top(top)
    check_table(table, ["name", *FACTORS, "threat"], "table")
    ranked, parts = _threat_bar_data(table, weights, method, top)
    label = observer_label(observer, observer_name)
    fig = ThreatBarFigure(top)
    fig.subplots_adjust(left=0.3, right=0.78, top=0.88, bottom=0.15)
    ax = fig.axes[0]
    y = np.arange(top)
    left = np.zeros(top)
    containers = {}
    for k in FACTORS:
        colour, hatch = FACTOR_STYLES[k]
        widths = np.zeros(top)
        widths[: len(parts)] = parts[k].to_numpy()
        containers[k] = ax.barh(
            y, widths, left=left, color=colour, hatch=hatch, edgecolor=PALETTE["black"],
            linewidth=0.5, label=k,
        )
        left = left + widths
    labels = [""] * top
    labels[: len(ranked)] = source_labels(ranked)
    ax.set_yticks(y, [""] * top)
    names = [
        ax.text(-0.02, yi, lab, transform=ax.get_yaxis_transform(), ha="right", va="center",
                fontsize="medium", color=PALETTE["black"])
        for yi, lab in zip(y, labels, strict=True)
    ]
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("Threat score (0 = none, 1 = maximum)")
    ax.set_ylabel("Source state")
    ax.yaxis.set_label_coords(-0.58, 0.5)
    ax.set_title(f"Threat to {label} by source ({method})")
    ax.legend(
        handles=[
            Patch(facecolor=FACTOR_STYLES[k][0], hatch=FACTOR_STYLES[k][1],
                  edgecolor=PALETTE["black"], label=k)
            for k in FACTORS
        ],
        loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize="small", frameon=True,
        title="Factor", title_fontsize="small",
    )
    fig.bar_containers, fig.name_texts = containers, names
    fig.set_layers([p for c in containers.values() for p in c.patches],
                   slow=[*names, ax.title], sprites=names)
    return fig, _threat_bar_alt(ranked, label, method, table)


def update_threat_bar(
    fig: ThreatBarFigure,
    table: pd.DataFrame,
    observer: str,
    *,
    weights: Mapping[str, float] | None = None,
    method: str = "additive",
    observer_name: str | None = None,
) -> str:
    """Redraw a :func:`threat_bar` figure in place for a new table; return the alt text.

    The bar rectangles, source-name texts and title are mutated; no artist is added. They
    are all redrawn over the cached static layer (see :func:`figure_to_png_base64`), so a
    widget update, even one that changes the aggregation named in the title, does not
    redraw the whole figure.

    Examples
    --------
    >>> t = pd.DataFrame({"name": ["A", "B"], "power": [0.2, 0.6], "proximity": [1, 1],
    ...     "capability": [0.2, 0.6], "intent": [1, 1], "threat": [0.6, 0.8]},
    ...     index=["AAA", "BBB"])
    >>> fig, _ = threat_bar(t, "ZZZ", weights=dict.fromkeys(FACTORS, 1.0), top=2)
    >>> t2 = t.assign(threat=[0.9, 0.1])
    >>> alt = update_threat_bar(fig, t2, "ZZZ", weights=dict.fromkeys(FACTORS, 1.0))
    >>> [txt.get_text() for txt in fig.name_texts]
    ['A (AAA)', 'B (BBB)']
    """
    if not isinstance(fig, ThreatBarFigure):
        raise ValueError("fig must be a figure made by threat_bar()")
    top = fig.top
    ranked, parts = _threat_bar_data(table, weights, method, top)
    left = np.zeros(top)
    for k in FACTORS:
        widths = np.zeros(top)
        widths[: len(parts)] = parts[k].to_numpy()
        for rect, x0, wd in zip(fig.bar_containers[k].patches, left, widths, strict=True):
            rect.set_x(x0)
            rect.set_width(wd)
        left = left + widths
    ax = fig.axes[0]
    labels = [""] * top
    labels[: len(ranked)] = source_labels(ranked)
    for txt, lab in zip(fig.name_texts, labels, strict=True):
        if txt.get_text() != lab:
            txt.set_text(lab)
            fig.mark_slow_changed()
    label = observer_label(observer, observer_name)
    title = f"Threat to {label} by source ({method})"
    if ax.get_title() != title:
        ax.set_title(title)
        fig.mark_slow_changed()
    return _threat_bar_alt(ranked, label, method, table)

