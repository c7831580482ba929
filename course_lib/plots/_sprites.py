"""Per-text pixel cache for the row names of a bar chart (the "sprites" of a LiveFigure).

A re-ranking of a bar chart moves names between rows; re-rendering their glyphs is the
slowest part of an update. Each sprite (a name text left of the axes, one per row) owns the
strip of its row, and the strip's pixels are cached per (row, text, visibility), so a name
seen before in that row is pasted instead of drawn.

The module knows figures only as matplotlib figures: the renderer
(:mod:`course_lib.plots.render`) hands it the sprites, the other slow artists, the cache (a
:class:`SpriteCache`, defined here) and the pixels of the static layer.

Examples
--------
>>> from matplotlib.figure import Figure
>>> fig = Figure(); _ = fig.add_subplot()
>>> sprite_boxes(fig, []) is None  # no sprites
True
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.text import Text

__all__ = ["SPRITE_CACHE_SIZE", "SpriteCache", "sprite_boxes", "draw_slow_layer_with_sprites"]

#: Most cached sprite strips per figure (a few MB at most) before the cache starts afresh.
SPRITE_CACHE_SIZE = 256


@dataclass(eq=False)
class SpriteCache:
    """Pixel strips of the sprite texts.

    Attributes
    ----------
    size : (int, int) or None
        Canvas size the strips were measured for.
    boxes : list of (slice, slice) or None
        Rows and columns of the RGBA buffer owned by each sprite.
    strips : dict
        ``(row, text, visible) -> pixels``.
    off : bool
        A text spilled out of its strip: sprites are drawn as ordinary slow artists.
    """

    size: tuple[int, int] | None = None
    boxes: list[tuple[slice, slice]] | None = None
    strips: dict[tuple[int, str, bool], Any] = field(default_factory=dict)
    off: bool = False


def sprite_boxes(fig: Figure, sprites: Sequence[Text]) -> list[tuple[slice, slice]] | None:
    """Pixel strips (rows, columns of the RGBA buffer) owned by each sprite, or None."""
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


def _usable_boxes(fig: Figure, sprites: Sequence[Text], cache: SpriteCache
                  ) -> list[tuple[slice, slice]] | None:
    """The sprite strips for the current canvas size (measured again after a resize)."""
    size = fig.canvas.get_width_height()
    if cache.size != size:
        cache.boxes, cache.strips, cache.size = sprite_boxes(fig, sprites), {}, size
    if cache.boxes is None:
        cache.off = True
    if len(cache.strips) > SPRITE_CACHE_SIZE:
        cache.strips.clear()
    return cache.boxes


def draw_slow_layer_with_sprites(fig: Figure, renderer: Any, *, sprites: Sequence[Text],
                                 slow: Sequence[Artist], cache: SpriteCache,
                                 background: Any) -> bool:
    """Draw the slow layer with its sprites taken from the per-text pixel cache.

    Called on the cached static layer (``background``, the pixels the canvas was restored
    from). Pastes each sprite's strip (static pixels plus its text) from ``cache``; draws the
    other ``slow`` artists, which lie outside the strips; then renders and caches the sprites
    that missed. A text that spills out of its strip turns the cache off for the figure; then,
    as when the figure has no sprites, the canvas is left as the static layer and False is
    returned.
    """
    if not sprites or cache.off:
        return False
    boxes = _usable_boxes(fig, sprites, cache)
    if boxes is None:
        return False
    buffer = np.asarray(fig.canvas.buffer_rgba())
    height = buffer.shape[0]
    pending = []
    for i, (txt, (rows, cols)) in enumerate(zip(sprites, boxes, strict=True)):
        key = (i, txt.get_text(), txt.get_visible())
        cached = cache.strips.get(key)
        if cached is not None:
            buffer[rows, cols] = cached
        elif txt.get_visible() and txt.get_text():
            extent = txt.get_window_extent(renderer)
            inside = (extent.x1 <= cols.stop and height - extent.y1 >= rows.start
                      and height - extent.y0 <= rows.stop)
            if not inside:
                cache.off = True
                fig.canvas.restore_region(background)  # undo pasted strips
                return False
            pending.append((key, txt, rows, cols))
        else:
            cache.strips[key] = buffer[rows, cols].copy()
    others = [a for a in slow if a not in sprites]
    for artist in sorted(others, key=lambda a: a.get_zorder()):
        if artist.get_visible():
            artist.draw(renderer)
    for key, txt, rows, cols in pending:
        txt.draw(renderer)
        cache.strips[key] = buffer[rows, cols].copy()
    return True
