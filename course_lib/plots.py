"""Matplotlib figures for the course, each returned with its alt text.

Every figure function returns ``(fig, alt_text)``: a :class:`matplotlib.figure.Figure`
with a title and labelled axes, and a plain-language description built from the data it
shows (so a screen-reader user gets the same numbers a sighted reader sees). Figures are
created with :class:`matplotlib.figure.Figure` directly, not through ``pyplot``: they are
never registered with a notebook backend, so nothing is displayed twice and nothing leaks
between cells. Show them in a lesson with :func:`show_figure`.

Colours come from one place, :data:`PALETTE` (Okabe & Ito 2008, "Color Universal
Design"), a set that stays distinguishable under the common forms of colour-vision
deficiency. Nothing relies on colour alone: bars carry hatching, points carry marker
shapes, and map regions carry text labels.

Some figures can be updated in place (the widgets use this): :func:`update_threat_bar`,
:func:`update_decision_map`, :func:`update_timeline_chart` and
:func:`update_sensitivity_chart` mutate the artists of a figure made by the matching
function and return the new alt text.

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

from __future__ import annotations

import base64
import html
import io
import math
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - typing only
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = [
    "PALETTE",
    "OKABE_ITO",
    "FACTOR_STYLES",
    "TIER_STYLES",
    "GROUP_STYLES",
    "CATEGORY_MARKERS",
    "FIGSIZE",
    "DPI",
    "category_styles",
    "factor_contributions",
    "threat_bar",
    "update_threat_bar",
    "decision_map",
    "update_decision_map",
    "timeline_chart",
    "update_timeline_chart",
    "regional_powers",
    "sensitivity_chart",
    "update_sensitivity_chart",
    "milex_chart",
    "figure_to_png_base64",
    "figure_html",
    "show_figure",
]

#: The Okabe-Ito colour-blind-safe palette (name -> hex), the only colours figures use.
PALETTE: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: The palette's colours in their canonical order.
OKABE_ITO: tuple[str, ...] = tuple(PALETTE.values())

#: Neutral colours allowed besides the palette (figure and axes background).
NEUTRALS: tuple[str, ...] = ("#FFFFFF",)

#: Per Walt factor: (colour, hatch).
FACTOR_STYLES: dict[str, tuple[str, str]] = {
    "power": (PALETTE["blue"], ""),
    "proximity": (PALETTE["orange"], "//"),
    "capability": (PALETTE["bluish_green"], ".."),
    "intent": (PALETTE["vermillion"], "xx"),
}

#: Per tier: (colour, hatch). Ordered from least to most commitment.
TIER_STYLES: dict[str, tuple[str, str]] = {
    "none": (PALETTE["yellow"], ""),
    "ad_hoc": (PALETTE["sky_blue"], ".."),
    "partnership": (PALETTE["bluish_green"], "//"),
    "alliance": (PALETTE["blue"], "xx"),
}

#: Per state group: (colour, hatch, marker).
GROUP_STYLES: dict[str, tuple[str, str, str]] = {
    "NATO": (PALETTE["blue"], "", "o"),
    "MENA": (PALETTE["orange"], "//", "s"),
    "Other": (PALETTE["reddish_purple"], "..", "^"),
}

#: Markers cycled over timeline categories (paired with palette colours).
CATEGORY_MARKERS: tuple[str, ...] = ("o", "s", "^", "D", "v", "P", "X", "*")

#: Default figure size in inches and resolution (small figures render fast).
FIGSIZE: tuple[float, float] = (6.4, 3.6)
DPI: int = 80

_FACTORS: tuple[str, ...] = ("power", "proximity", "capability", "intent")
_EPS = 1e-6


# --------------------------------------------------------------------------- helpers
def _new_figure(figsize: tuple[float, float] = FIGSIZE) -> Figure:
    """Return a figure with one axes, not registered with pyplot."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, dpi=DPI, facecolor=NEUTRALS[0])
    fig.add_subplot(facecolor=NEUTRALS[0])
    return fig


def _fmt(x: float, digits: int = 2) -> str:
    """Format a number for alt text (``'n/a'`` when missing)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return f"{x:.{digits}f}"


def _check_table(table: pd.DataFrame, columns: Iterable[str], argname: str) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"{argname} must have the columns {sorted(columns)}, missing {missing}")


def _check_top(top: int) -> None:
    if not isinstance(top, int) or isinstance(top, bool) or not 1 <= top <= 30:
        raise ValueError(f"top must be an integer in [1, 30], got {top!r}")


def category_styles(categories: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Assign each category a palette colour and a marker, in the order given.

    Parameters
    ----------
    categories : iterable of str
        Category names; duplicates are ignored, first appearance wins.

    Returns
    -------
    dict
        ``{category: (hex colour, marker)}``. Colours skip black (kept for text) and cycle
        through the other seven palette colours; markers cycle through
        :data:`CATEGORY_MARKERS`, so two categories never share both colour and marker.

    Examples
    --------
    >>> category_styles(["Partnerships", "NATO-Israel"])
    {'Partnerships': ('#E69F00', 'o'), 'NATO-Israel': ('#56B4E9', 's')}
    """
    colours = [c for c in OKABE_ITO if c != PALETTE["black"]]
    out: dict[str, tuple[str, str]] = {}
    for cat in categories:
        if cat in out:
            continue
        i = len(out)
        out[cat] = (colours[i % len(colours)], CATEGORY_MARKERS[i % len(CATEGORY_MARKERS)])
    return out


# --------------------------------------------------------------------- threat bars
def _resolve_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    if weights is None:
        from course_lib.threat import DEFAULT_WEIGHTS

        weights = DEFAULT_WEIGHTS
    out = {}
    for k in _FACTORS:
        w = float(weights.get(k, 0.0))
        if not math.isfinite(w) or w < 0:
            raise ValueError(f"weights[{k!r}] must be a finite number >= 0, got {w!r}")
        out[k] = w
    if sum(out.values()) <= 0:
        raise ValueError("weights must have a positive sum, got all zeros")
    return out


