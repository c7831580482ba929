"""Figures (course_lib.plots figure modules): titles, axis labels, data-derived alt text,
in-place updates, argument checks, stable display."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from course_lib import plots
from course_lib.datasets import MENA_REGIONAL_POWERS, load_states, load_timeline
from course_lib.threat import DEFAULT_WEIGHTS, threat_to, weight_sensitivity
from course_lib.tiers import decision_grid, tier_table


def _grid(s=0.5, e=0.35, d=0.05, n=21):
    axis = np.linspace(0, 1, n)
    keys = np.asarray(tier_table()["key"], dtype=object)
    idx = decision_grid(axis, axis, self_reliance=s, entrapment=e, dominance=d)
    return pd.DataFrame(keys[idx], index=axis, columns=axis)


def all_figures():
    """Every figure function on the packaged data: name -> (fig, alt)."""
    states = load_states()
    table = threat_to("ISR")
    return {
        "threat_bar": plots.threat_bar(table, "ISR", observer_name="Israel"),
        "decision_map": plots.decision_map(_grid(), point=(0.9, 0.95), tier="partnership"),
        "timeline_chart": plots.timeline_chart(load_timeline()),
        "regional_powers": plots.regional_powers(states),
        "sensitivity_chart": plots.sensitivity_chart(weight_sensitivity("ISR", 300), "ISR",
                                                     n_draws=300),
        "milex_chart": plots.milex_chart(states, ["USA", "TUR", "ISR", "IRN", "SAU"]),
    }


@pytest.fixture(scope="module")
def figures():
    return all_figures()


@pytest.mark.parametrize("name", ["threat_bar", "decision_map", "timeline_chart",
                                  "regional_powers", "sensitivity_chart", "milex_chart"])
def test_every_figure_has_title_axis_labels_and_alt(figures, name):
    fig, alt = figures[name]
    ax = fig.axes[0]
    assert ax.get_title().strip()
    assert ax.get_xlabel().strip() and ax.get_ylabel().strip()
    assert isinstance(alt, str) and len(alt) > 60
    assert any(ch.isdigit() for ch in alt), "alt text should carry data values"


def test_threat_bar_alt_names_top_three_with_model_scores(figures):
    fig, alt = figures["threat_bar"]
    table = threat_to("ISR")
    for code in table.index[:3]:
        row = table.loc[code]
        assert f"{row['name']} {row['threat']:.2f}" in alt
    assert f"{table['threat'].isna().sum()} sources without a full set of data" in alt


def test_threat_bar_segments_add_up_to_the_score():
    table = threat_to("ISR", method="geometric")
    fig, _ = plots.threat_bar(table, "ISR", method="geometric", top=5)
    right_edges = fig.segments["intent"].right
    np.testing.assert_allclose(right_edges, table["threat"].to_numpy()[:5], atol=1e-9)
    left = np.zeros(5)
    for k in ("power", "proximity", "capability", "intent"):  # stacked without gaps
        np.testing.assert_allclose(fig.segments[k].left, left, atol=1e-12)
        left = fig.segments[k].right


def test_factor_contributions_additive_matches_weighted_mean():
    table = threat_to("ISR").dropna(subset=["threat"])
    w = {"power": 2.0, "proximity": 1.0, "capability": 0.5, "intent": 0.0}
    parts = plots.factor_contributions(table, w, "additive")
    expected = threat_to("ISR", weights=w).dropna(subset=["threat"])["threat"]
    np.testing.assert_allclose(parts.sum(axis=1).loc[expected.index], expected, atol=1e-12)
    assert (parts["intent"] == 0).all()


def test_update_threat_bar_mutates_the_same_artists():
    fig, alt1 = plots.threat_bar(threat_to("ISR"), "ISR", observer_name="Israel")
    patches = list(fig.axes[0].patches)
    w = dict(DEFAULT_WEIGHTS, intent=0.0)
    table2 = threat_to("ISR", weights=w, method="geometric")
    alt2 = plots.update_threat_bar(fig, table2, "ISR", weights=w, method="geometric",
                                   observer_name="Israel")
    assert list(fig.axes[0].patches) == patches
    assert alt2 != alt1 and table2["name"].iloc[0] in alt2
    assert fig.name_texts[0].get_text() == f"{table2['name'].iloc[0]} ({table2.index[0]})"


def test_decision_map_alt_reports_tier_shares_and_point():
    grid = _grid()
    _, alt = plots.decision_map(grid, point=(0.9, 0.95), tier="alliance")
    share = (grid.to_numpy() == "alliance").mean()
    assert f"Formal alliance {share:.0%}" in alt
    assert "autonomy 0.90, threat 0.95, tier Formal alliance" in alt


def test_timeline_filter_counts():
    tl = load_timeline()
    fig, _ = plots.timeline_chart(tl)
    shown, alt = plots.update_timeline_chart(fig, tl, categories=["NATO-Israel"])
    assert len(shown) == int((tl["category"] == "NATO-Israel").sum())
    assert alt.startswith(f"Timeline chart of {len(shown)} milestones")
    visible = sum(len(sc.get_offsets()) for sc in fig.category_scatters.values())
    assert visible == len(shown)


def test_regional_powers_defaults_to_the_five_and_marks_nuclear(figures):
    fig, alt = figures["regional_powers"]
    states = load_states()
    for code in MENA_REGIONAL_POWERS:
        assert states.loc[code, "name"] in alt
    assert "Israel 23.4 bn US$" in alt and "nuclear-armed" in alt


def test_bad_arguments_raise_value_errors():
    with pytest.raises(ValueError, match="top must be an integer in"):
        plots.threat_bar(threat_to("ISR"), "ISR", top=0)
    with pytest.raises(ValueError, match="codes must be one of the 55 ISO3 codes"):
        plots.milex_chart(load_states(), ["XXX"])
    with pytest.raises(ValueError, match="years must satisfy"):
        plots.timeline_chart(load_timeline(), years=(2000, 1990))
    # the package's rules (course_lib._validate): no bools, no fractions, no text as years
    for years in ((True, 2020), (1990.5, 2020), ("1990", 2020)):
        with pytest.raises(ValueError, match=r"^years must be an integer in \[0, 9999\], got"):
            plots.timeline_chart(load_timeline(), years=years)
    with pytest.raises(ValueError, match=r"^method must be one of \['additive', 'geometric'\]"):
        plots.factor_contributions(threat_to("ISR"), None, method="Additive")
    with pytest.raises(ValueError, match="alt must be a non-empty string"):
        plots.figure_html(plots.milex_chart(load_states(), ["ISR"])[0], " ")


@pytest.mark.slow
def test_show_figure_is_deterministic(monkeypatch):
    emitted = []
    monkeypatch.setattr("course_lib.plots.show.display",
                        lambda obj, raw=False: emitted.append((obj, raw)))
    for _ in range(2):
        fig, alt = all_figures()["threat_bar"]
        plots.show_figure(fig, alt)
    (first, raw1), (second, raw2) = emitted
    assert raw1 and raw2
    assert first == second
    assert first["text/plain"] == alt
    html = first["text/html"]
    assert html.startswith('<figure><img src="data:image/png;base64,')
    assert 'alt="Horizontal stacked bar chart of the threat to Israel' in html
    assert "<figcaption>Threat to Israel (ISR) by source (additive)</figcaption>" in html


def test_show_figure_closes_pyplot_figures(monkeypatch):
    monkeypatch.setattr("course_lib.plots.show.display", lambda obj, raw=False: None)
    fig, ax = plt.subplots()
    ax.set_title("t")
    plots.show_figure(fig, "An empty axes.")
    assert not plt.fignum_exists(fig.number)


@pytest.mark.slow
def test_png_is_stable_between_renders_and_after_round_trip_updates():
    fig, _ = plots.decision_map(_grid(), point=(0.5, 0.5))
    a = plots.figure_to_png_base64(fig)
    assert plots.figure_to_png_base64(fig) == a
    plots.update_decision_map(fig, point=(0.1, 0.9))
    b = plots.figure_to_png_base64(fig)
    assert b != a
    plots.update_decision_map(fig, point=(0.5, 0.5))
    assert plots.figure_to_png_base64(fig) == a


def test_codes_as_a_string_are_refused_not_split_into_letters():
    with pytest.raises(ValueError, match=r"codes must be a list of ISO3 codes .*, got the string"):
        plots.milex_chart(load_states(), "ISR")
    with pytest.raises(ValueError, match=r"codes must be a list of ISO3 codes .*, got the string"):
        plots.regional_powers(load_states(), "IRN")
    with pytest.raises(ValueError, match="states must be a pandas DataFrame"):
        plots.milex_chart(None, ["ISR"])


def test_update_functions_refuse_a_figure_of_another_kind():
    fig, _ = plots.decision_map(_grid(), point=(0.5, 0.5))
    with pytest.raises(ValueError, match="fig must be a figure made by threat_bar"):
        plots.update_threat_bar(fig, threat_to("ISR"), "ISR")
    with pytest.raises(ValueError, match="fig must be a figure made by timeline_chart"):
        plots.update_timeline_chart(fig, load_timeline())
    static, _ = plots.milex_chart(load_states(), ["ISR"])
    with pytest.raises(ValueError, match="fig must be a figure made by decision_map"):
        plots.update_decision_map(static, point=(0.1, 0.1))
