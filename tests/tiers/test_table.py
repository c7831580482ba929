"""Tests for course_lib.tiers: the tier table, its checks and tier_for_ratio."""

from __future__ import annotations

import math

import numpy as np
import pytest

from course_lib.tiers import (
    TIERS,
    Tier,
    check_tier_table,
    choose_tier,
    decision_grid,
    tier_for_ratio,
    tier_table,
)
from tests.tiers.tier_helpers import KEYS

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


@pytest.mark.slow
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
