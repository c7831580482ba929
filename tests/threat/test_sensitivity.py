"""Tests for course_lib.threat: Monte Carlo over weights: weight_sensitivity and all pairs."""

from __future__ import annotations

import math
import tracemalloc

import numpy as np
import pandas as pd
import pytest

from course_lib import threat
from tests.threat.threat_toy import toy_kwargs

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
        ({"n_draws": 0}, r"n_draws must be an integer in \[1, 50000000\], got 0"),
        ({"n_draws": 2.5}, r"n_draws must be an integer in \[1, 50000000\], got 2.5"),
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


def test_all_pairs_monte_carlo_refuses_too_many_scores_before_allocating():
    """all_pairs_monte_carlo(10**9) used to run out of memory (issue 9)."""
    pairs = threat.all_pairs_factors(**toy_kwargs())  # 12 pairs
    limit = threat.MAX_PAIR_DRAWS // len(pairs)
    assert limit == 4_166_666
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match=r"n_draws must be an integer in \[1, 50000000\], "
                                             r"got 1000000000"):
            threat.all_pairs_monte_carlo(10**9)
        with pytest.raises(ValueError, match=r"n_draws must be at most 4,166,666 for 12 pairs "
                                             r"\(n_draws x pairs <= MAX_PAIR_DRAWS"):
            threat.all_pairs_monte_carlo(limit + 1, factors=pairs)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 10 * 2**20  # nothing of the size of the draws (10**9 x 4 floats) was made
    assert threat.all_pairs_monte_carlo(10, factors=pairs).shape == (12, 5)


def test_weight_sensitivity_refuses_too_many_scores():
    with pytest.raises(ValueError, match=r"n_draws must be at most 16,666,666 for 3 sources"):
        threat.weight_sensitivity("AAA", n_draws=20_000_000, **toy_kwargs())


def test_samplers_refuse_unknown_keywords_in_one_line():
    with pytest.raises(ValueError, match=r"keywords \['lamda_km'\] are not taken by "
                                         r"threat_factors"):
        threat.weight_sensitivity("AAA", n_draws=10, lamda_km=100.0, **toy_kwargs())
    with pytest.raises(ValueError, match=r"keywords \['bogus'\] are not taken by "
                                         r"all_pairs_factors"):
        threat.all_pairs_monte_carlo(10, bogus=1)
