"""Widget arguments (course_lib.widgets._base checks): rejected with a ValueError naming the
argument and its range, never clamped or coerced into the control."""

from __future__ import annotations

import pytest

from course_lib import widgets
from course_lib.datasets import load_timeline
from course_lib.threat import weight_sensitivity


# ------------------------------------------------ arguments are checked, never clamped
@pytest.mark.parametrize(("factory", "kwargs", "message"), [
    (widgets.sensitivity_explorer, {"n_draws": 0}, r"n_draws must be an integer in \[100, 5000\]"),
    (widgets.sensitivity_explorer, {"n_draws": 250.0}, "n_draws must be an integer"),
    (widgets.sensitivity_explorer, {"seed": -1}, r"seed must be an integer in \[0, "),
    (widgets.sensitivity_explorer, {"seed": True}, "seed must be an integer"),
    (widgets.sensitivity_explorer, {"concentration": 0},
     r"concentration must be a finite number in \[0.1, 100\]"),
    (widgets.sensitivity_explorer, {"concentration": float("nan")}, "concentration must be"),
    (widgets.sensitivity_explorer, {"observer": ["ISR"]}, "observer must be one of the 55"),
    (widgets.strategy_chooser, {"partner_available": "no"},
     "partner_available must be True or False, got 'no'"),
    (widgets.strategy_chooser, {"buck_catcher_available": 1}, "buck_catcher_available must be"),
    (widgets.strategy_chooser, {"threat": "0.8"}, r"threat must be a finite number in \[0, 1\]"),
    (widgets.strategy_chooser, {"resolve": 1.5}, "resolve must be a finite number"),
    (widgets.tier_decision_map, {"threat": True}, "threat must be a finite number"),
    (widgets.tier_decision_map, {"resolution": 4}, r"resolution must be an integer in \[5, 201\]"),
    (widgets.tier_decision_map, {"case": ["israel"]}, "case must be one of"),
    (widgets.tier_decision_map, {"morale": 0.5}, "inputs must be among"),
])
def test_widget_arguments_are_rejected_not_changed(factory, kwargs, message):
    with pytest.raises(ValueError, match=message):
        factory(**kwargs)


def test_threat_explorer_refuses_a_string_of_sources():
    """``threat_explorer("ISR", "IRN")`` must not score the letters I, R and N."""
    with pytest.raises(ValueError, match="sources must be a list of ISO3 codes"):
        widgets.threat_explorer("ISR", "IRN")
    with pytest.raises(ValueError, match="sources must be one of the 55 ISO3 codes .*got 'XXX'"):
        widgets.threat_explorer("ISR", ["IRN", "XXX"])
    with pytest.raises(ValueError, match="sources must be a non-empty list"):
        widgets.threat_explorer("ISR", [])
    w = widgets.threat_explorer("ISR", ("IRN", "SYR"))
    assert sorted(w.table.index) == ["IRN", "SYR"] and w.source_set.value == "custom"


def test_valid_arguments_reach_the_controls_unchanged():
    w = widgets.sensitivity_explorer("ISR", n_draws=300, seed=7, concentration=2.5)
    assert (w.n_draws.value, w.seed.value, w.concentration.value) == (300, 7, 2.5)
    assert w.summary.equals(weight_sensitivity("ISR", n_draws=300, seed=7, concentration=2.5))
    s = widgets.strategy_chooser(partner_available=False, buck_catcher_available=False,
                                 capability=0.1)
    assert s.partner_available.value is False and s.result.rule == "no_partner_helpless"


def test_timeline_explorer_given_table_and_year_range_drive_the_outputs():
    tl = load_timeline()
    w = widgets.timeline_explorer(tl)
    w.years.value = (2004, 2010)
    expected = tl[(tl["year"] >= 2004) & (tl["year"] <= 2010)]
    assert len(w.shown) == len(expected)
    assert f"{len(expected)} milestones shown" in w.count_label.value
    assert f"{len(expected)} milestones from 2004 to 2010" in w.alt_text
    assert w.figure.status_text.get_text() == f"{len(expected)} shown, 2004-2010 (shaded)"


@pytest.mark.parametrize(("factory", "kwargs", "message"), [
    (widgets.threat_explorer, {"observer": "isr"}, r"got 'isr'; did you mean 'ISR'\?"),
    (widgets.sensitivity_explorer, {"observer": "isr"}, r"got 'isr'; did you mean 'ISR'\?"),
    (widgets.threat_explorer, {"sources": ["IRN", "IRN"]}, "sources must not repeat a code"),
    (widgets.threat_explorer, {"sources": ["irn"]}, r"did you mean 'IRN'\?"),
    (widgets.sensitivity_explorer, {"top": True}, r"top must be an integer in \[1, 30\]"),
    (widgets.sensitivity_explorer, {"concentration": "1"}, "concentration must be a finite"),
])
def test_widgets_refuse_what_the_library_refuses(factory, kwargs, message):
    """Widget checks are the library's rules (course_lib._validate), not a looser copy."""
    with pytest.raises(ValueError, match=message):
        factory(**kwargs)
