"""Widget composites (course_lib.widgets): controls set in pytest drive the models, the outputs
match the models, figures mutate in place."""

from __future__ import annotations

import base64
import io
import re

import numpy as np
import pytest
from PIL import Image

from course_lib import widgets
from course_lib.datasets import load_timeline
from course_lib.threat import threat_to, weight_sensitivity
from course_lib.tiers import choose_strategy, choose_tier
from course_lib.widgets.placeholder import placeholder_text

pytestmark = pytest.mark.slow

QUESTIONS = [
    {"prompt": "Which aggregation lets high power make up for zero intent?",
     "options": ["Additive", "Geometric"], "answer": 0,
     "explanation": "A weighted mean is compensatory; a geometric mean is not."},
    {"prompt": "What does the tier choice depend on?",
     "options": ["Threat alone", "The ratio of need to cost"], "answer": 1,
     "explanation": "Dividing the utility by the cost leaves only R = N/K."},
]


def factories():
    return {
        "threat_explorer": lambda: widgets.threat_explorer("ISR"),
        "tier_decision_map": widgets.tier_decision_map,
        "timeline_explorer": widgets.timeline_explorer,
        "strategy_chooser": widgets.strategy_chooser,
        "sensitivity_explorer": lambda: widgets.sensitivity_explorer("ISR", n_draws=200),
        "quiz": lambda: widgets.quiz(QUESTIONS),
    }


@pytest.mark.parametrize("name", list(factories()))
def test_creation_prints_nothing_and_repr_is_deterministic(name, capsys):
    w1 = factories()[name]()
    w2 = factories()[name]()
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""
    assert repr(w1) == repr(w2)
    assert len(repr(w1)) < 110 and "0x" not in repr(w1)
    # a saved notebook shows a "run this cell" line, not the repr (issue 12, item 6)
    plain = w1._repr_mimebundle_()["text/plain"]
    assert plain == placeholder_text(type(w1).placeholder_name) and "Run this cell" in plain
    assert type(w1).placeholder_name.strip() and plain == w2._repr_mimebundle_()["text/plain"]


def test_threat_explorer_matches_threat_to(capsys):
    w = widgets.threat_explorer("ISR")
    fig = w.figure
    patches = list(fig.axes[0].patches)
    before = w.top_label.value
    w.intent_weight.value = 0.0
    w.method.value = "geometric"
    direct = threat_to("ISR", weights={"power": 1, "proximity": 1, "capability": 1,
                                       "intent": 0}, method="geometric")
    top = direct.index[0]
    assert f"{direct.loc[top, 'name']} ({top}), score {direct.loc[top, 'threat']:.2f}" in (
        w.top_label.value)
    assert list(w.table.index) == list(direct.index)
    assert w.table["threat"].round(12).equals(direct["threat"].round(12))
    assert w.top_label.value != before
    assert w.figure is fig and list(fig.axes[0].patches) == patches
    assert f"{direct.loc[top, 'name']} {direct.loc[top, 'threat']:.2f}" in w.alt_text
    assert capsys.readouterr().out == ""


def test_threat_explorer_observer_sources_and_decay():
    w = widgets.threat_explorer("ISR")
    w.observer.value = "TUR"
    w.source_set.value = "regional"
    w.decay.value = "bdm"
    direct = threat_to("TUR", ["IRN", "ISR", "SAU", "EGY"], decay="bdm")
    assert list(w.table.index) == list(direct.index)
    assert "Top threat to Turkey (TUR)" in w.top_label.value
    assert w.table_html.value.count("<tr>") == 1 + 4  # header + four sources


def test_threat_explorer_reuses_factor_table_for_weight_changes():
    w = widgets.threat_explorer("ISR")
    cached = dict(w._cache)
    w.power_weight.value = 0.3
    w.method.value = "geometric"
    assert w._cache.keys() == cached.keys()
    assert all(w._cache[k] is cached[k] for k in cached)


