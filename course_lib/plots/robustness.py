"""Monte Carlo ranges of threat scores: :func:`sensitivity_chart` and its in-place update.

Examples
--------
>>> s = pd.DataFrame({"p05": [0.4], "median": [0.5], "p95": [0.6]}, index=["IRN"])
>>> fig, alt = sensitivity_chart(s, "ISR", top=1)
>>> fig.row_labels, alt.split("Top: ")[1]
(['IRN (IRN)'], 'IRN 0.50 (0.40 to 0.60).')
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.collections import PathCollection
from matplotlib.text import Text

from course_lib.plots._bars import HatchedBars
from course_lib.plots._common import check_top, fmt, observer_label, source_labels
from course_lib.plots.render import LiveFigure
from course_lib.plots.style import PALETTE

__all__ = ["SensitivityFigure", "sensitivity_chart", "update_sensitivity_chart"]

_SENS_LAYOUTS = (
    ("threat_p05", "threat_mean", "threat_p95", "mean"),
    ("p05", "median", "p95", "median"),
    ("threat_min", "threat_mean", "threat_max", "mean"),
)


class SensitivityFigure(LiveFigure):
    """The figure :func:`sensitivity_chart` returns, with the artists an update mutates.

    Attributes
    ----------
    top : int
        Number of rows (fixed when the figure is made).
    range_bars : HatchedBars
        One low-to-high bar per row (one hatched path).
    centre_dots : PathCollection
        The centre value of each row.
    row_labels : list of str
        The source names as drawn ("Name (CODE)", empty for unused rows).
    name_texts : list of Text
        The source name of each row (left of the axes; pixels cached per name).
    empty_text : Text
        Says why the chart is empty (hidden while ranges are shown).
    """

    def __init__(self, top: int) -> None:
        super().__init__()
        self.top = top
        self.range_bars: HatchedBars | None = None
        self.centre_dots: PathCollection | None = None
        self.row_labels: list[str] = []
        self.name_texts: list[Text] = []
        self.empty_text: Text | None = None


_NO_SCORES = "No source could be scored."


def _ranges(summary: pd.DataFrame, cols: tuple[str, str, str, str], top: int
            ) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray]:
    """The ``top`` ranked rows and, per row slot, bar left edge, bar width and centre."""
    lo, mid, hi, _ = cols
    ranked = summary[summary[mid].notna()].sort_values(mid, ascending=False, kind="stable")
    ranked = ranked.head(top)
    n = len(ranked)
    left = np.zeros(top)
    width = np.zeros(top)
    med = np.full(top, np.nan)
    left[:n] = ranked[lo].to_numpy(dtype=float)
    width[:n] = ranked[hi].to_numpy(dtype=float) - left[:n]
    med[:n] = ranked[mid].to_numpy(dtype=float)
    return ranked, left, width, med


def _row_labels(ranked: pd.DataFrame, top: int) -> list[str]:
    labels = [""] * top
    labels[: len(ranked)] = source_labels(ranked)
    return labels


def _sens_columns(summary: pd.DataFrame) -> tuple[str, str, str, str]:
    for lo, mid, hi, label in _SENS_LAYOUTS:
        if {lo, mid, hi} <= set(summary.columns):
            return lo, mid, hi, label
    raise ValueError(
        "summary must have low/centre/high columns such as ('threat_p05', 'threat_mean', "
        f"'threat_p95') from course_lib.threat.weight_sensitivity, got {list(summary.columns)}"
    )


def _sens_alt(summary: pd.DataFrame, cols: tuple[str, str, str, str], obs_label: str,
              n_draws: int | None) -> str:
    lo, mid, hi, label = cols
    if summary.empty:
        return f"Empty range chart of threat scores to {obs_label}: {_NO_SCORES.lower()}"
    items = ", ".join(
        f"{row['name'] if 'name' in summary else idx} {fmt(row[mid])} "
        f"({fmt(row[lo])} to {fmt(row[hi])})"
        for idx, row in summary.head(3).iterrows()
    )
    draws = f" over {n_draws} random weight draws" if n_draws else ""
    extra = ""
    if "share_first" in summary.columns and summary["share_first"].notna().any():
        best = summary["share_first"].astype(float).idxmax()
        name = summary.loc[best, "name"] if "name" in summary else best
        extra = f" {name} ranks first in {summary.loc[best, 'share_first']:.0%} of draws."
    span = "the lowest to the highest score" if lo.endswith("min") else (
        "the 5th to the 95th percentile")
    return (
        f"Range chart of threat scores to {obs_label}{draws}: bars span {span}, "
        f"dots mark the {label}. Top: {items}.{extra}"
    )


def sensitivity_chart(
    summary: pd.DataFrame,
    observer: str,
    *,
    n_draws: int | None = None,
    top: int = 8,
    observer_name: str | None = None,
) -> tuple[SensitivityFigure, str]:
    """Monte Carlo ranges of threat scores: a bar from low to high, a dot at the centre.

    Parameters
    ----------
    summary : pandas.DataFrame
        One row per source, as from :func:`course_lib.threat.weight_sensitivity`: columns
        ``threat_p05, threat_mean, threat_p95`` (or ``p05, median, p95``, or
        ``threat_min, threat_mean, threat_max``), optionally ``name`` and ``share_first``
        (share of draws in which the source ranks first). Rows without a score are left out.
    observer : str
        ISO3 code of the observer.
    n_draws : int, optional
        Number of draws (stated in the alt text).
    top : int
        Sources shown (highest centre value first), in [1, 30].
    observer_name : str, optional

    Returns
    -------
    (Figure, str)

    Examples
    --------
    >>> s = pd.DataFrame({"name": ["Iran", "Syria"], "threat_p05": [0.4, 0.3],
    ...     "threat_mean": [0.5, 0.45], "threat_p95": [0.6, 0.55],
    ...     "share_first": [0.8, 0.2]}, index=["IRN", "SYR"])
    >>> fig, alt = sensitivity_chart(s, "ISR", n_draws=200)
    >>> alt.split("Top: ")[1]
    'Iran 0.50 (0.40 to 0.60), Syria 0.45 (0.30 to 0.55). Iran ranks first in 80% of draws.'
    """
    check_top(top)
    cols = _sens_columns(summary)
    lo, _, _, label = cols
    ranked, left, width, med = _ranges(summary, cols, top)
    obs_label = observer_label(observer, observer_name)
    fig = SensitivityFigure(top)
    fig.subplots_adjust(left=0.3, right=0.78, top=0.88, bottom=0.15)
    ax = fig.axes[0]
    y = np.arange(top)
    span = "lowest to\nhighest" if lo.endswith("min") else "5th to 95th\npercentile"
    bars = HatchedBars(ax, y, left, width, height=0.5, color=PALETTE["sky_blue"], hatch="//",
                       edgecolor=PALETTE["black"], label=span)
    dots = ax.scatter(med, y, marker="o", s=36, c=PALETTE["black"], zorder=3, label=label)
    labels = _row_labels(ranked, top)
    ax.set_yticks(y, [""] * top)
    names = [ax.text(-0.02, yi, lab, transform=ax.get_yaxis_transform(), ha="right",
                     va="center", color=PALETTE["black"])
             for yi, lab in zip(y, labels, strict=True)]
    ax.yaxis.set_label_coords(-0.55, 0.5)
    ax.set_ylim(top - 0.5, -0.5)  # first row on top
    ax.set_xlim(0, 1)
    ax.set_xlabel("Threat score (0 to 1)")
    ax.set_ylabel("Source state")
    draws = f", {n_draws} draws" if n_draws else ""
    ax.set_title(f"How robust is the ranking? Threat to {obs_label}{draws}",
                 fontsize="medium")
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize="small",
              borderaxespad=0.2, handlelength=1.5)
    empty = ax.text(0.5, 0.5, _NO_SCORES, transform=ax.transAxes, ha="center", va="center",
                    color=PALETTE["black"], visible=ranked.empty)
    fig.range_bars, fig.centre_dots, fig.row_labels = bars, dots, labels
    fig.empty_text, fig.name_texts = empty, names
    fig.set_layers([bars.patch, dots, empty], slow=[*names, ax.title], sprites=names)
    return fig, _sens_alt(ranked, cols, obs_label, n_draws)


def update_sensitivity_chart(
    fig: SensitivityFigure,
    summary: pd.DataFrame,
    observer: str,
    *,
    n_draws: int | None = None,
    observer_name: str | None = None,
) -> str:
    """Redraw a :func:`sensitivity_chart` in place; return the new alt text.

    The range bars, centre dots, source names and title are mutated; they are redrawn over
    the cached static layer (see :func:`figure_to_png_base64`).

    Examples
    --------
    >>> s = pd.DataFrame({"p05": [0.4], "median": [0.5], "p95": [0.6]}, index=["IRN"])
    >>> fig, _ = sensitivity_chart(s, "ISR", top=1)
    >>> alt = update_sensitivity_chart(fig, s * 0.5, "ISR", n_draws=10)
    >>> round(float(fig.range_bars.left[0]), 2)
    0.2
    >>> update_sensitivity_chart(fig, s.iloc[:0], "ISR")
    'Empty range chart of threat scores to ISR: no source could be scored.'
    >>> fig.row_labels, fig.empty_text.get_visible()
    ([''], True)
    """
    if not isinstance(fig, SensitivityFigure):
        raise ValueError("fig must be a figure made by sensitivity_chart()")
    cols = _sens_columns(summary)
    top = fig.top
    ranked, left, width, med = _ranges(summary, cols, top)
    fig.range_bars.set(left, width)
    fig.centre_dots.set_offsets(np.column_stack([med, np.arange(top)]))
    ax = fig.axes[0]
    labels = _row_labels(ranked, top)
    if labels != fig.row_labels:
        for txt, lab in zip(fig.name_texts, labels, strict=True):
            txt.set_text(lab)
        fig.row_labels = labels
        fig.mark_slow_changed()
    fig.empty_text.set_visible(ranked.empty)
    obs_label = observer_label(observer, observer_name)
    draws = f", {n_draws} draws" if n_draws else ""
    title = f"How robust is the ranking? Threat to {obs_label}{draws}"
    if ax.get_title() != title:
        ax.set_title(title, fontsize="medium")
        fig.mark_slow_changed()
    return _sens_alt(ranked, cols, obs_label, n_draws)

