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
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.collections import PathCollection
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from course_lib import _validate
from course_lib.plots._common import check_table
from course_lib.plots.render import LiveFigure
from course_lib.plots.style import PALETTE, category_styles

__all__ = ["TimelineFigure", "timeline_rows", "timeline_chart", "update_timeline_chart"]


class TimelineFigure(LiveFigure):
    """The figure :func:`timeline_chart` returns, with the artists an update mutates.

    Attributes
    ----------
    categories : list of str
        The categories that have a row (top to bottom).
    stable_layout : bool
        True: every category of the table has a row and the axis spans the whole table, the
        selected years shaded (a widget refilters without the layout jumping). False: rows
        and axis follow the selection.
    category_scatters : dict of str to PathCollection
        The points of each row.
    window : Rectangle
        The shaded year window (hidden unless ``stable_layout``).
    status_text : Text
        "N shown, first-last", between the title and the axes.
    empty_text : Text
        Says why the chart is empty (hidden while milestones are shown).
    """

    def __init__(self, categories: Sequence[str], stable_layout: bool = False) -> None:
        super().__init__()
        self.categories = list(categories)
        self.stable_layout = stable_layout
        self.category_scatters: dict[str, PathCollection] = {}
        self.window: Rectangle | None = None
        self.status_text: Text | None = None
        self.empty_text: Text | None = None


_EMPTY = "No milestones in the selected categories and years"


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
        f"Timeline chart of {len(shown)} milestone{'s' if len(shown) != 1 else ''} from "
        f"{years[0]} to {years[1]}, one row "
        f"per category ({parts}). Earliest: {str(first['event']).rstrip('.')} "
        f"({int(first['year'])}); latest: {str(last['event']).rstrip('.')} "
        f"({int(last['year'])})."
    )


def _timeline_status(shown: pd.DataFrame, years: tuple[int, int], shaded: bool = False) -> str:
    return f"{len(shown)} shown, {years[0]}-{years[1]}" + (" (shaded)" if shaded else "")


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
        pair = None if isinstance(years, str | bytes) else list(years)  # type: ignore[call-overload]
    except TypeError:
        pair = None
    if pair is None or len(pair) != 2:
        raise ValueError(f"years must be a pair (first, last) of integers, got {years!r}")
    lo, hi = (_validate.integer(year, "years", 0, 9999) for year in pair)
    if lo > hi:
        raise ValueError(f"years must satisfy first <= last, got {years!r}")
    return lo, hi


def _check_categories(categories: Sequence[str] | None, known: Sequence[str]) -> None:
    if categories is None:
        return
    if isinstance(categories, str):
        raise ValueError(f"categories must be a list of category names, got the string "
                         f"{categories!r}")
    unknown = sorted(set(categories) - set(known))
    if unknown:
        raise ValueError(f"categories must be among {list(known)}, got {unknown}")


def _timeline_title(years: tuple[int, int], rows: Sequence[str], n_all: int,
                    stable_layout: bool) -> str:
    if stable_layout:
        return f"Milestones by year and category, {years[0]}-{years[1]}"
    cats = "all categories" if len(rows) == n_all else f"{len(rows)} of {n_all} categories"
    return f"Milestones by year, {years[0]}-{years[1]}: {cats}"


def _draw_rows(ax: Any, shown: pd.DataFrame, rows: Sequence[str],
               styles: dict[str, tuple[str, str]]) -> dict[str, PathCollection]:
    scatters = {}
    for row, cat in enumerate(rows):
        colour, marker = styles[cat]
        pts = shown.loc[shown["category"] == cat, "year"].to_numpy(dtype=float)
        scatters[cat] = ax.scatter(
            pts, np.full(len(pts), row), marker=marker, s=40, c=colour,
            edgecolors=PALETTE["black"], linewidths=0.5, label=cat,
        )
    ax.set_yticks(np.arange(len(rows)), rows)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    return scatters


