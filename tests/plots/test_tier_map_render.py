"""The tier map's fast drawing (painted regions, pasted labels) gives the pixels of a real draw."""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from matplotlib.image import AxesImage
from PIL import Image

from course_lib.plots import tier_map
from course_lib.plots.render import figure_to_png_base64
from course_lib.widgets import tier_decision_map

pytestmark = pytest.mark.slow


def _pixels(png_base64: str) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(png_base64))).convert("RGB"),
                      dtype=int)


def _reference(fig) -> np.ndarray:
    """The figure drawn by matplotlib alone: its own image resampling, glyphs rendered anew."""
    buf = io.BytesIO()
    saved = {id(t): dict(t.glyph_cache) for t in fig.region_texts}
    for t in fig.region_texts:
        t.glyph_cache.clear()
    original = tier_map._RegionImage.make_image
    tier_map._RegionImage.make_image = AxesImage.make_image
    try:
        fig.savefig(buf, format="png", dpi=fig.dpi)
    finally:
        tier_map._RegionImage.make_image = original
        for t in fig.region_texts:
            t.glyph_cache.update(saved[id(t)])
    return np.asarray(Image.open(buf).convert("RGB"), dtype=int)


@pytest.mark.parametrize("self_reliance", [0.2, 0.6, 0.45])
def test_the_widgets_fast_render_matches_matplotlibs_own(self_reliance: float) -> None:
    w = tier_decision_map()
    w.self_reliance.value = 0.9  # fill the label caches at other positions first
    w.self_reliance.value = self_reliance
    fast = _pixels(figure_to_png_base64(w.figure))
    reference = _reference(w.figure)
    assert fast.shape == reference.shape
    differing = float((np.abs(fast - reference).max(axis=2) > 8).mean())
    assert differing < 0.005, f"{differing:.2%} of the pixels differ"


def test_pasted_labels_are_the_pixels_a_real_draw_gives() -> None:
    w = tier_decision_map()
    for value in (0.2, 0.6, 0.2):
        w.self_reliance.value = value
    assert all(t.glyph_cache for t in w.figure.region_texts if t.get_visible())
    cached = _pixels(figure_to_png_base64(w.figure))
    for t in w.figure.region_texts:
        t.glyph_cache.clear()
    w.figure.mark_slow_changed()
    drawn = _pixels(figure_to_png_base64(w.figure))
    difference = np.abs(cached - drawn).max(axis=2)
    # the same glyphs at the same whole pixels: at most a few levels of antialiasing apart
    assert difference.max() <= 8 and float((difference > 0).mean()) < 0.002


def test_labels_follow_their_regions_and_sit_on_whole_pixels() -> None:
    w = tier_decision_map()
    before = [t.get_position() for t in w.figure.region_texts]
    w.self_reliance.value = 0.9
    after = [t.get_position() for t in w.figure.region_texts]
    assert before != after
    for t in w.figure.region_texts:
        x, y = t.get_transform().transform(t.get_position())
        assert abs(x - round(x)) < 1e-6 and abs(y - round(y)) < 1e-6


def test_a_render_at_another_resolution_draws_everything() -> None:
    w = tier_decision_map()
    png = figure_to_png_base64(w.figure, dpi=96)
    small = _pixels(png)
    assert small.shape[1] == round(w.figure.get_size_inches()[0] * 96)
    assert len(np.unique(small.reshape(-1, 3), axis=0)) > 20  # regions, labels and text drawn
