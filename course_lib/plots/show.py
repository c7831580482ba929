"""Figures in a lesson: ``<img>`` and ``<figure>`` markup with alt text, :func:`show_figure`.

The ``<img>`` carries the figure's display size (its inches at
:data:`~course_lib.plots.style.DISPLAY_DPI`) as ``width`` and ``height``, so the PNG, rendered
at twice that, is shown crisp rather than at its pixel size; ``max-width: 100%`` lets it shrink
in a narrow column.

Examples
--------
>>> from course_lib.plots.render import new_figure
>>> fig = new_figure()
>>> fig.axes[0].set_title("Empty")  # doctest: +ELLIPSIS
Text(...)
>>> figure_html(fig, "An empty axes.").endswith('<figcaption>Empty</figcaption></figure>')
True
"""

from __future__ import annotations

import html
import sys

from IPython.display import display
from matplotlib.figure import Figure

from course_lib.plots.render import figure_to_png_base64
from course_lib.plots.style import DPI, display_size_px

__all__ = ["img_tag", "figure_html", "show_figure"]


def _check_alt(alt: object) -> str:
    if not isinstance(alt, str) or not alt.strip():
        raise ValueError("alt must be a non-empty string describing the figure")
    return alt


def img_tag(fig: Figure, alt: str, *, dpi: int = DPI) -> str:
    """Return ``<img>`` holding ``fig`` as a PNG data URI, with alt text and display size.

    Examples
    --------
    >>> from course_lib.plots.render import new_figure
    >>> tag = img_tag(new_figure(), 'A "blank" axes')
    >>> tag.startswith('<img src="data:image/png;base64,'), tag.endswith('role="img">')
    (True, True)
    >>> 'alt="A &quot;blank&quot; axes" width="614" height="346"' in tag
    True
    """
    _check_alt(alt)
    png = figure_to_png_base64(fig, dpi=dpi)
    width, height = display_size_px(fig)
    return (
        f'<img src="data:image/png;base64,{png}" alt="{html.escape(alt, quote=True)}" '
        f'width="{width}" height="{height}" style="max-width:100%;height:auto" role="img">'
    )


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
    >>> from course_lib.plots.render import new_figure
    >>> figure_html(new_figure(), "An empty axes.").startswith(
    ...     '<figure><img src="data:image/png;base64,')
    True
    """
    _check_alt(alt)
    if caption is None:
        caption = fig.axes[0].get_title().replace("\n", " ") if fig.axes else ""
    cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return f"<figure>{img_tag(fig, alt, dpi=dpi)}{cap}</figure>"


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
    >>> from unittest import mock
    >>> from course_lib.plots.render import new_figure
    >>> with mock.patch("course_lib.plots.show.display") as shown:
    ...     show_figure(new_figure(), "An empty axes.")
    >>> bundle = shown.call_args.args[0]
    >>> bundle["text/plain"], bundle["text/html"].startswith('<figure><img src="data:image/png')
    ('An empty axes.', True)
    """
    markup = figure_html(fig, alt, caption=caption)
    display({"text/html": markup, "text/plain": alt}, raw=True)
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close(fig)  # no-op for figures pyplot does not manage