def timeline_chart(
    timeline: pd.DataFrame,
    *,
    categories: Sequence[str] | None = None,
    years: tuple[int, int] | None = None,
    stable_layout: bool = False,
) -> tuple[TimelineFigure, str]:
    """Plot milestones by year, one row (colour and marker) per category.

    Parameters
    ----------
    timeline : pandas.DataFrame
        From :func:`course_lib.datasets.load_timeline` (columns ``year``, ``event``,
        ``category``; ``date`` used for ordering when present).
    categories : sequence of str, optional
        Categories to show (default: all), one row each, in the table's order.
    years : (int, int), optional
        Inclusive year range (default: the table's range); the x axis spans it and the
        title names it.
    stable_layout : bool
        For a widget that refilters in place: every category of the table keeps its row,
        the axis spans the whole table and the selected years are shaded.

    Returns
    -------
    (Figure, str)

    Examples
    --------
    >>> tl = pd.DataFrame({"year": [1994, 2004, 2016], "category": ["Partnerships",
    ...     "Partnerships", "NATO-Israel"], "event": ["MD launched", "ICI launched",
    ...     "Israel mission at NATO HQ"]})
    >>> fig, alt = timeline_chart(tl, categories=["Partnerships"], years=(2000, 2010))
    >>> fig.axes[0].get_title(), [float(x) for x in fig.axes[0].get_xlim()], fig.categories
    ('Milestones by year, 2000-2010: 1 of 2 categories', [1999.0, 2011.0], ['Partnerships'])
    >>> alt.split(". ")[0]
    'Timeline chart of 1 milestone from 2000 to 2010, one row per category (Partnerships 1)'
    """
    check_table(timeline, ["year", "event", "category"], "timeline")
    all_cats = list(dict.fromkeys(timeline["category"]))
    styles = category_styles(all_cats)
    _check_categories(categories, all_cats)
    full = (int(timeline["year"].min()), int(timeline["year"].max()))
    years = _check_years(years) if years is not None else full
    shown = timeline_rows(timeline, categories, years)
    rows = all_cats if stable_layout or categories is None else [
        c for c in all_cats if c in set(categories)]
    span = full if stable_layout else years
    fig = TimelineFigure(rows, bool(stable_layout))
    fig.subplots_adjust(left=0.27, right=0.97, top=0.8, bottom=0.15)
    ax = fig.axes[0]
    scatters = _draw_rows(ax, shown, rows, styles)
    ax.set_xlim(span[0] - 1, span[1] + 1)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel("Year")
    ax.set_ylabel("Category")
    ax.set_title(_timeline_title(span, rows, len(all_cats), fig.stable_layout), pad=20)
    window = ax.axvspan(years[0] - 0.5, years[1] + 0.5, color=PALETTE["sky_blue"], alpha=0.15,
                        zorder=0, visible=fig.stable_layout)
    status = ax.text(0.5, 1.02, _timeline_status(shown, years, fig.stable_layout),
                     transform=ax.transAxes,
                     ha="center", va="bottom", fontsize="small", color=PALETTE["black"])
    empty = ax.text(0.5, 0.5, _EMPTY, transform=ax.transAxes, ha="center", va="center",
                    color=PALETTE["black"], visible=len(shown) == 0)
    fig.category_scatters, fig.window, fig.status_text = scatters, window, status
    fig.empty_text = empty
    fig.set_layers([window, *scatters.values(), status, empty])
    return fig, _timeline_alt(shown, all_cats, years)


def update_timeline_chart(
    fig: TimelineFigure,
    timeline: pd.DataFrame,
    *,
    categories: Sequence[str] | None = None,
    years: tuple[int, int] | None = None,
) -> tuple[pd.DataFrame, str]:
    """Refilter a :func:`timeline_chart` in place; return ``(shown rows, alt text)``.

    ``categories`` must be among the figure's rows (default: all of them). Without
    ``stable_layout`` the x axis and title follow ``years`` (the static layer is redrawn).

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
    _check_categories(categories, fig.categories)
    full = (int(timeline["year"].min()), int(timeline["year"].max()))
    years = _check_years(years) if years is not None else full
    shown = timeline_rows(timeline, fig.categories if categories is None else categories,
                          years)
    for row, cat in enumerate(fig.categories):
        pts = shown.loc[shown["category"] == cat, "year"].to_numpy(dtype=float)
        fig.category_scatters[cat].set_offsets(np.column_stack([pts, np.full(len(pts), row)]))
    x0, x1 = years[0] - 0.5, years[1] + 0.5
    fig.window.set_x(x0)
    fig.window.set_width(x1 - x0)
    fig.status_text.set_text(_timeline_status(shown, years, fig.stable_layout))
    fig.empty_text.set_visible(len(shown) == 0)
    ax = fig.axes[0]
    if not fig.stable_layout and ax.get_xlim() != (years[0] - 1, years[1] + 1):
        ax.set_xlim(years[0] - 1, years[1] + 1)
        n_all = len(dict.fromkeys(timeline["category"]))
        ax.set_title(_timeline_title(years, fig.categories, n_all, False), pad=20)
        fig.render_cache.dirty = True  # the x axis and title are in the static layer
    return shown, _timeline_alt(shown, fig.categories, years)

