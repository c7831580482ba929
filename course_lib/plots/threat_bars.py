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
from matplotlib.patches import Patch
from matplotlib.text import Text

from course_lib.plots._bars import HatchedBars
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

__all__ = ["ThreatBarFigure", "SEGMENT_MEANING", "threat_bar", "update_threat_bar",
           "clear_threat_bar"]


class ThreatBarFigure(LiveFigure):
    """The figure :func:`threat_bar` returns, with the artists an update mutates.

    Attributes
    ----------
    top : int
        Number of bar rows (fixed when the figure is made).
    segments : dict of str to HatchedBars
        Each factor's stacked segments, one per row (one hatched path per factor).
    name_texts : list of Text
        The source name of each row (left of the axes).
    empty_text : Text
        Says why the chart is empty (hidden while bars are shown).
    legend_title : Text
        What a segment means, above the legend ("Factor", or in geometric mode "Factor
        pulling the score down").
    """

    def __init__(self, top: int) -> None:
        super().__init__()
        self.top = top
        self.segments: dict[str, HatchedBars] = {}
        self.name_texts: list[Text] = []
        self.empty_text: Text | None = None
        self.legend_title: Text | None = None


#: What a bar segment means, per aggregation: (title line, legend title, alt text clause).
SEGMENT_MEANING: dict[str, tuple[str, str, str]] = {
    "additive": ("", "Factor", "each bar split into the weighted share of power, proximity, "
                 "capability and intent in the score"),
    "geometric": ("segment = how much each factor pulls the score down",
                  "Factor pulling\nthe score down",
                  "each bar as long as the score and split by how much each factor pulls the "
                  "score down (the longest segment is the factor that lowers it most, not the "
                  "one that raises it)"),
}

_NO_DATA = "No source has a full set of data to score."


