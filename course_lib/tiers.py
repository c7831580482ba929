"""Choosing a tier of alignment, and a strategy, from security need and autonomy cost.

The course paper (Csepregi 2023, sections 2-3) frames a state's choice between a formal
alliance, a security partnership and *ad hoc* cooperation as an answer to two questions: how
much security support does the state need, and how much freedom of decision is it willing to
give up to get it? This module turns that argument into a small, transparent model. Every
number in it is an **assumption of the course**, not a measurement; each is kept in one visible
place so that students can change it and see what happens.

The tier model
--------------
All five inputs are judgements on a 0-1 scale:

=============  ==========================================================================
threat         ``T``: how threatened the state is (e.g. a score from :mod:`course_lib.threat`)
self_reliance  ``S``: share of that threat the state can meet with its own means. Arming is a
               substitute for allying (Morrow 1993), so self-reliance lowers the need.
autonomy       ``A``: how much the state values its freedom of decision (Morrow 1991: allies
               trade autonomy for security).
entrapment     ``E``: risk of being dragged into a partner's conflicts (Snyder 1984, 1990;
               Lanoszka 2018 -- cited as 2015 in the paper; Kim 2011: alliances often
               entangle states but seldom entrap them).
dominance      ``D``: risk that the partner dominates the state (Walt 1985, 1987: balancing
               works only with a partner that cannot dominate you).
=============  ==========================================================================

Assumption 1 (security need). ``N = T * (1 - S)``: the part of the threat the state cannot
meet alone. Multiplicative, so no threat or full self-reliance means no need.

Assumption 2 (autonomy cost). ``K = wA*A + wE*E + wD*D`` with non-negative weights normalised to
sum to 1 (so ``K`` is in [0, 1]). The defaults are equal weights, :data:`DEFAULT_WEIGHTS`: the
literature names the three costs but gives no basis for ranking them numerically.

Assumption 3 (tiers). Four tiers, from shallow to deep, each giving security ``s_k`` at an
autonomy cost ``c_k`` (:data:`TIERS`, shown by :func:`tier_table`). The values are the course's
own stylised coding. ATOP (Leeds et al. 2002) codes formal alliance obligations; NATO
partnerships such as the Mediterranean Dialogue are *not* ATOP alliances, so the partnership
tier is the course's coding, not ATOP's.

Assumption 4 (choice). The state picks ``k* = argmax_k (N * s_k - K * c_k)``. Dividing by ``K``
shows the choice depends only on the ratio ``R = N / K``. Between neighbouring tiers the
deeper one wins once ``R`` exceeds the breakpoint ``(c_{k+1} - c_k) / (s_{k+1} - s_k)``
(0.5, 1.0 and 1.2 for the default table). If the breakpoints do not increase, some tier can
never be chosen (it is *dominated*); :func:`check_tier_table` reports this and the model then
works with the tiers that can be chosen (the upper envelope of the utility lines).

Assumption 5 (ties and edge cases). Ties go to the *shallower* tier: a deeper commitment must be
strictly better to be taken. If ``N = 0`` then ``R = 0`` (nothing to gain: no alignment, even
when ``K = 0`` too). If ``N > 0`` and ``K = 0`` then ``R = inf`` (security is free: the deepest
choosable tier). Inputs, ``R`` and the breakpoints are rounded to 12 decimals (a judgement on
a 0-1 scale carries nothing finer), so that an exact tie (e.g. ``N = K``, ``R = 1``) is not
decided by binary floating-point noise and tiny inputs cannot underflow.

Flip margins (:class:`FlipMargin`) say how far each single input must move, holding the others
fixed, before the chosen tier changes. They are solved exactly from the breakpoints, not found
by a grid search.

Reference cases (:data:`REFERENCE_CASES`, :func:`reference_check`) anchor the defaults on
stylised profiles: an eastern-flank NATO member, Mediterranean Dialogue and Gulf partners,
Israel as the paper describes it, a one-operation coalition contributor and a distant state.
Note what the default table implies: partnerships are chosen only for ``1.0 < R <= 1.2``, a
narrow band, so the partnership cases have small flip margins. That is a finding to discuss
(the paper presents partnerships as the natural fit for most MENA states), not a bug to hide.

The strategy rules
------------------
:func:`choose_strategy` applies a short, ordered list of named rules after Mearsheimer (2014):
balance, pass the buck, or bandwagon, plus the paper's mixed case for Israel ("partly balance,
partly buck-pass", a high-capability, low-resolve state). Thresholds live in
:class:`StrategyThresholds`.

References
----------
Csepregi, Z. (2023). "NATO-Israel Cooperation in the Context of the Russia-Ukraine War."
(the course's text).
Kim, T. (2011). "Why Alliances Entangle But Seldom Entrap States." *Security Studies* 20(3):
350-377.
Lanoszka, A. (2018). "Tangled up in rose? Theories of alliance entrapment and the 2008
Russo-Georgian War." *Contemporary Security Policy* 39(2): 234-257.
Leeds, B. A., Ritter, J. M., Mitchell, S. M. & Long, A. G. (2002). "Alliance Treaty Obligations
and Provisions, 1815-1944." *International Interactions* 28(3): 237-260.
Mearsheimer, J. J. (2014). *The Tragedy of Great Power Politics*, updated edition. New York:
W. W. Norton.
Morrow, J. D. (1991). "Alliances and Asymmetry: An Alternative to the Capability Aggregation
Model of Alliances." *American Journal of Political Science* 35(4): 904-933.
Morrow, J. D. (1993). "Arms versus Allies: Trade-offs in the Search for Security."
*International Organization* 47(2): 207-233.
Snyder, G. H. (1984). "The Security Dilemma in Alliance Politics." *World Politics* 36(4):
461-495.
Snyder, G. H. (1990). "Alliance Theory: A Neorealist First Cut." *Journal of International
Affairs* 44(1): 103-123.
Walt, S. M. (1985). "Alliance Formation and the Balance of World Power." *International
Security* 9(4): 3-43.
Walt, S. M. (1987). *The Origins of Alliances*. Ithaca: Cornell University Press.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "COST_INPUTS",
    "DEFAULT_WEIGHTS",
    "INPUTS",
    "NEED_INPUTS",
    "REFERENCE_CASES",
    "STRATEGIES",
    "TIERS",
    "Breakpoint",
    "CostWeights",
    "FlipMargin",
    "ReferenceCase",
    "StrategyChoice",
    "StrategyThresholds",
    "Tier",
    "TierChoice",
    "TierTableReport",
    "check_tier_table",
    "choose_strategy",
    "choose_tier",
    "decision_frame",
    "decision_grid",
    "reference_cases",
    "reference_check",
    "tier_for_ratio",
    "tier_table",
]

#: Inputs that raise the security need (``N = T * (1 - S)``).
NEED_INPUTS: tuple[str, ...] = ("threat", "self_reliance")
#: Inputs that make up the autonomy cost (``K = wA*A + wE*E + wD*D``).
COST_INPUTS: tuple[str, ...] = ("autonomy", "entrapment", "dominance")
#: All five inputs of :func:`choose_tier`, in signature order.
INPUTS: tuple[str, ...] = NEED_INPUTS + COST_INPUTS


# Small validators used throughout (defined first: the parameter classes use them).


def _is_real(value: Any) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_
    )


def _unit(value: Any, name: str) -> float:
    """Return ``value`` as a float in [0, 1] or raise ``ValueError`` naming ``name``."""
    if not _is_real(value) or not math.isfinite(float(value)) or not 0.0 <= float(value) <= 1.0:
        raise ValueError(f"{name} must be a finite number in [0, 1], got {value!r}")
    return _round12(float(value))


def _round12(x: Any) -> Any:
    """Round to 12 decimals (scalars and arrays alike, with the same NumPy operation)."""
    return np.round(x, 12) if isinstance(x, np.ndarray) else float(np.round(np.float64(x), 12))


def _flag(value: Any, name: str) -> bool:
    if not isinstance(value, bool | np.bool_):
        raise ValueError(f"{name} must be a bool (True or False), got {value!r}")
    return bool(value)



# ---------------------------------------------------------------------------------------------
# Parameters: the tier table and the cost weights (ALL tier assumptions live here)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tier:
    """One tier of alignment: the security it gives and the autonomy it costs.

    Parameters
    ----------
    key : str
        Short identifier, e.g. ``"partnership"``.
    label : str
        Plain-English name shown to students.
    security : float
        Security support ``s_k`` in [0, 1] (assumption of the course).
    cost : float
        Autonomy cost ``c_k`` in [0, 1] (assumption of the course).
    description : str
        What the tier means in practice.
    example : str
        Real-world examples of the tier.

    Examples
    --------
    >>> Tier("x", "X", 0.3, 0.2).security
    0.3
    """

    key: str
    label: str
    security: float
    cost: float
    description: str = ""
    example: str = ""


#: The default tier table (assumptions of the course, shallow to deep). Security and cost are
#: stylised values on a 0-1 scale chosen so that the neighbour breakpoints are 0.5, 1.0, 1.2.
TIERS: tuple[Tier, ...] = (
    Tier(
        "none",
        "No alignment",
        0.0,
        0.0,
        "The state meets its threats alone (or faces none worth a commitment) and keeps full "
        "freedom of decision.",
        "A distant state with little threat (a stylised case; no NATO framework at all).",
    ),
    Tier(
        "ad_hoc",
        "Ad hoc cooperation",
        0.2,
        0.1,
        "Cooperation for one operation or crisis, ending with it; little lasting obligation.",
        "Coalition partners, e.g. the 1991 Gulf War coalition, or the non-NATO contributors to "
        "Operation Unified Protector in Libya in 2011 (Jordan, Qatar, Sweden, the UAE).",
    ),
    Tier(
        "partnership",
        "Security partnership",
        0.5,
        0.4,
        "Standing political consultation and practical cooperation (exercises, "
        "interoperability, information sharing) without a mutual-defence guarantee.",
        "Mediterranean Dialogue partners (since 1994, e.g. Israel, Jordan, Morocco) and Istanbul "
        "Cooperation Initiative partners (since 2004: Bahrain, Kuwait, Qatar, the UAE).",
    ),
    Tier(
        "alliance",
        "Formal alliance (mutual defence)",
        1.0,
        1.0,
        "A treaty obligation to defend each other against armed attack, with the strongest "
        "constraints on each member's freedom of decision.",
        "NATO members under Article 5 of the North Atlantic Treaty.",
    ),
)


@dataclass(frozen=True)
class CostWeights:
    """Weights of the three autonomy-cost terms (normalised to sum to 1 before use).

    Parameters
    ----------
    autonomy, entrapment, dominance : float
        Non-negative, finite, not all zero. Only their proportions matter.

    Examples
    --------
    >>> CostWeights(2, 1, 1).normalised()
    (0.5, 0.25, 0.25)
    >>> CostWeights(0, 0, 0)
    Traceback (most recent call last):
    ...
    ValueError: weights must not all be zero; give at least one positive weight
    """

    autonomy: float = 1.0
    entrapment: float = 1.0
    dominance: float = 1.0

    def __post_init__(self) -> None:
        for name in COST_INPUTS:
            value = getattr(self, name)
            if not _is_real(value) or not math.isfinite(value) or value < 0:
                raise ValueError(
                    f"weights['{name}'] must be a finite number >= 0, got {value!r}"
                )
        if sum(getattr(self, name) for name in COST_INPUTS) <= 0:
            raise ValueError("weights must not all be zero; give at least one positive weight")

    def normalised(self) -> tuple[float, float, float]:
        """Return ``(wA, wE, wD)`` scaled to sum to 1."""
        raw = [float(getattr(self, name)) for name in COST_INPUTS]
        top = max(raw)  # scale by the largest first: no overflow or underflow in the sum
        scaled = [r / top for r in raw]
        total = sum(scaled)
        return (scaled[0] / total, scaled[1] / total, scaled[2] / total)


#: Default cost weights: equal (1/3 each). The paper calls loss of freedom of decision Israel's
#: "biggest obstacle", but that is a statement about the *level* of A for Israel, not about how
#: the three costs should be weighted in general, so the course does not rank them.
DEFAULT_WEIGHTS: CostWeights = CostWeights()


# ---------------------------------------------------------------------------------------------
# Validation helpers
# ---------------------------------------------------------------------------------------------


def _weights(weights: Any) -> tuple[float, float, float]:
    """Validate ``weights`` (None, CostWeights or a mapping) and return normalised weights."""
    if weights is None:
        return DEFAULT_WEIGHTS.normalised()
    if isinstance(weights, CostWeights):
        return weights.normalised()
    if isinstance(weights, Mapping):
        unknown = sorted(set(map(str, weights)) - set(COST_INPUTS))
        if unknown:
            raise ValueError(
                f"weights has unknown keys {unknown}; allowed keys are {list(COST_INPUTS)}"
            )
        missing = [name for name in COST_INPUTS if name not in weights]
        if missing:
            raise ValueError(
                f"weights must give all of {list(COST_INPUTS)} (finite numbers >= 0), "
                f"missing {missing}"
            )
        return CostWeights(**{name: weights[name] for name in COST_INPUTS}).normalised()
    raise ValueError(
        "weights must be None, a CostWeights or a mapping with keys "
        f"{list(COST_INPUTS)} (finite numbers >= 0, not all zero), got {weights!r}"
    )


# ---------------------------------------------------------------------------------------------
# The tier table: conversion, checking, envelope
# ---------------------------------------------------------------------------------------------

_TABLE_COLUMNS = ("key", "label", "security", "cost")


@dataclass(frozen=True)
class _Ladder:
    """Validated tier table plus the tiers that can be chosen (upper envelope)."""

    tiers: tuple[Tier, ...]
    neighbour_breakpoints: tuple[float, ...]
    choosable: tuple[int, ...]  # positions in ``tiers``, shallow to deep
    breaks: tuple[float, ...]  # breakpoints between consecutive choosable tiers

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(t.key for t in self.tiers)

    def level(self, ratio: float) -> int:
        """Position in ``choosable`` for ``ratio`` (strictly above a breakpoint to go deeper)."""
        return int(np.searchsorted(np.asarray(self.breaks, dtype=float), ratio, side="left"))


def _text(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def _tiers_from(table: Any) -> tuple[Tier, ...]:
    if table is None:
        return TIERS
    if isinstance(table, pd.DataFrame):
        missing = [c for c in _TABLE_COLUMNS if c not in table.columns]
        if missing:
            raise ValueError(
                f"table must have columns {list(_TABLE_COLUMNS)} (description and example are "
                f"optional); missing {missing}"
            )
        rows = []
        for record in table.to_dict("records"):
            rows.append(
                Tier(
                    key=record["key"],
                    label=record["label"],
                    security=record["security"],
                    cost=record["cost"],
                    description=_text(record.get("description")),
                    example=_text(record.get("example")),
                )
            )
        return tuple(rows)
    if isinstance(table, Sequence) and not isinstance(table, str):
        if not all(isinstance(t, Tier) for t in table):
            raise ValueError(
                "table must be None, a DataFrame with columns key, label, security, cost, or a "
                "sequence of Tier objects"
            )
        return tuple(table)
    raise ValueError(
        "table must be None, a DataFrame with columns key, label, security, cost, or a sequence "
        f"of Tier objects, got {type(table).__name__}"
    )


def _slope(s: Sequence[float], c: Sequence[float], i: int, j: int) -> float:
    """Breakpoint between tiers i and j, rounded to 12 decimals.

    Rounding removes binary floating-point noise, so that the default table's breakpoints are
    exactly 0.5, 1.0 and 1.2 (``(0.4 - 0.1) / (0.5 - 0.2)`` is 1.0000000000000002 unrounded)
    and an exact tie at a breakpoint really goes to the shallower tier.
    """
    return round((c[j] - c[i]) / (s[j] - s[i]), 12)


def _ladder(table: Any) -> _Ladder:
    tiers = _tiers_from(table)
    if len(tiers) < 2:
        raise ValueError(f"table must have at least 2 tiers, got {len(tiers)}")
    keys = [t.key for t in tiers]
    for t in tiers:
        if not isinstance(t.key, str) or not t.key:
            raise ValueError(f"table keys must be non-empty strings, got {t.key!r}")
    if len(set(keys)) != len(keys):
        raise ValueError(f"table keys must be unique, got {keys}")
    for t in tiers:
        for attr in ("security", "cost"):
            value = getattr(t, attr)
            if not _is_real(value) or not math.isfinite(value) or not 0.0 <= value <= 1.0:
                raise ValueError(
                    f"table {attr} of tier '{t.key}' must be a finite number in [0, 1], "
                    f"got {value!r}"
                )
    if tiers[0].security != 0 or tiers[0].cost != 0:
        raise ValueError(
            f"table's first tier must be (security 0, cost 0) -- the 'no alignment' baseline; "
            f"got ({tiers[0].security}, {tiers[0].cost}) for '{tiers[0].key}'"
        )
    for lo, hi in zip(tiers, tiers[1:], strict=False):
        if not hi.security > lo.security or not hi.cost > lo.cost:
            raise ValueError(
                "table security and cost must both be strictly ascending from shallow to deep "
                f"tier; '{hi.key}' ({hi.security}, {hi.cost}) does not exceed '{lo.key}' "
                f"({lo.security}, {lo.cost})"
            )
    s = [float(t.security) for t in tiers]
    c = [float(t.cost) for t in tiers]
    neighbour = tuple(_slope(s, c, i, i + 1) for i in range(len(tiers) - 1))
    # Upper envelope of the lines u_k(R) = R*s_k - c_k, walked from R = 0 upward.
    choosable = [0]
    breaks: list[float] = []
    current = 0
    while current < len(tiers) - 1:
        slopes = [_slope(s, c, current, j) for j in range(current + 1, len(tiers))]
        best = min(slopes)
        # Among tiers reached at the same breakpoint, the deepest wins just above it.
        nxt = current + 1 + max(i for i, b in enumerate(slopes) if b == best)
        choosable.append(nxt)
        breaks.append(best)
        current = nxt
    return _Ladder(tuple(tiers), neighbour, tuple(choosable), tuple(breaks))


@dataclass(frozen=True)
class TierTableReport:
    """Result of :func:`check_tier_table`.

    Attributes
    ----------
    keys : tuple of str
        Tier keys, shallow to deep.
    neighbour_breakpoints : tuple of float
        ``(c_{k+1} - c_k) / (s_{k+1} - s_k)`` for each pair of neighbouring tiers.
    choosable : tuple of str
        Tiers that are chosen for some ratio ``R``.
    dominated : tuple of str
        Tiers that are never chosen, whatever ``R`` is.
    bands : dict
        For each choosable tier, the interval ``(low, high]`` of ``R`` in which it is chosen
        (the first tier's band includes 0; the last tier's ``high`` is ``inf``).
    """

    keys: tuple[str, ...]
    neighbour_breakpoints: tuple[float, ...]
    choosable: tuple[str, ...]
    dominated: tuple[str, ...]
    bands: dict[str, tuple[float, float]]

    @property
    def convex(self) -> bool:
        """True when the neighbour breakpoints increase, so that every tier can be chosen."""
        return not self.dominated

    def messages(self) -> list[str]:
        """Plain-English findings, one sentence each."""
        out = []
        pairs = zip(self.keys, self.keys[1:], self.neighbour_breakpoints, strict=False)
        for lo, hi, b in pairs:
            out.append(f"'{hi}' beats '{lo}' when R = N/K exceeds {b:.3g}.")
        if self.dominated:
            out.append(
                "Breakpoints do not increase, so these tiers can never be chosen: "
                + ", ".join(f"'{k}'" for k in self.dominated)
                + "."
            )
        else:
            out.append("Breakpoints increase, so every tier is chosen for some R.")
        return out


def check_tier_table(table: Any = None) -> TierTableReport:
    """Validate a tier table and report which tiers can ever be chosen.

    Parameters
    ----------
    table : None, pandas.DataFrame or sequence of Tier
        ``None`` for the default table. A DataFrame needs columns ``key``, ``label``,
        ``security``, ``cost``.

    Returns
    -------
    TierTableReport

    Raises
    ------
    ValueError
        If the table is of an unknown kind, has fewer than 2 tiers, duplicate keys, values
        outside [0, 1], a first tier other than (0, 0), or security/cost not strictly ascending.

    Examples
    --------
    >>> report = check_tier_table()
    >>> report.neighbour_breakpoints
    (0.5, 1.0, 1.2)
    >>> report.dominated
    ()
    >>> bad = tier_table()
    >>> bad.loc[2, "cost"] = 0.55        # partnership now costs too much for what it gives
    >>> check_tier_table(bad).dominated
    ('partnership',)
    """
    lad = _ladder(table)
    keys = lad.keys
    choosable = tuple(keys[i] for i in lad.choosable)
    lows = (0.0, *lad.breaks)
    highs = (*lad.breaks, math.inf)
    bands = {k: (lo, hi) for k, lo, hi in zip(choosable, lows, highs, strict=True)}
    return TierTableReport(
        keys=keys,
        neighbour_breakpoints=lad.neighbour_breakpoints,
        choosable=choosable,
        dominated=tuple(k for k in keys if k not in choosable),
        bands=bands,
    )


def tier_table(table: Any = None) -> pd.DataFrame:
    """Return the tier table as a new DataFrame (a copy: editing it changes nothing here).

    Parameters
    ----------
    table : None, pandas.DataFrame or sequence of Tier
        ``None`` for the default table :data:`TIERS`; anything else is validated first.

    Returns
    -------
    pandas.DataFrame
        Columns ``key, label, security, cost, description, example`` in tier order (row
        position = tier index used by :func:`decision_grid`).

    Examples
    --------
    >>> tier_table()[["key", "security", "cost"]]
               key  security  cost
    0         none       0.0   0.0
    1       ad_hoc       0.2   0.1
    2  partnership       0.5   0.4
    3     alliance       1.0   1.0
    """
    lad = _ladder(table)
    return pd.DataFrame(
        {
            "key": [t.key for t in lad.tiers],
            "label": [t.label for t in lad.tiers],
            "security": [float(t.security) for t in lad.tiers],
            "cost": [float(t.cost) for t in lad.tiers],
            "description": [t.description for t in lad.tiers],
            "example": [t.example for t in lad.tiers],
        }
    )


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


def _unit_array(values: Any, name: str) -> np.ndarray:
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"{name} must be a 1-D sequence of numbers in [0, 1], got {values!r}"
        ) from exc
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(
            f"{name} must be a non-empty 1-D sequence of numbers in [0, 1], got shape {arr.shape}"
        )
    bad = ~np.isfinite(arr) | (arr < 0) | (arr > 1)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"{name} must contain finite numbers in [0, 1], got {arr[i]!r} at position {i}"
        )
    return _round12(arr)


def decision_grid(
    threat_values: Sequence[float] | np.ndarray,
    autonomy_values: Sequence[float] | np.ndarray,
    *,
    self_reliance: float,
    entrapment: float,
    dominance: float,
    weights: Mapping[str, float] | CostWeights | None = None,
    table: Any = None,
) -> np.ndarray:
    """Tier indices over a threat x autonomy grid, for a 2-D decision map.

    Parameters
    ----------
    threat_values, autonomy_values : 1-D array-like
        Values in [0, 1].
    self_reliance, entrapment, dominance : float
        Held fixed, in [0, 1].
    weights, table
        As in :func:`choose_tier`.

    Returns
    -------
    numpy.ndarray of int, shape ``(len(threat_values), len(autonomy_values))``
        ``grid[i, j]`` is the row position in :func:`tier_table` of the tier chosen at
        ``threat_values[i]`` and ``autonomy_values[j]``; identical to :func:`choose_tier`.
        (For ``imshow`` with threat on the x axis, plot ``grid.T``.)

    Examples
    --------
    >>> decision_grid([0.2, 0.6, 1.0], [0.0, 0.5, 1.0],
    ...               self_reliance=0.2, entrapment=0.3, dominance=0.2)
    array([[1, 0, 0],
           [3, 3, 1],
           [3, 3, 3]])
    """
    t = _unit_array(threat_values, "threat_values")
    a = _unit_array(autonomy_values, "autonomy_values")
    s = _unit(self_reliance, "self_reliance")
    e = _unit(entrapment, "entrapment")
    d = _unit(dominance, "dominance")
    w = _weights(weights)
    lad = _ladder(table)
    need = _need(t, s)[:, None]
    cost = _cost(a, e, d, w)[None, :]
    r = _ratio(*np.broadcast_arrays(need, cost))
    levels = np.searchsorted(np.asarray(lad.breaks, dtype=float), r, side="left")
    return np.asarray(lad.choosable, dtype=int)[levels]


def decision_frame(
    threat_values: Sequence[float] | np.ndarray,
    autonomy_values: Sequence[float] | np.ndarray,
    *,
    self_reliance: float,
    entrapment: float,
    dominance: float,
    weights: Mapping[str, float] | CostWeights | None = None,
    table: Any = None,
) -> pd.DataFrame:
    """The grid of :func:`decision_grid` as tier keys, labelled by its axes.

    Parameters
    ----------
    threat_values, autonomy_values, self_reliance, entrapment, dominance, weights, table
        As in :func:`decision_grid`.

    Returns
    -------
    pandas.DataFrame
        Tier keys; index: threat values (name ``"threat"``), columns: autonomy values (name
        ``"autonomy"``), in the order given. This is the input of
        :func:`course_lib.plots.decision_map`.

    Examples
    --------
    >>> decision_frame([0.2, 1.0], [0.0, 1.0], self_reliance=0.2, entrapment=0.3,
    ...                dominance=0.2).to_numpy().tolist()
    [['ad_hoc', 'none'], ['alliance', 'alliance']]
    """
    grid = decision_grid(threat_values, autonomy_values, self_reliance=self_reliance,
                         entrapment=entrapment, dominance=dominance, weights=weights, table=table)
    keys = np.asarray(_ladder(table).keys, dtype=object)
    return pd.DataFrame(
        keys[grid],
        index=pd.Index(np.asarray(threat_values, dtype=float), name="threat"),
        columns=pd.Index(np.asarray(autonomy_values, dtype=float), name="autonomy"),
    )


# ---------------------------------------------------------------------------------------------
# Reference cases (stylised judgements of the course, not measurements)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferenceCase:
    """A stylised input profile with the tier the course expects, and why."""

    case: str
    description: str
    threat: float
    self_reliance: float
    autonomy: float
    entrapment: float
    dominance: float
    expected_tier: str
    justification: str


#: Stylised profiles anchoring the default parameters. The inputs are the course's judgements
#: for teaching, not measurements; students are invited to dispute them.
REFERENCE_CASES: tuple[ReferenceCase, ...] = (
    ReferenceCase(
        "eastern_flank_ally",
        "A NATO member on the eastern flank facing Russia (e.g. a Baltic state)",
        0.90, 0.15, 0.30, 0.30, 0.20,
        "alliance",
        "A large, near, proven threat that small forces cannot meet alone outweighs modest "
        "worries about autonomy: Article 5 is worth its constraints.",
    ),
    ReferenceCase(
        "med_dialogue_partner",
        "A Mediterranean Dialogue state such as Jordan or Morocco",
        0.60, 0.30, 0.60, 0.25, 0.30,
        "partnership",
        "Spill-over, terrorism and regional rivals create real need, but the state guards its "
        "freedom of decision, so it takes support short of a defence treaty.",
    ),
    ReferenceCase(
        "israel",
        "Israel as the paper describes it",
        0.95, 0.50, 0.90, 0.35, 0.05,
        "partnership",
        "High threat (Iran and its proxies) met largely alone, a very high value on freedom of "
        "decision and fear of entanglement with Russia and China; NATO does not seek to "
        "dominate it, so a close partnership short of membership fits.",
    ),
    ReferenceCase(
        "gulf_ici_partner",
        "A Gulf state in the Istanbul Cooperation Initiative (e.g. Kuwait or the UAE)",
        0.70, 0.35, 0.70, 0.30, 0.25,
        "partnership",
        "Exposed to Iranian missiles and drones with small forces of its own, yet unwilling to "
        "be bound by a treaty; practical cooperation without guarantees suits it.",
    ),
    ReferenceCase(
        "coalition_contributor",
        "A non-NATO contributor to one operation (e.g. Operation Unified Protector, 2011)",
        0.40, 0.50, 0.50, 0.20, 0.10,
        "ad_hoc",
        "A moderate, indirect threat half met by its own means: enough to join one operation "
        "with a limited aim, not enough to justify a standing commitment.",
    ),
    ReferenceCase(
        "distant_state",
        "A distant state with little threat",
        0.10, 0.60, 0.60, 0.30, 0.30,
        "none",
        "Almost no need for outside support, so no commitment is worth any loss of autonomy.",
    ),
)


def reference_cases() -> pd.DataFrame:
    """Return the reference cases as a DataFrame (one row per case).

    Examples
    --------
    >>> reference_cases()[["case", "expected_tier"]].head(3)
                       case expected_tier
    0    eastern_flank_ally      alliance
    1  med_dialogue_partner   partnership
    2                israel   partnership
    """
    return pd.DataFrame([{f.name: getattr(rc, f.name) for f in fields(rc)}
                         for rc in REFERENCE_CASES])


def reference_check(
    weights: Mapping[str, float] | CostWeights | None = None, table: Any = None
) -> pd.DataFrame:
    """Run every reference case and compare the obtained tier with the expected one.

    Parameters
    ----------
    weights, table
        As in :func:`choose_tier`; change them to see which cases stop reproducing.

    Returns
    -------
    pandas.DataFrame
        Columns ``case, expected_tier, obtained_tier, match, need, cost, ratio, nearest_flip``.

    Examples
    --------
    >>> reference_check()["match"].all()
    np.True_
    >>> reference_check(weights={"autonomy": 1, "entrapment": 0, "dominance": 0}).loc[
    ...     2, ["case", "obtained_tier"]].tolist()
    ['israel', 'ad_hoc']
    """
    rows = []
    for rc in REFERENCE_CASES:
        c = choose_tier(rc.threat, rc.self_reliance, rc.autonomy, rc.entrapment, rc.dominance,
                        weights=weights, table=table)
        flip = c.closest_flip()
        rows.append(
            {
                "case": rc.case,
                "expected_tier": rc.expected_tier,
                "obtained_tier": c.tier,
                "match": c.tier == rc.expected_tier,
                "need": c.need,
                "cost": c.cost,
                "ratio": c.ratio,
                "nearest_flip": "" if flip is None
                else f"{flip[0]} {flip[1]} {flip[2]:.3f} -> {flip[3]}",
            }
        )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# Strategy: balance, buck-pass, bandwagon (Mearsheimer 2014; Walt 1985)
# ---------------------------------------------------------------------------------------------

#: Possible strategies returned by :func:`choose_strategy`.
STRATEGIES: tuple[str, ...] = (
    "no response needed",
    "balance",
    "buck-pass",
    "partly balance, partly buck-pass",
    "bandwagon",
)


@dataclass(frozen=True)
class StrategyThresholds:
    """All thresholds of :func:`choose_strategy` (assumptions of the course), in [0, 1].

    Parameters
    ----------
    low_threat : float
        Below this threat no external strategy is needed.
    helpless : float
        Self-reliance below this means the state cannot hold out on its own.
    high_capability : float
        Capability at or above this counts as high.
    low_resolve : float
        Resolve below this counts as low (unwilling to give guarantees to others).

    Examples
    --------
    >>> StrategyThresholds(low_threat=0.3).low_threat
    0.3
    >>> StrategyThresholds(helpless=1.5)
    Traceback (most recent call last):
    ...
    ValueError: helpless must be a finite number in [0, 1], got 1.5
    """

    low_threat: float = 0.2
    helpless: float = 0.2
    high_capability: float = 0.6
    low_resolve: float = 0.4

    def __post_init__(self) -> None:
        for f in fields(self):
            _unit(getattr(self, f.name), f.name)


@dataclass(frozen=True)
class StrategyChoice:
    """Result of :func:`choose_strategy`."""

    strategy: str
    rule: str
    reasons: tuple[str, ...]
    warnings: tuple[str, ...]
    thresholds: StrategyThresholds
    inputs: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> str:
        """Short multi-line text: strategy, rule, reasons and warnings.

        Examples
        --------
        >>> print(choose_strategy(0.9, 0.8, 0.3, partner_available=True,
        ...       partner_can_dominate=False, buck_catcher_available=True).summary())
        Strategy: partly balance, partly buck-pass (rule: high_capability_low_resolve)
        - The threat (0.90) is at or above 0.2, so the state must respond.
        - Capability 0.80 is high (>= 0.6) but resolve 0.30 is low (< 0.4): ...
        - It balances with a partner's support and passes part of the burden ...
        """
        lines = [f"Strategy: {self.strategy} (rule: {self.rule})"]
        lines += [f"- {r}" for r in self.reasons]
        lines += [f"! {w}" for w in self.warnings]
        return "\n".join(lines)


def choose_strategy(
    threat: float,
    capability: float,
    resolve: float,
    *,
    partner_available: bool,
    partner_can_dominate: bool,
    buck_catcher_available: bool,
    self_reliance: float | None = None,
    thresholds: StrategyThresholds | None = None,
) -> StrategyChoice:
    """Pick balance, buck-passing or bandwagoning with ordered, named rules.

    Rules, first match wins (thresholds from :class:`StrategyThresholds`):

    1. ``low_threat``: threat below ``low_threat`` -> "no response needed".
    2. ``no_partner_helpless``: no credible partner and self-reliance below ``helpless`` ->
       "bandwagon" (the last option; it costs sovereignty, which the paper calls unattractive).
       A buck-catcher does not save a helpless state: it cannot hold out while others act.
    3. ``high_capability_low_resolve``: capability at least ``high_capability``, resolve below
       ``low_resolve`` and someone to share with (partner or buck-catcher) -> "partly balance,
       partly buck-pass" (the paper's description of Israel).
    4. ``buck_catcher``: a willing buck-catcher exists and the state is not helpless ->
       "buck-pass" (Mearsheimer 2014: the cheaper option when someone else will balance).
    5. ``balance_with_partner``: a partner is available -> "balance".
    6. ``balance_alone``: otherwise -> "balance" by own means (arms instead of allies, Morrow
       1993).

    Whenever the result relies on a partner that can dominate the state, a warning is attached
    (Walt 1985: balancing works only with a partner that cannot dominate you).

    Parameters
    ----------
    threat, capability, resolve : float
        In [0, 1]. Capability is military capability relative to the threat; resolve is the
        willingness to take on commitments to others.
    partner_available, partner_can_dominate, buck_catcher_available : bool
        Flags (must be real bools).
    self_reliance : float, optional
        In [0, 1]; ``None`` uses ``capability`` as the stand-in.
    thresholds : StrategyThresholds, optional
        ``None`` for the defaults.

    Returns
    -------
    StrategyChoice

    Examples
    --------
    >>> choose_strategy(0.9, 0.1, 0.5, partner_available=False, partner_can_dominate=False,
    ...                 buck_catcher_available=False).strategy
    'bandwagon'
    >>> choose_strategy(0.7, 0.5, 0.7, partner_available=True, partner_can_dominate=True,
    ...                 buck_catcher_available=False).warnings[0][:40]
    'The partner could dominate the state: Wa'
    >>> choose_strategy(0.7, 0.5, 0.7, partner_available=1, partner_can_dominate=False,
    ...                 buck_catcher_available=False)
    Traceback (most recent call last):
    ...
    ValueError: partner_available must be a bool (True or False), got 1
    """
    t = _unit(threat, "threat")
    cap = _unit(capability, "capability")
    res = _unit(resolve, "resolve")
    partner = _flag(partner_available, "partner_available")
    dominates = _flag(partner_can_dominate, "partner_can_dominate")
    catcher = _flag(buck_catcher_available, "buck_catcher_available")
    if self_reliance is None:
        sr = cap
        sr_note = f"self-reliance taken equal to capability ({cap:.2f})"
    else:
        sr = _unit(self_reliance, "self_reliance")
        sr_note = f"self-reliance {sr:.2f}"
    if thresholds is None:
        th = StrategyThresholds()
    elif isinstance(thresholds, StrategyThresholds):
        th = thresholds
    else:
        raise ValueError(f"thresholds must be a StrategyThresholds or None, got {thresholds!r}")
    inputs = {
        "threat": t, "capability": cap, "resolve": res, "self_reliance": sr,
        "partner_available": partner, "partner_can_dominate": dominates,
        "buck_catcher_available": catcher,
    }
    reasons: list[str] = []
    warnings: list[str] = []

    def done(strategy: str, rule: str) -> StrategyChoice:
        if dominates and partner and strategy in ("balance", "partly balance, partly buck-pass"):
            warnings.append(
                "The partner could dominate the state: Walt (1985) argues balancing succeeds only "
                "with a partner that cannot dominate you, so look for a weaker or more distant "
                "partner, or keep the tie loose."
            )
        return StrategyChoice(strategy, rule, tuple(reasons), tuple(warnings), th, inputs)

    if t < th.low_threat:
        reasons.append(f"The threat ({t:.2f}) is below {th.low_threat:g}: no external strategy is "
                       "needed; keep watching.")
        return done("no response needed", "low_threat")
    reasons.append(f"The threat ({t:.2f}) is at or above {th.low_threat:g}, so the state must "
                   "respond.")
    helpless = sr < th.helpless
    if not partner and helpless:
        reasons.append(f"No credible partner is available and the state is nearly helpless "
                       f"({sr_note} < {th.helpless:g}).")
        if catcher:
            reasons.append("A buck-catcher exists, but a state this weak cannot hold out while "
                           "others do the balancing.")
        reasons.append("Joining the threatening side is the option left.")
        warnings.append("Bandwagoning gives up freedom of decision to the threatening power; the "
                        "paper judges it unattractive because the state becomes part of a sphere "
                        "of influence.")
        return done("bandwagon", "no_partner_helpless")
    if cap >= th.high_capability and res < th.low_resolve and (partner or catcher):
        reasons.append(
            f"Capability {cap:.2f} is high (>= {th.high_capability:g}) but resolve {res:.2f} is "
            f"low (< {th.low_resolve:g}): the state can hold its own ground but will not give "
            "guarantees to others."
        )
        if partner:
            reasons.append("It balances with a partner's support and passes part of the burden to "
                           "others, as the paper describes Israel doing.")
        else:
            reasons.append("It balances with its own forces and passes part of the burden to a "
                           "willing buck-catcher.")
        return done("partly balance, partly buck-pass", "high_capability_low_resolve")
    if catcher and not helpless:
        reasons.append(f"A willing buck-catcher exists and the state is not helpless ({sr_note} "
                       f">= {th.helpless:g}), so letting it bear the cost of balancing is cheaper "
                       "(Mearsheimer 2014).")
        return done("buck-pass", "buck_catcher")
    if partner:
        reasons.append("No one else will carry the burden, and a partner is available: the state "
                       "balances together with it.")
        return done("balance", "balance_with_partner")
    reasons.append(f"No partner and no buck-catcher, but the state is not helpless ({sr_note}): "
                   "it balances by its own means (arms instead of allies, Morrow 1993).")
    return done("balance", "balance_alone")