def factor_contributions(
    table: pd.DataFrame,
    weights: Mapping[str, float] | None = None,
    method: str = "additive",
) -> pd.DataFrame:
    """Split each source's threat score into one part per Walt factor, for stacked bars.

    Parameters
    ----------
    table : pandas.DataFrame
        A threat table (as from :func:`course_lib.threat.threat_to`) with the columns
        ``power, proximity, capability, intent``. Rows with a missing factor get NaN parts.
    weights : mapping, optional
        Factor weights naming all four factors (``>= 0``, positive sum); defaults to
        :data:`course_lib.threat.DEFAULT_WEIGHTS`.
    method : {"additive", "geometric"}
        Additive: part ``k`` is ``w_k f_k / sum(w)`` (as in
        :func:`course_lib.threat.threat_breakdown`). Geometric: the score's logarithm is a
        weighted sum of log factors, so part ``k`` is the score times factor ``k``'s share of
        that sum (the factor that holds the score down most takes the largest part). Either
        way the parts add up to the score.

    Returns
    -------
    pandas.DataFrame
        Same index, one column per factor.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"power": [0.5], "proximity": [1.0], "capability": [0.5],
    ...                   "intent": [1.0]}, index=["X"])
    >>> w = {"power": 1, "proximity": 1, "capability": 1, "intent": 1}
    >>> factor_contributions(t, w).round(3).to_dict("records")
    [{'power': 0.125, 'proximity': 0.25, 'capability': 0.125, 'intent': 0.25}]
    >>> g = factor_contributions(t, w, "geometric")
    >>> round(float(g.sum(axis=1).iloc[0]), 4), float(g["intent"].iloc[0])
    (0.7071, 0.0)
    """
    import numpy as np
    import pandas as pd

    from course_lib.threat import threat_breakdown

    _check_table(table, _FACTORS, "table")
    if method not in ("additive", "geometric"):
        raise ValueError(f"method must be 'additive' or 'geometric', got {method!r}")
    out = pd.DataFrame(np.nan, index=table.index, columns=list(_FACTORS))
    complete = table[list(_FACTORS)].notna().all(axis=1)
    if not complete.any():
        return out
    parts = threat_breakdown(table.loc[complete, list(_FACTORS)], weights, method)
    values = parts[list(_FACTORS)].to_numpy(dtype=float)
    if method == "geometric":
        score = parts["threat"].to_numpy(dtype=float)[:, None]
        denom = values.sum(axis=1, keepdims=True)
        w = np.array([float(weights[k]) for k in _FACTORS]) if weights else np.ones(4)
        even = np.broadcast_to(w / w.sum(), values.shape)
        safe = np.where(denom < 0, denom, 1.0)
        values = np.where(denom < 0, values / safe, even) * score
    out.loc[complete, list(_FACTORS)] = values
    return out


def _threat_bar_data(table, weights, method, top):
    scored = table[table["threat"].notna()]
    ranked = scored.sort_values("threat", ascending=False, kind="stable").head(top)
    parts = factor_contributions(ranked, weights, method)
    return ranked, parts


def _source_labels(ranked) -> list[str]:
    names = ranked["name"] if "name" in ranked else ranked.index
    return [f"{n} ({c})" for c, n in zip(ranked.index, names, strict=True)]


def _threat_bar_alt(ranked, observer_label, method, table) -> str:
    head = ", ".join(
        f"{row['name']} {_fmt(row['threat'])}" for _, row in ranked.head(3).iterrows()
    )
    missing = int(table["threat"].isna().sum())
    note = (f" {missing} source{'s' if missing != 1 else ''} without a full set of data "
            "left out." if missing else "")
    return (
        f"Horizontal stacked bar chart of the threat to {observer_label} from the "
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
) -> tuple[Figure, str]:
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
    >>> import pandas as pd
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
    _check_top(top)
    _check_table(table, ["name", *_FACTORS, "threat"], "table")
    import numpy as np
    from matplotlib.patches import Patch

    ranked, parts = _threat_bar_data(table, weights, method, top)
    observer_label = f"{observer_name} ({observer})" if observer_name else observer
    fig = _new_figure()
    fig.subplots_adjust(left=0.3, right=0.78, top=0.88, bottom=0.15)
    ax = fig.axes[0]
    y = np.arange(top)
    left = np.zeros(top)
    containers = {}
    for k in _FACTORS:
        colour, hatch = FACTOR_STYLES[k]
        widths = np.zeros(top)
        widths[: len(parts)] = parts[k].to_numpy()
        containers[k] = ax.barh(
            y, widths, left=left, color=colour, hatch=hatch, edgecolor=PALETTE["black"],
            linewidth=0.5, label=k,
        )
        left = left + widths
    labels = [""] * top
    labels[: len(ranked)] = _source_labels(ranked)
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
    ax.set_title(f"Threat to {observer_label} by source ({method})")
    ax.legend(
        handles=[
            Patch(facecolor=FACTOR_STYLES[k][0], hatch=FACTOR_STYLES[k][1],
                  edgecolor=PALETTE["black"], label=k)
            for k in _FACTORS
        ],
        loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize="small", frameon=True,
        title="Factor", title_fontsize="small",
    )
    fig._course = {"kind": "threat_bar", "containers": containers, "top": top,
                   "names": names}
    _animate(fig, [p for c in containers.values() for p in c.patches],
             slow=[*names, ax.title], sprites=names)
    return fig, _threat_bar_alt(ranked, observer_label, method, table)


