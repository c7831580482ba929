"""course_lib.plots.render: the layered fast path gives the pixels of a full savefig, reuses its
caches, and never leaves moving artists hidden from savefig."""

from __future__ import annotations

import base64
import io
import re

import numpy as np
import pytest
from PIL import Image

from course_lib import plots
from course_lib.datasets import load_states, load_timeline
from course_lib.threat import DEFAULT_WEIGHTS, threat_to, weight_sensitivity
from tests.plots.test_figures import _grid, all_figures

pytestmark = pytest.mark.slow

#: Resolution of these checks: the layered render does not depend on it, and a quarter of the
#: pixels of the 192 dpi default keeps the module fast (tests/plots/test_legibility.py checks
#: the default resolution itself).
LOW_DPI = 96


def _low(fig):
    fig.set_dpi(LOW_DPI)
    return fig


def _png(fig) -> str:
    """Render at the figure's own resolution (the layered fast path for a LiveFigure)."""
    return plots.figure_to_png_base64(fig, dpi=int(fig.dpi))


@pytest.fixture(scope="module")
def figures():
    return {name: (_low(fig), alt) for name, (fig, alt) in all_figures().items()}


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)


def _fast_pixels(fig) -> np.ndarray:
    return _pixels(base64.b64decode(_png(fig)))


def _savefig_pixels(fig) -> np.ndarray:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=fig.dpi)
    return _pixels(buf.getvalue())


def _assert_same_image(fast, full):
    """Equal up to antialiasing of a few edge pixels (tick marks meeting the spines)."""
    assert fast.shape == full.shape
    diff = np.abs(fast - full).max(axis=2)
    assert diff.max() <= 16, f"pixels differ by up to {diff.max()}"
    assert (diff > 0).mean() < 0.001, f"{int((diff > 0).sum())} pixels differ"


def _first_figure(name):
    """One live figure in its first state, at LOW_DPI."""
    if name == "threat_bar":
        fig, _ = plots.threat_bar(threat_to("ISR"), "ISR", observer_name="Israel")
    elif name == "decision_map":
        fig, _ = plots.decision_map(_grid(), point=(0.5, 0.5), subtitle="first inputs")
    elif name == "timeline_chart":  # as the widget makes it: the layout stays put
        fig, _ = plots.timeline_chart(load_timeline(), stable_layout=True)
    else:
        fig, _ = plots.sensitivity_chart(weight_sensitivity("ISR", 300), "ISR", n_draws=300)
    return _low(fig)


def _updated_figure(name):
    """One figure rendered once by the fast path, then updated so every layer changes."""
    fig = _first_figure(name)
    _png(fig)
    if name == "threat_bar":
        w = dict(DEFAULT_WEIGHTS, power=0.0, intent=2.0)
        plots.update_threat_bar(fig, threat_to("ISR", weights=w, method="geometric"), "ISR",
                                weights=w, method="geometric", observer_name="Israel")
    elif name == "decision_map":
        plots.update_decision_map(fig, grid=_grid(s=0.05, e=0.6, d=0.5), point=(0.2, 0.8),
                                  tier="none", subtitle="second inputs")
    elif name == "timeline_chart":
        plots.update_timeline_chart(fig, load_timeline(), categories=["NATO-Israel"],
                                    years=(2000, 2020))
    else:
        plots.update_sensitivity_chart(
            fig, weight_sensitivity("ISR", 300, concentration=50.0, method="geometric"), "ISR",
            n_draws=50)
    return fig


def _updated_figures():
    return {name: _updated_figure(name) for name in LIVE}


LIVE = ["threat_bar", "decision_map", "timeline_chart", "sensitivity_chart"]


@pytest.mark.parametrize("name", ["threat_bar", "decision_map", "timeline_chart",
                                  "regional_powers", "sensitivity_chart", "milex_chart"])
def test_fast_render_matches_a_full_savefig(figures, name):
    fig, _ = figures[name]
    first = _png(fig)
    _assert_same_image(_fast_pixels(fig), _savefig_pixels(fig))
    assert _png(fig) == first


@pytest.mark.parametrize("name", ["threat_bar", "decision_map", "timeline_chart",
                                  "sensitivity_chart"])
def test_updated_figures_render_like_a_full_savefig(name):
    fig = _updated_figure(name)
    fast = _fast_pixels(fig)
    full = _savefig_pixels(fig)
    _assert_same_image(fast, full)
    # The update must show: a fresh figure in the first state renders differently.
    assert (np.abs(fast - _fast_pixels(_first_figure(name))).max(axis=2) > 0).sum() > 100


@pytest.mark.parametrize("name", ["threat_bar", "decision_map", "timeline_chart",
                                  "sensitivity_chart"])
