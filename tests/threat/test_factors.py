"""Tests for course_lib.threat: nuclear status, the capability factor and the proximity factor."""

from __future__ import annotations

import math

import numpy as np
import pytest

from course_lib import threat

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
        (None, False),
        # negated phrases are not read as their opposite (issue 9)
        ("not nuclear-armed", False),
        ("not a nuclear-armed state", False),
        ("non-nuclear-armed state", False),
        ("formerly nuclear-armed (warheads transferred to Russia in 1994)", False),
        ("nuclear-armed; not an NPT party", True),
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


def test_capability_factor_needs_one_positive_figure_and_one_flag_per_state():
    """What the fuzz of single arguments cannot draw (tests/test_fuzz_public_api.py)."""
    with pytest.raises(ValueError, match="positive"):
        threat.capability_factor([0.0, np.nan], [False, False])
    with pytest.raises(ValueError, match="same shape"):
        threat.capability_factor([1.0, 2.0], [False])
    assert threat.capability_factor([1.0, 2.0], [False, np.False_]).tolist() == [0.375, 0.75]


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


def test_proximity_factor_under_bdm_needs_a_power_share():
    with pytest.raises(ValueError, match="power_share must be given"):
        threat.proximity_factor(10.0, decay="bdm")


def test_proximity_factor_names_shapes_that_do_not_broadcast():
    with pytest.raises(ValueError, match=r"distance_km and power_share must have shapes"):
        threat.proximity_factor([1.0, 2.0, 3.0], [0.1, 0.2], decay="bdm")