def _threat_bar_data(table: pd.DataFrame, weights: Mapping[str, float] | None, method: str,
                     top: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    scored = table[table["threat"].notna()]
    ranked = scored.sort_values("threat", ascending=False, kind="stable").head(top)
    parts = factor_contributions(ranked, weights, method)
    return ranked, parts


def _threat_bar_title(label: str, method: str) -> str:
    extra = SEGMENT_MEANING[method][0]
    return f"Threat to {label} by source ({method})" + (f"\n{extra}" if extra else "")


def _threat_bar_alt(ranked: pd.DataFrame, label: str, method: str, table: pd.DataFrame
                    ) -> str:
    if ranked.empty:
        return (f"Empty stacked bar chart of the threat to {label}: {_NO_DATA[0].lower()}"
                f"{_NO_DATA[1:]}")
    head = ", ".join(
        f"{row['name']} {fmt(row['threat'])}" for _, row in ranked.head(3).iterrows()
    )
    missing = int(table["threat"].isna().sum())
    note = (f" {missing} source{'s' if missing != 1 else ''} without a full set of data "
            "left out." if missing else "")
    return (
        f"Horizontal stacked bar chart of the threat to {label} from the "
        f"{len(ranked)} highest-scoring of {len(table)} sources, {method} aggregation, "
        f"{SEGMENT_MEANING[method][2]}. "
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
    fig.subplots_adjust(left=0.3, right=0.75, top=0.84, bottom=0.15)
    ax = fig.axes[0]
    y = np.arange(top)
    segments = {}
    for k, (left, widths) in _segments(parts, top).items():
        colour, hatch = FACTOR_STYLES[k]
        segments[k] = HatchedBars(ax, y, left, widths, color=colour, hatch=hatch,
                                  edgecolor=PALETTE["black"], label=k)
    ax.set_yticks(y, [""] * top)
    names = [
        ax.text(-0.02, yi, lab, transform=ax.get_yaxis_transform(), ha="right", va="center",
                fontsize="medium", color=PALETTE["black"])
        for yi, lab in zip(y, _row_names(ranked, top), strict=True)
    ]
    ax.set_ylim(top - 0.5, -0.5)  # first row on top
    ax.set_xlim(0, 1)
    ax.set_xlabel("Threat score (0 = none, 1 = maximum)")
    ax.set_ylabel("Source state")
    ax.yaxis.set_label_coords(-0.58, 0.5)
    ax.set_title(_threat_bar_title(label, method), fontsize="medium")
    ax.legend(
        handles=[
            Patch(facecolor=FACTOR_STYLES[k][0], hatch=FACTOR_STYLES[k][1],
                  edgecolor=PALETTE["black"], label=k)
            for k in FACTORS
        ],
        loc="upper left", bbox_to_anchor=(1.01, 0.74), fontsize="small", frameon=True,
        borderaxespad=0.0,
    )
    legend_title = ax.text(1.01, 0.77, SEGMENT_MEANING[method][1], transform=ax.transAxes,
                           ha="left", va="bottom", fontsize="small", color=PALETTE["black"])
    empty = ax.text(0.5, 0.5, _NO_DATA, transform=ax.transAxes, ha="center", va="center",
                    color=PALETTE["black"], wrap=True, visible=ranked.empty)
    fig.segments, fig.name_texts, fig.empty_text = segments, names, empty
    fig.legend_title = legend_title
    fig.set_layers([*(b.patch for b in segments.values()), empty],
                   slow=[*names, ax.title, legend_title], sprites=names)
    return fig, _threat_bar_alt(ranked, label, method, table)


def _segments(parts: pd.DataFrame, top: int) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Left edges and widths of each factor's segment per row slot (zero for unused rows)."""
    out, left = {}, np.zeros(top)
    for k in FACTORS:
        widths = np.zeros(top)
        widths[: len(parts)] = np.nan_to_num(parts[k].to_numpy(dtype=float))
        out[k] = (left, widths)
        left = left + widths
    return out


def _row_names(ranked: pd.DataFrame, top: int) -> list[str]:
    labels = [""] * top
    labels[: len(ranked)] = source_labels(ranked)
    return labels


def _set_texts(fig: ThreatBarFigure, label: str, method: str, names: list[str]) -> None:
    """Set the row names, title and legend title; mark the slow layer when one changed."""
    ax = fig.axes[0]
    for txt, lab in zip(fig.name_texts, names, strict=True):
        if txt.get_text() != lab:
            txt.set_text(lab)
            fig.mark_slow_changed()
    title = _threat_bar_title(label, method)
    if ax.get_title() != title:
        ax.set_title(title, fontsize="medium")
        fig.mark_slow_changed()
    if fig.legend_title.get_text() != SEGMENT_MEANING[method][1]:
        fig.legend_title.set_text(SEGMENT_MEANING[method][1])
        fig.mark_slow_changed()


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
    for k, (left, widths) in _segments(parts, top).items():
        fig.segments[k].set(left, widths)
    label = observer_label(observer, observer_name)
    _set_texts(fig, label, method, _row_names(ranked, top))
    fig.empty_text.set_text(_NO_DATA)
    fig.empty_text.set_visible(ranked.empty)
    return _threat_bar_alt(ranked, label, method, table)


def clear_threat_bar(fig: ThreatBarFigure, observer: str, reason: str, *,
                     method: str = "additive", observer_name: str | None = None) -> str:
    """Empty a :func:`threat_bar` figure (no bars, no names), say why in it; return the alt.

    For a state with nothing to rank (e.g. every weight 0): the old ranking must not stay
    on screen or in the alt text.

    Examples
    --------
    >>> t = pd.DataFrame({"name": ["A"], "power": [0.2], "proximity": [1], "capability": [0.2],
    ...     "intent": [1], "threat": [0.6]}, index=["AAA"])
    >>> fig, _ = threat_bar(t, "ZZZ", top=1)
    >>> clear_threat_bar(fig, "ZZZ", "All weights are 0: raise at least one weight.")
    'Empty stacked bar chart of the threat to ZZZ: all weights are 0: raise at least one weight.'
    >>> fig.name_texts[0].get_text(), fig.segments["power"].width.tolist()
    ('', [0.0])
    """
    if not isinstance(fig, ThreatBarFigure):
        raise ValueError("fig must be a figure made by threat_bar()")
    if not isinstance(reason, str) or not reason.strip():
        raise ValueError("reason must be a non-empty sentence saying why the chart is empty")
    for bars in fig.segments.values():
        bars.set(np.zeros(fig.top), np.zeros(fig.top))
    label = observer_label(observer, observer_name)
    _set_texts(fig, label, method, [""] * fig.top)
    fig.empty_text.set_text(reason)
    fig.empty_text.set_visible(True)
    return f"Empty stacked bar chart of the threat to {label}: {reason[0].lower()}{reason[1:]}"