def test_threat_explorer_all_zero_weights_clear_the_ranking_chart_and_alt_text():
    w = widgets.threat_explorer("ISR")
    for k in ("power", "proximity", "capability"):
        w.weight_sliders[k].value = 0.0
    old_top = w.table.index[0]
    w.intent_weight.value = 0.0
    reason = "All weights are 0: raise at least one weight."
    assert reason in w.top_label.value
    assert w.alt_text == ("Empty stacked bar chart of the threat to Israel (ISR): all weights "
                          "are 0: raise at least one weight.")
    assert f'alt="{w.alt_text}"' in w.figure_html.value
    assert w.table["threat"].isna().all() and w.table["rank"].isna().all()
    assert old_top not in w.table_html.value and "No ranking to show" in w.table_html.value
    assert all(t.get_text() == "" for t in w.figure.name_texts)
    assert all((b.width == 0).all() for b in w.figure.segments.values())
    assert w.figure.empty_text.get_visible() and w.figure.empty_text.get_text() == reason
    w.power_weight.value = 1.0  # back to a ranking: the message goes
    assert not w.figure.empty_text.get_visible()
    assert w.table.index[0] == threat_to("ISR", weights={"power": 1, "proximity": 0,
                                                         "capability": 0,
                                                         "intent": 0}).index[0]
    assert w.figure.name_texts[0].get_text().endswith(f"({w.table.index[0]})")


def test_tier_map_threat_across_breakpoint():
    w = widgets.tier_decision_map()
    fig, marker = w.figure, w.figure.point_marker
    tiers_seen = set()
    for t in (0.1, 0.5, 0.95):
        w.threat.value = t
        v = {k: s.value for k, s in w.sliders.items()}
        direct = choose_tier(**v)
        assert w.choice.tier == direct.tier
        assert f"Chosen tier: {direct.label}" in w.result_html.value
        assert list(marker.get_offsets()[0]) == pytest.approx([v["autonomy"], t])
        tiers_seen.add(direct.tier)
    assert len(tiers_seen) >= 2, "the sweep should cross at least one breakpoint"
    assert w.figure is fig and w.figure.point_marker is marker
    assert w.case.value == ""  # moved away from the reference case


def test_tier_map_reference_case_loads_inputs_and_flip_margins_shown():
    w = widgets.tier_decision_map(case=None, threat=0.2)
    w.case.value = "eastern_flank_ally"
    assert w.threat.value == pytest.approx(0.90)
    assert w.self_reliance.value == pytest.approx(0.15)
    assert w.choice.tier == "alliance"
    assert w.case.value == "eastern_flank_ally"
    margin = w.choice.flip_margins["self_reliance"]
    assert f"{margin.up:.2f}" in w.result_html.value
    image = w.figure.region_image
    w.dominance.value = 0.9  # regions recomputed in place
    assert w.figure.region_image is image
    assert "dominance 0.90" in w.figure.axes[0].get_title()


def test_timeline_filter_one_category():
    tl = load_timeline()
    w = widgets.timeline_explorer()
    fig = w.figure
    w.set_categories(["Abraham Accords"])
    n = int((tl["category"] == "Abraham Accords").sum())
    assert len(w.shown) == n and set(w.shown["category"]) == {"Abraham Accords"}
    assert f"{n} milestone" in w.count_label.value
    assert w.table_html.value.count("<tr>") == 1 + n
    w.category_boxes["NATO-Israel"].value = True
    m = n + int((tl["category"] == "NATO-Israel").sum())
    assert len(w.shown) == m
    w.years.value = (2020, 2020)
    assert set(w.shown["year"].tolist()) <= {2020}
    assert w.figure is fig


def test_strategy_chooser_matches_choose_strategy():
    w = widgets.strategy_chooser()
    first = w.result_html.value
    w.partner_available.value = False
    w.buck_catcher_available.value = False
    w.capability.value = 0.1
    direct = choose_strategy(w.threat.value, 0.1, w.resolve.value, partner_available=False,
                             partner_can_dominate=False, buck_catcher_available=False)
    assert (w.result.strategy, w.result.rule) == (direct.strategy, direct.rule) == (
        "bandwagon", "no_partner_helpless")
    assert "Strategy: bandwagon" in w.result_html.value and first != w.result_html.value
    w.partner_available.value = True
    w.partner_can_dominate.value = True
    w.capability.value = 0.5
    w.resolve.value = 0.7
    assert w.result.warnings and "Warning:" in w.result_html.value


