"""Horizontal bars of one style drawn as one compound path: :class:`HatchedBars`.

Matplotlib's Agg renderer paints a hatch pattern into a scratch tile once per drawn path, so
eight hatched rectangles cost eight hatch passes; at 192 dpi that was most of a widget
update. One :class:`~matplotlib.patches.PathPatch` holding every row's rectangle is filled
and hatched in one pass and looks the same. The rows' left edges and widths stay explicit
attributes, and :meth:`HatchedBars.set` moves them in place (no artist is added).

Examples
--------
>>> from course_lib.plots.render import new_figure
>>> ax = new_figure().axes[0]
>>> bars = HatchedBars(ax, [0, 1], [0.0, 0.1], [0.5, 0.2], color="#0072B2", hatch="//")
>>> bars.right.tolist(), len(ax.patches)
([0.5, 0.30000000000000004], 1)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import PathPatch
from matplotlib.path import Path

__all__ = ["HatchedBars"]

_CODES = (Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY)


class HatchedBars:
    """Horizontal bars, one per row, drawn as a single hatched :class:`PathPatch`.

    Parameters
    ----------
    ax : Axes
    y : sequence of float
        Row centres.
    left, width : sequence of float
        Left edge and width of each bar (0 width: an empty row).
    color, hatch : str
        Face colour and hatch pattern.
    height : float
        Bar height in data units.
    label : str, optional
        Legend label of the patch.

    Attributes
    ----------
    patch : PathPatch
        The one artist drawn.
    y, left, width : numpy.ndarray
        Row centres and the current left edges and widths.
    """

    def __init__(self, ax: Axes, y: Sequence[float], left: Sequence[float],
                 width: Sequence[float], *, color: str, hatch: str, height: float = 0.8,
                 edgecolor: str = "#000000", linewidth: float = 0.5,
                 label: str | None = None) -> None:
        self.y = np.asarray(y, dtype=float)
        self.height = float(height)
        n = len(self.y)
        self.left, self.width = np.zeros(n), np.zeros(n)
        self._path = Path(np.zeros((5 * n, 2)), np.tile(np.array(_CODES, dtype=np.uint8), n))
        self.patch = PathPatch(self._path, facecolor=color, hatch=hatch or None,
                               edgecolor=edgecolor, linewidth=linewidth, label=label)
        self.set(left, width)
        ax.add_patch(self.patch)

    @property
    def right(self) -> np.ndarray:
        """Right edge of each bar."""
        return self.left + self.width

    def set(self, left: Sequence[float], width: Sequence[float]) -> None:
        """Move the bars to new left edges and widths (in place).

        Examples
        --------
        >>> from course_lib.plots.render import new_figure
        >>> bars = HatchedBars(new_figure().axes[0], [0], [0], [1], color="#000000", hatch="")
        >>> bars.set([0.2], [0.3])
        >>> [round(float(b), 2) for b in bars.patch.get_path().get_extents().bounds]
        [0.2, -0.4, 0.3, 0.8]
        """
        self.left[:] = np.nan_to_num(np.asarray(left, dtype=float))
        self.width[:] = np.nan_to_num(np.asarray(width, dtype=float))
        x0, x1 = self.left, self.right
        y0, y1 = self.y - self.height / 2, self.y + self.height / 2
        v = self._path.vertices
        for i, (xs, ys) in enumerate(((x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0))):
            v[i::5, 0], v[i::5, 1] = xs, ys
        self.patch.stale = True
