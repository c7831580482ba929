"""Tests for course_lib.threat: Aggregation: threat_score and threat_breakdown."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from course_lib import threat
from tests.threat.threat_toy import FULL

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
