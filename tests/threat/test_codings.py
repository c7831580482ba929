"""Tests for the dated intent codings: threat tables by coding and compare_codings."""

from __future__ import annotations

import pandas as pd
import pytest

from course_lib import datasets, threat
from tests.threat.threat_toy import toy_kwargs


def _dated_toy() -> pd.DataFrame:
    """The toy intentions in two codings: AAA->CCC recoded in 2026, BBB->AAA kept, AAA->BBB new."""
    return pd.DataFrame({
        "observer": ["AAA", "BBB", "AAA", "AAA"],
        "source": ["CCC", "AAA", "CCC", "BBB"],
        "coding": ["2023", "2023", "2026-12", "2026-12"],
        "score": [0.6, 0.9, 0.1, 0.8],
    })


# ------------------------------------------------------------------- the coded table by date


def test_a_later_coding_overrides_and_adds_dyads_and_keeps_the_rest():
    coded = _dated_toy()
    early = threat.threat_factors("AAA", **toy_kwargs(coded_intentions=coded))
    late = threat.threat_factors("AAA", intent_coding="2026-12",
                                 **toy_kwargs(coded_intentions=coded))
    assert early["intent"].to_dict() == {"BBB": 0.1, "CCC": 0.6, "DDD": 0.1}
    assert early["intent_basis"].to_dict() == {"BBB": "default", "CCC": "coded", "DDD": "default"}
    assert late["intent"].to_dict() == {"BBB": 0.8, "CCC": 0.1, "DDD": 0.1}
    assert late["intent_basis"].to_dict() == {"BBB": "coded", "CCC": "coded", "DDD": "default"}
    # BBB's view of AAA is coded only in 2023 and carried into 2026
    kept = threat.threat_factors("BBB", ["AAA"], intent_coding="2026-12",
                                 **toy_kwargs(coded_intentions=coded))
    assert kept.loc["AAA", "intent"] == 0.9
    # only the intent column differs between the codings
    others = [c for c in early.columns if c not in ("intent", "intent_basis")]
    pd.testing.assert_frame_equal(early[others], late[others])


def test_intent_coding_is_checked_and_needs_a_coding_column():
    with pytest.raises(ValueError, match=r"intent_coding must be one of .*'2026-12'.*got '2026'"):
        threat.threat_to("AAA", intent_coding="2026", **toy_kwargs())
    # a table without dates is used as it is, but a date cannot pick from it
    plain = threat.threat_to("AAA", **toy_kwargs())
    assert plain.loc["CCC", "intent"] == 0.6
    with pytest.raises(ValueError, match="intent_coding='2026-12' picks rows of coded_intentions"):
        threat.threat_to("AAA", intent_coding="2026-12", **toy_kwargs())
    bad = _dated_toy().assign(coding=["2023", "2023", "2025", "2026-12"])
    with pytest.raises(ValueError, match=r"coded_intentions\['coding'\] must hold codings from"):
        threat.threat_to("AAA", **toy_kwargs(coded_intentions=bad))
    twice = pd.concat([_dated_toy(), _dated_toy().iloc[[2]]])
    with pytest.raises(ValueError, match="coded_intentions must code each dyad once per coding"):
        threat.threat_to("AAA", intent_coding="2026-12", **toy_kwargs(coded_intentions=twice))


def test_the_packaged_2026_coding_recodes_the_dyads_the_brief_names():
    early = datasets.load_intentions(coding="2023").set_index(["observer", "source"])
    late = datasets.load_intentions(coding="2026-12").set_index(["observer", "source"])
    recoded = late[late["coding"] == "2026-12"]
    for dyad in [("ISR", "TUR"), ("TUR", "ISR"), ("ISR", "SYR"), ("TUR", "SYR"),
                 ("ISR", "IRN"), ("IRN", "ISR"), ("USA", "IRN"), ("IRN", "USA")]:
        assert dyad in recoded.index, dyad
        assert recoded.loc[dyad, "reason"] != early.loc[dyad, "reason"], dyad
        assert recoded.loc[dyad, "citation"] != "Course coding", dyad
    assert set(early.index) <= set(late.index)  # the 2026 coding drops no dyad
    assert late.loc[("ISR", "CHN")].equals(early.loc[("ISR", "CHN")])  # kept, coding '2023'
    assert early["coding"].eq("2023").all()
    # Syria after Assad is no longer a threat to Turkey; Iran after the 2026 war is a greater
    # one to Israel and its Gulf neighbours
    assert late.loc[("TUR", "SYR"), "score"] < early.loc[("TUR", "SYR"), "score"]
    assert late.loc[("ISR", "SYR"), "score"] < early.loc[("ISR", "SYR"), "score"]
    for observer in ("ISR", "SAU", "ARE"):
        assert late.loc[(observer, "IRN"), "score"] > early.loc[(observer, "IRN"), "score"]


