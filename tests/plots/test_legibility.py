"""Crisp, legible figures (issue 12, item 4): pixel density, on-screen text size, no text
overprinted or clipped, measured on the texts matplotlib actually draws."""

from __future__ import annotations

import base64
import io
import itertools
import re

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text
from PIL import Image

from course_lib import plots
from course_lib.datasets import load_timeline
from course_lib.plots.render import new_figure
from course_lib.threat import threat_to
from tests.plots.test_figures import all_figures

pytestmark = pytest.mark.slow

FIRST_RELEASE_PX = (512, 288)  # 6.4 x 3.6 in at 80 dpi


def drawn_texts(fig) -> list[Text]:
    """Every non-empty visible text a draw of ``fig`` paints (tick labels only in view)."""
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    fig.canvas.draw()
    tick_labels, shown = set(), []
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            pad = (hi - lo) * 1e-9
            for tick in [*axis.get_major_ticks(), *axis.get_minor_ticks()]:
                for label in (tick.label1, tick.label2):
                    tick_labels.add(id(label))
                    if (tick.get_visible() and label.get_visible() and label.get_text().strip()
                            and lo - pad <= tick.get_loc() <= hi + pad):
                        shown.append(label)
    for t in fig.findobj(Text):
        if id(t) in tick_labels or not t.get_visible() or not t.get_text().strip():
            continue
        if all(a.get_visible() for a in _ancestors(t)):
            shown.append(t)
    return shown


def _ancestors(t: Text) -> list:
    """Legend (or other container) a text belongs to, when known."""
    out = []
    for ax in t.figure.axes:
        legend = ax.get_legend()
        if legend is not None and (t in legend.get_texts() or t is legend.get_title()):
            out.append(legend)
    return out


def _boxes(fig):
    texts = drawn_texts(fig)
    renderer = fig.canvas.get_renderer()
    return [(t, t.get_window_extent(renderer)) for t in texts]


@pytest.fixture(scope="module")
def figures():
    figs = all_figures()
    tl = load_timeline()
    figs["timeline_widget"] = plots.timeline_chart(tl, years=(2000, 2010), stable_layout=True)
    figs["threat_bar_geometric"] = plots.threat_bar(
        threat_to("ISR", method="geometric"), "ISR", method="geometric", observer_name="Israel")
    return figs


NAMES = ["threat_bar", "threat_bar_geometric", "decision_map", "timeline_chart",
         "timeline_widget", "regional_powers", "sensitivity_chart", "milex_chart"]


@pytest.mark.parametrize("name", NAMES)
def test_png_has_twice_the_first_release_pixels_and_shows_at_least_600_px(figures, name):
    fig, alt = figures[name]
    png = base64.b64decode(plots.figure_to_png_base64(fig))
    width, height = Image.open(io.BytesIO(png)).size
    assert width >= 2 * FIRST_RELEASE_PX[0] and height >= 2 * FIRST_RELEASE_PX[1]
    tag = plots.figure_html(fig, alt)
    shown_w, shown_h = (int(x) for x in re.search(r'width="(\d+)" height="(\d+)"', tag).groups())
    assert shown_w >= 600
    assert width / shown_w >= 2.0 - 1e-3 and height / shown_h >= 2.0 - 1e-2, (
        "the PNG must hold at least two pixels per CSS pixel")
    assert "max-width:100%" in tag


@pytest.mark.parametrize("name", NAMES)
def test_every_text_is_at_least_11_css_px_on_screen(figures, name):
    fig, _ = figures[name]
    texts = drawn_texts(fig)
    assert texts
    small = [(t.get_text(), round(plots.text_size_px(t.get_fontsize()), 1)) for t in texts
             if plots.text_size_px(t.get_fontsize()) < plots.MIN_TEXT_PX]
    assert not small, f"{name}: text under {plots.MIN_TEXT_PX} px on screen: {small}"


@pytest.mark.parametrize("name", NAMES)
def test_no_text_is_clipped_by_the_figure_edge(figures, name):
    fig, _ = figures[name]
    frame = fig.bbox
    clipped = [t.get_text() for t, b in _boxes(fig)
               if b.x0 < frame.x0 - 0.5 or b.y0 < frame.y0 - 0.5
               or b.x1 > frame.x1 + 0.5 or b.y1 > frame.y1 + 0.5]
    assert not clipped, f"{name}: texts cut by the figure edge: {clipped}"


@pytest.mark.parametrize("name", NAMES)
def test_no_two_texts_overlap(figures, name):
    fig, _ = figures[name]
    boxes = _boxes(fig)
    clashes = []
    for (t1, b1), (t2, b2) in itertools.combinations(boxes, 2):
        if b1.shrunk(0.98, 0.9).overlaps(b2.shrunk(0.98, 0.9)):
            clashes.append((t1.get_text(), t2.get_text()))
    assert not clashes, f"{name}: overprinted texts: {clashes}"


def test_the_text_check_sees_an_overlap_and_a_clipped_legend():
    fig = new_figure()
    FigureCanvasAgg(fig)
    ax = fig.axes[0]
    ax.set_title("A title")
    ax.text(0.5, 1.01, "A subtitle over the title", transform=ax.transAxes, ha="center")
    ax.plot([0, 1], [0, 1], label="5th-95th percentile")
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5))
    boxes = dict((t.get_text(), b) for t, b in _boxes(fig))
    assert boxes["A title"].overlaps(boxes["A subtitle over the title"])
    assert boxes["5th-95th percentile"].x1 > fig.bbox.x1