def update_threat_bar(
    fig: Figure,
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
    >>> import pandas as pd
    >>> t = pd.DataFrame({"name": ["A", "B"], "power": [0.2, 0.6], "proximity": [1, 1],
    ...     "capability": [0.2, 0.6], "intent": [1, 1], "threat": [0.6, 0.8]},
    ...     index=["AAA", "BBB"])
    >>> fig, _ = threat_bar(t, "ZZZ", weights=dict.fromkeys(_FACTORS, 1.0), top=2)
    >>> t2 = t.assign(threat=[0.9, 0.1])
    >>> alt = update_threat_bar(fig, t2, "ZZZ", weights=dict.fromkeys(_FACTORS, 1.0))
    >>> [txt.get_text() for txt in fig._course["names"]]
    ['A (AAA)', 'B (BBB)']
    """
    import numpy as np

    handles = getattr(fig, "_course", {})
    if handles.get("kind") != "threat_bar":
        raise ValueError("fig must be a figure made by threat_bar()")
    top = handles["top"]
    ranked, parts = _threat_bar_data(table, weights, method, top)
    left = np.zeros(top)
    for k in _FACTORS:
        widths = np.zeros(top)
        widths[: len(parts)] = parts[k].to_numpy()
        for rect, x0, wd in zip(handles["containers"][k].patches, left, widths, strict=True):
            rect.set_x(x0)
            rect.set_width(wd)
        left = left + widths
    ax = fig.axes[0]
    labels = [""] * top
    labels[: len(ranked)] = _source_labels(ranked)
    for txt, lab in zip(handles["names"], labels, strict=True):
        if txt.get_text() != lab:
            txt.set_text(lab)
            handles["slow_dirty"] = True
    observer_label = f"{observer_name} ({observer})" if observer_name else observer
    title = f"Threat to {observer_label} by source ({method})"
    if ax.get_title() != title:
        ax.set_title(title)
        handles["slow_dirty"] = True
    return _threat_bar_alt(ranked, observer_label, method, table)


# ------------------------------------------------------------------- decision map
_DEFAULT_TIER_LABELS = {
    "none": "No alignment",
    "ad_hoc": "Ad hoc cooperation",
    "partnership": "Partnership",
    "alliance": "Formal alliance",
}


def _grid_codes(grid: pd.DataFrame):
    import numpy as np

    order = list(TIER_STYLES)
    bad = sorted(set(grid.to_numpy().ravel()) - set(order))
    if bad:
        raise ValueError(f"grid values must be tier keys {order}, got {bad}")
    lookup = {k: i for i, k in enumerate(order)}
    return np.vectorize(lookup.__getitem__, otypes=[float])(grid.to_numpy())


def _decision_alt(grid, codes, point, tier, labels) -> str:
    import numpy as np

    order = list(TIER_STYLES)
    shares = []
    for i, k in enumerate(order):
        share = float(np.mean(codes == i))
        if share > 0:
            shares.append(f"{labels.get(k, k)} {share:.0%}")
    text = (
        "Decision map: threat (vertical, 0 to 1) against the value placed on autonomy "
        "(horizontal, 0 to 1), each region labelled with the tier chosen there. "
        f"Share of the map per tier: {', '.join(shares)}."
    )
    if point is not None:
        a, t = point
        text += f" Current point: autonomy {_fmt(a)}, threat {_fmt(t)}"
        text += f", tier {labels.get(tier, tier)}." if tier else "."
    return text


def _place_region_labels(ax, texts, codes, xs, ys) -> None:
    import numpy as np

    for i, txt in enumerate(texts):
        mask = codes == i
        if not mask.any():
            txt.set_visible(False)
            continue
        rows, cols = np.nonzero(mask)
        txt.set_position((float(np.mean(xs[cols])), float(np.mean(ys[rows]))))
        txt.set_visible(True)


def decision_map(
    grid: pd.DataFrame,
    *,
    point: tuple[float, float] | None = None,
    tier: str | None = None,
    labels: Mapping[str, str] | None = None,
    subtitle: str | None = None,
) -> tuple[Figure, str]:
    """Colour the threat x autonomy plane by the tier chosen at each point.

    Parameters
    ----------
    grid : pandas.DataFrame
        Tier keys (``none, ad_hoc, partnership, alliance``); index: threat values
        (ascending), columns: autonomy values (ascending), as from
        :func:`course_lib.tiers.decision_grid`.
    point : (float, float), optional
        Current ``(autonomy, threat)``, drawn as a star.
    tier : str, optional
        Tier chosen at ``point`` (named in the alt text).
    labels : mapping, optional
        Display names per tier key.
    subtitle : str, optional
        Text appended to the title (e.g. the fixed inputs).

    Returns
    -------
    (Figure, str)

    Examples
    --------
    >>> import pandas as pd
    >>> g = pd.DataFrame([["partnership", "none"], ["alliance", "ad_hoc"]],
    ...                  index=[0.0, 1.0], columns=[0.0, 1.0])
    >>> fig, alt = decision_map(g, point=(0.2, 0.9), tier="alliance")
    >>> fig.axes[0].get_ylabel()
    'Threat (0 to 1)'
    >>> alt.split(". ")[1]
    'Share of the map per tier: No alignment 25%, Ad hoc cooperation 25%, Partnership 25%, \
Formal alliance 25%'
    """
    import numpy as np
    from matplotlib.colors import ListedColormap

    labels = {**_DEFAULT_TIER_LABELS, **(labels or {})}
    codes = _grid_codes(grid)
    xs = grid.columns.to_numpy(dtype=float)
    ys = grid.index.to_numpy(dtype=float)
    fig = _new_figure()
    fig.subplots_adjust(left=0.1, right=0.97, top=0.88, bottom=0.15)
    ax = fig.axes[0]
    cmap = ListedColormap([c for c, _ in TIER_STYLES.values()])
    image = ax.imshow(
        codes, origin="lower", aspect="auto", cmap=cmap, vmin=-0.5, vmax=len(TIER_STYLES) - 0.5,
        extent=(xs[0], xs[-1], ys[0], ys[-1]), interpolation="nearest",
    )
    texts = [
        ax.text(0, 0, labels[k], ha="center", va="center", fontsize="small",
                color=PALETTE["black"],
                bbox={"facecolor": NEUTRALS[0], "edgecolor": PALETTE["black"], "pad": 2})
        for k in TIER_STYLES
    ]
    _place_region_labels(ax, texts, codes, xs, ys)
    px, py = point if point is not None else (np.nan, np.nan)
    marker = ax.scatter(
        [px], [py], s=160, marker="*", c=PALETTE["black"], edgecolors=NEUTRALS[0],
        linewidths=1.0, zorder=3,
    )
    ax.set_xlim(xs[0], xs[-1])
    ax.set_ylim(ys[0], ys[-1])
    ax.set_xlabel("Value placed on autonomy (0 to 1)")
    ax.set_ylabel("Threat (0 to 1)")
    title = "Which tier? Threat against autonomy"
    ax.set_title(f"{title}\n{subtitle}" if subtitle else title, fontsize="medium")
    fig._course = {
        "kind": "decision_map", "image": image, "texts": texts, "marker": marker,
        "labels": labels, "title": title,
    }
    _animate(fig, [marker], slow=[image, *texts, ax.title])
    return fig, _decision_alt(grid, codes, point, tier, labels)


def update_decision_map(
    fig: Figure,
    *,
    grid: pd.DataFrame | None = None,
    point: tuple[float, float] | None = None,
    tier: str | None = None,
    subtitle: str | None = None,
) -> str:
    """Move the point (and optionally recolour the regions) of a :func:`decision_map`.

    Parameters
    ----------
    fig : Figure
        A figure made by :func:`decision_map`.
    grid : pandas.DataFrame, optional
        New tier grid on the same axes; ``None`` keeps the regions (and reuses the last
        grid for the alt text).
    point, tier, subtitle
        As in :func:`decision_map`.

    Returns
    -------
    str
        The new alt text.

    Examples
    --------
    >>> import pandas as pd
    >>> g = pd.DataFrame([["none", "none"], ["alliance", "ad_hoc"]],
    ...                  index=[0.0, 1.0], columns=[0.0, 1.0])
    >>> fig, _ = decision_map(g, point=(0.5, 0.5))
    >>> alt = update_decision_map(fig, point=(0.1, 0.8), tier="alliance")
    >>> fig.axes[0].collections[0].get_offsets().tolist()
    [[0.1, 0.8]]
    """
    handles = getattr(fig, "_course", {})
    if handles.get("kind") != "decision_map":
        raise ValueError("fig must be a figure made by decision_map()")
    ax = fig.axes[0]
    if grid is not None:
        codes = _grid_codes(grid)
        handles["image"].set_data(codes)
        _place_region_labels(
            ax, handles["texts"], codes, grid.columns.to_numpy(dtype=float),
            grid.index.to_numpy(dtype=float),
        )
        handles["grid"], handles["codes"] = grid, codes
        handles["slow_dirty"] = True
    elif "codes" not in handles:
        img = handles["image"].get_array()
        handles["codes"] = img.data if hasattr(img, "data") else img
        handles["grid"] = None
    if point is not None:
        handles["marker"].set_offsets([point])
    if subtitle is not None:
        new_title = f"{handles['title']}\n{subtitle}"
        if ax.get_title() != new_title:
            ax.set_title(new_title, fontsize="medium")
            handles["slow_dirty"] = True
    return _decision_alt(handles["grid"], handles["codes"], point, tier, handles["labels"])


# ------------------------------------------------------------------------ timeline
def _timeline_alt(shown, categories, years) -> str:
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


def _timeline_status(shown, years) -> str:
    return f"{len(shown)} shown, {years[0]}-{years[1]}"


def _timeline_filter(timeline, categories, years):
    sel = timeline
    if categories is not None:
        sel = sel[sel["category"].isin(list(categories))]
    sel = sel[(sel["year"] >= years[0]) & (sel["year"] <= years[1])]
    return sel.sort_values(["year", "date"], kind="stable") if "date" in sel else sel


def _check_years(years) -> tuple[int, int]:
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
) -> tuple[Figure, str]:
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
    >>> import pandas as pd
    >>> tl = pd.DataFrame({"year": [1994, 2004, 2016], "category": ["Partnerships",
    ...     "Partnerships", "NATO-Israel"], "event": ["MD launched", "ICI launched",
    ...     "Israel mission at NATO HQ"]})
    >>> fig, alt = timeline_chart(tl)
    >>> fig.axes[0].get_title(), fig._course["status"].get_text()
    ('Milestones by year and category, 1994-2016', '3 shown, 1994-2016')
    >>> alt.split(". ")[0]
    'Timeline chart of 3 milestones from 1994 to 2016, one row per category (Partnerships 2, \
NATO-Israel 1)'
    """
    import numpy as np

    _check_table(timeline, ["year", "event", "category"], "timeline")
    all_cats = list(dict.fromkeys(timeline["category"]))
    styles = category_styles(all_cats)
    if categories is not None:
        unknown = sorted(set(categories) - set(all_cats))
        if unknown:
            raise ValueError(f"categories must be among {all_cats}, got {unknown}")
    full = (int(timeline["year"].min()), int(timeline["year"].max()))
    years = _check_years(years) if years is not None else full
    shown = _timeline_filter(timeline, categories, years)
    fig = _new_figure()
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
    fig._course = {"kind": "timeline", "scatters": scatters, "categories": all_cats,
                   "window": window, "status": status}
    _animate(fig, [window, *scatters.values(), status])
    return fig, _timeline_alt(shown, all_cats, years)


def update_timeline_chart(
    fig: Figure,
    timeline: pd.DataFrame,
    *,
    categories: Sequence[str] | None = None,
    years: tuple[int, int] | None = None,
) -> tuple[pd.DataFrame, str]:
    """Refilter a :func:`timeline_chart` in place; return ``(shown rows, alt text)``.

    Examples
    --------
    >>> import pandas as pd
    >>> tl = pd.DataFrame({"year": [1994, 2004, 2016], "category": ["P", "P", "N"],
    ...                    "event": ["a", "b", "c"]})
    >>> fig, _ = timeline_chart(tl)
    >>> shown, alt = update_timeline_chart(fig, tl, categories=["N"])
    >>> len(shown), fig._course["status"].get_text()
    (1, '1 shown, 1994-2016')
    """
    import numpy as np

    handles = getattr(fig, "_course", {})
    if handles.get("kind") != "timeline":
        raise ValueError("fig must be a figure made by timeline_chart()")
    full = (int(timeline["year"].min()), int(timeline["year"].max()))
    years = _check_years(years) if years is not None else full
    shown = _timeline_filter(timeline, categories, years)
    for row, cat in enumerate(handles["categories"]):
        pts = shown.loc[shown["category"] == cat, "year"].to_numpy(dtype=float)
        handles["scatters"][cat].set_offsets(np.column_stack([pts, np.full(len(pts), row)]))
    x0, x1 = years[0] - 0.5, years[1] + 0.5
    handles["window"].set_x(x0)
    handles["window"].set_width(x1 - x0)
    handles["status"].set_text(_timeline_status(shown, years))
    return shown, _timeline_alt(shown, handles["categories"], years)


# ----------------------------------------------------------------- regional powers
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
    >>> import pandas as pd
    >>> s = pd.DataFrame({"name": ["Israel", "Iran"], "milex_usd_2022": [23.4e9, 6.8e9],
    ...     "cinc": [0.0036, 0.0167], "nuclear_status": ["undeclared nuclear-armed state",
    ...     "NPT non-nuclear-weapon state"]}, index=["ISR", "IRN"])
    >>> fig, alt = regional_powers(s, ["ISR", "IRN"])
    >>> alt.split(": ", 1)[1]
    'Israel 23.4 bn US$, CINC 0.0036, nuclear-armed; Iran 6.8 bn US$, CINC 0.0167, \
no nuclear weapons.'
    """
    import numpy as np
    from matplotlib.lines import Line2D

    if codes is None:
        from course_lib.datasets import MENA_REGIONAL_POWERS

        codes = list(MENA_REGIONAL_POWERS)
    _check_table(states, ["name", "milex_usd_2022", "cinc", "nuclear_status"], "states")
    unknown = [c for c in codes if c not in states.index]
    if unknown:
        raise ValueError(f"codes must be ISO3 codes in the states table, got {unknown}")
    sub = states.loc[list(codes)]
    fig = _new_figure()
    fig.subplots_adjust(left=0.13, right=0.97, top=0.88, bottom=0.15)
    ax = fig.axes[0]
    x = sub["milex_usd_2022"].to_numpy(dtype=float) / 1e9
    y = sub["cinc"].to_numpy(dtype=float)
    from course_lib.threat import is_nuclear_armed

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
        f"{n} {_fmt(xi, 1)} bn US$, CINC {_fmt(yi, 4)}, {_NUCLEAR_MARKERS[f][1]}"
        for n, xi, yi, f in zip(sub["name"], x, y, nuclear, strict=True)
    )
    alt = (
        f"Scatter plot of {len(sub)} states, military expenditure in 2022 against CINC "
        f"score, diamonds for nuclear-armed states: {items}."
    )
    return fig, alt


# --------------------------------------------------------------------- sensitivity
_SENS_LAYOUTS = (
    ("threat_p05", "threat_mean", "threat_p95", "mean"),
    ("p05", "median", "p95", "median"),
    ("threat_min", "threat_mean", "threat_max", "mean"),
)


def _sens_columns(summary: pd.DataFrame) -> tuple[str, str, str, str]:
    for lo, mid, hi, label in _SENS_LAYOUTS:
        if {lo, mid, hi} <= set(summary.columns):
            return lo, mid, hi, label
    raise ValueError(
        "summary must have low/centre/high columns such as ('threat_p05', 'threat_mean', "
        f"'threat_p95') from course_lib.threat.weight_sensitivity, got {list(summary.columns)}"
    )


def _sens_alt(summary, cols, observer_label, n_draws) -> str:
    lo, mid, hi, label = cols
    items = ", ".join(
        f"{row['name'] if 'name' in summary else idx} {_fmt(row[mid])} "
        f"({_fmt(row[lo])} to {_fmt(row[hi])})"
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
        f"Range chart of threat scores to {observer_label}{draws}: bars span {span}, "
        f"dots mark the {label}. Top: {items}.{extra}"
    )


def sensitivity_chart(
    summary: pd.DataFrame,
    observer: str,
    *,
    n_draws: int | None = None,
    top: int = 8,
    observer_name: str | None = None,
) -> tuple[Figure, str]:
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
    >>> import pandas as pd
    >>> s = pd.DataFrame({"name": ["Iran", "Syria"], "threat_p05": [0.4, 0.3],
    ...     "threat_mean": [0.5, 0.45], "threat_p95": [0.6, 0.55],
    ...     "share_first": [0.8, 0.2]}, index=["IRN", "SYR"])
    >>> fig, alt = sensitivity_chart(s, "ISR", n_draws=200)
    >>> alt.split("Top: ")[1]
    'Iran 0.50 (0.40 to 0.60), Syria 0.45 (0.30 to 0.55). Iran ranks first in 80% of draws.'
    """
    _check_top(top)
    import numpy as np

    cols = _sens_columns(summary)
    lo, mid, hi, label = cols
    ranked = summary[summary[mid].notna()].sort_values(mid, ascending=False, kind="stable")
    ranked = ranked.head(top)
    observer_label = f"{observer_name} ({observer})" if observer_name else observer
    fig = _new_figure()
    fig.subplots_adjust(left=0.3, right=0.76, top=0.88, bottom=0.15)
    ax = fig.axes[0]
    y = np.arange(top)
    left = np.zeros(top)
    width = np.zeros(top)
    med = np.full(top, np.nan)
    n = len(ranked)
    left[:n] = ranked[lo].to_numpy(dtype=float)
    width[:n] = ranked[hi].to_numpy(dtype=float) - left[:n]
    med[:n] = ranked[mid].to_numpy(dtype=float)
    span = "lowest-highest" if lo.endswith("min") else "5th-95th percentile"
    bars = ax.barh(y, width, left=left, height=0.5, color=PALETTE["sky_blue"], hatch="//",
                   edgecolor=PALETTE["black"], linewidth=0.5, label=span)
    dots = ax.scatter(med, y, marker="o", s=36, c=PALETTE["black"], zorder=3, label=label)
    labels = [""] * top
    labels[:n] = _source_labels(ranked)
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("Threat score (0 to 1)")
    ax.set_ylabel("Source state")
    draws = f", {n_draws} draws" if n_draws else ""
    ax.set_title(f"How robust is the ranking? Threat to {observer_label}{draws}",
                 fontsize="medium")
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize="small")
    fig._course = {"kind": "sensitivity", "bars": bars, "dots": dots, "top": top,
                   "labels": labels}
    _animate(fig, [*bars.patches, dots], slow=[ax.yaxis, ax.title])
    return fig, _sens_alt(ranked, cols, observer_label, n_draws)


