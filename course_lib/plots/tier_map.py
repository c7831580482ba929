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

from course_lib.plots._common import fmt
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

    order = list(TIER_STYLES)
    bad = sorted(set(grid.to_numpy().ravel()) - set(order))
    if bad:
        raise ValueError(f"grid values must be tier keys {order}, got {bad}")
    lookup = {k: i for i, k in enumerate(order)}
    return np.vectorize(lookup.__getitem__, otypes=[float])(grid.to_numpy())


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
        txt.set_position((float(np.mean(xs[cols])), float(np.mean(ys[rows]))))
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
    image = ax.imshow(
        codes, origin="lower", aspect="auto", cmap=cmap, vmin=-0.5, vmax=len(TIER_STYLES) - 0.5,
        extent=(xs[0], xs[-1], ys[0], ys[-1]), interpolation="nearest",
        interpolation_stage="rgba",  # colour the grid cells, then enlarge: cheap at 192 dpi
    )
    texts = [
        ax.text(0, 0, labels[k], ha="center", va="center", fontsize="small",
                color=PALETTE["black"],
                bbox={"facecolor": NEUTRALS[0], "edgecolor": PALETTE["black"], "pad": 2})
        for k in TIER_STYLES
    ]
    _place_region_labels(texts, codes, xs, ys)
    px, py = point if point is not None else (np.nan, np.nan)
    marker = ax.scatter(
        [px], [py], s=160, marker="*", c=PALETTE["black"], edgecolors=NEUTRALS[0],
        linewidths=1.0, zorder=3,
    )
    ax.set_xlim(xs[0], xs[-1])
    ax.set_ylim(ys[0], ys[-1])
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

