"""The tier model's parameters: inputs, the tier table's tiers and the cost weights.

Every number here is an assumption of the course, kept in one visible place.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from course_lib import _validate

__all__ = [
    "COST_INPUTS",
    "DEFAULT_WEIGHTS",
    "INPUTS",
    "NEED_INPUTS",
    "TIERS",
    "CostWeights",
    "Tier",
]

#: Inputs that raise the security need (``N = T * (1 - S)``).
NEED_INPUTS: tuple[str, ...] = ("threat", "self_reliance")
#: Inputs that make up the autonomy cost (``K = wA*A + wE*E + wD*D``).
COST_INPUTS: tuple[str, ...] = ("autonomy", "entrapment", "dominance")
#: All five inputs of :func:`choose_tier`, in signature order.
INPUTS: tuple[str, ...] = NEED_INPUTS + COST_INPUTS


# The tier model's inputs follow the package's rules (course_lib._validate), then are rounded.

_is_real = _validate.is_number


def _unit(value: Any, name: str) -> float:
    """Return ``value`` as a float in [0, 1] (rounded to 12 decimals) or raise ``ValueError``."""
    return _round12(_validate.unit_interval(value, name))


def _round12(x: Any) -> Any:
    """Round to 12 decimals (scalars and arrays alike, with the same NumPy operation)."""
    return np.round(x, 12) if isinstance(x, np.ndarray) else float(np.round(np.float64(x), 12))


_flag = _validate.flag



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
            _validate.finite_in(value, f"weights['{name}']", 0.0, math.inf, high_open=True)
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


