"""Fast PNG rendering of figures that widgets update in place: :class:`LiveFigure`.

A :class:`LiveFigure` is a :class:`matplotlib.figure.Figure` (made directly, never through
``pyplot``) that names its moving artists in :attr:`LiveFigure.layers` and keeps its pixel
caches in :attr:`LiveFigure.render_cache`. :func:`figure_to_png_base64` renders it in layers:

- the **static** layer (axes frame, x axis, labels, legend) is drawn once, with the moving
  artists hidden, and cached as pixels;
- the **slow** layer (names, title, decision regions) is drawn over it and cached again,
  but only after an update changed it (:meth:`LiveFigure.mark_slow_changed`);
- the **fast** layer (bars, points, and the axes spines so they stay on top) is redrawn on
  every render.

That keeps the kernel's part of a widget update under about 40 ms of CPU, where a full
``savefig`` of the same 1228x691 figure takes 80-130 ms; the learner's whole wait, from a key
press to the figure painted in the browser, was 68 ms in median (every control at most 81 ms)
against 122 ms with a plain ``savefig`` (most controls over 100 ms) on an idle machine
(``benchmarks/widget_latency_browser.py``, README "How fast the widgets answer").
It gives the pixels of a full render (up to the antialiasing of a few edge pixels). The fast
path encodes its PNG itself (:func:`png_bytes`: RGBA, no row filter, zlib level 1), which at
192 dpi takes a quarter of the time of Pillow's encoder with its per-row filter search.
Artists are hidden only while the static layer is cached, so ``fig.savefig`` still draws
everything. Any other figure is rendered with ``savefig``.

Examples
--------
>>> fig = LiveFigure()
>>> line, = fig.axes[0].plot([0, 1], [0, 1])
>>> fig.set_layers([line])
>>> png = figure_to_png_base64(fig)
>>> png[:8], fig.render_cache.dirty, png == figure_to_png_base64(fig)
('iVBORw0K', False, True)
"""

from __future__ import annotations

import base64
import io
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from course_lib import _validate
from course_lib.plots._sprites import SpriteCache, draw_slow_layer_with_sprites
from course_lib.plots.style import DPI, FIGSIZE, NEUTRALS

__all__ = ["Layers", "RenderCache", "SpriteCache", "LiveFigure", "new_figure", "png_bytes",
           "figure_to_png_base64"]


@dataclass(eq=False)
class Layers:
    """The moving artists of a :class:`LiveFigure`, by how often they change.

    Attributes
    ----------
    fast : list of Artist
        Redrawn on every render (bars, points, the axes spines).
    slow : list of Artist
        Redrawn when an update changed one of them (names, titles, regions).
    sprites : list of Text
        Slow texts left of the axes, one per row, whose pixels are cached per text.
    """

    fast: list[Artist] = field(default_factory=list)
    slow: list[Artist] = field(default_factory=list)
    sprites: list[Text] = field(default_factory=list)


@dataclass(eq=False)
class RenderCache:
    """Pixels of the static and slow layers, and whether they are stale.

    Attributes
    ----------
    size : (int, int) or None
        Canvas size the cache was made for.
    background, middle : BufferRegion or None
        Static layer; static plus slow layer.
    dirty, slow_dirty : bool
        The static (slow) layer must be drawn again before the next render.
    order : dict of str to list of Artist
        Drawing order per layer, sorted once like a full draw sorts it.
    """

    size: tuple[int, int] | None = None
    background: Any = None
    middle: Any = None
    dirty: bool = True
    slow_dirty: bool = True
    order: dict[str, list[Artist]] = field(default_factory=dict)


class LiveFigure(Figure):
    """A figure with one axes whose moving artists are rendered over cached layers.

    Attributes
    ----------
    layers : Layers
        Which artists move (empty until :meth:`set_layers`).
    render_cache : RenderCache
        Cached pixels of the static and slow layers.
    sprite_cache : SpriteCache
        Cached pixels of the sprite texts (:mod:`course_lib.plots._sprites`).

    Examples
    --------
    >>> fig = LiveFigure()
    >>> len(fig.axes), fig.dpi, fig.layers.fast
    (1, 192, [])
    """

    def __init__(self, figsize: tuple[float, float] = FIGSIZE) -> None:
        super().__init__(figsize=figsize, dpi=DPI, facecolor=NEUTRALS[0])
        self.add_subplot(facecolor=NEUTRALS[0])
        self.layers = Layers()
        self.render_cache = RenderCache()
        self.sprite_cache = SpriteCache()

    def set_layers(self, artists: Sequence[Artist], *, slow: Sequence[Artist] = (),
                   sprites: Sequence[Text] = ()) -> None:
        """Name the moving artists: ``artists`` change on most updates, ``slow`` now and then.

        The axes spines join the fast layer so they are drawn over the bars as in a full
        draw; slow artists are drawn before the others, so they must not overlap them.
        ``sprites`` (slow texts, one per row, left of the axes) have their pixels cached
        per text. Nothing stays marked animated, so ``savefig`` draws everything.
        """
        ax = self.axes[0]
        slow = list(dict.fromkeys(slow))
        moving = [a for a in dict.fromkeys([*artists, *ax.spines.values()]) if a not in slow]
        for artist in (*slow, *moving):
            artist.set_animated(False)
        self.layers = Layers(fast=moving, slow=slow, sprites=[a for a in sprites if a in slow])
        self.render_cache = RenderCache()

    def mark_slow_changed(self) -> None:
        """Record that an update changed a slow artist (redrawn at the next render)."""
        self.render_cache.slow_dirty = True


