"""Tests for course_lib.tiers: the reference cases."""

from __future__ import annotations

import pytest

from course_lib.tiers import (
    REFERENCE_CASES,
    choose_tier,
    reference_cases,
    reference_check,
)
from tests.tiers.tier_helpers import KEYS

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