def test_sensitivity_explorer_is_seeded_and_matches_model():
    w = widgets.sensitivity_explorer("ISR", n_draws=200)
    fig = w.figure
    w.concentration.value = 10.0
    direct = weight_sensitivity("ISR", n_draws=200, seed=0, concentration=10.0)
    assert w.summary.equals(direct)
    best = direct["share_first"].idxmax()
    assert f"in {direct.loc[best, 'share_first']:.0%} of 200 weightings" in (
        w.summary_label.value)
    assert w.figure is fig
    alt = w.alt_text
    w.seed.value = 1
    w.seed.value = 0
    assert w.alt_text == alt


def test_quiz_feedback():
    q = widgets.quiz(QUESTIONS)
    assert q.check(0) is None and "Choose an answer first" in q.feedback[0].value
    q.choices[0].value = 1
    assert "Answer selected" in q.feedback[0].value
    assert q.check(0) is False
    assert "Incorrect" in q.feedback[0].value and "compensatory" in q.feedback[0].value
    q.choices[1].value = 1
    q.buttons[1].click()
    assert "Correct." in q.feedback[1].value and "R = N/K" in q.feedback[1].value
    with pytest.raises(ValueError, match="i must be an integer in"):
        q.check(2)


def test_quiz_rejects_malformed_questions():
    with pytest.raises(ValueError, match="answer'] must be an integer"):
        widgets.quiz([{"prompt": "p", "options": ["a", "b"], "answer": 2, "explanation": ""}])
    with pytest.raises(ValueError, match="missing"):
        widgets.quiz([{"prompt": "p", "options": ["a", "b"]}])


def test_bad_observer_is_rejected():
    with pytest.raises(ValueError, match="observer must be one of the 55 ISO3 codes"):
        widgets.threat_explorer("XXX")


def _widget_pixels(w):
    png = base64.b64decode(re.search(r'base64,([A-Za-z0-9+/=]+)"', w.figure_html.value).group(1))
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)


def _savefig_pixels(fig):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=fig.dpi)
    return np.asarray(Image.open(buf).convert("RGB"), dtype=int)


@pytest.mark.parametrize(("name", "control", "value"), [
    ("threat_explorer", "method", "geometric"),
    ("tier_decision_map", "self_reliance", 0.6),
    ("sensitivity_explorer", "concentration", 10.0),
])
def test_widget_updates_keep_the_static_layer_and_show_the_whole_figure(name, control, value):
    w = factories()[name]()
    background = w.figure.render_cache.background
    before = _widget_pixels(w)
    getattr(w, control).value = value
    assert w.figure.render_cache.background is background, "update redrew the static layer"
    after = _widget_pixels(w)
    assert (np.abs(after - before).max(axis=2) > 0).sum() > 50
    # the widget's image is the complete figure, as the user's own savefig gives it
    diff = np.abs(after - _savefig_pixels(w.figure)).max(axis=2)
    assert diff.max() <= 16 and (diff > 0).mean() < 0.001


def test_threat_explorer_title_names_the_aggregation():
    w = widgets.threat_explorer("ISR")
    w.method.value = "geometric"
    assert w.figure.axes[0].get_title() == ("Threat to Israel (ISR) by source (geometric)\n"
                                            "segment = how much each factor pulls the score "
                                            "down")
    assert w.figure.legend_title.get_text() == (
        "Factor pulling\nthe score down")
    assert "geometric aggregation" in w.alt_text
    assert "split by how much each factor pulls the score down" in w.alt_text
    w.method.value = "additive"
    assert w.figure.axes[0].get_title() == "Threat to Israel (ISR) by source (additive)"
    assert w.figure.legend_title.get_text() == "Factor"
    assert "pulls the score down" not in w.alt_text


def test_sensitivity_explorer_builds_the_factor_table_once(monkeypatch):
    w = widgets.sensitivity_explorer("ISR", n_draws=200)
    table = w._factors()

    def no_rebuild(*args, **kwargs):
        raise AssertionError("the factor table must be reused, not rebuilt")

    monkeypatch.setattr("course_lib.widgets.sensitivity.threat_factors", no_rebuild)
    w.concentration.value = 10.0
    w.method.value = "geometric"
    w.n_draws.value = 300
    assert w._factors() is table
    monkeypatch.undo()
    direct = weight_sensitivity("ISR", n_draws=300, seed=0, concentration=10.0,
                                method="geometric")
    assert w.summary.equals(direct)


