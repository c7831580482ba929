"""Widget layout and accessible names (issue 12, items 2 and 3): every control is labelled,
sliders fit the column that holds them, tracks start at one x, reset restores the case."""

from __future__ import annotations

import re

import ipywidgets as ipw
import pytest

from course_lib import widgets
from course_lib.tiers import INPUTS, reference_cases
from course_lib.widgets._base import CONTROL_COLUMN_WIDTH, DESCRIPTION_WIDTH

pytestmark = pytest.mark.slow

QUESTIONS = [
    {"prompt": "Which aggregation lets high power make up for zero intent?",
     "options": ["Additive", "Geometric"], "answer": 0,
     "explanation": "A weighted mean is compensatory; a geometric mean is not."},
]

FACTORIES = {
    "threat_explorer": lambda: widgets.threat_explorer("ISR"),
    "tier_decision_map": widgets.tier_decision_map,
    "timeline_explorer": widgets.timeline_explorer,
    "strategy_chooser": widgets.strategy_chooser,
    "sensitivity_explorer": lambda: widgets.sensitivity_explorer("ISR", n_draws=200),
    "quiz": lambda: widgets.quiz(QUESTIONS),
}
SLIDERS = (ipw.FloatSlider, ipw.IntSlider, ipw.FloatLogSlider, ipw.IntRangeSlider,
           ipw.FloatRangeSlider)


def _px(width: str) -> float:
    m = re.fullmatch(r"(\d+(?:\.\d+)?)px", width or "")
    assert m, f"expected a width in px, got {width!r}"
    return float(m.group(1))


def _parents(root: ipw.Widget) -> dict[int, ipw.Box]:
    """Map id(widget) -> the Box that directly holds it."""
    out: dict[int, ipw.Box] = {}

    def walk(w: ipw.Widget) -> None:
        if isinstance(w, ipw.Box):
            for c in w.children:
                out[id(c)] = w
                walk(c)

    walk(root)
    return out


def _sliders(w: ipw.Widget) -> list[ipw.Widget]:
    return [c for c in w.controls if isinstance(c, SLIDERS)]


@pytest.mark.parametrize("name", list(FACTORIES))
def test_every_control_has_a_description_and_a_tooltip(name):
    w = FACTORIES[name]()
    assert w.controls, f"{name} has no controls"
    for c in w.controls:
        assert isinstance(c.description, str) and c.description.strip(), (name, c)
        assert isinstance(c.tooltip, str) and c.tooltip.strip(), (name, c.description)


@pytest.mark.parametrize("name", [n for n in FACTORIES if n != "quiz"])
def test_sliders_fit_their_column_and_start_at_one_x(name):
    w = FACTORIES[name]()
    sliders = _sliders(w)
    assert sliders, f"{name} has no slider"
    parents = _parents(w)
    for s in sliders:
        col = parents[id(s)]
        col_px = _px(col.layout.width)
        assert col_px == _px(CONTROL_COLUMN_WIDTH)
        # the column cannot be squeezed by its neighbour (the 247 px bug)
        assert _px(col.layout.min_width) == col_px and col.layout.flex == "0 0 auto"
        if s.layout.width != "100%":
            assert _px(s.layout.width) <= col_px, (name, s.description, s.layout.width)
        assert s.style.description_width == DESCRIPTION_WIDTH, (name, s.description)
        # the description leaves room for the track and the readout
        assert _px(DESCRIPTION_WIDTH) <= col_px - 180


#: Composites whose control column sits in a row beside the output (the row wraps), and the
#: one that stacks its column directly above the output.
BESIDE = ("threat_explorer", "tier_decision_map", "strategy_chooser", "sensitivity_explorer")
STACKED = ("timeline_explorer",)


def test_every_composite_has_a_declared_layout():
    assert sorted(BESIDE + STACKED) == sorted(n for n in FACTORIES if n != "quiz")


