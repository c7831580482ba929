"""Boxed labels whose glyphs are drawn once and pasted afterwards: :class:`PastedLabel`.

The region labels of the tier decision map move whenever the regions change, and rendering
their glyphs is a large part of a widget update. Agg puts a text's glyph bitmap at whole
pixels, so a label whose anchor sits on a whole pixel (see :func:`snap_to_pixel`) gives the
same pixels wherever it is drawn over its own opaque box, up to a few levels of antialiasing
(``tests/plots/test_tier_map_render.py`` compares them with a fresh draw).
:class:`PastedLabel` draws its box every time, renders its glyphs the first time per text
and canvas, keeps the pixels of the text's extent (box face and glyphs only: the box's
padding keeps the edge outside) and pastes them on later draws. Any other renderer, or an
anchor off the pixel grid, draws normally.

Examples
--------
>>> from course_lib.plots.render import LiveFigure, figure_to_png_base64
>>> fig = LiveFigure()
>>> ax = fig.axes[0]
>>> label = PastedLabel(0.5, 0.5, "Partnership", ha="center", va="center",
...                     bbox={"facecolor": "white", "pad": 2})
>>> _ = ax.add_artist(label)
>>> label.set_position(snap_to_pixel(ax, (0.5, 0.5)))
>>> first = figure_to_png_base64(fig)
>>> len(label.glyph_cache), first == figure_to_png_base64(fig)
(1, True)
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.text import Text

__all__ = ["PastedLabel", "snap_to_pixel"]

#: Pixels kept around a text's extent (inside its box's padding).
_MARGIN = 1


def snap_to_pixel(ax: Axes, point: tuple[float, float]) -> tuple[float, float]:
    """The data point nearest ``point`` whose display position is a whole pixel.

    Examples
    --------
    >>> from course_lib.plots.render import new_figure
    >>> ax = new_figure().axes[0]
    >>> x, y = ax.transData.transform(snap_to_pixel(ax, (0.3, 0.7)))
    >>> bool(abs(x - round(x)) < 1e-6 and abs(y - round(y)) < 1e-6)
    True
    """
    px, py = ax.transData.transform(point)
    x, y = ax.transData.inverted().transform((round(px), round(py)))
    return float(x), float(y)


class PastedLabel(Text):
    """A :class:`~matplotlib.text.Text` with a box, whose glyph pixels are cached per text.

    Attributes
    ----------
    glyph_cache : dict
        ``(text, canvas width, canvas height) -> (column offset, row offset, pixels)``,
        offsets from the anchor pixel to the top-left corner of the kept pixels.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.glyph_cache: dict[tuple[str, int, int], tuple[int, int, np.ndarray]] = {}

    def _anchor(self) -> tuple[int, int] | None:
        """The anchor in display pixels, if it lies on a whole pixel."""
        x, y = self.get_transform().transform(self.get_unitless_position())
        if not (math.isfinite(x) and math.isfinite(y)):
            return None
        if abs(x - round(x)) > 1e-6 or abs(y - round(y)) > 1e-6:
            return None
        return round(x), round(y)

    def draw(self, renderer: Any) -> None:
        anchor = self._anchor() if isinstance(renderer, RendererAgg) else None
        if (anchor is None or not self.get_visible() or not self.get_text()
                or self.get_bbox_patch() is None):
            super().draw(renderer)
            return
        buffer = np.asarray(renderer.buffer_rgba())
        height, width = buffer.shape[:2]
        key = (self.get_text(), width, height)
        cached = self.glyph_cache.get(key)
        if cached is None:
            super().draw(renderer)
            self._keep_pixels(renderer, buffer, anchor, key)
            return
        dx, dy, pixels = cached
        left, top = anchor[0] + dx, height - anchor[1] + dy
        if left < 0 or top < 0 or left + pixels.shape[1] > width or top + pixels.shape[0] > height:
            super().draw(renderer)
            return
        self.update_bbox_position_size(renderer)
        self.get_bbox_patch().draw(renderer)
        buffer[top:top + pixels.shape[0], left:left + pixels.shape[1]] = pixels
        self.stale = False

    def _keep_pixels(self, renderer: Any, buffer: np.ndarray, anchor: tuple[int, int],
                     key: tuple[str, int, int]) -> None:
        """Keep the pixels of the text's extent just drawn (when they lie on the canvas)."""
        height, width = buffer.shape[:2]
        extent = super().get_window_extent(renderer)
        left = math.floor(extent.x0) - _MARGIN
        right = math.ceil(extent.x1) + _MARGIN
        top = height - math.ceil(extent.y1) - _MARGIN
        bottom = height - math.floor(extent.y0) + _MARGIN
        if left < 0 or top < 0 or right > width or bottom > height:
            return
        self.glyph_cache[key] = (left - anchor[0], top - (height - anchor[1]),
                                 buffer[top:bottom, left:right].copy())
