"""Colours, hatches, markers and sizes: the one place a figure's look is decided.

Colours come from :data:`PALETTE` (Okabe & Ito 2008, "Color Universal Design"), a set that
stays distinguishable under the common forms of colour-vision deficiency. Nothing relies on
colour alone: bars carry hatching, points carry marker shapes, and map regions carry text
labels. Text sizes are matplotlib's relative names (``"small"``, ``"medium"``) on its
default font (DejaVu Sans), so every figure scales with one setting.

Examples
--------
>>> PALETTE["blue"], FACTOR_STYLES["intent"]
('#0072B2', ('#D55E00', 'xx'))
"""

from __future__ import annotations

from collections.abc import Iterable

from matplotlib.colors import to_hex
from matplotlib.figure import Figure

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
    "FACTORS",
    "display_size_px",
    "text_size_px",
    "category_styles",
    "figure_colours",
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

#: Default figure size in inches.
FIGSIZE: tuple[float, float] = (6.4, 3.6)
#: Pixels per figure inch in the PNG: twice :data:`DISPLAY_DPI` (the first release had 80).
DPI: int = 192
#: CSS pixels per figure inch on screen (the CSS inch is 96 px).
DISPLAY_DPI: int = 96
#: Smallest text on screen, in CSS pixels (8.25 pt at :data:`DISPLAY_DPI`).
MIN_TEXT_PX: float = 11.0

#: The four Walt factors, in the order bars stack them.
FACTORS: tuple[str, ...] = ("power", "proximity", "capability", "intent")


def display_size_px(fig: Figure) -> tuple[int, int]:
    """Width and height in CSS pixels at which ``fig`` is shown (its inches at DISPLAY_DPI).

    Examples
    --------
    >>> display_size_px(Figure(figsize=FIGSIZE))
    (614, 346)
    """
    width, height = fig.get_size_inches()
    return round(width * DISPLAY_DPI), round(height * DISPLAY_DPI)


def text_size_px(points: float) -> float:
    """On-screen size in CSS pixels of text of ``points`` points in a figure shown at DISPLAY_DPI.

    Examples
    --------
    >>> text_size_px(8.25)
    11.0
    """
    return float(points) * DISPLAY_DPI / 72.0


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


def figure_colours(fig: Figure) -> list[str]:
    """Hex colours of every patch, line, collection, image and text in ``fig``'s axes.

    Face and edge colours of visible fills, legend entries included, and every colour of
    an image's colour map; used to check that a figure keeps to :data:`PALETTE`.

    Examples
    --------
    >>> fig = Figure()
    >>> _ = fig.add_subplot().bar([0], [1], color=PALETTE["blue"])
    >>> sorted(set(figure_colours(fig)))
    ['#0072b2']
    """
    found: list[str] = []
    for ax in fig.axes:
        artists = list(ax.patches) + list(ax.lines) + list(ax.collections)
        legend = ax.get_legend()
        if legend is not None:
            artists += list(legend.get_patches()) + list(legend.get_lines())
        for a in artists:
            if hasattr(a, "get_facecolor"):
                fc = a.get_facecolor()
                rows = fc if getattr(fc, "ndim", 1) == 2 else [fc]
                found += [to_hex(c, keep_alpha=False) for c in rows if len(c) and c[-1] > 0]
            if hasattr(a, "get_color") and not hasattr(a, "get_facecolor"):
                found.append(to_hex(a.get_color()))
        for im in ax.images:
            cmap = im.get_cmap()
            found += [to_hex(cmap(i / max(cmap.N - 1, 1))) for i in range(cmap.N)]
        for t in ax.texts:
            found.append(to_hex(t.get_color()))
    return found
