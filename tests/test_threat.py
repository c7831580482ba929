"""Tests for course_lib.threat: CINC, factors, aggregation, tables and Monte Carlo."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from course_lib import threat

NMC_PATH = Path("/work/shared/data/raw/NMC-60-abridged.csv")


def toy_states() -> pd.DataFrame:
    """Four states on the equator; DDD has no military-expenditure figure."""
    return pd.DataFrame(
        {
            "name": ["Aland", "Bland", "Cland", "Dland"],
            "lat": [0.0, 0.0, 0.0, 0.0],
            "lon": [0.0, 10.0, 40.0, 5.0],
            "milex_usd_2022": [1e9, 4e9, 2e9, np.nan],
            "armed_forces_personnel": [1e4, 5e4, 2e4, 1e4],
            "population_2022": [1e7, 2e7, 1e7, 1e7],
            "gdp_usd_2022": [1e11, 2e11, 1e11, 1e11],
            "nuclear_status": [
                "NPT non-nuclear-weapon state",
                "NPT non-nuclear-weapon state",
                "NPT nuclear-weapon state",
                "NPT non-nuclear-weapon state",
            ],
        },
        index=pd.Index(["AAA", "BBB", "CCC", "DDD"], name="iso3"),
    )


def toy_kwargs(**extra):
    kwargs = {
        "states": toy_states(),
        "borders": pd.DataFrame({"iso3_a": ["AAA"], "iso3_b": ["CCC"]}),
        "coded_intentions": pd.DataFrame(
            {"observer": ["AAA", "BBB"], "source": ["CCC", "AAA"], "score": [0.6, 0.9]}
        ),
    }
    kwargs.update(extra)
    return kwargs


FULL = {"power": 0.8, "proximity": 0.5, "capability": 0.6, "intent": 0.2}


# ------------------------------------------------------------------------------------ cinc


def test_cinc_three_state_toy_by_hand():
    toy = pd.DataFrame(
        {
            "milex": [60, 30, 10],
            "milper": [5, 3, 2],
            "irst": [1, 1, 2],
            "pec": [4, 4, 2],
            "tpop": [100, 50, 50],
            "upop": [10, 20, np.nan],
        },
        index=["A", "B", "C"],
    )
    result = threat.cinc(toy)
    # A: (.6 + .5 + .25 + .4 + .5 + 1/3) / 6; C has no upop, so it averages 5 shares
    assert result["A"] == pytest.approx((0.6 + 0.5 + 0.25 + 0.4 + 0.5 + 1 / 3) / 6)
    assert result["B"] == pytest.approx((0.3 + 0.3 + 0.25 + 0.4 + 0.25 + 2 / 3) / 6)
    assert result["C"] == pytest.approx((0.1 + 0.2 + 0.5 + 0.2 + 0.25) / 5)
    assert result.name == "cinc"


def test_cinc_sums_to_one_when_complete_and_nan_when_all_missing():
    rng = np.random.default_rng(3)
    data = pd.DataFrame(rng.uniform(1, 100, size=(6, 6)), columns=list(threat.COMPONENTS))
    assert threat.cinc(data).sum() == pytest.approx(1.0)
    data.loc[2, :] = np.nan
    result = threat.cinc(data)
    assert math.isnan(result[2])
    assert result.drop(2).notna().all()


def test_cinc_reproduces_nmc_v6_2016():
    if not NMC_PATH.exists():
        pytest.skip(f"COW NMC v6.0 file not found at {NMC_PATH} (reference data not mounted)")
    nmc = pd.read_csv(NMC_PATH)
    year = nmc[nmc["year"] == 2016].set_index("stateabb")
    assert len(year) > 150
    components = year[list(threat.COMPONENTS)].astype(float)
    components = components.mask(components == -9)  # COW codes missing values as -9
    result = threat.cinc(components)
    diff = (result - year["cinc"]).abs()
    assert diff.max() < 1e-6
    assert result.idxmax() == "CHN"


def test_cinc_rejects_bad_input():
    good = pd.DataFrame({c: [1.0, 2.0] for c in threat.COMPONENTS})
    with pytest.raises(ValueError, match=r"components must have columns .*missing \['upop'\]"):
        threat.cinc(good.drop(columns="upop"))
    neg = good.copy()
    neg.loc[0, "milex"] = -9
    with pytest.raises(ValueError, match=r"components\['milex'\].*\[0, inf\).*got -9.*NaN first"):
        threat.cinc(neg)
    text = good.astype(object)
    text.loc[0, "irst"] = "1.0"  # a number as text is refused, not converted
    with pytest.raises(ValueError, match=r"components\['irst'\] .*got '1.0' at position 0"):
        threat.cinc(text)
    inf = good.copy()
    inf.loc[1, "pec"] = np.inf
    with pytest.raises(ValueError, match=r"components\['pec'\]"):
        threat.cinc(inf)
    with pytest.raises(ValueError, match="components must be a pandas DataFrame"):
        threat.cinc([[1, 2, 3, 4, 5, 6]])


# ----------------------------------------------------------------------------- power index


def test_power_index_hand_computed_and_sums_to_one():
    p = threat.power_index(toy_states())
    # AAA: milex 1/7, personnel 1/9, population 1/5, GDP 1/5
    assert p["AAA"] == pytest.approx((1 / 7 + 1 / 9 + 1 / 5 + 1 / 5) / 4)
    # DDD has no milex: mean of its three other shares
    assert p["DDD"] == pytest.approx((1 / 9 + 1 / 5 + 1 / 5) / 3)
    complete = toy_states().drop(index="DDD")
    assert threat.power_index(complete).sum() == pytest.approx(1.0)


def test_power_index_rejects_bad_states():
    states = toy_states()
    with pytest.raises(ValueError, match="gdp_usd_2022"):
        threat.power_index(states.drop(columns="gdp_usd_2022"))
    states.loc["AAA", "population_2022"] = -1
    with pytest.raises(ValueError, match=r"states\['population_2022'\]"):
        threat.power_index(states)
    with pytest.raises(ValueError, match="at least 2 rows"):
        threat.power_index(toy_states().iloc[:1])


# ---------------------------------------------------------------- capability and proximity


@pytest.mark.parametrize(
    ("status", "armed"),
    [
        ("NPT nuclear-weapon state", True),
        ("NPT non-nuclear-weapon state", False),
        (
            "NPT non-nuclear-weapon state; hosts US B61 bombs under NATO nuclear sharing "
            "(reported, never officially confirmed)",
            False,
        ),
        ("undeclared nuclear-armed state (not an NPT party; policy of ambiguity)", True),
        ("NPT non-nuclear-weapon state; uranium-enrichment programme of proliferation concern",
         False),
        (float("nan"), False),
    ],
)
def test_is_nuclear_armed(status, armed):
    assert threat.is_nuclear_armed(status) is armed


def test_capability_factor_mixture_and_bounds():
    cap = threat.capability_factor([100.0, 50.0, 0.0, np.nan], [False, True, True, False], 0.4)
    assert cap[0] == pytest.approx(0.6)
    assert cap[1] == pytest.approx(0.6 * 0.5 + 0.4)
    assert cap[2] == pytest.approx(0.4)
    assert math.isnan(cap[3])
    assert np.allclose(threat.capability_factor([3.0, 1.0], [True, False], 1.0), [1.0, 0.0])


def test_capability_factor_rejects_bad_input():
    for bonus in (-0.1, 1.1, float("nan")):
        with pytest.raises(ValueError, match=r"nuclear_bonus must be a finite number in \[0, 1\]"):
            threat.capability_factor([1.0], [False], bonus)
    with pytest.raises(ValueError, match="milex"):
        threat.capability_factor([-1.0, 2.0], [False, False])
    with pytest.raises(ValueError, match="positive"):
        threat.capability_factor([0.0, np.nan], [False, False])
    with pytest.raises(ValueError, match="same shape"):
        threat.capability_factor([1.0, 2.0], [False])


def test_proximity_factor_values():
    assert threat.proximity_factor(0.0) == 1.0
    assert threat.proximity_factor(3000.0, lambda_km=1500.0) == pytest.approx(math.exp(-2))
    assert threat.proximity_factor(0.0, 0.2, decay="bdm") == pytest.approx(1.0)
    # bdm proximity is the ratio of discounted power abroad to discounted power at home
    from course_lib import geo

    expected = geo.bdm_discount(0.2, 3000.0) / geo.bdm_discount(0.2, 0.0)
    assert threat.proximity_factor(3000.0, 0.2, decay="bdm") == pytest.approx(expected)
    # under bdm, strong states lose less with distance than weak ones
    assert threat.proximity_factor(3000.0, 0.3, decay="bdm") > threat.proximity_factor(
        3000.0, 0.01, decay="bdm"
    )


def test_proximity_factor_rejects_bad_input():
    with pytest.raises(ValueError, match=r"decay must be one of \['exponential', 'bdm'\]"):
        threat.proximity_factor(10.0, decay="linear")
    with pytest.raises(ValueError, match="power_share must be given"):
        threat.proximity_factor(10.0, decay="bdm")
    with pytest.raises(ValueError, match=r"share must be a finite number in \(0, 1\)"):
        threat.proximity_factor(10.0, 1.0, decay="bdm")
    with pytest.raises(ValueError, match="lambda_km"):
        threat.proximity_factor(10.0, lambda_km=0.0)
    with pytest.raises(ValueError, match="distance_km"):
        threat.proximity_factor(-10.0)


# ------------------------------------------------------------------------------ aggregation


def test_threat_score_additive_and_geometric_by_hand():
    assert threat.threat_score(FULL) == pytest.approx((0.8 + 0.5 + 0.6 + 0.2) / 4)
    geometric = (0.8 * 0.5 * 0.6 * 0.2) ** 0.25
    assert threat.threat_score(FULL, method="geometric") == pytest.approx(geometric)
    w = {"power": 1.0, "proximity": 0.0, "capability": 1.0, "intent": 2.0}
    assert threat.threat_score(FULL, w) == pytest.approx((0.8 + 0.6 + 0.4) / 4)
    assert threat.threat_score(FULL, [1.0, 0.0, 1.0, 2.0], method="geometric") == pytest.approx(
        0.8**0.25 * 0.6**0.25 * 0.2**0.5
    )


def test_additive_and_geometric_differ_when_intent_is_zero():
    f = dict(FULL, intent=0.0)
    additive = threat.threat_score(f)
    geometric = threat.threat_score(f, method="geometric", eps=1e-3)
    assert additive == pytest.approx((0.8 + 0.5 + 0.6) / 4)
    assert geometric == pytest.approx((0.8 * 0.5 * 0.6 * 1e-3) ** 0.25)
    assert geometric < additive / 2


def test_threat_score_on_dataframe_returns_series():
    frame = pd.DataFrame([FULL, dict(FULL, intent=1.0)], index=["X", "Y"]).assign(name=["x", "y"])
    result = threat.threat_score(frame)
    assert isinstance(result, pd.Series) and list(result.index) == ["X", "Y"]
    assert result["Y"] - result["X"] == pytest.approx(0.8 / 4)


@pytest.mark.parametrize(
    ("factors", "match"),
    [
        (dict(FULL, intent=float("nan")), r"factors\['intent'\] must be a finite number in \[0, 1"),
        (dict(FULL, power=1.2), r"factors\['power'\] must be a finite number in \[0, 1\]"),
        (dict(FULL, capability=-0.1), r"factors\['capability'\]"),
        (dict(FULL, resolve=0.5), r"factors keys must be among .*unknown \['resolve'\]"),
        ({"power": 0.5, "proximity": 0.5, "capability": 0.5}, r"missing \['intent'\]"),
        (pd.DataFrame([dict(FULL, intent=np.nan)]), r"factors\['intent'\]"),
        (pd.DataFrame([FULL]).drop(columns="power"), r"factors must have columns"),
        ([0.1, 0.2, 0.3, 0.4], "factors must be a mapping or a DataFrame"),
    ],
)
def test_threat_score_rejects_bad_factors(factors, match):
    with pytest.raises(ValueError, match=match):
        threat.threat_score(factors)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"weights": {"power": -1, "proximity": 1, "capability": 1, "intent": 1}},
         r"weights\['power'\] must be a finite number in \[0, inf\)"),
        ({"weights": [0, 0, 0, 0]}, "weights must not all be zero"),
        ({"weights": {"power": 1, "proximity": 1, "capability": 1, "resolve": 1}},
         r"unknown \['resolve'\]"),
        ({"weights": {"power": 1}}, r"weights must give all of"),
        ({"weights": [1, 1, 1]}, "weights must have 4 values"),
        ({"weights": [1, 1, float("nan"), 1]}, r"weights\['capability'\]"),
        ({"method": "harmonic"}, r"method must be one of \['additive', 'geometric'\]"),
        ({"eps": 0.0}, r"eps must be a finite number in \(0, 1\)"),
        ({"eps": 1.0}, r"eps must be a finite number in \(0, 1\)"),
    ],
)
def test_threat_score_rejects_bad_weights_method_eps(kwargs, match):
    with pytest.raises(ValueError, match=match):
        threat.threat_score(FULL, **kwargs)
    with pytest.raises(ValueError, match=match):
        threat.threat_breakdown(FULL, **kwargs)


def test_threat_breakdown_adds_up():
    additive = threat.threat_breakdown(FULL)
    assert additive[list(threat.FACTORS)].sum() == pytest.approx(additive["threat"])
    assert additive["power"] == pytest.approx(0.8 / 4)
    geometric = threat.threat_breakdown(FULL, method="geometric")
    assert geometric[list(threat.FACTORS)].sum() == pytest.approx(math.log(geometric["threat"]))
    assert geometric["intent"] == pytest.approx(math.log(0.2) / 4)
    frame = threat.threat_breakdown(pd.DataFrame([FULL, FULL]), method="geometric")
    assert np.allclose(frame["threat"], threat.threat_score(FULL, method="geometric"))


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


# ----------------------------------------------------------------------------- Monte Carlo


def test_weight_sensitivity_is_seeded_and_consistent():
    a = threat.weight_sensitivity("AAA", n_draws=400, seed=7, **toy_kwargs())
    b = threat.weight_sensitivity("AAA", n_draws=400, seed=7, **toy_kwargs())
    c = threat.weight_sensitivity("AAA", n_draws=400, seed=8, **toy_kwargs())
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["threat_mean"].dropna(), c["threat_mean"].dropna())
    ranked = a.dropna(subset=["threat_mean"])
    assert ranked["share_first"].sum() == pytest.approx(1.0)
    assert (ranked["threat_p05"] <= ranked["threat_mean"]).all()
    assert (ranked["threat_mean"] <= ranked["threat_p95"]).all()
    assert a.index[-1] == "DDD" and math.isnan(a.loc["DDD", "threat_mean"])


def test_weight_sensitivity_concentrated_draws_approach_equal_weights():
    s = threat.weight_sensitivity("AAA", n_draws=300, concentration=1e6, **toy_kwargs())
    t = threat.threat_to("AAA", **toy_kwargs())
    common = t.dropna(subset=["threat"]).index
    assert np.allclose(s.loc[common, "threat_mean"], t.loc[common, "threat"], atol=1e-3)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_draws": 0}, "n_draws must be an integer >= 1"),
        ({"n_draws": 2.5}, "n_draws must be an integer >= 1"),
        ({"seed": -1}, "seed must be an integer >= 0"),
        ({"concentration": 0.0}, r"concentration must be a finite number in \(0, inf\)"),
        ({"weights": [1, 1, 1, 1]}, "weights must not be given"),
        ({"method": "max"}, "method must be one of"),
    ],
)
def test_weight_sensitivity_rejects_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        threat.weight_sensitivity("AAA", **toy_kwargs(**kwargs))


@pytest.mark.parametrize("method", threat.AGGREGATIONS)
def test_weight_sensitivity_reuses_a_given_factor_table(method, monkeypatch):
    rebuilt = threat.weight_sensitivity("AAA", n_draws=300, seed=3, concentration=2.0,
                                        method=method, **toy_kwargs())
    table = threat.threat_factors("AAA", **toy_kwargs())

    def no_rebuild(*args, **kwargs):
        raise AssertionError("threat_factors must not be called when factors= is given")

    monkeypatch.setattr("course_lib.threat.sensitivity.threat_factors", no_rebuild)
    reused = threat.weight_sensitivity("AAA", n_draws=300, seed=3, concentration=2.0,
                                       method=method, factors=table)
    pd.testing.assert_frame_equal(reused, rebuilt)


@pytest.mark.parametrize(
    ("factors", "extra", "match"),
    [
        ("table", {"decay": "bdm"}, r"factor keywords \['decay'\] cannot be combined"),
        ([0.5, 0.5], {}, "factors must be a DataFrame from threat_factors"),
        ("no_intent", {}, r"missing \['intent'\]"),
        ("with_observer", {}, "must not list the observer 'AAA'"),
        ("out_of_range", {}, r"factors\[.power.\] must contain finite numbers in \[0, 1\]"),
    ],
)
def test_weight_sensitivity_rejects_bad_factor_tables(factors, extra, match):
    table = threat.threat_factors("AAA", **toy_kwargs())
    if factors == "table":
        factors = table
    elif factors == "no_intent":
        factors = table.drop(columns="intent")
    elif factors == "with_observer":
        factors = table.rename(index={"BBB": "AAA"})
    elif factors == "out_of_range":
        factors = table.assign(power=table["power"] + 2.0)
    with pytest.raises(ValueError, match=match):
        threat.weight_sensitivity("AAA", n_draws=10, factors=factors, **extra)


def test_all_pairs_factors_and_raw_scores():
    pairs = threat.all_pairs_factors(**toy_kwargs())
    assert len(pairs) == 4 * 3
    assert pairs.index.names == ["observer", "source"]
    assert not any(o == s for o, s in pairs.index)
    single = threat.threat_factors("BBB", **toy_kwargs())
    pd.testing.assert_frame_equal(
        pairs.loc["BBB"][list(threat.FACTORS)], single[list(threat.FACTORS)]
    )
    raw = threat.all_pairs_monte_carlo(50, seed=1, factors=pairs, summary=False)
    assert raw.shape == (12, 50)
    incomplete = pairs[list(threat.FACTORS)].isna().any(axis=1).to_numpy()
    assert np.isnan(raw[incomplete]).all() and np.isfinite(raw[~incomplete]).all()
    # column j equals threat_score under draw j's weights
    weights = np.random.default_rng(1).dirichlet(np.ones(4), size=50)
    row = int(np.flatnonzero(~incomplete)[0])
    f = pairs.iloc[row][list(threat.FACTORS)].astype(float).to_dict()
    assert raw[row, 3] == pytest.approx(threat.threat_score(f, weights[3]))
    geo_raw = threat.all_pairs_monte_carlo(50, seed=1, method="geometric", factors=pairs,
                                           summary=False)
    assert geo_raw[row, 3] == pytest.approx(threat.threat_score(f, weights[3], "geometric"))


@pytest.mark.parametrize("method", threat.AGGREGATIONS)
def test_all_pairs_summary_matches_raw_and_weight_sensitivity(method):
    pairs = threat.all_pairs_factors(**toy_kwargs())
    raw = threat.all_pairs_monte_carlo(300, seed=5, method=method, factors=pairs, summary=False)
    summ = threat.all_pairs_monte_carlo(300, seed=5, method=method, factors=pairs, chunk_size=70)
    assert np.allclose(summ["threat_mean"], np.mean(raw, axis=1), equal_nan=True)
    assert np.allclose(summ["threat_sd"], np.std(raw, axis=1), equal_nan=True)
    assert np.allclose(summ["threat_max"], np.max(raw, axis=1), equal_nan=True)
    tops = summ["share_top"].groupby(level="observer").sum()
    # DDD has no military-expenditure figure: under the dyadic scale no source can be scored
    # from its point of view (gaps are not filled), so it has no top threat at all.
    assert np.allclose(tops.drop(index="DDD"), 1.0)
    assert tops["DDD"] == 0.0
    ws = threat.weight_sensitivity("AAA", n_draws=300, seed=5, method=method, **toy_kwargs())
    common = ws.dropna(subset=["share_first"]).index
    assert np.allclose(summ.loc["AAA"].loc[common, "share_top"], ws.loc[common, "share_first"])
    again = threat.all_pairs_monte_carlo(300, seed=5, method=method, factors=pairs)
    pd.testing.assert_frame_equal(summ, again)


def test_all_pairs_monte_carlo_rejects_bad_input():
    pairs = threat.all_pairs_factors(**toy_kwargs())
    for kwargs, match in [
        ({"n_draws": 0}, "n_draws"),
        ({"n_draws": 10, "seed": -3}, "seed"),
        ({"n_draws": 10, "method": "mean"}, "method must be one of"),
        ({"n_draws": 10, "concentration": -1.0}, "concentration"),
        ({"n_draws": 10, "eps": 2.0}, "eps"),
        ({"n_draws": 10, "chunk_size": 0}, "chunk_size"),
        ({"n_draws": 10, "decay": "bdm"}, "cannot be combined with factors="),
    ]:
        with pytest.raises(ValueError, match=match):
            threat.all_pairs_monte_carlo(factors=pairs, **kwargs)
    with pytest.raises(ValueError, match="factors must be a DataFrame from all_pairs_factors"):
        threat.all_pairs_monte_carlo(10, factors=pairs.droplevel(0))


# ------------------------------------------------------------------ the course's real data


@pytest.fixture(scope="module")
def datasets():
    return pytest.importorskip(
        "course_lib.datasets", reason="course_lib.datasets is not available yet"
    )


def test_isr_threat_table_under_default_settings(datasets):
    states = datasets.load_states()
    t = threat.threat_to("ISR")
    assert len(t) == len(states) - 1 and "ISR" not in t.index
    # Iran is the source Israel's coded intentions rate most hostile
    coded = t[t["intent_basis"] == "coded"]
    assert coded["intent"].idxmax() == "IRN"
    # and it is among the top five threats under the defaults (additive, exponential decay)
    assert t.loc["IRN", "rank"] <= 5
    # with intent as the only weighted factor it is the top threat
    intent_only = threat.threat_to("ISR", weights={"power": 0, "proximity": 0, "capability": 0,
                                                   "intent": 1})
    assert intent_only.index[0] == "IRN"
    # Israel's land neighbours count as distance 0
    for code in datasets.neighbours("ISR"):
        assert t.loc[code, "contiguous"] and t.loc[code, "proximity"] == 1.0
    # no military-expenditure figure -> no threat score and no rank (never guessed)
    no_milex = states.index[states["milex_usd_2022"].isna()].drop("ISR", errors="ignore")
    assert t.loc[no_milex, "threat"].isna().all() and t.loc[no_milex, "rank"].isna().all()


def test_isr_compensability_the_us_falls_under_geometric(datasets):
    additive = threat.threat_to("ISR")
    geometric = threat.threat_to("ISR", method="geometric")
    # far away and low intent: the non-compensatory rule scores the US much lower
    assert geometric.loc["USA", "threat"] < additive.loc["USA", "threat"] / 2
    assert geometric.loc["USA", "rank"] > additive.loc["USA", "rank"]


def test_isr_weight_sensitivity_iran_is_first_under_some_weightings(datasets):
    s = threat.weight_sensitivity("ISR", n_draws=1000, seed=0)
    assert 0 < s.loc["IRN", "share_first"] < 1
    assert s["share_first"].sum() == pytest.approx(1.0)


def test_all_pairs_covers_every_ordered_pair(datasets):
    n = len(datasets.load_states())
    pairs = threat.all_pairs_factors()
    assert len(pairs) == n * (n - 1)
    summary = threat.all_pairs_monte_carlo(200, seed=0, factors=pairs)
    complete = pairs[list(threat.FACTORS)].notna().all(axis=1)
    values = summary.loc[complete, ["threat_min", "threat_max"]].to_numpy()
    assert ((values >= 0) & (values <= 1)).all()
