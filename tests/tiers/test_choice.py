"""Tests for course_lib.tiers: choose_tier, flip margins and cost weights."""

from __future__ import annotations

import math

import numpy as np
import pytest

from course_lib import tiers
from course_lib.tiers import (
    REFERENCE_CASES,
    CostWeights,
    choose_tier,
)
from tests.tiers.tier_helpers import KEYS, assert_margins_consistent

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


def test_choose_tier_accepts_numpy_scalars_and_ints():
    c = choose_tier(np.float64(0.9), 0, np.float32(0.3), 1, np.int64(0))
    assert c.inputs["threat"] == pytest.approx(0.9)
    assert isinstance(c.need, float)
