"""The tier decision map (threat against autonomy): :func:`decision_map` and its update.

Examples
--------
>>> g = pd.DataFrame([["none", "alliance"], ["none", "alliance"]], index=[0.0, 1.0],
...                  columns=[0.0, 1.0])
>>> fig, alt = decision_map(g)
>>> fig.base_title, alt.split(". ")[1]
('Which tier? Threat against autonomy', 'Share of the map per tier: No alignment 50%, \
Formal alliance 50%.')
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.collections import PathCollection
from matplotlib.colors import ListedColormap
from matplotlib.image import AxesImage
from matplotlib.text import Text
from matplotlib.transforms import IdentityTransform

from course_lib.plots._common import fmt
from course_lib.plots._pasted_labels import PastedLabel, snap_to_pixel
from course_lib.plots.render import LiveFigure
from course_lib.plots.style import NEUTRALS, PALETTE, TIER_STYLES

__all__ = ["DecisionMapFigure", "decision_map", "update_decision_map"]

_DEFAULT_TIER_LABELS = {
    "none": "No alignment",
    "ad_hoc": "Ad hoc cooperation",
    "partnership": "Partnership",
    "alliance": "Formal alliance",
}

_TITLE = "Which tier? Threat against autonomy"


class DecisionMapFigure(LiveFigure):
    """The figure :func:`decision_map` returns, with the artists an update mutates.

    Attributes
    ----------
    tier_labels : dict of str to str
        Display name per tier key.
    base_title : str
        Title without the subtitle line.
    tier_codes : numpy.ndarray
        Tier index per grid cell (as drawn), for the alt text.
    region_image : AxesImage
        The coloured regions.
    region_texts : list of Text
        One label per tier, placed at its region's centre (hidden when absent).
    point_marker : PathCollection
        The current point (a star).
    """

    def __init__(self, tier_labels: Mapping[str, str], base_title: str,
                 tier_codes: np.ndarray) -> None:
        super().__init__()
        self.tier_labels = dict(tier_labels)
        self.base_title = base_title
        self.tier_codes = tier_codes
        self.region_image: AxesImage | None = None
        self.region_texts: list[Text] = []
        self.point_marker: PathCollection | None = None


def _grid_codes(grid: pd.DataFrame) -> np.ndarray:
    """Tier index per grid cell (float, as the image takes it); unknown keys are refused."""
    values = grid.to_numpy()
    codes = np.full(values.shape, np.nan)
    for i, key in enumerate(TIER_STYLES):
        codes[values == key] = i
    if np.isnan(codes).any():
        bad = sorted({str(v) for v in values[np.isnan(codes)]})
        raise ValueError(f"grid values must be tier keys {list(TIER_STYLES)}, got {bad}")
    return codes


class _RegionImage(AxesImage):
    """The tier regions: an image of grid cells, painted straight into pixels on screen.

    Matplotlib's nearest-neighbour resampling of a small grid to a 192-dpi axes costs most
    of a widget update. For a plain screen render (magnification 1, the image filling its
    axes) this paints the same picture by indexing: each pixel takes the colour of the grid
    cell its centre falls in. Other renders (vector output, zoomed) use matplotlib's way.
    """

    def make_image(self, renderer, magnification=1.0, unsampled=False):
        codes = self.get_array()
        x1, x2, y1, y2 = self.get_extent()
        (left, bottom), (right, top) = self.get_transform().transform([[x1, y1], [x2, y2]])
        box = self.axes.bbox
        inside = (left >= box.x0 - 0.5 and right <= box.x1 + 0.5 and bottom >= box.y0 - 0.5
                  and top <= box.y1 + 0.5 and right > left and top > bottom)
        if unsampled or magnification != 1.0 or not inside or codes.ndim != 2:
            return super().make_image(renderer, magnification, unsampled)
        width, height = int(np.ceil(right - left)), int(np.ceil(top - bottom))
        rows, cols = codes.shape
        # the grid cell of each pixel centre, counted per cell (centres increase with the cell)
        col = np.minimum(((np.arange(width) + 0.5) / (right - left) * cols).astype(int), cols - 1)
        row = np.minimum(((np.arange(height) + 0.5) / (top - bottom) * rows).astype(int), rows - 1)
        lut = self.to_rgba(np.arange(len(TIER_STYLES), dtype=float)[:, None], bytes=True)[:, 0]
        cells = lut[np.clip(np.nan_to_num(np.asarray(codes, dtype=float)), 0,
                            len(TIER_STYLES) - 1).astype(int)]  # rows x cols x RGBA
        block = np.repeat(np.repeat(cells, np.bincount(row, minlength=rows), axis=0),
                          np.bincount(col, minlength=cols), axis=1)  # Agg: row 0 at the bottom
        return block, left, bottom, IdentityTransform()


def _decision_alt(codes: np.ndarray, point: tuple[float, float] | None, tier: str | None,
                  labels: Mapping[str, str]) -> str:

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
        text += f" Current point: autonomy {fmt(a)}, threat {fmt(t)}"
        text += f", tier {labels.get(tier, tier)}." if tier else "."
    return text


def _place_region_labels(texts: list[Text], codes: np.ndarray, xs: np.ndarray,
                         ys: np.ndarray) -> None:

    for i, txt in enumerate(texts):
        mask = codes == i
        if not mask.any():
            txt.set_visible(False)
            continue
        rows, cols = np.nonzero(mask)
        centre = (float(np.mean(xs[cols])), float(np.mean(ys[rows])))
        # on a whole pixel, so a PastedLabel can paste its glyphs exactly
        txt.set_position(snap_to_pixel(txt.axes, centre) if txt.axes is not None else centre)
        txt.set_visible(True)


def decision_map(
    grid: pd.DataFrame,
    *,
    point: tuple[float, float] | None = None,
    tier: str | None = None,
    labels: Mapping[str, str] | None = None,
    subtitle: str | None = None,
) -> tuple[DecisionMapFigure, str]:
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
    >>> g = pd.DataFrame([["partnership", "none"], ["alliance", "ad_hoc"]],
    ...                  index=[0.0, 1.0], columns=[0.0, 1.0])
    >>> fig, alt = decision_map(g, point=(0.2, 0.9), tier="alliance")
    >>> fig.axes[0].get_ylabel()
    'Threat (0 to 1)'
    >>> alt.split(". ")[1]
    'Share of the map per tier: No alignment 25%, Ad hoc cooperation 25%, Partnership 25%, \
Formal alliance 25%'
    """
    labels = {**_DEFAULT_TIER_LABELS, **(labels or {})}
    codes = _grid_codes(grid)
    xs = grid.columns.to_numpy(dtype=float)
    ys = grid.index.to_numpy(dtype=float)
    fig = DecisionMapFigure(labels, _TITLE, codes)
    fig.subplots_adjust(left=0.1, right=0.97, top=0.88, bottom=0.15)
    ax = fig.axes[0]
    cmap = ListedColormap([c for c, _ in TIER_STYLES.values()])
    image = _RegionImage(
        ax, origin="lower", cmap=cmap, extent=(xs[0], xs[-1], ys[0], ys[-1]),
        interpolation="nearest", interpolation_stage="rgba")
    image.set_data(codes)
    image.set_clim(-0.5, len(TIER_STYLES) - 0.5)
    ax.add_image(image)
    ax.set_aspect("auto")
    texts = [
        PastedLabel(0, 0, labels[k], ha="center", va="center", fontsize="small",
                    color=PALETTE["black"],
                    bbox={"facecolor": NEUTRALS[0], "edgecolor": PALETTE["black"], "pad": 2})
        for k in TIER_STYLES
    ]
    for txt in texts:
        ax.add_artist(txt)
        txt.set_clip_path(ax.patch)
    ax.set_xlim(xs[0], xs[-1])
    ax.set_ylim(ys[0], ys[-1])
    _place_region_labels(texts, codes, xs, ys)
    px, py = point if point is not None else (np.nan, np.nan)
    marker = ax.scatter(
        [px], [py], s=160, marker="*", c=PALETTE["black"], edgecolors=NEUTRALS[0],
        linewidths=1.0, zorder=3,
    )
    ax.set_xlabel("Value placed on autonomy (0 to 1)")
    ax.set_ylabel("Threat (0 to 1)")
    ax.set_title(f"{_TITLE}\n{subtitle}" if subtitle else _TITLE, fontsize="medium")
    fig.region_image, fig.region_texts, fig.point_marker = image, texts, marker
    fig.set_layers([marker], slow=[image, *texts, ax.title])
    return fig, _decision_alt(codes, point, tier, labels)