def new_figure(figsize: tuple[float, float] = FIGSIZE) -> Figure:
    """Return a plain figure with one axes, not registered with pyplot.

    Examples
    --------
    >>> new_figure().get_size_inches().tolist()
    [6.4, 3.6]
    """
    fig = Figure(figsize=figsize, dpi=DPI, facecolor=NEUTRALS[0])
    fig.add_subplot(facecolor=NEUTRALS[0])
    return fig


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def png_bytes(rgba: np.ndarray) -> bytes:
    """Encode an RGBA pixel buffer (height x width x 4) as an 8-bit RGBA PNG.

    Every row uses filter type 0 (none) and the image data is deflated at zlib level 1: on
    the mostly white figures of the course this is about as small as an adaptively filtered
    PNG and twice as fast to make. The alpha channel is kept: copying whole pixels is a plain
    memory copy, while dropping the alpha of an opaque figure would take a strided copy that
    costs as much as the compression (a PNG about a tenth larger, made in half the time). The
    same pixels always give the same bytes (no time or software chunk).

    Examples
    --------
    >>> px = np.zeros((2, 3, 4), dtype=np.uint8); px[..., 3] = 255; px[0, 0, :3] = 255
    >>> from PIL import Image
    >>> im = Image.open(io.BytesIO(png_bytes(px)))
    >>> im.size, im.mode, im.getpixel((0, 0)), im.getpixel((1, 0))
    ((3, 2), 'RGBA', (255, 255, 255, 255), (0, 0, 0, 255))
    """
    height, width = rgba.shape[:2]
    rows = np.empty((height, 1 + 4 * width), dtype=np.uint8)
    rows[:, 0] = 0  # filter type 0 on every row
    rows[:, 1:] = np.ascontiguousarray(rgba, dtype=np.uint8).reshape(height, 4 * width)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", zlib.compress(rows, 1)) + _png_chunk(b"IEND", b""))


def _savefig_png(fig: Figure, dpi: int) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _cache_static_layer(fig: LiveFigure, size: tuple[int, int]) -> None:
    """Draw everything but the moving artists and keep the pixels."""
    moving = (*fig.layers.slow, *fig.layers.fast)
    for artist in moving:
        artist.set_animated(True)
    try:
        fig.canvas.draw()  # skips animated artists
    finally:
        for artist in moving:
            artist.set_animated(False)
    cache = fig.render_cache
    cache.background = fig.canvas.copy_from_bbox(fig.bbox)
    cache.size, cache.dirty, cache.slow_dirty = size, False, True


def _draw_layer(fig: LiveFigure, layer: str, renderer: Any) -> None:
    """Draw the visible artists of one layer (``"slow"`` or ``"fast"``) in full-draw order."""
    order = fig.render_cache.order
    if layer not in order:
        position = {id(a): i for i, a in enumerate(fig.axes[0].get_children())}
        order[layer] = sorted(
            getattr(fig.layers, layer),
            key=lambda a: (a.get_zorder(), position.get(id(a), len(position))))
    for artist in order[layer]:
        if artist.get_visible():
            artist.draw(renderer)


def figure_to_png_base64(fig: Figure, *, dpi: int = DPI) -> str:
    """Render ``fig`` to PNG and return it base64-encoded (ASCII).

    The PNG carries no software tag or timestamp, so the same figure always gives the same
    bytes (strict nbval compares them inside ``text/html``). A :class:`LiveFigure` with
    moving layers, rendered at its own resolution, takes the layered fast path described
    in this module; any other figure is rendered with ``savefig``.

    Examples
    --------
    >>> fig = new_figure()
    >>> a = figure_to_png_base64(fig)
    >>> a == figure_to_png_base64(fig), a[:8]
    (True, 'iVBORw0K')
    """
    dpi = _validate.integer(dpi, "dpi", 20, 300)
    if not isinstance(fig, Figure):
        raise ValueError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    if dpi != fig.dpi or not isinstance(fig, LiveFigure) or not fig.layers.fast:
        return _savefig_png(fig, dpi)
    canvas, cache = fig.canvas, fig.render_cache
    size = canvas.get_width_height()
    if cache.dirty or cache.size != size:
        _cache_static_layer(fig, size)
    renderer = canvas.get_renderer()
    if cache.slow_dirty:
        canvas.restore_region(cache.background)
        if not draw_slow_layer_with_sprites(fig, renderer, sprites=fig.layers.sprites,
                                            slow=fig.layers.slow, cache=fig.sprite_cache,
                                            background=cache.background):
            _draw_layer(fig, "slow", renderer)
        cache.middle = canvas.copy_from_bbox(fig.bbox)
        cache.slow_dirty = False
    else:
        canvas.restore_region(cache.middle)
    _draw_layer(fig, "fast", renderer)
    return base64.b64encode(png_bytes(np.asarray(canvas.buffer_rgba()))).decode("ascii")
