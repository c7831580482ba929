"""Tests for course_lib.tiers: choose_strategy and its rules."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from course_lib import tiers
from course_lib.tiers import (
    STRATEGIES,
    TIERS,
    StrategyThresholds,
    check_tier_table,
    choose_strategy,
    choose_tier,
    tier_for_ratio,
    tier_table,
)

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