def update_decision_map(
    fig: DecisionMapFigure,
    *,
    grid: pd.DataFrame | None = None,
    point: tuple[float, float] | None = None,
    tier: str | None = None,
    subtitle: str | None = None,
) -> str:
    """Move the point (and optionally recolour the regions) of a :func:`decision_map`.

    Parameters
    ----------
    fig : DecisionMapFigure
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
    >>> g = pd.DataFrame([["none", "none"], ["alliance", "ad_hoc"]],
    ...                  index=[0.0, 1.0], columns=[0.0, 1.0])
    >>> fig, _ = decision_map(g, point=(0.5, 0.5))
    >>> alt = update_decision_map(fig, point=(0.1, 0.8), tier="alliance")
    >>> fig.axes[0].collections[0].get_offsets().tolist()
    [[0.1, 0.8]]
    """
    if not isinstance(fig, DecisionMapFigure):
        raise ValueError("fig must be a figure made by decision_map()")
    ax = fig.axes[0]
    if grid is not None:
        codes = _grid_codes(grid)
        fig.region_image.set_data(codes)
        _place_region_labels(fig.region_texts, codes, grid.columns.to_numpy(dtype=float),
                             grid.index.to_numpy(dtype=float))
        fig.tier_codes = codes
        fig.mark_slow_changed()
    if point is not None:
        fig.point_marker.set_offsets([point])
    if subtitle is not None:
        new_title = f"{fig.base_title}\n{subtitle}"
        if ax.get_title() != new_title:
            ax.set_title(new_title, fontsize="medium")
            fig.mark_slow_changed()
    return _decision_alt(fig.tier_codes, point, tier, fig.tier_labels)