def update_sensitivity_chart(
    fig: Figure,
    summary: pd.DataFrame,
    observer: str,
    *,
    n_draws: int | None = None,
    observer_name: str | None = None,
) -> str:
    """Redraw a :func:`sensitivity_chart` in place; return the new alt text.

    The range bars, centre dots, source names (tick labels of the y axis) and title are
    mutated; they are redrawn over the cached static layer (see
    :func:`figure_to_png_base64`).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"p05": [0.4], "median": [0.5], "p95": [0.6]}, index=["IRN"])
    >>> fig, _ = sensitivity_chart(s, "ISR", top=1)
    >>> alt = update_sensitivity_chart(fig, s * 0.5, "ISR", n_draws=10)
    >>> round(float(fig.axes[0].patches[0].get_x()), 2)
    0.2
    """
    import numpy as np

    handles = getattr(fig, "_course", {})
    if handles.get("kind") != "sensitivity":
        raise ValueError("fig must be a figure made by sensitivity_chart()")
    cols = _sens_columns(summary)
    lo, mid, hi, _ = cols
    top = handles["top"]
    ranked = summary[summary[mid].notna()].sort_values(mid, ascending=False, kind="stable")
    ranked = ranked.head(top)
    n = len(ranked)
    left = np.zeros(top)
    width = np.zeros(top)
    med = np.full(top, np.nan)
    left[:n] = ranked[lo].to_numpy(dtype=float)
    width[:n] = ranked[hi].to_numpy(dtype=float) - left[:n]
    med[:n] = ranked[mid].to_numpy(dtype=float)
    for rect, x0, wd in zip(handles["bars"].patches, left, width, strict=True):
        rect.set_x(x0)
        rect.set_width(wd)
    handles["dots"].set_offsets(np.column_stack([med, np.arange(top)]))
    ax = fig.axes[0]
    labels = [""] * top
    labels[:n] = _source_labels(ranked)
    if labels != handles.get("labels"):
        ax.set_yticklabels(labels)
        handles["labels"] = labels
        handles["slow_dirty"] = True
    observer_label = f"{observer_name} ({observer})" if observer_name else observer
    draws = f", {n_draws} draws" if n_draws else ""
    title = f"How robust is the ranking? Threat to {observer_label}{draws}"
    if ax.get_title() != title:
        ax.set_title(title, fontsize="medium")
        handles["slow_dirty"] = True
    return _sens_alt(ranked, cols, observer_label, n_draws)


