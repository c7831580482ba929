"""The timeline explorer: milestones by year and category, filtered by ticks and a year range.

Examples
--------
>>> w = TimelineExplorer()
>>> w.years.value = (2016, 2016)
>>> sorted(set(w.shown["year"].tolist()))
[2016]
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets
import pandas as pd

from course_lib.datasets import load_timeline
from course_lib.plots import timeline_chart, timeline_rows, update_timeline_chart
from course_lib.widgets._base import (
    _STYLE,
    _align,
    _checkbox,
    _Composite,
    _control_column,
    _live,
    _table_html,
)

__all__ = ["TimelineExplorer", "timeline_explorer"]


class TimelineExplorer(_Composite):
    """Milestones by year and category, filterable.

    Attributes
    ----------
    category_boxes : dict of str to ipywidgets.Checkbox
        One checkbox per category.
    years : ipywidgets.IntRangeSlider
        Inclusive year range (``course-poke``).
    count_label, table_html, figure_html : ipywidgets.HTML
    shown : pandas.DataFrame
        The milestones currently shown.
    """

    placeholder_name = "Timeline explorer"

    def __init__(self, timeline: pd.DataFrame | None = None) -> None:
        if timeline is None:
            timeline = load_timeline()
        self._timeline = timeline
        cats = list(dict.fromkeys(timeline["category"]))
        self.category_boxes = {
            c: _checkbox(c, True, f"Show milestones in the category {c}") for c in cats
        }
        lo, hi = int(timeline["year"].min()), int(timeline["year"].max())
        self.years = widgets.IntRangeSlider(
            value=(lo, hi), min=lo, max=hi, step=1, description="Years",
            description_allow_html=False, tooltip="First and last year shown",
            continuous_update=False, style=_STYLE, layout=widgets.Layout(width="520px"),
        )
        _align(self.years)
        self.count_label = widgets.HTML()
        self.table_html = widgets.HTML()
        self.figure_html = widgets.HTML()
        self._batch = False
        self.figure, alt = timeline_chart(timeline, categories=self.categories,
                                          years=self.years.value, stable_layout=True)
        self.shown = timeline_rows(timeline, self.categories, self.years.value)
        self._show(alt)
        self._texts()
        super().__init__(children=[
            widgets.HTML("<b>Categories</b>"),
            widgets.GridBox(list(self.category_boxes.values()),
                            layout=widgets.Layout(
                                grid_template_columns="repeat(auto-fill, minmax(220px, 1fr))")),
            _control_column([self.years]), self.count_label, self.figure_html, self.table_html,
        ])
        self._mark(self.years, self.figure_html)
        for w in (self.years, *self.category_boxes.values()):
            w.observe(self._update, names="value")

    def __repr__(self) -> str:
        lo, hi = self.years.value
        return f"TimelineExplorer(categories={len(self.categories)}, years=({lo}, {hi}))"

    @property
    def categories(self) -> list[str]:
        """Categories currently ticked."""
        return [c for c, b in self.category_boxes.items() if b.value]

    def set_categories(self, categories: Sequence[str]) -> None:
        """Tick exactly ``categories`` (one redraw).

        Examples
        --------
        >>> w = timeline_explorer()
        >>> w.set_categories(["NATO-Israel"])
        >>> set(w.shown["category"])
        {'NATO-Israel'}
        """
        unknown = sorted(set(categories) - set(self.category_boxes))
        if unknown:
            raise ValueError(f"categories must be among {list(self.category_boxes)}, "
                             f"got {unknown}")
        self._batch = True
        try:
            for c, b in self.category_boxes.items():
                b.value = c in categories
        finally:
            self._batch = False
        self._update()

    def _texts(self) -> None:
        n = len(self.shown)
        lo, hi = self.years.value
        self.count_label.value = _live(
            f"<b>{n} milestone{'s' if n != 1 else ''} shown</b> ({lo}-{hi}, "
            f"{len(self.categories)} of {len(self.category_boxes)} categories)."
        )
        t = self.shown
        dates = t["date"] if "date" in t else t["year"]
        sources = t["source"].fillna("") if "source" in t else [""] * len(t)
        rows = []
        for date, event, category, source in zip(dates, t["event"], t["category"], sources,
                                                  strict=True):
            src = str(source or "")
            link = (f'<a href="{html.escape(src, quote=True)}">source</a>'
                    if src.startswith("http") else html.escape(src))
            rows.append([html.escape(str(date)), html.escape(str(event)),
                         html.escape(str(category)), link])
        self.table_html.value = _table_html("Milestones shown", ["Date", "Event", "Category",
                                                                 "Source"], rows)

    def _update(self, change: Any = None) -> None:
        if self._batch:
            return
        self.shown, alt = update_timeline_chart(self.figure, self._timeline,
                                                categories=self.categories,
                                                years=self.years.value)
        self._show(alt)
        self._texts()


def timeline_explorer(timeline: pd.DataFrame | None = None) -> TimelineExplorer:
    """Build a :class:`TimelineExplorer` (default: the packaged timeline).

    Examples
    --------
    >>> w = timeline_explorer()
    >>> w.years.value = (2004, 2004)
    >>> sorted(set(w.shown["year"].tolist()))
    [2004]
    """
    return TimelineExplorer(timeline)

