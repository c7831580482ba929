"""Example-based tests for course_lib.tiers (tier model, flip margins, strategy rules)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from course_lib import tiers
from course_lib.tiers import (
    INPUTS,
    REFERENCE_CASES,
    STRATEGIES,
    TIERS,
    CostWeights,
    StrategyThresholds,
    Tier,
    check_tier_table,
    choose_strategy,
    choose_tier,
    decision_frame,
    decision_grid,
    reference_cases,
    reference_check,
    tier_for_ratio,
    tier_table,
)

KEYS = ["none", "ad_hoc", "partnership", "alliance"]
EPS = 1e-6


def _with(values: dict[str, float], name: str, x: float) -> dict[str, float]:
    return {**values, name: min(max(x, 0.0), 1.0)}


def assert_margins_consistent(values: dict[str, float], **kw) -> None:
    """Moving an input by margin + EPS changes the tier; by margin - EPS it does not."""
    base = choose_tier(**values, **kw)
    for name in INPUTS:
        fm = base.flip_margins[name]
        for direction, margin, to in (("down", fm.down, fm.to_tier_down),
                                      ("up", fm.up, fm.to_tier_up)):
            sign = -1.0 if direction == "down" else 1.0
            edge = 0.0 if direction == "down" else 1.0
            if margin is None:
                assert to is None
                moved = choose_tier(**_with(values, name, edge), **kw)
                assert moved.tier == base.tier, (name, direction)
                continue
            assert margin >= 0 and to is not None and to != base.tier
            beyond = choose_tier(**_with(values, name, values[name] + sign * (margin + EPS)), **kw)
            assert beyond.tier != base.tier, (name, direction, margin)
            if margin > EPS:
                short = choose_tier(**_with(values, name, values[name] + sign * (margin - EPS)),
                                    **kw)
                assert short.tier == base.tier, (name, direction, margin)


# --------------------------------------------------------------------------- tier table


def test_tier_table_is_the_documented_default():
    df = tier_table()
    assert df["key"].tolist() == KEYS
    assert df["label"].tolist() == [
        "No alignment", "Ad hoc cooperation", "Security partnership",
        "Formal alliance (mutual defence)",
    ]
    assert df["security"].tolist() == [0.0, 0.2, 0.5, 1.0]
    assert df["cost"].tolist() == [0.0, 0.1, 0.4, 1.0]
    assert df["description"].str.len().gt(20).all()
    assert "NATO" in df.loc[3, "example"]
    assert "Mediterranean Dialogue" in df.loc[2, "example"]
    assert "Unified Protector" in df.loc[1, "example"]


def test_tier_table_returns_a_copy():
    df = tier_table()
    df.loc[3, "cost"] = 0.0
    assert tier_table().loc[3, "cost"] == 1.0
    assert TIERS[3].cost == 1.0


def test_check_tier_table_default_breakpoints_and_bands():
    report = check_tier_table()
    assert report.neighbour_breakpoints == pytest.approx((0.5, 1.0, 1.2))
    assert report.dominated == ()
    assert report.convex
    assert report.choosable == tuple(KEYS)
    assert report.bands["none"] == (0.0, 0.5)
    assert report.bands["partnership"] == pytest.approx((1.0, 1.2))
    assert report.bands["alliance"][1] == math.inf
    assert any("every tier" in m for m in report.messages())


def test_check_tier_table_reports_dominated_tier_and_model_skips_it():
    df = tier_table()
    df.loc[2, "cost"] = 0.55  # breakpoints become 1.5 then 0.9: not increasing
    report = check_tier_table(df)
    assert report.neighbour_breakpoints == pytest.approx((0.5, 1.5, 0.9))
    assert report.dominated == ("partnership",)
    assert not report.convex
    assert "partnership" in report.messages()[-1]
    # envelope: ad_hoc -> alliance at (1 - 0.1) / (1 - 0.2) = 1.125
    assert report.bands["alliance"][0] == pytest.approx(1.125)
    ratios = np.linspace(0, 5, 2001)
    assert "partnership" not in {tier_for_ratio(float(r), table=df) for r in ratios}
    grid = decision_grid(np.linspace(0, 1, 41), np.linspace(0, 1, 41), self_reliance=0.1,
                         entrapment=0.2, dominance=0.2, table=df)
    assert 2 not in set(grid.ravel().tolist())
    c = choose_tier(0.9, 0.2, 0.4, 0.4, 0.4, table=df)  # R = 0.72 / 0.4 = 1.8
    assert c.tier == "alliance"
    assert any("dominated" in r for r in c.reasons)


def test_check_tier_table_accepts_sequence_of_tiers():
    custom = (Tier("none", "None", 0, 0), Tier("deep", "Deep", 1.0, 0.5))
    report = check_tier_table(custom)
    assert report.neighbour_breakpoints == (0.5,)
    assert tier_for_ratio(0.6, table=custom) == "deep"
    assert tier_for_ratio(0.5, table=custom) == "none"


@pytest.mark.parametrize(
    ("mutate", "match"),
    [
        (lambda df: df.assign(security=[0.0, 0.2, 0.2, 1.0]), "strictly ascending"),
        (lambda df: df.assign(cost=[0.0, 0.5, 0.4, 1.0]), "strictly ascending"),
        (lambda df: df.assign(cost=[0.0, 0.1, 0.4, 1.5]), r"in \[0, 1\]"),
        (lambda df: df.assign(security=[0.0, 0.2, np.nan, 1.0]), r"in \[0, 1\]"),
        (lambda df: df.assign(security=[0.1, 0.2, 0.5, 1.0]), "first tier"),
        (lambda df: df.assign(key=["a", "b", "b", "c"]), "unique"),
        (lambda df: df.drop(columns="cost"), "missing"),
        (lambda df: df.iloc[:1], "at least 2"),
    ],
)
def test_check_tier_table_rejects_bad_tables(mutate, match):
    with pytest.raises(ValueError, match=match):
        check_tier_table(mutate(tier_table()))


@pytest.mark.parametrize("bad", ["default", 3, {"none": (0, 0)}, [("none", 0, 0)]])
def test_unknown_table_kinds_are_rejected(bad):
    with pytest.raises(ValueError, match="table must be"):
        check_tier_table(bad)
    with pytest.raises(ValueError, match="table must be"):
        choose_tier(0.5, 0.5, 0.5, 0.5, 0.5, table=bad)


# --------------------------------------------------------------------------- tier_for_ratio


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [(0.0, "none"), (0.5, "none"), (np.nextafter(0.5, 1), "ad_hoc"), (1.0, "ad_hoc"),
     (np.nextafter(1.0, 2), "partnership"), (1.2, "partnership"),
     (np.nextafter(1.2, 2), "alliance"), (math.inf, "alliance")],
)
def test_tier_for_ratio_ties_go_to_shallower_tier(ratio, expected):
    assert tier_for_ratio(float(ratio)) == expected


@pytest.mark.parametrize("bad", [math.nan, -0.1, -math.inf, "1", None, True])
def test_tier_for_ratio_rejects_bad_ratio(bad):
    with pytest.raises(ValueError, match="ratio must be a number >= 0"):
        tier_for_ratio(bad)


# --------------------------------------------------------------------------- choose_tier


def test_choose_tier_quantities_and_argmax():
    c = choose_tier(0.8, 0.25, 0.6, 0.3, 0.3)
    assert c.need == pytest.approx(0.6)
    assert c.cost == pytest.approx(0.4)
    assert c.ratio == pytest.approx(1.5)
    assert c.tier == "alliance" and c.label == "Formal alliance (mutual defence)"
    assert c.utilities == pytest.approx(
        {"none": 0.0, "ad_hoc": 0.12 - 0.04, "partnership": 0.3 - 0.16, "alliance": 0.6 - 0.4}
    )
    assert max(c.utilities, key=c.utilities.get) == c.tier
    assert [(b.lower, b.upper) for b in c.breakpoints] == list(zip(KEYS, KEYS[1:], strict=False))
    assert [b.ratio for b in c.breakpoints] == pytest.approx([0.5, 1.0, 1.2])


def test_exact_tie_goes_to_shallower_tier():
    # N = 0.5, K = 0.5, R = 1.0: ad hoc and partnership have equal utility 0.05.
    c = choose_tier(0.5, 0.0, 0.5, 0.5, 0.5)
    assert c.utilities["ad_hoc"] == pytest.approx(c.utilities["partnership"])
    assert c.tier == "ad_hoc"


def test_zero_cost_with_need_gives_deepest_tier_and_infinite_ratio():
    c = choose_tier(0.3, 0.5, 0.0, 0.0, 0.0)
    assert c.tier == "alliance"
    assert c.ratio == math.inf
    assert any("infinite" in r for r in c.reasons)
    fm = c.flip_margins["threat"]
    assert fm.down == pytest.approx(0.3) and fm.to_tier_down == "none" and fm.up is None
    fm = c.flip_margins["self_reliance"]
    assert fm.up == pytest.approx(0.5) and fm.to_tier_up == "none"
    # raising autonomy from 0: K = A/3, leaves the alliance when 0.15 / (A/3) <= 1.2
    fm = c.flip_margins["autonomy"]
    assert fm.up == pytest.approx(0.375) and fm.to_tier_up == "partnership"
    assert_margins_consistent(dict(threat=0.3, self_reliance=0.5, autonomy=0.0,
                                   entrapment=0.0, dominance=0.0))


def test_zero_need_and_zero_cost_gives_no_alignment():
    c = choose_tier(0.0, 0.5, 0.0, 0.0, 0.0)
    assert c.tier == "none" and c.ratio == 0.0
    assert all(v == 0.0 for v in c.utilities.values())
    assert c.flip_margins["threat"].up == 0.0
    assert c.flip_margins["threat"].to_tier_up == "alliance"
    assert c.flip_margins["autonomy"] == tiers.FlipMargin(None, None, None, None)
    assert choose_tier(1e-9, 0.5, 0.0, 0.0, 0.0).tier == "alliance"


def test_zero_need_from_full_self_reliance():
    c = choose_tier(0.9, 1.0, 0.2, 0.2, 0.2)
    assert c.tier == "none" and c.need == 0.0
    assert "whole threat alone" in c.reasons[0]
    assert c.flip_margins["threat"] == tiers.FlipMargin(None, None, None, None)
    fm = c.flip_margins["self_reliance"]
    # R > 0.5 needs 0.9 (1 - S) / 0.2 > 0.5, i.e. S < 1 - 1/9
    assert fm.down == pytest.approx(1 / 9) and fm.to_tier_down == "ad_hoc"


def test_reasons_explain_need_cost_and_neighbours():
    c = choose_tier(0.6, 0.3, 0.6, 0.25, 0.3)
    text = " ".join(c.reasons)
    assert "N = 0.420" in text and "self-reliance 0.30" in text
    assert "largest term is autonomy" in text
    assert "beats Ad hoc cooperation" in text and "exceeds their breakpoint 1" in text
    assert "beats Formal alliance (mutual defence)" in text
    assert "does not exceed their breakpoint 1.2" in text
    # the dominant cost term is reported correctly when it is not autonomy
    c2 = choose_tier(0.6, 0.3, 0.1, 0.2, 0.9)
    assert any("largest term is dominance" in r for r in c2.reasons)


def test_summary_is_short_and_informative():
    text = choose_tier(0.6, 0.3, 0.6, 0.25, 0.3).summary()
    lines = text.splitlines()
    assert lines[0] == "Tier: Security partnership [partnership]"
    assert len(lines) == 5
    assert "1 < R <= 1.2" in lines[3]
    assert lines[4].startswith("Nearest flip: threat down by 0.05 -> ad_hoc")


def test_flip_margins_closed_form_values():
    # Israel profile: N = 0.475, K = 1.3/3; partnership band 1.0 < R <= 1.2
    c = choose_tier(0.95, 0.5, 0.9, 0.35, 0.05)
    k = 1.3 / 3
    fm = c.flip_margins
    assert fm["threat"].down == pytest.approx(0.95 - 1.0 * k / 0.5)
    assert fm["threat"].up is None  # T = 1 gives R = 0.5 / k = 1.154 <= 1.2
    assert fm["self_reliance"].up == pytest.approx((1 - k / 0.95) - 0.5)
    assert fm["self_reliance"].down == pytest.approx(0.5 - (1 - 1.2 * k / 0.95))
    assert fm["dominance"].up == pytest.approx((3 * 0.475 - 0.9 - 0.35) - 0.05)
    assert fm["dominance"].down is None  # D = 0 still gives R <= 1.2
    assert fm["entrapment"].down == pytest.approx(0.35 - (0.475 / 1.2 * 3 - 0.95))
    assert (fm["self_reliance"].to_tier_up, fm["self_reliance"].to_tier_down) == (
        "ad_hoc", "alliance")
    assert_margins_consistent(dict(threat=0.95, self_reliance=0.5, autonomy=0.9,
                                   entrapment=0.35, dominance=0.05))


def test_flip_margins_with_zero_weight_input_are_none():
    c = choose_tier(0.8, 0.3, 0.5, 0.5, 0.5,
                    weights={"autonomy": 1, "entrapment": 1, "dominance": 0})
    assert c.flip_margins["dominance"] == tiers.FlipMargin(None, None, None, None)
    assert_margins_consistent(dict(threat=0.8, self_reliance=0.3, autonomy=0.5, entrapment=0.5,
                                   dominance=0.5),
                              weights={"autonomy": 1, "entrapment": 1, "dominance": 0})


@pytest.mark.parametrize("case", REFERENCE_CASES, ids=lambda rc: rc.case)
def test_flip_margins_consistent_on_reference_cases(case):
    assert_margins_consistent(dict(threat=case.threat, self_reliance=case.self_reliance,
                                   autonomy=case.autonomy, entrapment=case.entrapment,
                                   dominance=case.dominance))


def test_weights_are_normalised_and_scale_free():
    a = choose_tier(0.7, 0.3, 0.6, 0.2, 0.4, weights={"autonomy": 2, "entrapment": 1,
                                                      "dominance": 1})
    b = choose_tier(0.7, 0.3, 0.6, 0.2, 0.4, weights=CostWeights(20, 10, 10))
    assert a.cost == pytest.approx(0.5 * 0.6 + 0.25 * 0.2 + 0.25 * 0.4)
    assert a.cost == pytest.approx(b.cost) and a.tier == b.tier
    assert a.weights == pytest.approx((0.5, 0.25, 0.25))
    default = choose_tier(0.7, 0.3, 0.6, 0.2, 0.4)
    assert default.cost == pytest.approx((0.6 + 0.2 + 0.4) / 3)


@pytest.mark.parametrize(
    ("weights", "match"),
    [
        ({"autonomy": -1, "entrapment": 1, "dominance": 1},
         r"weights\['autonomy'\].*in \[0, inf\)"),
        ({"autonomy": 0, "entrapment": 0, "dominance": 0}, "not all be zero"),
        ({"autonomy": math.nan, "entrapment": 1, "dominance": 1}, r"finite number in \[0, inf\)"),
        ({"autonomy": 1, "entrapment": math.inf, "dominance": 1}, r"finite number in \[0, inf\)"),
        ({"autonomy": True, "entrapment": 1, "dominance": 1}, r"finite number in \[0, inf\)"),
        ({"autonomy": 1, "entrapment": 1, "dominance": 1, "resolve": 1}, "unknown keys"),
        ({"autonomy": 1}, "missing"),
        ((1, 1, 1), "weights must be None, a CostWeights or a mapping"),
    ],
)
def test_bad_weights_are_rejected(weights, match):
    with pytest.raises(ValueError, match=match):
        choose_tier(0.5, 0.5, 0.5, 0.5, 0.5, weights=weights)


@pytest.mark.parametrize("name", INPUTS)
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, -0.01, 1.01, "0.5", None, True])
def test_choose_tier_rejects_bad_inputs(name, bad):
    values = dict.fromkeys(INPUTS, 0.5)
    values[name] = bad
    with pytest.raises(ValueError, match=rf"^{name} must be a finite number in \[0, 1\]"):
        choose_tier(**values)


def test_choose_tier_accepts_numpy_scalars_and_ints():
    c = choose_tier(np.float64(0.9), 0, np.float32(0.3), 1, np.int64(0))
    assert c.inputs["threat"] == pytest.approx(0.9)
    assert isinstance(c.need, float)


# --------------------------------------------------------------------------- decision grid


def test_decision_grid_matches_choose_tier_everywhere():
    ts = np.linspace(0, 1, 23)
    as_ = np.linspace(0, 1, 17)
    kw = dict(self_reliance=0.3, entrapment=0.25, dominance=0.4)
    grid = decision_grid(ts, as_, **kw)
    assert grid.shape == (23, 17) and grid.dtype.kind == "i"
    for i, t in enumerate(ts):
        for j, a in enumerate(as_):
            assert KEYS[grid[i, j]] == choose_tier(t, kw["self_reliance"], a, kw["entrapment"],
                                                   kw["dominance"]).tier
    assert set(np.unique(grid).tolist()) == {0, 1, 2, 3}
    # more threat never shallower, more autonomy never deeper
    assert (np.diff(grid, axis=0) >= 0).all()
    assert (np.diff(grid, axis=1) <= 0).all()


def test_decision_grid_handles_exact_ties_like_choose_tier():
    # K = (A + 0.5 + 0.5) / 3, N = T; at T = 0.5, A = 0.5 we get R = 1.0 exactly.
    grid = decision_grid([0.5], [0.5], self_reliance=0.0, entrapment=0.5, dominance=0.5)
    assert grid[0, 0] == KEYS.index(choose_tier(0.5, 0.0, 0.5, 0.5, 0.5).tier) == 1


def test_decision_frame_labels_axes_with_keys():
    df = decision_frame([0.1, 0.9], [0.2, 0.8], self_reliance=0.2, entrapment=0.3,
                        dominance=0.2)
    assert df.index.name == "threat" and df.columns.name == "autonomy"
    assert df.index.tolist() == [0.1, 0.9] and df.columns.tolist() == [0.2, 0.8]
    assert df.loc[0.9, 0.2] == choose_tier(0.9, 0.2, 0.2, 0.3, 0.2).tier
    assert df.loc[0.1, 0.8] == "none"


@pytest.mark.parametrize(
    ("threats", "autonomies", "match"),
    [
        ([0.1, math.nan], [0.5], r"threat_values must contain finite numbers in \[0, 1\]"),
        ([0.1], [1.5], r"autonomy_values must contain finite numbers in \[0, 1\]"),
        ([], [0.5], "threat_values must be a non-empty 1-D"),
        ([[0.1, 0.2]], [0.5], "threat_values must be a non-empty 1-D"),
        (["a"], [0.5], "threat_values must contain finite numbers in .*got 'a' at position 0"),
        ("0.5", [0.5], "threat_values must be a number or an array of numbers"),
        ([True], [0.5], "threat_values must contain finite numbers .*got True"),
    ],
)
def test_decision_grid_rejects_bad_axes(threats, autonomies, match):
    with pytest.raises(ValueError, match=match):
        decision_grid(threats, autonomies, self_reliance=0.2, entrapment=0.2, dominance=0.2)


def test_decision_grid_rejects_bad_fixed_inputs():
    with pytest.raises(ValueError, match=r"self_reliance must be a finite number in \[0, 1\]"):
        decision_grid([0.5], [0.5], self_reliance=2.0, entrapment=0.2, dominance=0.2)
    with pytest.raises(ValueError, match="dominance"):
        decision_grid([0.5], [0.5], self_reliance=0.2, entrapment=0.2, dominance=math.nan)


# --------------------------------------------------------------------------- reference cases


@pytest.mark.parametrize("case", REFERENCE_CASES, ids=lambda rc: rc.case)
def test_reference_case_reproduces_with_defaults(case):
    c = choose_tier(case.threat, case.self_reliance, case.autonomy, case.entrapment,
                    case.dominance)
    assert c.tier == case.expected_tier, case.justification


def test_reference_cases_cover_every_tier_and_the_named_profiles():
    df = reference_cases()
    assert set(df["expected_tier"]) == set(KEYS)
    assert {"eastern_flank_ally", "med_dialogue_partner", "israel", "gulf_ici_partner",
            "coalition_contributor", "distant_state"} == set(df["case"])
    israel = df.set_index("case").loc["israel"]
    # the paper's Israel: high threat, high self-reliance, very high autonomy valuation
    assert israel["threat"] >= 0.9 and israel["autonomy"] >= 0.85
    threatened = df[df["threat"] >= 0.5]
    assert israel["self_reliance"] == threatened["self_reliance"].max()
    assert df["justification"].str.len().gt(30).all()


def test_reference_check_reports_expected_and_obtained():
    df = reference_check()
    assert list(df.columns) == ["case", "expected_tier", "obtained_tier", "match", "need",
                                "cost", "ratio", "nearest_flip"]
    assert df["match"].all()
    assert (df["expected_tier"] == df["obtained_tier"]).all()
    # with cost driven by autonomy alone, the high-autonomy Israel profile drops out
    alt = reference_check(weights={"autonomy": 1, "entrapment": 0, "dominance": 0})
    assert not alt["match"].all()
    assert alt.set_index("case").loc["israel", "obtained_tier"] == "ad_hoc"


# --------------------------------------------------------------------------- strategy


def _strategy(threat=0.8, capability=0.5, resolve=0.6, **flags):
    base = dict(partner_available=True, partner_can_dominate=False,
                buck_catcher_available=False)
    base.update(flags)
    return choose_strategy(threat, capability, resolve, **base)


def test_low_threat_needs_no_response():
    s = _strategy(threat=0.1, capability=0.0, partner_available=False)
    assert (s.strategy, s.rule) == ("no response needed", "low_threat")
    assert s.strategy in STRATEGIES and s.warnings == ()


def test_helpless_without_partner_bandwagons_with_warning():
    s = _strategy(capability=0.1, partner_available=False)
    assert (s.strategy, s.rule) == ("bandwagon", "no_partner_helpless")
    assert any("sovereignty" in w or "freedom of decision" in w for w in s.warnings)
    # a buck-catcher does not rescue a helpless state
    s2 = _strategy(capability=0.1, partner_available=False, buck_catcher_available=True)
    assert s2.strategy == "bandwagon"
    assert any("buck-catcher" in r for r in s2.reasons)


def test_israel_profile_partly_balances_partly_buck_passes():
    s = _strategy(threat=0.9, capability=0.8, resolve=0.3, buck_catcher_available=True)
    assert (s.strategy, s.rule) == ("partly balance, partly buck-pass",
                                    "high_capability_low_resolve")
    assert s.warnings == ()
    # the same state with high resolve and no buck-catcher simply balances with its partner
    s2 = _strategy(threat=0.9, capability=0.8, resolve=0.8)
    assert (s2.strategy, s2.rule) == ("balance", "balance_with_partner")


def test_high_capability_low_resolve_with_nobody_to_share_balances_alone():
    s = _strategy(capability=0.9, resolve=0.1, partner_available=False)
    assert (s.strategy, s.rule) == ("balance", "balance_alone")


def test_buck_catcher_and_not_helpless_buck_passes():
    s = _strategy(capability=0.4, buck_catcher_available=True)
    assert (s.strategy, s.rule) == ("buck-pass", "buck_catcher")
    s2 = _strategy(capability=0.1, buck_catcher_available=True)  # helpless but has a partner
    assert (s2.strategy, s2.rule) == ("balance", "balance_with_partner")


def test_dominating_partner_attaches_walt_warning():
    s = _strategy(partner_can_dominate=True)
    assert s.strategy == "balance"
    assert any("Walt" in w for w in s.warnings)
    # no warning when the strategy does not rely on the partner
    s2 = _strategy(partner_can_dominate=True, buck_catcher_available=True)
    assert s2.strategy == "buck-pass" and s2.warnings == ()


def test_self_reliance_overrides_capability():
    s = _strategy(capability=0.9, resolve=0.9, partner_available=False,
                  buck_catcher_available=False)
    assert s.rule == "balance_alone"
    s2 = choose_strategy(0.8, 0.9, 0.9, partner_available=False, partner_can_dominate=False,
                         buck_catcher_available=False, self_reliance=0.05)
    assert s2.strategy == "bandwagon"
    assert s2.inputs["self_reliance"] == 0.05


def test_thresholds_are_overridable_and_reported():
    th = StrategyThresholds(low_threat=0.9)
    s = choose_strategy(0.8, 0.5, 0.5, partner_available=True, partner_can_dominate=False,
                        buck_catcher_available=False, thresholds=th)
    assert s.strategy == "no response needed" and s.thresholds is th
    assert _strategy().thresholds == StrategyThresholds()
    assert "0.2" in _strategy().reasons[0]


def test_strategy_summary_lists_rule_reasons_and_warnings():
    s = _strategy(partner_can_dominate=True)
    lines = s.summary().splitlines()
    assert lines[0] == "Strategy: balance (rule: balance_with_partner)"
    assert sum(line.startswith("- ") for line in lines) == len(s.reasons)
    assert lines[-1].startswith("! ")


@pytest.mark.parametrize("flag", ["partner_available", "partner_can_dominate",
                                  "buck_catcher_available"])
@pytest.mark.parametrize("bad", [1, 0, None, "yes", 1.0])
def test_strategy_rejects_non_bool_flags(flag, bad):
    with pytest.raises(ValueError, match=rf"{flag} must be True or False"):
        _strategy(**{flag: bad})


@pytest.mark.parametrize("name", ["threat", "capability", "resolve"])
@pytest.mark.parametrize("bad", [math.nan, 1.5, -0.2, math.inf])
def test_strategy_rejects_bad_numbers(name, bad):
    kw = {"threat": 0.5, "capability": 0.5, "resolve": 0.5, name: bad}
    with pytest.raises(ValueError, match=rf"{name} must be a finite number in \[0, 1\]"):
        _strategy(**kw)
    with pytest.raises(ValueError, match=r"self_reliance must be a finite number in \[0, 1\]"):
        choose_strategy(0.5, 0.5, 0.5, partner_available=True, partner_can_dominate=False,
                        buck_catcher_available=False, self_reliance=bad)


def test_strategy_thresholds_validation():
    with pytest.raises(ValueError, match=r"low_resolve must be a finite number in \[0, 1\]"):
        StrategyThresholds(low_resolve=math.nan)
    with pytest.raises(ValueError, match="thresholds must be a StrategyThresholds"):
        choose_strategy(0.5, 0.5, 0.5, partner_available=True, partner_can_dominate=False,
                        buck_catcher_available=False, thresholds={"low_threat": 0.1})


def test_results_are_frozen():
    c = choose_tier(0.5, 0.5, 0.5, 0.5, 0.5)
    with pytest.raises(AttributeError):
        c.tier = "alliance"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        TIERS[0].cost = 0.5  # type: ignore[misc]
    assert isinstance(tier_table(), pd.DataFrame)


def test_dataframe_table_with_missing_text_columns_round_trips():
    df = tier_table()[["key", "label", "security", "cost"]]
    df.loc[1, "security"] = 0.25  # breakpoints 0.4, 1.2, 1.2: partnership and alliance tie
    report = check_tier_table(df)
    assert report.neighbour_breakpoints == pytest.approx((0.4, 1.2, 1.2))
    # equal breakpoints: the partnership wins nowhere (alliance takes over from ad hoc at 1.2)
    assert report.dominated == ("partnership",)
    out = tier_table(df)
    assert out["description"].tolist() == [""] * 4
    assert tier_for_ratio(1.2, table=df) == "ad_hoc"
    assert tier_for_ratio(1.21, table=df) == "alliance"


def test_no_buck_catcher_means_no_buck_passing():
    for partner in (True, False):
        choice = tiers.choose_strategy(0.6, 0.65, 0.3, partner_available=partner,
                                       partner_can_dominate=False, buck_catcher_available=False)
        assert "buck-pass" not in choice.strategy, choice
        assert choice.strategy == "balance"
        assert any("No buck-catcher" in r for r in choice.reasons)


def test_strategy_rule_is_labelled_as_the_courses_coding():
    choice = tiers.choose_strategy(0.9, 0.8, 0.3, partner_available=True,
                                   partner_can_dominate=False, buck_catcher_available=True)
    assert choice.rule == "high_capability_low_resolve"
    text = " ".join(choice.reasons) + (tiers.choose_strategy.__doc__ or "")
    assert "course's" in text and "built in" in text
    assert "Mearsheimer 2014" not in text and "reproduce" not in text
