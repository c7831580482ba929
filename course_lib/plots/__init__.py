"""Matplotlib figures for the course, each returned with its alt text.

Every figure function returns ``(fig, alt_text)``: a :class:`matplotlib.figure.Figure`
with a title and labelled axes, and a plain-language description built from the data it
shows (so a screen-reader user gets the same numbers a sighted reader sees). Figures are
created with :class:`matplotlib.figure.Figure` directly, not through ``pyplot``: they are
never registered with a notebook backend, so nothing is displayed twice and nothing leaks
between cells. Show them in a lesson with :func:`show_figure`.

The package, one job per module:

- :mod:`~course_lib.plots.style`: the Okabe-Ito palette, hatches, markers, sizes;
- one module per figure: :mod:`~course_lib.plots.threat_bars` (with
  :mod:`~course_lib.plots.contributions`), :mod:`~course_lib.plots.tier_map`,
  :mod:`~course_lib.plots.milestones`, :mod:`~course_lib.plots.powers`,
  :mod:`~course_lib.plots.robustness`, :mod:`~course_lib.plots.spending`;
- :mod:`~course_lib.plots.render`: :class:`LiveFigure`, the figure the widgets update in
  place, whose moving artists and pixel caches are explicit attributes, and
  :func:`figure_to_png_base64`;
- :mod:`~course_lib.plots.show`: :func:`img_tag`, :func:`figure_html` and :func:`show_figure`.

:func:`update_threat_bar`, :func:`update_decision_map`, :func:`update_timeline_chart` and
:func:`update_sensitivity_chart` mutate the artists of a figure made by the matching
function and return the new alt text; :func:`clear_threat_bar` empties a threat chart and
says why.

Examples
--------
>>> import pandas as pd
>>> states = pd.DataFrame(
...     {"name": ["Israel", "Iran"], "group": ["MENA", "MENA"],
...      "milex_usd_2022": [23.4e9, 6.8e9], "milex_share_gdp_2022_pct": [4.5, 1.7]},
...     index=pd.Index(["ISR", "IRN"], name="iso3"))
>>> fig, alt = milex_chart(states, ["ISR", "IRN"])
>>> fig.axes[0].get_title()
'Military expenditure in 2022'
>>> alt.split(". ", 1)[1]
'Largest: Israel 23.4 bn US$ (4.5% of GDP), Iran 6.8 bn US$ (1.7% of GDP).'
"""

from course_lib.plots.contributions import factor_contributions
from course_lib.plots.milestones import (
    TimelineFigure,
    timeline_chart,
    timeline_rows,
    update_timeline_chart,
)
from course_lib.plots.powers import regional_powers
from course_lib.plots.render import LiveFigure, figure_to_png_base64
from course_lib.plots.robustness import (
    SensitivityFigure,
    sensitivity_chart,
    update_sensitivity_chart,
)
from course_lib.plots.show import figure_html, img_tag, show_figure
from course_lib.plots.spending import milex_chart
from course_lib.plots.style import (
    CATEGORY_MARKERS,
    DISPLAY_DPI,
    DPI,
    FACTOR_STYLES,
    FIGSIZE,
    GROUP_STYLES,
    MIN_TEXT_PX,
    NEUTRALS,
    OKABE_ITO,
    PALETTE,
    TIER_STYLES,
    category_styles,
    display_size_px,
    figure_colours,
    text_size_px,
)
from course_lib.plots.threat_bars import (
    ThreatBarFigure,
    clear_threat_bar,
    threat_bar,
    update_threat_bar,
)
from course_lib.plots.tier_map import DecisionMapFigure, decision_map, update_decision_map

__all__ = [
    "PALETTE",
    "OKABE_ITO",
    "NEUTRALS",
    "FACTOR_STYLES",
    "TIER_STYLES",
    "GROUP_STYLES",
    "CATEGORY_MARKERS",
    "FIGSIZE",
    "DPI",
    "DISPLAY_DPI",
    "MIN_TEXT_PX",
    "display_size_px",
    "text_size_px",
    "category_styles",
    "figure_colours",
    "factor_contributions",
    "LiveFigure",
    "ThreatBarFigure",
    "DecisionMapFigure",
    "TimelineFigure",
    "SensitivityFigure",
    "threat_bar",
    "update_threat_bar",
    "clear_threat_bar",
    "decision_map",
    "update_decision_map",
    "timeline_chart",
    "timeline_rows",
    "update_timeline_chart",
    "regional_powers",
    "sensitivity_chart",
    "update_sensitivity_chart",
    "milex_chart",
    "figure_to_png_base64",
    "img_tag",
    "figure_html",
    "show_figure",
]
