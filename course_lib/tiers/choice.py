"""Choosing a tier for one state: flip margins, reasons and ``choose_tier``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from course_lib.tiers.model import (
    Breakpoint,
    FlipMargin,
    TierChoice,
    _cost,
    _cost_terms,
    _need,
    _scalar_ratio,
)
from course_lib.tiers.parameters import COST_INPUTS, INPUTS, CostWeights, _unit
from course_lib.tiers.table import _Ladder, _ladder, _weights

__all__ = ['choose_tier']

def _margins(
    values: dict[str, float], w: tuple[float, float, float], lad: _Ladder, level: int
) -> dict[str, FlipMargin]:
    """Exact flip margins for each input (closed form from the breakpoints on R)."""
    keys = lad.keys
    top = len(lad.choosable) - 1
    t, s = values["threat"], values["self_reliance"]
    a, e, d = values["autonomy"], values["entrapment"], values["dominance"]
    n = _need(t, s)
    k = _cost(a, e, d, w)
    b_low = lad.breaks[level - 1] if level > 0 else None
    b_up = lad.breaks[level] if level < top else None
    lower = keys[lad.choosable[level - 1]] if level > 0 else None
    upper = keys[lad.choosable[level + 1]] if level < top else None
    first, last = keys[lad.choosable[0]], keys[lad.choosable[top]]

    def level_at(**changed: float) -> int:
        v = {**values, **changed}
        r = _scalar_ratio(
            _need(v["threat"], v["self_reliance"]),
            _cost(v["autonomy"], v["entrapment"], v["dominance"], w),
        )
        return lad.level(r)

    def confirm(name: str, edge: float) -> bool:
        # R is monotone in each input, so the tier changes somewhere between the input and the
        # edge of [0, 1] iff it differs at the edge. Deciding *whether* a switch exists with the
        # model itself keeps margins consistent with choose_tier even at exact ties; the closed
        # form below gives *where* it is.
        return level_at(**{name: edge}) != level

    def clip(distance: float, limit: float) -> float:
        return min(max(distance, 0.0), limit)

    out: dict[str, FlipMargin] = {}

    # --- threat: R = T (1 - S) / K, increasing in T --------------------------------------
    down = up = None
    to_down = to_up = None
    if s < 1.0:
        if k == 0.0:
            # R = inf for T > 0 and 0 at T = 0: the only switch is at T = 0.
            if level != 0 and confirm("threat", 0.0):
                down, to_down = t, first
            if level != top and confirm("threat", 1.0):
                up, to_up = 0.0, last
        else:
            # R crosses breakpoint b at T = b K / (1 - S)
            if b_low is not None and confirm("threat", 0.0):
                down, to_down = clip(t - b_low * k / (1.0 - s), t), lower
            if b_up is not None and confirm("threat", 1.0):
                up, to_up = clip(b_up * k / (1.0 - s) - t, 1.0 - t), upper
    out["threat"] = FlipMargin(down, up, to_down, to_up)

    # --- self_reliance: R = T (1 - S) / K, decreasing in S -------------------------------
    down = up = None
    to_down = to_up = None
    if t > 0.0:
        if k == 0.0:
            # R = inf for S < 1 and 0 at S = 1: the only switch is at S = 1.
            if level != 0 and confirm("self_reliance", 1.0):
                up, to_up = 1.0 - s, first
            if level != top and confirm("self_reliance", 0.0):
                down, to_down = 0.0, last
        else:
            # R crosses breakpoint b at S = 1 - b K / T
            if b_low is not None and confirm("self_reliance", 1.0):
                up, to_up = clip(1.0 - b_low * k / t - s, 1.0 - s), lower
            if b_up is not None and confirm("self_reliance", 0.0):
                down, to_down = clip(s - (1.0 - b_up * k / t), s), upper
    out["self_reliance"] = FlipMargin(down, up, to_down, to_up)

    # --- autonomy, entrapment, dominance: K = sum w_i x_i, R decreasing in each ------------
    for i, name in enumerate(COST_INPUTS):
        down = up = None
        to_down = to_up = None
        wi = w[i]
        x = values[name]
        if wi > 0.0 and n > 0.0:
            # R crosses breakpoint b where K = N / b, i.e. x = (N / b - K_rest) / w_x
            k_rest = sum(w[j] * values[other] for j, other in enumerate(COST_INPUTS) if j != i)
            if b_low is not None and confirm(name, 1.0):
                up, to_up = clip((n / b_low - k_rest) / wi - x, 1.0 - x), lower
            if b_up is not None and confirm(name, 0.0):
                down, to_down = clip(x - (n / b_up - k_rest) / wi, x), upper
        out[name] = FlipMargin(down, up, to_down, to_up)
    return out


def _fmt(x: float) -> str:
    return "inf" if math.isinf(x) else f"{x:.3g}"


def _reasons(
    values: dict[str, float],
    w: tuple[float, float, float],
    lad: _Ladder,
    level: int,
    n: float,
    k: float,
    r: float,
) -> tuple[str, ...]:
    t, s = values["threat"], values["self_reliance"]
    out = []
    if n == 0.0:
        why = "there is no threat" if t == 0.0 else "the state can meet the whole threat alone"
        out.append(
            f"The security need is 0 because {why} (N = T x (1 - S) = {t:.2f} x {1 - s:.2f})."
        )
    else:
        out.append(
            f"The security need is N = {n:.3f}: a threat of {t:.2f}, of which the state cannot "
            f"cover {1 - s:.0%} with its own means (self-reliance {s:.2f})."
        )
    terms = _cost_terms(values, w)
    if k == 0.0:
        out.append("The autonomy cost is 0: no weighted cost term is above zero.")
    else:
        top = max(terms, key=lambda name: terms[name])
        parts = ", ".join(f"{name} {terms[name]:.3f}" for name in COST_INPUTS)
        out.append(
            f"The autonomy cost is K = {k:.3f} ({parts}); the largest term is {top} "
            f"({terms[top] / k:.0%} of the cost)."
        )
    if n == 0.0:
        out.append("With nothing to gain from security support, R = 0 and no commitment is worth "
                   "its cost (ties go to the shallower tier).")
    elif k == 0.0:
        out.append("With a positive need and no autonomy cost, R is infinite: security is free, "
                   "so the deepest tier that can be chosen wins.")
    else:
        out.append(f"The ratio of need to cost is R = N/K = {r:.3f}; only this ratio matters.")
    tiers = lad.tiers
    cur = tiers[lad.choosable[level]]
    if level > 0:
        lo = tiers[lad.choosable[level - 1]]
        b = lad.breaks[level - 1]
        out.append(
            f"{cur.label} beats {lo.label} because R = {_fmt(r)} exceeds their breakpoint {b:.3g}: "
            f"the extra security ({cur.security - lo.security:.2g}) is worth its extra autonomy "
            f"cost ({cur.cost - lo.cost:.2g})."
        )
    if level < len(lad.choosable) - 1:
        hi = tiers[lad.choosable[level + 1]]
        b = lad.breaks[level]
        out.append(
            f"{cur.label} beats {hi.label} because R = {_fmt(r)} does not exceed their breakpoint "
            f"{b:.3g}: the extra security ({hi.security - cur.security:.2g}) is not worth the "
            f"extra autonomy cost ({hi.cost - cur.cost:.2g})."
        )
    dominated = [tiers[i].label for i in range(len(tiers)) if i not in lad.choosable]
    if dominated:
        out.append("Never chosen with this table (dominated): " + ", ".join(dominated) + ".")
    return tuple(out)


def choose_tier(
    threat: float,
    self_reliance: float,
    autonomy: float,
    entrapment: float,
    dominance: float,
    *,
    weights: Mapping[str, float] | CostWeights | None = None,
    table: Any = None,
) -> TierChoice:
    """Choose the tier of alignment that best trades security against freedom of decision.

    Parameters
    ----------
    threat, self_reliance, autonomy, entrapment, dominance : float
        Judgements in [0, 1] (see the module docstring for their meaning and sources).
    weights : mapping or CostWeights, optional
        Weights of autonomy, entrapment and dominance in the cost; non-negative, not all zero,
        normalised to sum 1. ``None`` uses :data:`DEFAULT_WEIGHTS` (equal).
    table : None, pandas.DataFrame or sequence of Tier
        Tier table; ``None`` for :data:`TIERS`.

    Returns
    -------
    TierChoice
        Tier key and label, need ``N``, cost ``K``, ratio ``R``, utilities
        ``N*s_k - K*c_k`` per tier, breakpoints between choosable tiers, plain-English reasons
        and exact flip margins for each input.

    Examples
    --------
    >>> c = choose_tier(0.95, 0.5, 0.9, 0.35, 0.05)      # the course's stylised Israel
    >>> c.tier, round(c.need, 3), round(c.cost, 3), round(c.ratio, 3)
    ('partnership', 0.475, 0.433, 1.096)
    >>> fm = c.flip_margins["autonomy"]    # even autonomy 1.0 keeps the partnership
    >>> round(fm.down, 4), fm.to_tier_down, fm.up
    (0.1125, 'alliance', None)
    >>> choose_tier(0.5, 0.0, 0.0, 0.0, 0.0).tier      # need but no cost: deepest tier
    'alliance'
    >>> choose_tier(float("nan"), 0.5, 0.5, 0.5, 0.5)
    Traceback (most recent call last):
    ...
    ValueError: threat must be a finite number in [0, 1], got nan
    """
    values = {
        name: _unit(v, name)
        for name, v in zip(INPUTS, (threat, self_reliance, autonomy, entrapment, dominance),
                           strict=True)
    }
    w = _weights(weights)
    lad = _ladder(table)
    n = float(_need(values["threat"], values["self_reliance"]))
    k = float(_cost(values["autonomy"], values["entrapment"], values["dominance"], w))
    r = _scalar_ratio(n, k)
    level = lad.level(r)
    chosen = lad.tiers[lad.choosable[level]]
    utilities = {t.key: n * t.security - k * t.cost for t in lad.tiers}
    bps = tuple(
        Breakpoint(lad.keys[lad.choosable[i]], lad.keys[lad.choosable[i + 1]], b)
        for i, b in enumerate(lad.breaks)
    )
    return TierChoice(
        tier=chosen.key,
        label=chosen.label,
        need=n,
        cost=k,
        ratio=r,
        utilities=utilities,
        breakpoints=bps,
        reasons=_reasons(values, w, lad, level, n, k, r),
        flip_margins=_margins(values, w, lad, level),
        inputs=values,
        weights=w,
    )