# ------------------------------------------------------------------------- milex
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
    >>> import pandas as pd
    >>> s = pd.DataFrame({"name": ["Turkey"], "group": ["NATO"],
    ...     "milex_usd_2022": [10.6e9], "milex_share_gdp_2022_pct": [1.1]}, index=["TUR"])
    >>> fig, alt = milex_chart(s, ["TUR"])
    >>> fig.axes[0].get_xlabel()
    'Military expenditure 2022 (US$ bn, current prices; SIPRI)'
    """
    import numpy as np
    from matplotlib.patches import Patch

    _check_table(states, ["name", "group", "milex_usd_2022", "milex_share_gdp_2022_pct"],
                 "states")
    codes = list(codes)
    if not 1 <= len(codes) <= 30:
        raise ValueError(f"codes must hold between 1 and 30 ISO3 codes, got {len(codes)}")
    unknown = [c for c in codes if c not in states.index]
    if unknown:
        raise ValueError(f"codes must be ISO3 codes in the states table, got {unknown}")
    sub = states.loc[codes].sort_values("milex_usd_2022", ascending=False, kind="stable",
                                        na_position="last")
    fig = _new_figure()
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
                fontsize="x-small")
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
        f"{n} {_fmt(v, 1)} bn US$ ({_fmt(s, 1)}% of GDP)"
        for n, v, s in zip(
            sub["name"].head(5), vals[:5], sub["milex_share_gdp_2022_pct"].head(5), strict=True
        )
    )
    alt = (
        f"Horizontal bar chart of military expenditure in 2022 for {len(sub)} states, "
        f"largest first. Largest: {items}."
    )
    return fig, alt


# ----------------------------------------------------------------------- display
def figure_to_png_base64(fig: Figure, *, dpi: int = DPI) -> str:
    """Render ``fig`` to PNG and return it base64-encoded (ASCII).

    The PNG carries no software tag or timestamp, so the same figure always gives the
    same bytes (strict nbval compares them inside ``text/html``).

    Figures that can be updated in place (:func:`threat_bar`, :func:`decision_map`,
    :func:`timeline_chart`, :func:`sensitivity_chart`) split into a static layer (axes
    frame, x axis, labels, legend), rendered once and cached as pixels, and moving artists
    redrawn over it in the order a full draw uses. The moving artists come in two layers:
    a slow one (names, title, decision regions), redrawn and cached again only when an
    update changes it, and a fast one (bars, points, and the axes spines so they stay on
    top), redrawn on every render. That keeps a widget update well under 50 ms and gives
    the same pixels as a full render (up to antialiasing of a few edge pixels). The moving
    artists are
    hidden from the renderer only while the static layer is cached, so the figure itself
    stays complete: ``fig.savefig`` or any other canvas draws every artist.

    Examples
    --------
    >>> fig, _ = milex_chart(__import__("pandas").DataFrame({"name": ["A"],
    ...     "group": ["NATO"], "milex_usd_2022": [1e9], "milex_share_gdp_2022_pct": [1.0]},
    ...     index=["AAA"]), ["AAA"])
    >>> a = figure_to_png_base64(fig)
    >>> a == figure_to_png_base64(fig), a[:8]
    (True, 'iVBORw0K')
    """
    if not isinstance(dpi, int) or not 20 <= dpi <= 300:
        raise ValueError(f"dpi must be an integer in [20, 300], got {dpi!r}")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    canvas = fig.canvas
    handles = getattr(fig, "_course", None)
    if dpi != fig.dpi or not handles or not handles.get("animated"):
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
        return base64.b64encode(buf.getvalue()).decode("ascii")
    # Fast path: the static layer is drawn once (moving artists hidden) and cached, then
    # the slow artists are drawn over it and that is cached too; an update restores the
    # right cache and draws only what changed on top.
    size = canvas.get_width_height()
    slow, fast = handles.get("slow", []), handles["animated"]
    if handles.get("dirty", True) or handles.get("size") != size:
        for artist in (*slow, *fast):
            artist.set_animated(True)
        try:
            canvas.draw()  # skips animated artists
        finally:
            for artist in (*slow, *fast):
                artist.set_animated(False)
        handles["background"] = canvas.copy_from_bbox(fig.bbox)
        handles["size"], handles["dirty"], handles["slow_dirty"] = size, False, True
    renderer = canvas.get_renderer()
    if handles.get("slow_dirty", True):
        canvas.restore_region(handles["background"])
        if not _draw_sprites(fig, renderer):
            _draw_layer(fig, "slow", renderer)
        handles["middle"] = canvas.copy_from_bbox(fig.bbox)
        handles["slow_dirty"] = False
    else:
        canvas.restore_region(handles["middle"])
    _draw_layer(fig, "animated", renderer)
    image = Image.frombuffer("RGBA", size, canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buf = io.BytesIO()
    image.save(buf, format="png", compress_level=3)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _animate(fig: Figure, artists: list, *, slow: Sequence = (),
             sprites: Sequence = ()) -> None:
    """Register the moving layers of ``fig`` (see :func:`figure_to_png_base64`).

    ``artists`` change on most updates; ``slow`` artists (names, titles, regions) change
    now and then, and an update that changes one sets ``fig._course["slow_dirty"]``. The
    axes spines join ``artists`` so they are drawn over the bars as in a full draw; slow
    artists are drawn before the others, so they must not overlap them. Nothing is marked
    animated for good: the artists are hidden only while the static layer is cached, so
    ``fig.savefig`` still draws everything.

    ``sprites`` are slow texts to the left of the axes, one per row (the source names of a
    bar chart). Each owns the strip of its row, and its pixels are cached per text, so a
    re-ranking restores them instead of re-rendering the glyphs (see :func:`_draw_sprites`).
    """
    ax = fig.axes[0]
    slow = list(dict.fromkeys(slow))
    moving = [a for a in dict.fromkeys([*artists, *ax.spines.values()]) if a not in slow]
    for artist in (*slow, *moving):
        artist.set_animated(False)
    fig._course["animated"] = moving
    fig._course["slow"] = slow
    fig._course["sprites"] = [a for a in sprites if a in slow]
    fig._course["dirty"] = True


#: Most cached sprite strips per figure (a few MB at most) before the cache starts afresh.
_SPRITE_CACHE_SIZE = 256


def _sprite_boxes(fig: Figure) -> list[tuple[slice, slice]] | None:
    """Pixel strips (rows, columns of the RGBA buffer) owned by each sprite, or None."""
    import numpy as np

    sprites = fig._course["sprites"]
    ax = fig.axes[0]
    height = int(fig.bbox.height)
    centres = np.array([ax.transData.transform((0.0, t.get_position()[1]))[1]
                        for t in sprites])
    if len(centres) < 2:
        return None
    half = float(np.min(np.abs(np.diff(centres)))) / 2.0
    right = int(math.floor(ax.bbox.x0)) - 2  # clear of the left spine and the bars
    if half < 2.0 or right < 1:
        return None
    boxes = []
    for c in centres:
        top = max(0, int(math.ceil(height - c - half)))
        bottom = min(height, int(math.floor(height - c + half)))
        boxes.append((slice(top, bottom), slice(0, right)))
    return boxes


def _draw_sprites(fig: Figure, renderer) -> bool:
    """Draw the slow layer with its sprites taken from a per-text pixel cache.

    Called on the cached static layer. Pastes each sprite's strip (static pixels plus its
    text) from the cache, keyed by row, text and visibility; draws the other slow artists,
    which lie outside the strips; then renders and caches the sprites that missed. A text
    that spills out of its strip turns the cache off for the figure; then, as when the
    figure has no sprites, the canvas is left as the static layer and False is returned.
    """
    import numpy as np

    handles = fig._course
    sprites = handles.get("sprites") or []
    if not sprites or handles.get("sprites_off"):
        return False
    size = fig.canvas.get_width_height()
    if handles.get("sprite_size") != size:
        handles["sprite_boxes"] = _sprite_boxes(fig)
        handles["sprite_cache"], handles["sprite_size"] = {}, size
    boxes = handles["sprite_boxes"]
    if boxes is None:
        handles["sprites_off"] = True
        return False
    if len(handles["sprite_cache"]) > _SPRITE_CACHE_SIZE:
        handles["sprite_cache"].clear()
    buffer = np.asarray(fig.canvas.buffer_rgba())
    height = buffer.shape[0]
    pending = []
    for i, (txt, (rows, cols)) in enumerate(zip(sprites, boxes, strict=True)):
        key = (i, txt.get_text(), txt.get_visible())
        cached = handles["sprite_cache"].get(key)
        if cached is not None:
            buffer[rows, cols] = cached
        elif txt.get_visible() and txt.get_text():
            extent = txt.get_window_extent(renderer)
            inside = (extent.x1 <= cols.stop and height - extent.y1 >= rows.start
                      and height - extent.y0 <= rows.stop)
            if not inside:
                handles["sprites_off"] = True
                fig.canvas.restore_region(handles["background"])  # undo pasted strips
                return False
            pending.append((key, txt, rows, cols))
        else:
            handles["sprite_cache"][key] = buffer[rows, cols].copy()
    others = [a for a in handles["slow"] if a not in sprites]
    for artist in sorted(others, key=lambda a: a.get_zorder()):
        if artist.get_visible():
            artist.draw(renderer)
    for key, txt, rows, cols in pending:
        txt.draw(renderer)
        handles["sprite_cache"][key] = buffer[rows, cols].copy()
    return True


def _draw_layer(fig: Figure, layer: str, renderer) -> None:
    """Draw the visible artists of ``fig._course[layer]`` in the order of a full draw."""
    handles = fig._course
    order = handles.setdefault("order", {})
    if layer not in order:
        position = {id(a): i for i, a in enumerate(fig.axes[0].get_children())}
        order[layer] = sorted(
            handles.get(layer, []),
            key=lambda a: (a.get_zorder(), position.get(id(a), len(position))))
    for artist in order[layer]:
        if artist.get_visible():
            artist.draw(renderer)


def figure_html(fig: Figure, alt: str, *, caption: str | None = None,
                dpi: int = DPI) -> str:
    """Return ``<figure><img alt=...><figcaption>...</figcaption></figure>`` for ``fig``.

    Parameters
    ----------
    fig : Figure
    alt : str
        Alt text (must be non-empty); escaped for HTML.
    caption : str, optional
        Visible caption; defaults to the figure's first axes title.
    dpi : int

    Examples
    --------
    >>> fig, alt = milex_chart(__import__("pandas").DataFrame({"name": ["A"],
    ...     "group": ["NATO"], "milex_usd_2022": [1e9], "milex_share_gdp_2022_pct": [1.0]},
    ...     index=["AAA"]), ["AAA"])
    >>> figure_html(fig, alt).startswith('<figure><img src="data:image/png;base64,')
    True
    """
    if not isinstance(alt, str) or not alt.strip():
        raise ValueError("alt must be a non-empty string describing the figure")
    if caption is None:
        caption = fig.axes[0].get_title().replace("\n", " ") if fig.axes else ""
    png = figure_to_png_base64(fig, dpi=dpi)
    cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return (
        f'<figure><img src="data:image/png;base64,{png}" alt="{html.escape(alt, quote=True)}" '
        f'role="img">{cap}</figure>'
    )


def show_figure(fig: Figure, alt: str, *, caption: str | None = None) -> None:
    """Display ``fig`` in a notebook with its alt text, then close it.

    Emits one display output with ``text/html`` (the PNG inside ``<figure>`` with the
    alt text and a caption) and ``text/plain`` (the alt text, which is also what a
    plain-text front end and strict nbval see). The figure is closed afterwards if pyplot
    manages it, so the inline backend does not show it a second time.

    Parameters
    ----------
    fig : Figure
    alt : str
        Non-empty alt text.
    caption : str, optional
        Visible caption; defaults to the figure title.

    Examples
    --------
    >>> fig, alt = milex_chart(__import__("pandas").DataFrame({"name": ["A"],
    ...     "group": ["NATO"], "milex_usd_2022": [1e9], "milex_share_gdp_2022_pct": [1.0]},
    ...     index=["AAA"]), ["AAA"])
    >>> show_figure(fig, alt)  # outside IPython, display() prints the bundle
    {'text/html': '<figure><img src="data:image/png;base64,...', 'text/plain': 'Horizontal bar \
chart of military expenditure in 2022 for 1 states, largest first. Largest: A 1.0 bn US$ (1.0% \
of GDP).'}
    """
    from IPython.display import display

    markup = figure_html(fig, alt, caption=caption)
    display({"text/html": markup, "text/plain": alt}, raw=True)
    if "matplotlib.pyplot" in sys.modules:
        import matplotlib.pyplot as plt

        plt.close(fig)  # no-op for figures pyplot does not manage