@pytest.mark.parametrize("name", BESIDE)
def test_output_beside_the_controls_wraps_below_instead_of_overlapping(name):
    w = FACTORIES[name]()
    parents = _parents(w)
    col = parents[id(_sliders(w)[0])]
    row = parents[id(col)]
    assert row is not w and isinstance(row, ipw.HBox)
    assert row.layout.flex_flow == "row wrap"
    other = [c for c in row.children if c is not col]
    assert other and all(c.layout.min_width == "0" for c in other)


@pytest.mark.parametrize("name", STACKED)
def test_a_stacked_column_comes_before_its_output_in_one_vertical_box(name):
    """Stacked in the composite's own VBox, the output can only come below the controls."""
    w = FACTORIES[name]()
    col = _parents(w)[id(_sliders(w)[0])]
    assert isinstance(w, ipw.VBox) and col in w.children
    assert w.poke_output in w.children
    assert w.children.index(col) < w.children.index(w.poke_output)
    assert _px(col.layout.min_width) == _px(col.layout.width)  # nothing squeezes the column


def test_tier_map_result_text_is_not_inside_the_slider_column():
    w = widgets.tier_decision_map()
    col = _parents(w)[id(w.threat)]
    assert w.result_html not in col.children
    assert w.reset in col.children and w.case in col.children


@pytest.mark.parametrize("case", list(reference_cases()["case"]))
def test_reset_button_restores_the_case_values(case):
    w = widgets.tier_decision_map(case)
    row = reference_cases().set_index("case").loc[case]
    start_tier = w.choice.tier
    for k in INPUTS:
        w.sliders[k].value = 0.0 if float(row[k]) > 0.5 else 1.0
    assert w.case.value == ""
    w.reset.click()
    assert w.case.value == case
    assert {k: w.sliders[k].value for k in INPUTS} == pytest.approx(
        {k: float(row[k]) for k in INPUTS})
    assert w.choice.tier == start_tier
    assert w.reset.description == "Reset to the paper's values"


def test_reset_button_restores_given_inputs_when_no_case():
    w = widgets.tier_decision_map(case=None, threat=0.9, self_reliance=0.1)
    start = {k: s.value for k, s in w.sliders.items()}
    w.threat.value, w.autonomy.value = 0.1, 0.95
    w.case.value = "israel"
    w.reset.click()
    assert w.case.value == ""
    assert {k: s.value for k, s in w.sliders.items()} == pytest.approx(start)


@pytest.mark.parametrize(("name", "attrs"), [
    ("threat_explorer", ("coding", "intent_source", "intent_score", "reset")),
    ("sensitivity_explorer", ("observer", "reset")),
])
def test_new_controls_are_labelled_focusable_and_in_the_control_column(name, attrs):
    w = FACTORIES[name]()
    parents = _parents(w)
    column = parents[id(_sliders(w)[0])]
    for attr in attrs:
        c = getattr(w, attr)
        assert c in w.controls and c in column.children, (name, attr)
        assert c.description.strip() and c.tooltip.strip()
        assert c.tabbable is not False and not c.disabled  # reachable with Tab
        if isinstance(c, ipw.Dropdown):
            assert c.layout.width == "100%" and c.style.description_width == DESCRIPTION_WIDTH
    assert w.reset.description == "Reset to the paper's values"


@pytest.mark.parametrize("name", ["threat_explorer", "sensitivity_explorer", "tier_decision_map",
                                  "strategy_chooser"])
def test_controls_and_figure_fit_a_1280_px_notebook(name):
    """JupyterLab at 1280x720 leaves about 1100 px for an output: the control column and
    the figure's display width each fit it, so nothing is cut (the row wraps below)."""
    w = FACTORIES[name]()
    assert _px(CONTROL_COLUMN_WIDTH) + 320 + 16 <= 1100  # column + output's flex basis
    html = getattr(w, "figure_html", None)
    if html is not None:
        m = re.search(r'width="(\d+)" height="(\d+)" style="max-width:100%', html.value)
        assert m and 600 <= int(m.group(1)) <= 1100
