"""Property tests (hypothesis) for the threat model: monotonicity and bounds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib import geo, threat

pytestmark = pytest.mark.slow

unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
weight = st.floats(min_value=0.0, max_value=10.0, allow_nan=False)
distance = st.floats(min_value=0.0, max_value=20_000.0, allow_nan=False)
share = st.floats(min_value=1e-6, max_value=0.999, allow_nan=False)
methods = st.sampled_from(threat.AGGREGATIONS)
factor_name = st.sampled_from(("power", "capability", "intent"))


@st.composite
def weights(draw):
    w = draw(st.lists(weight, min_size=4, max_size=4))
    if sum(w) == 0:
        w[draw(st.integers(0, 3))] = 1.0
    return w


@st.composite
def factor_dicts(draw):
    return {name: draw(unit) for name in threat.FACTORS}


@settings(max_examples=300, deadline=None)
@given(factor_dicts(), weights(), methods, factor_name, unit)
def test_raising_power_capability_or_intent_never_lowers_threat(f, w, method, name, bump):
    before = threat.threat_score(f, w, method)
    raised = dict(f, **{name: f[name] + (1.0 - f[name]) * bump})
    after = threat.threat_score(raised, w, method)
    assert after >= before - 1e-12
    assert 0.0 <= before <= 1.0 + 1e-12


@settings(max_examples=200, deadline=None)
@given(
    distance, distance, share,
    st.sampled_from(threat.DECAYS),
    st.floats(min_value=10.0, max_value=1e5),
)
def test_more_distance_never_raises_proximity(d1, d2, s, decay, lam):
    near, far = sorted((d1, d2))
    p_near = threat.proximity_factor(near, s, decay=decay, lambda_km=lam)
    p_far = threat.proximity_factor(far, s, decay=decay, lambda_km=lam)
    assert 0.0 <= p_far <= p_near + 1e-12 <= 1.0 + 2e-12


@settings(max_examples=200, deadline=None)
@given(
    factor_dicts(), weights(), methods, distance, distance, share, st.sampled_from(threat.DECAYS)
)
def test_more_distance_never_raises_threat(f, w, method, d1, d2, s, decay):
    near, far = sorted((d1, d2))
    scores = []
    for d in (near, far):
        g = dict(f, proximity=threat.proximity_factor(d, s, decay=decay))
        scores.append(threat.threat_score(g, w, method))
    assert scores[1] <= scores[0] + 1e-12


@settings(max_examples=200, deadline=None)
@given(share, distance, distance)
def test_bdm_discount_never_grows_with_distance(s, d1, d2):
    near, far = sorted((d1, d2))
    assert geo.bdm_discount(s, far) <= geo.bdm_discount(s, near) + 1e-15


@settings(max_examples=200, deadline=None)
@given(
    st.floats(-90, 90), st.floats(-180, 180), st.floats(-90, 90), st.floats(-180, 180),
)
def test_great_circle_symmetric_and_bounded(lat1, lon1, lat2, lon2):
    ab = geo.great_circle_km(lat1, lon1, lat2, lon2)
    ba = geo.great_circle_km(lat2, lon2, lat1, lon1)
    assert abs(ab - ba) < 1e-6
    assert 0.0 <= ab <= np.pi * geo.EARTH_RADIUS_KM + 1e-6


# ------------------------------------------------------ through the whole factor construction


@st.composite
def systems(draw):
    """A random 4-state system with positive data and random capitals."""
    n = 4
    positive = st.floats(min_value=1.0, max_value=1e6, allow_nan=False)
    states = pd.DataFrame(
        {
            "name": [f"S{i}" for i in range(n)],
            "lat": draw(st.lists(st.floats(-60, 60), min_size=n, max_size=n)),
            "lon": draw(st.lists(st.floats(-170, 170), min_size=n, max_size=n)),
            "milex_usd_2022": draw(st.lists(positive, min_size=n, max_size=n)),
            "armed_forces_personnel": draw(st.lists(positive, min_size=n, max_size=n)),
            "population_2022": draw(st.lists(positive, min_size=n, max_size=n)),
            "gdp_usd_2022": draw(st.lists(positive, min_size=n, max_size=n)),
            "nuclear_status": draw(
                st.lists(
                    st.sampled_from(["NPT nuclear-weapon state", "NPT non-nuclear-weapon state"]),
                    min_size=n,
                    max_size=n,
                )
            ),
        },
        index=pd.Index(["AAA", "BBB", "CCC", "DDD"], name="iso3"),
    )
    intents = draw(st.lists(unit, min_size=3, max_size=3))
    coded = pd.DataFrame({"observer": ["AAA"] * 3, "source": ["BBB", "CCC", "DDD"],
                          "score": intents})
    return states, coded


#: AAA and DDD share a land border (DDD is then always at distance 0 from AAA).
BORDERS = pd.DataFrame({"iso3_a": ["AAA"], "iso3_b": ["DDD"]})


@settings(max_examples=60, deadline=None)
@given(
    systems(), methods, st.sampled_from(threat.DECAYS),
    st.sampled_from(["milex_usd_2022", "armed_forces_personnel", "population_2022",
                     "gdp_usd_2022"]),
    st.floats(min_value=1.0, max_value=100.0), st.sampled_from(["BBB", "CCC", "DDD"]),
)
def test_more_resources_never_lower_a_sources_threat(system, method, decay, column, factor, src):
    states, coded = system
    kwargs = {"borders": BORDERS, "coded_intentions": coded, "method": method,
              "decay": decay}
    before = threat.threat_to("AAA", states=states, **kwargs).loc[src, "threat"]
    richer = states.copy()
    richer.loc[src, column] *= factor
    after = threat.threat_to("AAA", states=richer, **kwargs).loc[src, "threat"]
    assert after >= before - 1e-9


@settings(max_examples=60, deadline=None)
@given(systems(), methods, st.sampled_from(threat.DECAYS), st.sampled_from(["BBB", "CCC"]),
       st.floats(min_value=0.0, max_value=1.0))
def test_moving_a_capital_away_never_raises_its_threat(system, method, decay, src, step):
    states, coded = system
    kwargs = {"borders": BORDERS, "coded_intentions": coded, "method": method,
              "decay": decay}
    # put the observer at (0, 0) and the source on the equator; moving it east adds distance
    placed = states.copy()
    placed.loc["AAA", ["lat", "lon"]] = [0.0, 0.0]
    placed.loc[src, ["lat", "lon"]] = [0.0, 10.0]
    farther = placed.copy()
    farther.loc[src, "lon"] = 10.0 + 160.0 * step
    near = threat.threat_to("AAA", states=placed, **kwargs).loc[src]
    far = threat.threat_to("AAA", states=farther, **kwargs).loc[src]
    assert far["distance_km"] >= near["distance_km"]
    assert far["proximity"] <= near["proximity"] + 1e-12
    assert far["threat"] <= near["threat"] + 1e-12
