"""Property-based tests (hypothesis) for course_lib.tiers."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from course_lib.tiers import (
    COST_INPUTS,
    INPUTS,
    Tier,
    check_tier_table,
    choose_strategy,
    choose_tier,
    decision_grid,
    tier_for_ratio,
    tier_table,
)

pytestmark = pytest.mark.slow

KEYS = tier_table()["key"].tolist()
DEPTH = {k: i for i, k in enumerate(KEYS)}
BREAKS = (0.5, 1.0, 1.2)
EPS = 1e-6

unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
profiles = st.fixed_dictionaries({name: unit for name in INPUTS})
# A weight is 0 (the input does not count) or at least 1e-3: with a weight of, say, 6e-8 a step of
# EPS in that input moves the cost by ~6e-14, below what a float ratio near a breakpoint resolves,
# so "margin + EPS flips the tier" could not be checked at all (Hypothesis found such a case).
weight = st.one_of(st.just(0.0), st.floats(min_value=1e-3, max_value=10.0, allow_nan=False))
weights = st.fixed_dictionaries({name: weight for name in COST_INPUTS}).filter(
    lambda w: sum(w.values()) > 1e-3
)


def depth(values: dict[str, float], **kw) -> int:
    return DEPTH[choose_tier(**values, **kw).tier]


def _clamp(x: float) -> float:
    return min(max(x, 0.0), 1.0)


# --------------------------------------------------------------------------- monotonicity


@settings(deadline=None)  # timing is not the property under test
@given(profiles, unit, st.sampled_from(["threat", "self_reliance"]), weights)
def test_more_security_need_never_picks_a_shallower_tier(values, other, name, w):
    lo, hi = sorted((values[name], other))
    if name == "threat":  # need rises with threat
        less, more = {**values, name: lo}, {**values, name: hi}
    else:  # need falls with self-reliance
        less, more = {**values, name: hi}, {**values, name: lo}
    assert depth(more, weights=w) >= depth(less, weights=w)


@settings(deadline=None)  # timing is not the property under test
@given(profiles, unit, st.sampled_from(list(COST_INPUTS)), weights)
def test_more_autonomy_cost_never_picks_a_deeper_tier(values, other, name, w):
    lo, hi = sorted((values[name], other))
    cheap, dear = {**values, name: lo}, {**values, name: hi}
    assert depth(dear, weights=w) <= depth(cheap, weights=w)


# --------------------------------------------------------------------------- only R matters


@settings(deadline=None)  # timing is not the property under test (2 shared cores)
@given(profiles, weights)
def test_choice_is_a_function_of_the_ratio_and_maximises_utility(values, w):
    c = choose_tier(**values, weights=w)
    assert c.tier == tier_for_ratio(c.ratio)
    best = max(c.utilities.values())
    assert c.utilities[c.tier] >= best - 1e-9 * max(c.need, c.cost)
    table = tier_table()
    if math.isinf(c.ratio):
        assert c.tier == KEYS[-1]
    elif all(abs(c.ratio - b) > 1e-9 for b in BREAKS):
        # away from a breakpoint the argmax of R*s_k - c_k is unique and is the chosen tier
        per_unit_cost = c.ratio * table["security"] - table["cost"]
        assert KEYS[int(np.argmax(per_unit_cost.to_numpy()))] == c.tier


@settings(deadline=None)  # timing is not the property under test
@given(profiles, st.floats(min_value=0.05, max_value=1.0))
def test_scaling_need_and_cost_together_keeps_the_tier(values, factor):
    # multiplying T and every cost input by the same factor leaves R = N / K unchanged
    c = choose_tier(**values)
    # inputs are rounded to 12 decimals, so keep them large enough for R to survive scaling
    assume(all(values[n] * factor > 1e-4 or values[n] == 0 for n in ("threat", *COST_INPUTS)))
    assume(c.cost > 1e-4 and c.need > 1e-4)
    assume(all(abs(c.ratio - b) > 1e-6 for b in BREAKS))
    scaled = {**values, "threat": values["threat"] * factor}
    scaled.update({name: values[name] * factor for name in COST_INPUTS})
    c2 = choose_tier(**scaled)
    assert c2.ratio == pytest.approx(c.ratio, rel=1e-7)
    assert c2.tier == c.tier


@settings(deadline=None)  # timing is not the property under test
@given(st.floats(min_value=0.0, max_value=50.0, allow_nan=False),
       st.floats(min_value=0.0, max_value=50.0, allow_nan=False))
def test_tier_for_ratio_is_monotone(r1, r2):
    lo, hi = sorted((r1, r2))
    assert DEPTH[tier_for_ratio(lo)] <= DEPTH[tier_for_ratio(hi)]


@settings(deadline=None)  # timing is not the property under test
@given(profiles, weights)
def test_weights_only_matter_through_their_proportions(values, w):
    scaled = {k: v * 7.0 for k, v in w.items()}
    a = choose_tier(**values, weights=w)
    b = choose_tier(**values, weights=scaled)
    assert a.cost == pytest.approx(b.cost, abs=1e-12)
    assume(all(abs(a.ratio - x) > 1e-9 for x in BREAKS))
    assert a.tier == b.tier


# --------------------------------------------------------------------------- flip margins


def check_flip_margins(values, w, table=None):
    """Moving an input by margin + EPS changes the tier (to or past ``to_tier_*``); by
    margin - EPS it does not; ``None`` means even the edge of [0, 1] keeps the tier."""
    keys = tier_table(table)["key"].tolist()
    depth_of = {k: i for i, k in enumerate(keys)}
    base = choose_tier(**values, weights=w, table=table)
    here = depth_of[base.tier]
    for name in INPUTS:
        fm = base.flip_margins[name]
        raises_need = name == "threat"
        for direction, margin, to in (("down", fm.down, fm.to_tier_down),
                                      ("up", fm.up, fm.to_tier_up)):
            sign = -1.0 if direction == "down" else 1.0
            if margin is None:
                assert to is None
                edge = 0.0 if direction == "down" else 1.0
                assert choose_tier(**{**values, name: edge}, weights=w, table=table).tier == (
                    base.tier)
                continue
            x = values[name]
            assert 0.0 <= margin <= (x if direction == "down" else 1.0 - x) + 1e-12
            # more need (threat up, self-reliance down) or less cost (a cost input down)
            # leads to a deeper tier
            deeper = direction == ("up" if raises_need else "down")
            assert (depth_of[to] > here) == deeper
            beyond = choose_tier(**{**values, name: _clamp(x + sign * (margin + EPS))},
                                 weights=w, table=table)
            there = depth_of[beyond.tier]
            # the first tier reached lies between the current tier and the one found beyond
            if deeper:
                assert here < depth_of[to] <= there
            else:
                assert here > depth_of[to] >= there
            if margin > EPS:
                short = choose_tier(**{**values, name: x + sign * (margin - EPS)}, weights=w,
                                    table=table)
                assert short.tier == base.tier


@settings(max_examples=150, deadline=None)
@given(profiles, weights)
def test_flip_margins_are_consistent(values, w):
    check_flip_margins(values, w)


# --------------------------------------------------------------------------- tables and grids


@st.composite
def tables(draw):
    n = draw(st.integers(min_value=2, max_value=6))
    s = sorted(draw(st.lists(st.integers(1, 1000), min_size=n - 1, max_size=n - 1, unique=True)))
    c = sorted(draw(st.lists(st.integers(1, 1000), min_size=n - 1, max_size=n - 1, unique=True)))
    rows = [Tier("t0", "T0", 0.0, 0.0)]
    rows += [Tier(f"t{i + 1}", f"T{i + 1}", s[i] / 1000, c[i] / 1000) for i in range(n - 1)]
    return tuple(rows)


@settings(max_examples=100, deadline=None)
@given(profiles, weights, tables())
def test_flip_margins_are_consistent_for_any_valid_table(values, w, table):
    check_flip_margins(values, w, table)


@settings(max_examples=150, deadline=None)
@given(tables(), st.floats(min_value=0.0, max_value=100.0, allow_nan=False))
def test_tier_for_ratio_is_the_argmax_and_never_a_dominated_tier(table, ratio):
    report = check_tier_table(table)
    chosen = tier_for_ratio(ratio, table=table)
    assert chosen not in report.dominated
    assert set(report.choosable) | set(report.dominated) == {t.key for t in table}
    util = {t.key: ratio * t.security - t.cost for t in table}
    best = max(util.values())
    assert util[chosen] >= best - 1e-9
    # neighbour breakpoints not increasing <=> some tier is dominated
    b = report.neighbour_breakpoints
    increasing = all(b2 > b1 for b1, b2 in zip(b, b[1:], strict=False))
    assert increasing == (report.dominated == ())


@settings(max_examples=60, deadline=None)
@given(st.lists(unit, min_size=1, max_size=6), st.lists(unit, min_size=1, max_size=6),
       unit, unit, unit, weights)
def test_decision_grid_equals_choose_tier(ts, as_, s, e, d, w):
    grid = decision_grid(ts, as_, self_reliance=s, entrapment=e, dominance=d, weights=w)
    assert grid.shape == (len(ts), len(as_))
    for i, t in enumerate(ts):
        for j, a in enumerate(as_):
            assert KEYS[grid[i, j]] == choose_tier(t, s, a, e, d, weights=w).tier


# Refusing inputs outside [0, 1] is the fuzz's job (tests/test_fuzz_public_api.py).


@settings(deadline=None)  # timing is not the property under test
@given(unit, unit, unit, st.booleans(), st.booleans(), st.booleans())
def test_strategy_is_always_one_of_the_five_and_explained(t, cap, res, p, dom, bc):
    s = choose_strategy(t, cap, res, partner_available=p, partner_can_dominate=dom,
                        buck_catcher_available=bc)
    assert s.strategy in {"no response needed", "balance", "buck-pass",
                          "partly balance, partly buck-pass", "bandwagon"}
    assert s.reasons and all(isinstance(r, str) and r for r in s.reasons)
    if s.strategy == "bandwagon":
        assert not p
    if s.strategy in ("buck-pass", "partly balance, partly buck-pass"):
        assert bc or p
    if any("Walt" in w for w in s.warnings):
        assert p and dom


def test_hypothesis_profiles_reach_every_tier():
    # sanity check that the strategies above explore the whole tier range
    reached = {choose_tier(t, 0.2, a, 0.3, 0.2).tier
               for t in np.linspace(0, 1, 11) for a in np.linspace(0, 1, 11)}
    assert reached == set(KEYS)
