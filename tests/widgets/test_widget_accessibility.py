"""Widget accessibility (course_lib.widgets): alt text on every widget figure, palette colours,
labelled controls with tooltips, one poke control and one poke output that reacts."""

from __future__ import annotations

import html
import math
import re

import ipywidgets
import pytest

from course_lib import plots, widgets
from course_lib.widgets._base import _table_html
from tests.widgets.test_composites import factories

pytestmark = pytest.mark.slow

OKABE_ITO = {"#000000", "#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00",
             "#cc79a7"}
ALLOWED = OKABE_ITO | {"#ffffff"}


FIGURE_WIDGETS = ["threat_explorer", "tier_decision_map", "timeline_explorer",
                  "sensitivity_explorer"]


@pytest.mark.parametrize("name", FIGURE_WIDGETS)
def test_widget_figures_carry_alt_text_and_palette(name):
    w = factories()[name]()
    m = re.fullmatch(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]+" alt="([^"]+)"'
                     r'(?: width="\d+" height="\d+")? style="max-width:100%[^"]*" role="img">',
                     w.figure_html.value)
    assert m, w.figure_html.value[:80]
    assert html.unescape(m.group(1)) == w.alt_text and w.alt_text.strip()
    assert not set(plots.figure_colours(w.figure)) - ALLOWED


def _walk(w):
    yield w
    if isinstance(w, ipywidgets.Box):
        for child in w.children:
            yield from _walk(child)


@pytest.mark.parametrize("name", list(factories()))
def test_every_control_is_labelled(name):
    w = factories()[name]()
    controls = [c for c in _walk(w) if isinstance(c, (ipywidgets.ValueWidget, ipywidgets.Button))
                and not isinstance(c, (ipywidgets.HTML, ipywidgets.HTMLMath, ipywidgets.Label))]
    assert controls
    assert {id(c) for c in controls} == {id(c) for c in w.controls}
    for c in controls:
        assert c.description.strip(), f"{type(c).__name__} without a description"
        assert not getattr(c, "description_allow_html", False)
        assert (c.tooltip or "").strip(), f"{c.description!r} has no tooltip"


@pytest.mark.parametrize("name", list(factories()))
def test_exactly_one_poke_and_one_poke_output(name):
    w = factories()[name]()
    pokes = [c for c in _walk(w) if widgets.POKE_CLASS in c._dom_classes]
    outputs = [c for c in _walk(w) if widgets.POKE_OUTPUT_CLASS in c._dom_classes]
    assert len(pokes) == 1 and len(outputs) == 1
    assert pokes[0] is w.poke_control and outputs[0] is w.poke_output


def _poke(control):
    """What the browser test does: slider one step right, dropdown next, toggle/radio click."""
    if isinstance(control, ipywidgets.IntRangeSlider):
        lo, hi = control.value
        control.value = (min(lo + control.step, hi), hi)
    elif isinstance(control, (ipywidgets.FloatLogSlider,)):
        exponent = min(control.max, math.log(control.value, control.base) + control.step)
        control.value = control.base**exponent
    elif isinstance(control, (ipywidgets.FloatSlider, ipywidgets.IntSlider)):
        control.value = min(control.max, control.value + control.step)
    elif isinstance(control, ipywidgets.RadioButtons):
        control.index = 0 if control.index is None else (control.index + 1) % len(
            control.options)
    else:  # pragma: no cover - no other kinds used
        raise AssertionError(type(control))


@pytest.mark.parametrize("name", list(factories()))
def test_poking_the_main_control_changes_the_output(name):
    w = factories()[name]()
    before = w.poke_output.value
    _poke(w.poke_control)
    assert w.poke_output.value != before


def _html_values(w):
    return [c.value for c in _walk(w) if isinstance(c, (ipywidgets.HTML, ipywidgets.HTMLMath))]


def _table_headers(values):
    """The text of every <th> in the given HTML strings."""
    return [re.sub(r"<[^>]+>", "", h).strip()
            for value in values for h in re.findall(r"<th\b[^>]*>(.*?)</th>", value, flags=re.S)]


@pytest.mark.parametrize("name", list(factories()))
def test_tables_have_no_empty_headers(name):
    """axe-core's empty-table-header: every <th> of a widget's tables says what its column is."""
    headers = _table_headers(_html_values(factories()[name]()))
    assert all(headers), f"{name}: empty table header among {headers}"


def test_the_header_check_sees_an_empty_header():
    assert _table_headers([_table_html("caption", ["Source", ""], [["a", "b"]])]) == ["Source", ""]


@pytest.mark.parametrize("name", list(factories()))
def test_widget_html_has_no_headings(name):
    """A widget sits under any heading of a lesson, so it draws none of its own (a heading
    level could be skipped: axe-core's heading-order); captions and bold text title its parts."""
    w = factories()[name]()
    found = [m for value in _html_values(w) for m in re.findall(r"<h[1-6]\b[^>]*>", value)]
    assert not found, f"{name}: headings {found}"


@pytest.mark.parametrize("name", list(factories()))
def test_sliders_have_a_description_for_their_handle_name(name):
    """classroom.labextension names each slider handle (role=slider) after the slider's
    description label, so every slider needs a visible, non-HTML description."""
    sliders = [c for c in factories()[name]().controls
               if isinstance(c, (ipywidgets.FloatSlider, ipywidgets.IntSlider,
                                 ipywidgets.FloatLogSlider, ipywidgets.IntRangeSlider,
                                 ipywidgets.FloatRangeSlider))]
    for s in sliders:
        assert s.description.strip() and not s.description_allow_html, s
