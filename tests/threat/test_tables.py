"""Tests for course_lib.threat: Factor tables and threat tables (threat_factors, threat_to)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from course_lib import threat
from tests.threat.threat_toy import toy_kwargs, toy_states

# ---------------------------------------------------------------------- factors and tables


def test_threat_factors_on_toy_system():
    f = threat.threat_factors("AAA", intentions={"BBB": 0.5}, scale="max", **toy_kwargs())
    assert list(f.index) == ["BBB", "CCC", "DDD"]
    assert f.loc["CCC", "contiguous"] and not f.loc["BBB", "contiguous"]
    assert f.loc["CCC", "proximity"] == 1.0  # contiguity counts as distance 0
    assert f.loc["CCC", "distance_km"] > 4000  # but the real capital distance is kept
    assert f.loc["BBB", "proximity"] == pytest.approx(math.exp(-f.loc["BBB", "distance_km"] / 2000))
    assert f["intent_basis"].to_dict() == {"BBB": "override", "CCC": "coded", "DDD": "default"}
    assert f["intent"].to_dict() == {"BBB": 0.5, "CCC": 0.6, "DDD": 0.1}
    assert f.loc["BBB", "power"] == 1.0  # the strongest state
    assert f.loc["CCC", "capability"] == pytest.approx(0.75 * 0.5 + 0.25)  # nuclear-armed
    assert math.isnan(f.loc["DDD", "capability"])
    factors = f[list(threat.FACTORS)].drop(index="DDD")
    assert ((factors >= 0) & (factors <= 1)).all().all()


def test_dyadic_scale_is_relative_to_the_observer():
    states = toy_states()
    f = threat.threat_factors("AAA", **toy_kwargs())
    share = threat.power_index(states)
    for source in ["BBB", "CCC"]:
        assert f.loc[source, "power"] == pytest.approx(
            share[source] / (share[source] + share["AAA"])
        )
    milex = states["milex_usd_2022"]
    spend = milex["BBB"] / (milex["BBB"] + milex["AAA"])
    assert f.loc["BBB", "capability"] == pytest.approx(0.75 * spend)
    # the same source weighs more on a weaker observer
    from_b = threat.threat_factors("BBB", sources=["CCC"], **toy_kwargs())
    from_a = threat.threat_factors("AAA", sources=["CCC"], **toy_kwargs())
    weaker = "AAA" if share["AAA"] < share["BBB"] else "BBB"
    stronger_frame, weaker_frame = (from_b, from_a) if weaker == "AAA" else (from_a, from_b)
    assert weaker_frame.loc["CCC", "power"] > stronger_frame.loc["CCC", "power"]
    # an observer without a military-expenditure figure cannot score capability: a warning
    # says why and names the way out
    with pytest.warns(UserWarning, match=r"observer 'DDD' has no military-expenditure.*"
                                         r"scale=\"max\""):
        g = threat.threat_factors("DDD", **toy_kwargs())
    assert g["capability"].isna().all()
    with pytest.raises(ValueError, match="scale must be one of"):
        threat.threat_factors("AAA", scale="log", **toy_kwargs())


def test_allied_default_intent_for_uncoded_nato_dyads():
    t = threat.threat_to("ITA", sources=["FRA", "RUS", "DZA"])
    assert t.loc["FRA", "intent_basis"] == "allied default"
    assert t.loc["FRA", "intent"] == pytest.approx(0.02)
    assert t.loc["RUS", "intent_basis"] == "coded"
    none = threat.threat_to("ITA", sources=["FRA"], allied_intent=None)
    assert none.loc["FRA", "intent_basis"] == "default"
    assert none.loc["FRA", "intent"] == pytest.approx(0.1)
    with pytest.raises(ValueError, match="allied_intent"):
        threat.threat_to("ITA", allied_intent=1.5)


def test_threat_to_table_sorted_ranked_and_missing_last():
    t = threat.threat_to("AAA", **toy_kwargs())
    assert list(t.columns) == [
        "name", "distance_km", "contiguous", "power", "proximity", "capability", "intent",
        "intent_basis", "threat", "rank",
    ]
    assert "AAA" not in t.index
    assert t.index[-1] == "DDD" and math.isnan(t.loc["DDD", "threat"])
    assert pd.isna(t.loc["DDD", "rank"])
    ranked = t.dropna(subset=["threat"])
    assert ranked["threat"].is_monotonic_decreasing
    assert ranked["rank"].tolist() == [1, 2]
    expected = threat.threat_score(ranked.loc[["CCC"]]).iloc[0]
    assert ranked.loc["CCC", "threat"] == pytest.approx(expected)


def test_threat_to_sources_subset_and_method():
    t = threat.threat_to("AAA", ["CCC"], method="geometric", **toy_kwargs())
    assert list(t.index) == ["CCC"]
    f = t.loc["CCC", list(threat.FACTORS)].astype(float).to_dict()
    assert t.loc["CCC", "threat"] == pytest.approx(threat.threat_score(f, method="geometric"))


def test_threat_to_bdm_decay_uses_power_share():
    t = threat.threat_to("AAA", decay="bdm", **toy_kwargs())
    share = threat.power_index(toy_states())
    d = t.loc["BBB", "distance_km"]
    assert t.loc["BBB", "proximity"] == pytest.approx(
        threat.proximity_factor(d, share["BBB"], decay="bdm")
    )


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [
        (("XXX",), {}, r"observer must be one of the 4 ISO3 codes .*got 'XXX'"),
        (("AAA", ["BBB", "ZZZ"]), {}, r"sources must be one of the 4 ISO3 codes .*got 'ZZZ'"),
        (("AAA", ["AAA"]), {}, "sources must not contain the observer"),
        (("AAA",), {"intentions": {"QQQ": 0.5}}, r"intentions key must be one of"),
        (("AAA",), {"intentions": {"BBB": 1.5}}, r"intentions\['BBB'\] must be .* \[0, 1\]"),
        (("AAA",), {"intentions": {"AAA": 0.5}}, "observer"),
        (("AAA",), {"default_intent": -0.1}, r"default_intent must be .* \[0, 1\]"),
        (("AAA",), {"nuclear_bonus": 2.0}, r"nuclear_bonus must be .* \[0, 1\]"),
        (("AAA",), {"decay": "linear"}, "decay must be one of"),
        (("AAA",), {"lambda_km": 0.0}, r"lambda_km must be .* \(0, inf\)"),
        (("AAA",), {"miles_per_day": -1.0}, "miles_per_day"),
        (("AAA",), {"method": "max"}, "method must be one of"),
        (("AAA",), {"weights": [0, 0, 0, 0]}, "weights must not all be zero"),
    ],
)
def test_threat_to_rejects_bad_input(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        threat.threat_to(*args, **toy_kwargs(**kwargs))


def test_coded_intentions_table_is_validated():
    bad = pd.DataFrame({"observer": ["AAA"], "source": ["BBB"], "score": [1.3]})
    with pytest.raises(ValueError,
                       match=r"coded_intentions score for AAA->BBB must be a finite number"):
        threat.threat_to("AAA", **toy_kwargs(coded_intentions=bad))
    with pytest.raises(ValueError, match="coded_intentions must have columns"):
        threat.threat_to("AAA", **toy_kwargs(coded_intentions=pd.DataFrame({"x": []})))


# ------------------------------------------------------------------ issue 9: bad input refused


def test_a_duplicated_coded_dyad_is_refused_naming_it():
    """A second row for a dyad used to win silently and stay labelled "coded"."""
    kwargs = toy_kwargs()
    coded = kwargs["coded_intentions"]
    kwargs["coded_intentions"] = pd.concat([coded, coded.iloc[[0]].assign(score=0.0)])
    with pytest.raises(ValueError, match=r"coded_intentions must have one row per dyad, got "
                                         r"two rows for AAA->CCC"):
        threat.threat_factors("AAA", **kwargs)


@pytest.mark.parametrize(
    ("sources", "match"),
    [
        ("CCC", r"sources must be a list of ISO3 codes such as \['CCC'\], got the string"),
        ("BBBCCC", "got the string 'BBBCCC'"),
        (["CCC", "CCC"], "sources must not repeat a code, got 'CCC' twice"),
        (["ccc"], r"got 'ccc'; did you mean 'CCC'\?"),
        ([], "sources must be a non-empty list"),
        (7, "sources must be a list of ISO3 codes, got 7"),
    ],
)
def test_sources_must_be_a_list_of_distinct_exact_codes(sources, match):
    with pytest.raises(ValueError, match=match):
        threat.threat_to("AAA", sources, **toy_kwargs())


def test_lower_case_observer_is_refused_with_a_hint():
    with pytest.raises(ValueError, match=r"observer must be one of the 4 ISO3 codes .*got "
                                         r"'aaa'; did you mean 'AAA'\?"):
        threat.threat_to("aaa", **toy_kwargs())