def test_savefig_is_complete_after_fast_renders(name):
    """The cached-background trick must not leave moving artists hidden from savefig."""
    fig = _updated_figure(name)
    _png(fig)
    moving = [*fig.layers.fast, *fig.layers.slow]
    assert moving and not any(a.get_animated() for a in moving)
    before = _savefig_pixels(fig)
    for a in moving:
        a.set_visible(False)
    without = _savefig_pixels(fig)
    assert (np.abs(before - without).max(axis=2) > 0).sum() > 50, "savefig lost the moving parts"


def test_title_changes_reuse_the_cached_static_layer():
    """Aggregation and subtitle changes redraw only the moving layers, not the whole figure."""
    fig, _ = plots.threat_bar(threat_to("ISR"), "ISR", observer_name="Israel")
    _png(fig)
    background = fig.render_cache.background
    plots.update_threat_bar(fig, threat_to("ISR", method="geometric"), "ISR",
                            method="geometric", observer_name="Israel")
    assert fig.render_cache.slow_dirty
    _png(fig)
    assert fig.render_cache.background is background
    assert fig.axes[0].get_title() == ("Threat to Israel (ISR) by source (geometric)\n"
                                       "segment = how much each factor pulls the score down")
    assert fig.legend_title.get_text() == "Factor pulling\nthe score down"
    fig_d, _ = plots.decision_map(_grid(), point=(0.5, 0.5), subtitle="a")
    _png(fig_d)
    background, middle = fig_d.render_cache.background, fig_d.render_cache.middle
    plots.update_decision_map(fig_d, point=(0.3, 0.3))  # point only: slow layer kept
    _png(fig_d)
    assert fig_d.render_cache.middle is middle
    plots.update_decision_map(fig_d, grid=_grid(s=0.1), subtitle="b")
    _png(fig_d)
    assert fig_d.render_cache.background is background
    assert fig_d.render_cache.middle is not middle


def test_figure_html_of_a_widget_figure_equals_its_savefig():
    """show_figure / figure_html embed the complete figure, moving parts included."""
    fig, alt = plots.sensitivity_chart(weight_sensitivity("ISR", 200), "ISR", n_draws=200)
    markup = plots.figure_html(fig, alt)
    png = base64.b64decode(re.search(r'base64,([A-Za-z0-9+/=]+)"', markup).group(1))
    _assert_same_image(_pixels(png), _savefig_pixels(fig))
    assert "<figcaption>How robust is the ranking? Threat to ISR, 200 draws</figcaption>" in (
        markup)


@pytest.mark.parametrize("top", [8, 30])
def test_threat_bar_name_strips_are_reused_and_exact(top):
    """Source names are pasted from a per-text pixel cache (or drawn when rows are tight)."""
    w2 = dict(DEFAULT_WEIGHTS, power=0.0, intent=2.0)
    states = [(threat_to("ISR"), None, "additive"),
              (threat_to("ISR", weights=w2, method="geometric"), w2, "geometric")] * 2
    fig = _low(plots.threat_bar(states[0][0], "ISR", observer_name="Israel", top=top)[0])
    seen = []
    for table, weights, method in states:
        plots.update_threat_bar(fig, table, "ISR", weights=weights, method=method,
                                observer_name="Israel")
        _assert_same_image(_fast_pixels(fig), _savefig_pixels(fig))
        seen.append(len(fig.sprite_cache.strips))
    if top == 8:  # rows are roomy: strips cached once per (row, name), then reused
        assert not fig.sprite_cache.off
        assert seen[0] > 0 and seen[2] == seen[1] == seen[3] > seen[0]
    else:  # 30 rows: a name would spill into its neighbours, so names are drawn as usual
        assert fig.sprite_cache.off




def test_live_figures_name_their_moving_layers():
    figs = _updated_figures()
    for fig in figs.values():
        assert isinstance(fig, plots.LiveFigure)
        assert fig.layers.fast and set(map(id, fig.layers.fast)).isdisjoint(
            map(id, fig.layers.slow))
        assert not fig.render_cache.dirty  # rendered once, static layer cached
    assert figs["threat_bar"].layers.sprites == figs["threat_bar"].name_texts
    static, _ = plots.milex_chart(load_states(), ["ISR"])
    assert not isinstance(static, plots.LiveFigure)


def test_timeline_update_that_moves_the_axis_redraws_the_static_layer():
    tl = load_timeline()
    fig = _low(plots.timeline_chart(tl, categories=["NATO-Israel", "Partnerships"])[0])
    _png(fig)
    background = fig.render_cache.background
    plots.update_timeline_chart(fig, tl, categories=["NATO-Israel"], years=(2000, 2020))
    assert [float(x) for x in fig.axes[0].get_xlim()] == [1999.0, 2021.0]
    n_categories = tl["category"].nunique()
    assert fig.axes[0].get_title() == (
        f"Milestones by year, 2000-2020: 2 of {n_categories} categories")
    _assert_same_image(_fast_pixels(fig), _savefig_pixels(fig))
    assert fig.render_cache.background is not background
    with pytest.raises(ValueError, match="categories must be among"):
        plots.update_timeline_chart(fig, tl, categories=["Abraham Accords"])