def test_threat_explorer_intent_coding_changes_the_ranking_like_threat_to():
    w = widgets.threat_explorer("MAR")
    assert "DZA" in [code for _, code in w.intent_source.options]
    w.intent_source.value = "DZA"
    assert w.intent_score.value == pytest.approx(0.6)  # the course's coding, shown first
    before_alt, before_png = w.alt_text, w.figure_html.value
    w.intent_score.value = 0.0
    direct = threat_to("MAR", intentions={"DZA": 0.0})
    assert list(w.table.index) == list(direct.index)
    assert w.table["threat"].round(12).equals(direct["threat"].round(12))
    assert w.table.loc["DZA", "intent_basis"] == "override"
    assert "override" in w.table_html.value
    assert w.alt_text != before_alt and w.figure_html.value != before_png
    assert w.codings == {"MAR": {"DZA": 0.0}}
    w.observer.value = "DZA"  # another observer keeps its own codings
    assert (w.table["intent_basis"] != "override").all()
    w.observer.value = "MAR"
    assert w.table.loc["DZA", "intent"] == 0.0


def test_threat_explorer_coding_menu_scores_like_threat_to_with_that_coding():
    w = widgets.threat_explorer("ISR")
    assert [v for _, v in w.coding.options] == ["2023", "2026-12"] and w.coding.value == "2023"
    before_alt = w.alt_text
    w.coding.value = "2026-12"
    direct = threat_to("ISR", intent_coding="2026-12")
    assert list(w.table.index) == list(direct.index)
    assert w.table["threat"].round(12).equals(direct["threat"].round(12))
    assert w.table.index[0] == "IRN" and w.alt_text != before_alt
    assert "coding as of 2026-12" in w.top_label.value
    # the user's own override still wins over either coding
    w.intent_source.value = "TUR"
    assert w.intent_score.value == pytest.approx(0.5)  # the 2026 coding, shown first
    w.intent_score.value = 0.0
    assert w.table.loc["TUR", "intent_basis"] == "override"
    w.coding.value = "2023"
    assert w.table.loc["TUR", "intent"] == 0.0
    started_late = widgets.threat_explorer("ISR", intent_coding="2026-12")
    assert started_late.coding.value == "2026-12" and started_late.table.index[0] == "IRN"
    started_late.coding.value = "2023"
    started_late.reset.click()
    assert started_late.coding.value == "2026-12"
    with pytest.raises(ValueError, match="intent_coding must be one of"):
        widgets.threat_explorer("ISR", intent_coding="2026")


def test_threat_explorer_reset_restores_the_course_values():
    w = widgets.threat_explorer("MAR")
    start_table, start_alt = w.table.copy(), w.alt_text
    w.intent_source.value = "DZA"
    w.intent_score.value = 0.0
    w.power_weight.value = 2.0
    w.method.value = "geometric"
    w.coding.value = "2026-12"
    w.observer.value = "ISR"
    w.reset.click()
    assert w.observer.value == "MAR" and w.method.value == "additive"
    assert w.coding.value == "2023"
    assert {k: s.value for k, s in w.weight_sliders.items()} == {
        "power": 1.0, "proximity": 1.0, "capability": 1.0, "intent": 1.0}
    assert w.codings == {} and w.table.equals(start_table) and w.alt_text == start_alt
    assert w.reset.description == "Reset to the paper's values"


def test_sensitivity_explorer_observer_changes_the_result():
    w = widgets.sensitivity_explorer("ISR", n_draws=200)
    fig, before = w.figure, w.figure_html.value
    w.observer.value = "MAR"
    direct = weight_sensitivity("MAR", n_draws=200, seed=0)
    assert w.summary.equals(direct)
    assert "threat to Morocco" in w.summary_label.value
    assert w.alt_text.startswith("Range chart of threat scores to Morocco (MAR)")
    assert w.figure is fig and w.figure_html.value != before
    assert w.figure.name_texts[0].get_text().endswith(f"({direct['threat_mean'].idxmax()})")
    w.seed.value = 3
    w.reset.click()
    assert (w.observer.value, w.seed.value) == ("ISR", 0)
    assert w.summary.equals(weight_sensitivity("ISR", n_draws=200, seed=0))
