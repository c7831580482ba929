"""The model shared by ``choose_tier`` and the decision grid: need, cost, ratio, bands.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from course_lib.tiers.parameters import COST_INPUTS, _is_real
from course_lib.tiers.table import _ladder

__all__ = ['Breakpoint', 'FlipMargin', 'TierChoice', 'tier_for_ratio']

# ---------------------------------------------------------------------------------------------
# The model (shared by choose_tier and decision_grid so both give identical answers)
# ---------------------------------------------------------------------------------------------


def _need(threat: Any, self_reliance: Any) -> Any:
    return threat * (1.0 - self_reliance)


def _cost(autonomy: Any, entrapment: Any, dominance: Any, w: tuple[float, float, float]) -> Any:
    return w[0] * autonomy + w[1] * entrapment + w[2] * dominance


def _ratio(need: np.ndarray, cost: np.ndarray) -> np.ndarray:
    """R = N/K rounded to 12 decimals; R = 0 where N = 0, R = inf where N > 0 and K = 0."""
    need = np.asarray(need, dtype=float)
    cost = np.asarray(cost, dtype=float)
    safe = np.where(cost > 0, cost, 1.0)
    with np.errstate(over="ignore"):
        r = np.round(np.where(cost > 0, need / safe, np.inf), 12)
    return np.where(need > 0, r, 0.0)


def _scalar_ratio(need: float, cost: float) -> float:
    return float(_ratio(np.asarray(need), np.asarray(cost)))


@dataclass(frozen=True)
class Breakpoint:
    """Ratio ``R`` above which tier ``upper`` beats tier ``lower`` (they tie at ``ratio``)."""

    lower: str
    upper: str
    ratio: float


@dataclass(frozen=True)
class FlipMargin:
    """How far one input must move, others fixed, before the chosen tier changes.

    ``down``/``up`` are distances (>= 0) on the input's 0-1 scale, or ``None`` if no move within
    [0, 1] changes the tier. A move by *more* than the margin changes the tier; a move by less
    does not. (At exactly the margin the two tiers tie, and ties go to the shallower tier.)
    ``to_tier_down``/``to_tier_up`` name the tier reached first.
    """

    down: float | None
    up: float | None
    to_tier_down: str | None
    to_tier_up: str | None


@dataclass(frozen=True)
class TierChoice:
    """Result of :func:`choose_tier`: the chosen tier and everything needed to explain it."""

    tier: str
    label: str
    need: float
    cost: float
    ratio: float
    utilities: dict[str, float]
    breakpoints: tuple[Breakpoint, ...]
    reasons: tuple[str, ...]
    flip_margins: dict[str, FlipMargin]
    inputs: dict[str, float] = field(default_factory=dict)
    weights: tuple[float, float, float] = (1 / 3, 1 / 3, 1 / 3)

    def closest_flip(self) -> tuple[str, str, float, str] | None:
        """Return ``(input, direction, distance, to_tier)`` of the smallest flip margin."""
        best: tuple[str, str, float, str] | None = None
        for name, fm in self.flip_margins.items():
            for direction, dist, to in (("down", fm.down, fm.to_tier_down),
                                        ("up", fm.up, fm.to_tier_up)):
                if dist is not None and to is not None and (best is None or dist < best[2]):
                    best = (name, direction, dist, to)
        return best

    def summary(self) -> str:
        """Return a short multi-line text: tier, need, cost, ratio and the nearest flip.

        Examples
        --------
        >>> from course_lib.tiers import choose_tier
        >>> print(choose_tier(0.9, 0.2, 0.3, 0.3, 0.2).summary())  # doctest: +ELLIPSIS
        Tier: Formal alliance (mutual defence) [alliance]
        Security need N = 0.720 (threat 0.90 x (1 - self-reliance 0.20))
        Autonomy cost K = 0.267 (largest term: autonomy)
        Ratio R = N/K = 2.70 (alliance is chosen for R > 1.2)
        Nearest flip: self_reliance up by 0.44 -> partnership
        """
        lines = [f"Tier: {self.label} [{self.tier}]"]
        t, s = self.inputs.get("threat", math.nan), self.inputs.get("self_reliance", math.nan)
        lines.append(
            f"Security need N = {self.need:.3f} (threat {t:.2f} x (1 - self-reliance {s:.2f}))"
        )
        terms = _cost_terms(self.inputs, self.weights)
        if self.cost > 0:
            top = max(terms, key=lambda k: terms[k])
            lines.append(f"Autonomy cost K = {self.cost:.3f} (largest term: {top})")
        else:
            lines.append("Autonomy cost K = 0.000 (no term contributes)")
        lo, hi = _band(self.tier, self.breakpoints)
        band = _band_text(self.tier, lo, hi)
        ratio = "inf" if math.isinf(self.ratio) else f"{self.ratio:.2f}"
        lines.append(f"Ratio R = N/K = {ratio} ({band})")
        flip = self.closest_flip()
        if flip is None:
            lines.append("Nearest flip: none -- no single input can change the tier")
        else:
            name, direction, dist, to = flip
            lines.append(f"Nearest flip: {name} {direction} by {dist:.2f} -> {to}")
        return "\n".join(lines)


def _cost_terms(inputs: Mapping[str, float], w: tuple[float, float, float]) -> dict[str, float]:
    return {name: w[i] * inputs.get(name, 0.0) for i, name in enumerate(COST_INPUTS)}


def _band(tier: str, bps: Sequence[Breakpoint]) -> tuple[float | None, float | None]:
    lo = next((b.ratio for b in bps if b.upper == tier), None)
    hi = next((b.ratio for b in bps if b.lower == tier), None)
    return lo, hi


def _band_text(tier: str, lo: float | None, hi: float | None) -> str:
    if lo is None and hi is None:
        return f"{tier} is chosen for every R"
    if lo is None:
        return f"{tier} is chosen for R <= {hi:.3g}"
    if hi is None:
        return f"{tier} is chosen for R > {lo:.3g}"
    return f"{tier} is chosen for {lo:.3g} < R <= {hi:.3g}"


def tier_for_ratio(ratio: float, table: Any = None) -> str:
    """Return the key of the tier chosen at ratio ``R = N / K``.

    The deeper of two neighbouring tiers is chosen only when ``R`` strictly exceeds their
    breakpoint (ties go to the shallower tier). Dominated tiers are never returned.

    Parameters
    ----------
    ratio : float
        ``R >= 0``; ``inf`` is allowed (autonomy cost zero, need positive).
    table : None, pandas.DataFrame or sequence of Tier
        Tier table; ``None`` for the default.

    Returns
    -------
    str
        Tier key.

    Examples
    --------
    >>> [tier_for_ratio(r) for r in (0.0, 0.5, 0.51, 1.0, 1.1, 1.2, 5.0, float("inf"))]
    ['none', 'none', 'ad_hoc', 'ad_hoc', 'partnership', 'partnership', 'alliance', 'alliance']
    """
    if not _is_real(ratio) or math.isnan(ratio) or ratio < 0 or ratio == -math.inf:
        raise ValueError(f"ratio must be a number >= 0 (inf allowed), got {ratio!r}")
    lad = _ladder(table)
    return lad.keys[lad.choosable[lad.level(float(ratio))]]


