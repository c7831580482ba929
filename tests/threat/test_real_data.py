"""Tests for course_lib.threat: The threat model on the course's packaged data."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from course_lib import datasets, threat

# ------------------------------------------------------------------ the course's real data


def test_isr_threat_table_under_default_settings():
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


def test_isr_compensability_the_us_falls_under_geometric():
    additive = threat.threat_to("ISR")
    geometric = threat.threat_to("ISR", method="geometric")
    # far away and low intent: the non-compensatory rule scores the US much lower
    assert geometric.loc["USA", "threat"] < additive.loc["USA", "threat"] / 2
    assert geometric.loc["USA", "rank"] > additive.loc["USA", "rank"]


def test_isr_weight_sensitivity_iran_is_first_under_some_weightings():
    s = threat.weight_sensitivity("ISR", n_draws=1000, seed=0)
    assert 0 < s.loc["IRN", "share_first"] < 1
    assert s["share_first"].sum() == pytest.approx(1.0)


def test_all_pairs_covers_every_ordered_pair():
    n = len(datasets.load_states())
    pairs = threat.all_pairs_factors()
    assert len(pairs) == n * (n - 1)
    summary = threat.all_pairs_monte_carlo(200, seed=0, factors=pairs)
    complete = pairs[list(threat.FACTORS)].notna().all(axis=1)
    values = summary.loc[complete, ["threat_min", "threat_max"]].to_numpy()
    assert ((values >= 0) & (values <= 1)).all()


@pytest.mark.parametrize("observer", ["SYR", "ARE", "LBY", "YEM"])
def test_observers_without_spending_warn_and_max_scale_scores_them(observer):
    """Used to give all-NaN tables without a word (issue 9): now a warning says why."""
    assert np.isnan(datasets.load_states().loc[observer, "milex_usd_2022"])
    with pytest.warns(UserWarning, match=rf"observer '{observer}' has no military-expenditure "
                                         r"figure .*scale=\"max\""):
        table = threat.threat_to(observer)
    assert table["threat"].isna().all() and table["rank"].isna().all()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning: the max scale needs no observer spending
        scored = threat.threat_to(observer, scale="max")
    assert scored["threat"].notna().sum() >= 45 and scored["rank"].min() == 1
