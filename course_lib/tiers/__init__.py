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
:func:`choose_strategy` applies a short, ordered list of named rules, the course's own coding:
balance, pass the buck, or bandwagon (concepts from Mearsheimer 2001/2014 and Walt 1985), plus
a rule written from the paper's description of Israel ("partly balance, partly buck-pass", a
high-capability, low-resolve state with a buck-catcher). Because that rule restates the paper,
its answer for Israel cannot confirm the paper. Thresholds live in :class:`StrategyThresholds`.

Modules
-------
- :mod:`~course_lib.tiers.parameters`  inputs, the tiers, cost weights (all tier assumptions)
- :mod:`~course_lib.tiers.table`       the tier table: conversion, checks, envelope
- :mod:`~course_lib.tiers.model`       need, cost, ratio and bands shared by choice and grid
- :mod:`~course_lib.tiers.choice`      ``choose_tier``, flip margins and reasons
- :mod:`~course_lib.tiers.grid`        ``decision_grid`` and ``decision_frame``
- :mod:`~course_lib.tiers.cases`       reference cases and ``reference_check``
- :mod:`~course_lib.tiers.strategy`    ``choose_strategy`` and its thresholds

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

from course_lib.tiers.cases import REFERENCE_CASES, ReferenceCase, reference_cases, reference_check
from course_lib.tiers.choice import choose_tier
from course_lib.tiers.grid import decision_frame, decision_grid
from course_lib.tiers.model import Breakpoint, FlipMargin, TierChoice, tier_for_ratio
from course_lib.tiers.parameters import (
    COST_INPUTS,
    DEFAULT_WEIGHTS,
    INPUTS,
    NEED_INPUTS,
    TIERS,
    CostWeights,
    Tier,
)
from course_lib.tiers.strategy import (
    STRATEGIES,
    StrategyChoice,
    StrategyThresholds,
    choose_strategy,
)
from course_lib.tiers.table import TierTableReport, check_tier_table, tier_table

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
