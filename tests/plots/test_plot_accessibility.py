"""Figure accessibility (course_lib.plots.style): Okabe-Ito colours only, shapes besides colour,
alt text on every figure."""

from __future__ import annotations

import pytest

from course_lib import plots
from tests.plots.test_figures import all_figures

pytestmark = pytest.mark.slow

OKABE_ITO = {"#000000", "#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00",
             "#cc79a7"}
ALLOWED = OKABE_ITO | {"#ffffff"}


def test_palette_is_okabe_ito():
    assert {c.lower() for c in plots.PALETTE.values()} == OKABE_ITO
    assert len(plots.PALETTE) == 8
    for colour, _hatch in plots.FACTOR_STYLES.values():
        assert colour.lower() in OKABE_ITO
    for colour, _hatch in plots.TIER_STYLES.values():
        assert colour.lower() in OKABE_ITO
    hatches = [h for _, h in plots.TIER_STYLES.values()]
    assert len(set(hatches)) == len(hatches), "tiers must differ by more than colour"
    factor_hatches = [h for _, h in plots.FACTOR_STYLES.values()]
    assert len(set(factor_hatches)) == len(factor_hatches)
    cats = plots.category_styles([f"c{i}" for i in range(8)])
    assert len(set(cats.values())) == 8
    assert {c.lower() for c, _ in cats.values()} <= OKABE_ITO



@pytest.mark.parametrize("name", ["threat_bar", "decision_map", "timeline_chart",
                                  "regional_powers", "sensitivity_chart", "milex_chart"])
def test_figures_use_only_palette_colours_and_have_alt(name):
    fig, alt = all_figures()[name]
    assert alt.strip()
    colours = plots.figure_colours(fig)
    assert colours, "no coloured artists found"
    bad = sorted(set(colours) - ALLOWED)
    assert not bad, f"{name} uses colours outside the Okabe-Ito palette: {bad}"
