"""Milestones by year and category: :func:`timeline_chart` and its in-place refilter.

Examples
--------
>>> tl = pd.DataFrame({"year": [1994, 2016], "category": ["P", "N"], "event": ["a", "b"]})
>>> fig, alt = timeline_chart(tl, years=(2000, 2016))
>>> fig.categories, fig.status_text.get_text()
(['P', 'N'], '1 shown, 2000-2016')
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.collections import PathCollection
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from course_lib.plots._common import check_table
from course_lib.plots.render import LiveFigure
from course_lib.plots.style import PALETTE, category_styles

__all__ = ["TimelineFigure", "timeline_rows", "timeline_chart", "update_timeline_chart"]


class TimelineFigure(LiveFigure):
    """The figure :func:`timeline_chart` returns, with the artists an update mutates.

    Attributes
    ----------
    categories : list of str
        Every category of the table, one row each (top to bottom).
    category_scatters : dict of str to PathCollection
        The points of each row.
    window : Rectangle
        The shaded year window.
    status_text : Text
        "N shown, first-last", above the axes.
    """

    def __init__(self, categories: Sequence[str]) -> None:
        super().__init__()
        self.categories = list(categories)
        self.category_scatters: dict[str, PathCollection] = {}
        self.window: Rectangle | None = None
        self.status_text: Text | None = None


def _timeline_alt(shown: pd.DataFrame, categories: Sequence[str], years: tuple[int, int]
                  ) -> str:
    if len(shown) == 0:
        return (
            f"Timeline chart, {years[0]} to {years[1]}: no milestones in the selected "
            "categories."
        )
    counts = shown["category"].value_counts()
    parts = ", ".join(f"{c} {int(counts.get(c, 0))}" for c in categories if counts.get(c, 0))
    first = shown.iloc[0]
    last = shown.iloc[-1]
    return (
        f"Timeline chart of {len(shown)} milestones from {years[0]} to {years[1]}, one row "
        f"per category ({parts}). Earliest: {str(first['event']).rstrip('.')} "
        f"({int(first['year'])}); latest: {str(last['event']).rstrip('.')} "
        f"({int(last['year'])})."
    )


def _timeline_status(shown: pd.DataFrame, years: tuple[int, int]) -> str:
    return f"{len(shown)} shown, {years[0]}-{years[1]}"


def timeline_rows(timeline: pd.DataFrame, categories: Sequence[str] | None,
                  years: tuple[int, int]) -> pd.DataFrame:
    """The milestones in ``categories`` (all when None) and the inclusive year range, in order.

    Examples
    --------
    >>> tl = pd.DataFrame({"year": [1994, 2004], "category": ["P", "N"], "event": ["a", "b"]})
    >>> timeline_rows(tl, ["N"], (1990, 2010))["event"].tolist()
    ['b']
    """
    sel = timeline
    if categories is not None:
        sel = sel[sel["category"].isin(list(categories))]
    sel = sel[(sel["year"] >= years[0]) & (sel["year"] <= years[1])]
    return sel.sort_values(["year", "date"], kind="stable") if "date" in sel else sel


def _check_years(years: object) -> tuple[int, int]:
    try:
        lo, hi = (int(years[0]), int(years[1]))
    except (TypeError, ValueError, IndexError):
        raise ValueError(f"years must be a pair (first, last) of integers, got {years!r}") from None
    if lo > hi:
        raise ValueError(f"years must satisfy first <= last, got {years!r}")
    return lo, hi


def timeline_chart(
    timeline: pd.DataFrame,
    *,
    categories: Sequence[str] | None = None,
    years: tuple[int, int] | None = None,
) -> tuple[TimelineFigure, str]:
    """Plot milestones by year, one row (colour and marker) per category.

    Parameters
    ----------
    timeline : pandas.DataFrame
        From :func:`course_lib.datasets.load_timeline` (columns ``year``, ``event``,
        ``category``; ``date`` used for ordering when present).
    categories : sequence of str, optional
        Categories to show (default: all). Every category of the table keeps its row, so
        the layout is stable when filtering.
    years : (int, int), optional
        Inclusive year range (default: the table's range). The axis always spans the whole
        table; the selected window is shaded and only its milestones are drawn.

    Returns
    -------
    (Figure, str)

    Examples
    --------
    >>> tl = pd.DataFrame({"year": [1994, 2004, 2016], "category": ["Partnerships",
    ...     "Partnerships", "NATO-Israel"], "event": ["MD launched", "ICI launched",
    ...     "Israel mission at NATO HQ"]})
    >>> fig, alt = timeline_chart(tl)
    >>> fig.axes[0].get_title(), fig.status_text.get_text()
    ('Milestones by year and category, 1994-2016', '3 shown, 1994-2016')
    >>> alt.split(". ")[0]
    'Timeline chart of 3 milestones from 1994 to 2016, one row per category (Partnerships 2, \
NATO-Israel 1)'
    """
    check_table(timeline, ["year", "event", "category"], "timeline")
    all_cats = list(dict.fromkeys(timeline["category"]))
    styles = category_styles(all_cats)
    if categories is not None:
        unknown = sorted(set(categories) - set(all_cats))
        if unknown:
            raise ValueError(f"categories must be among {all_cats}, got {unknown}")
    full = (int(timeline["year"].min()), int(timeline["year"].max()))
    years = _check_years(years) if years is not None else full
    shown = timeline_rows(timeline, categories, years)
    fig = TimelineFigure(all_cats)
    fig.subplots_adjust(left=0.27, right=0.97, top=0.88, bottom=0.15)
    ax = fig.axes[0]
    scatters = {}
    for row, cat in enumerate(all_cats):
        colour, marker = styles[cat]
        pts = shown.loc[shown["category"] == cat, "year"].to_numpy(dtype=float)
        scatters[cat] = ax.scatter(
            pts, np.full(len(pts), row), marker=marker, s=40, c=colour,
            edgecolors=PALETTE["black"], linewidths=0.5, label=cat,
        )
    ax.set_yticks(np.arange(len(all_cats)), all_cats)
    ax.set_ylim(len(all_cats) - 0.5, -0.5)
    ax.set_xlim(full[0] - 1, full[1] + 1)
    ax.set_xlabel("Year")
    ax.set_ylabel("Category")
    ax.set_title(f"Milestones by year and category, {full[0]}-{full[1]}")
    window = ax.axvspan(years[0] - 0.5, years[1] + 0.5, color=PALETTE["sky_blue"], alpha=0.15,
                        zorder=0)
    status = ax.text(0.99, 1.01, _timeline_status(shown, years), transform=ax.transAxes,
                     ha="right", va="bottom", fontsize="small", color=PALETTE["black"])
    fig.category_scatters, fig.window, fig.status_text = scatters, window, status
    fig.set_layers([window, *scatters.values(), status])
    return fig, _timeline_alt(shown, all_cats, years)


def update_timeline_chart(
    fig: TimelineFigure,
    timeline: pd.DataFrame,
    *,
    categories: Sequence[str] | None = None,
    years: tuple[int, int] | None = None,
) -> tuple[pd.DataFrame, str]:
    """Refilter a :func:`timeline_chart` in place; return ``(shown rows, alt text)``.

    Examples
    --------
    >>> tl = pd.DataFrame({"year": [1994, 2004, 2016], "category": ["P", "P", "N"],
    ...                    "event": ["a", "b", "c"]})
    >>> fig, _ = timeline_chart(tl)
    >>> shown, alt = update_timeline_chart(fig, tl, categories=["N"])
    >>> len(shown), fig.status_text.get_text()
    (1, '1 shown, 1994-2016')
    """
    if not isinstance(fig, TimelineFigure):
        raise ValueError("fig must be a figure made by timeline_chart()")
    full = (int(timeline["year"].min()), int(timeline["year"].max()))
    years = _check_years(years) if years is not None else full
    shown = timeline_rows(timeline, categories, years)
    for row, cat in enumerate(fig.categories):
        pts = shown.loc[shown["category"] == cat, "year"].to_numpy(dtype=float)
        fig.category_scatters[cat].set_offsets(np.column_stack([pts, np.full(len(pts), row)]))
    x0, x1 = years[0] - 0.5, years[1] + 0.5
    fig.window.set_x(x0)
    fig.window.set_width(x1 - x0)
    fig.status_text.set_text(_timeline_status(shown, years))
    return shown, _timeline_alt(shown, fig.categories, years)

