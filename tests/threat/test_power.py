"""Tests for course_lib.threat: CINC (Singer, Bremer & Stuckey 1972) and the power index."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from course_lib import threat
from tests.threat.threat_toy import toy_states

#: COW National Material Capabilities v6.0 (abridged), inside the reference data folder.
NMC_FILE = "raw/NMC-60-abridged.csv"


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


def test_cinc_reproduces_nmc_v6_2016(reference_data):
    """COW's own CINC of 2016 (NMC v6.0, the publisher's file among the reference data)."""
    path = reference_data / NMC_FILE
    assert path.is_file(), f"COURSE_REFERENCE_DATA has no {NMC_FILE}"
    nmc = pd.read_csv(path)
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