def test_threat_to_israel_iran_leads_the_2026_coding_and_turkey_climbs():
    early = threat.threat_to("ISR")
    late = threat.threat_to("ISR", intent_coding="2026-12")
    assert early.index[0] == "RUS" and late.index[0] == "IRN"
    assert late.loc["TUR", "rank"] < early.loc["TUR", "rank"]
    # the default is the paper's view, so the lessons and exercises keep their numbers
    pd.testing.assert_frame_equal(early, threat.threat_to("ISR", intent_coding="2023"))


def test_sensitivity_and_all_pairs_take_the_coding():
    coded = _dated_toy()
    early = threat.weight_sensitivity("AAA", n_draws=50, **toy_kwargs(coded_intentions=coded))
    late = threat.weight_sensitivity("AAA", n_draws=50, intent_coding="2026-12",
                                     **toy_kwargs(coded_intentions=coded))
    assert not early["threat_mean"].equals(late["threat_mean"])
    pairs = threat.all_pairs_factors(intent_coding="2026-12", **toy_kwargs(coded_intentions=coded))
    assert pairs.loc[("AAA", "BBB"), "intent"] == 0.8


# ------------------------------------------------------------------------ compare_codings


def test_compare_codings_matches_two_threat_tables():
    coded = _dated_toy()
    table = threat.compare_codings("AAA", **toy_kwargs(coded_intentions=coded))
    early = threat.threat_to("AAA", **toy_kwargs(coded_intentions=coded))
    late = threat.threat_to("AAA", intent_coding="2026-12", **toy_kwargs(coded_intentions=coded))
    assert list(table.index) == list(late.index)
    assert table["threat_2023"].equals(early["threat"].reindex(late.index))
    assert table["threat_2026-12"].equals(late["threat"])
    assert table["intent_2026-12"].to_dict() == late["intent"].to_dict()
    ranked = table.dropna(subset=["rank_2023", "rank_2026-12"])
    assert (ranked["rank_change"] == ranked["rank_2023"] - ranked["rank_2026-12"]).all()
    assert pd.isna(table.loc["DDD", "rank_change"])  # no spending figure: never ranked
    # BBB becomes hostile in 2026 and climbs above CCC, which calms down
    assert table.loc["BBB", "rank_change"] == 1 and table.loc["CCC", "rank_change"] == -1


def test_compare_codings_reversed_and_with_other_keywords():
    coded = _dated_toy()
    forward = threat.compare_codings("AAA", method="geometric",
                                     **toy_kwargs(coded_intentions=coded))
    backward = threat.compare_codings("AAA", before="2026-12", after="2023", method="geometric",
                                      **toy_kwargs(coded_intentions=coded))
    shared = forward.index.intersection(backward.index)
    assert (forward.loc[shared, "rank_change"].fillna(0)
            == -backward.loc[shared, "rank_change"].fillna(0)).all()
    assert forward["threat_2023"].equals(
        threat.threat_to("AAA", method="geometric", **toy_kwargs(coded_intentions=coded))
        ["threat"].reindex(forward.index))


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"before": "2023", "after": "2023"}, "two different codings"),
    ({"before": "2022"}, "before must be one of"),
    ({"after": None}, "after must be one of"),
    ({"intent_coding": "2023"}, "pass the two codings as before= and after="),
    ({"wieghts": [1, 1, 1, 1]}, r"keywords \['wieghts'\] are not taken by threat_to"),
])
def test_compare_codings_refuses_bad_arguments(kwargs, words):
    with pytest.raises(ValueError, match=words):
        threat.compare_codings("ISR", ["IRN"], **kwargs)
