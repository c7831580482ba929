"""Tests for course_lib.tiers: decision_grid and decision_frame."""

from __future__ import annotations

import math

import numpy as np
import pytest

from course_lib.tiers import (
    choose_tier,
    decision_frame,
    decision_grid,
)
from tests.tiers.tier_helpers import KEYS

# --------------------------------------------------------------------------- decision grid


def test_decision_grid_matches_choose_tier_everywhere():
    ts = np.linspace(0, 1, 23)
    as_ = np.linspace(0, 1, 17)
    kw = dict(self_reliance=0.3, entrapment=0.25, dominance=0.4)
    grid = decision_grid(ts, as_, **kw)
    assert grid.shape == (23, 17) and grid.dtype.kind == "i"
    for i, t in enumerate(ts):
        for j, a in enumerate(as_):
            assert KEYS[grid[i, j]] == choose_tier(t, kw["self_reliance"], a, kw["entrapment"],
                                                   kw["dominance"]).tier
    assert set(np.unique(grid).tolist()) == {0, 1, 2, 3}
    # more threat never shallower, more autonomy never deeper
    assert (np.diff(grid, axis=0) >= 0).all()
    assert (np.diff(grid, axis=1) <= 0).all()


def test_decision_grid_handles_exact_ties_like_choose_tier():
    # K = (A + 0.5 + 0.5) / 3, N = T; at T = 0.5, A = 0.5 we get R = 1.0 exactly.
    grid = decision_grid([0.5], [0.5], self_reliance=0.0, entrapment=0.5, dominance=0.5)
    assert grid[0, 0] == KEYS.index(choose_tier(0.5, 0.0, 0.5, 0.5, 0.5).tier) == 1


def test_decision_frame_labels_axes_with_keys():
    df = decision_frame([0.1, 0.9], [0.2, 0.8], self_reliance=0.2, entrapment=0.3,
                        dominance=0.2)
    assert df.index.name == "threat" and df.columns.name == "autonomy"
    assert df.index.tolist() == [0.1, 0.9] and df.columns.tolist() == [0.2, 0.8]
    assert df.loc[0.9, 0.2] == choose_tier(0.9, 0.2, 0.2, 0.3, 0.2).tier
    assert df.loc[0.1, 0.8] == "none"


@pytest.mark.parametrize(
    ("threats", "autonomies", "match"),
    [
        ([0.1, math.nan], [0.5], r"threat_values must contain finite numbers in \[0, 1\]"),
        ([0.1], [1.5], r"autonomy_values must contain finite numbers in \[0, 1\]"),
        ([], [0.5], "threat_values must be a non-empty 1-D"),
        ([[0.1, 0.2]], [0.5], "threat_values must be a non-empty 1-D"),
        (["a"], [0.5], "threat_values must contain finite numbers in .*got 'a' at position 0"),
        ("0.5", [0.5], "threat_values must be a number or an array of numbers"),
        ([True], [0.5], "threat_values must contain finite numbers .*got True"),
    ],
)
def test_decision_grid_rejects_bad_axes(threats, autonomies, match):
    with pytest.raises(ValueError, match=match):
        decision_grid(threats, autonomies, self_reliance=0.2, entrapment=0.2, dominance=0.2)


def test_decision_grid_rejects_bad_fixed_inputs():
    with pytest.raises(ValueError, match=r"self_reliance must be a finite number in \[0, 1\]"):
        decision_grid([0.5], [0.5], self_reliance=2.0, entrapment=0.2, dominance=0.2)
    with pytest.raises(ValueError, match="dominance"):
        decision_grid([0.5], [0.5], self_reliance=0.2, entrapment=0.2, dominance=math.nan)
