"""Helpers shared by the tier tests: clamp one input, check flip margins against the model."""

from __future__ import annotations

from course_lib.tiers import INPUTS, choose_tier

#: Tier keys of the default table, shallow to deep.
KEYS = ["none", "ad_hoc", "partnership", "alliance"]
EPS = 1e-6


def _with(values: dict[str, float], name: str, x: float) -> dict[str, float]:
    return {**values, name: min(max(x, 0.0), 1.0)}


def assert_margins_consistent(values: dict[str, float], **kw) -> None:
    """Moving an input by margin + EPS changes the tier; by margin - EPS it does not."""
    base = choose_tier(**values, **kw)
    for name in INPUTS:
        fm = base.flip_margins[name]
        for direction, margin, to in (("down", fm.down, fm.to_tier_down),
                                      ("up", fm.up, fm.to_tier_up)):
            sign = -1.0 if direction == "down" else 1.0
            edge = 0.0 if direction == "down" else 1.0
            if margin is None:
                assert to is None
                moved = choose_tier(**_with(values, name, edge), **kw)
                assert moved.tier == base.tier, (name, direction)
                continue
            assert margin >= 0 and to is not None and to != base.tier
            beyond = choose_tier(**_with(values, name, values[name] + sign * (margin + EPS)), **kw)
            assert beyond.tier != base.tier, (name, direction, margin)
            if margin > EPS:
                short = choose_tier(**_with(values, name, values[name] + sign * (margin - EPS)),
                                    **kw)
                assert short.tier == base.tier, (name, direction, margin)
