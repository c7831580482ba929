"""Strategy: balance, buck-pass or bandwagon, the course's coding of the paper's description.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from course_lib.tiers.parameters import _flag, _unit

__all__ = ['STRATEGIES', 'StrategyChoice', 'StrategyThresholds', 'choose_strategy']

# ---------------------------------------------------------------------------------------------
# Strategy: the course's coding of the paper's description (concepts: Mearsheimer; Walt)
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
        - This rule is the course's coding of how Csepregi (2023) describes Israel, ...
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
       ``low_resolve`` and a willing buck-catcher -> "partly balance, partly buck-pass". This
       rule is the course's own coding of how Csepregi (2023) describes Israel; that it
       returns the paper's answer for Israel is built in, not evidence for the paper. Without
       a buck-catcher nothing can be passed on, so the state balances (rules 5-6).
    4. ``buck_catcher``: a willing buck-catcher exists and the state is not helpless ->
       "buck-pass" (the concept is Mearsheimer's (2001/2014): the cheaper option when someone
       else will balance).
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
    ValueError: partner_available must be True or False, got 1
    """
    inputs, sr_note = _strategy_inputs(threat, capability, resolve, partner_available,
                                       partner_can_dominate, buck_catcher_available,
                                       self_reliance)
    th = _thresholds(thresholds)
    strategy, rule, reasons, warnings = _apply_rules(inputs, sr_note, th)
    if (inputs["partner_can_dominate"] and inputs["partner_available"]
            and strategy in ("balance", "partly balance, partly buck-pass")):
        warnings.append(
            "The partner could dominate the state: Walt (1985) argues balancing succeeds only "
            "with a partner that cannot dominate you, so look for a weaker or more distant "
            "partner, or keep the tie loose."
        )
    return StrategyChoice(strategy, rule, tuple(reasons), tuple(warnings), th, inputs)


def _strategy_inputs(threat: Any, capability: Any, resolve: Any, partner_available: Any,
                     partner_can_dominate: Any, buck_catcher_available: Any,
                     self_reliance: Any) -> tuple[dict[str, Any], str]:
    """Checked inputs of :func:`choose_strategy` and a note on where self-reliance came from."""
    cap = _unit(capability, "capability")
    inputs: dict[str, Any] = {
        "threat": _unit(threat, "threat"), "capability": cap, "resolve": _unit(resolve, "resolve"),
        "partner_available": _flag(partner_available, "partner_available"),
        "partner_can_dominate": _flag(partner_can_dominate, "partner_can_dominate"),
        "buck_catcher_available": _flag(buck_catcher_available, "buck_catcher_available"),
    }
    if self_reliance is None:
        inputs["self_reliance"] = cap
        return inputs, f"self-reliance taken equal to capability ({cap:.2f})"
    inputs["self_reliance"] = _unit(self_reliance, "self_reliance")
    return inputs, f"self-reliance {inputs['self_reliance']:.2f}"


def _thresholds(thresholds: Any) -> StrategyThresholds:
    if thresholds is None:
        return StrategyThresholds()
    if isinstance(thresholds, StrategyThresholds):
        return thresholds
    raise ValueError(f"thresholds must be a StrategyThresholds or None, got {thresholds!r}")


def _apply_rules(inputs: dict[str, Any], sr_note: str,
                 th: StrategyThresholds) -> tuple[str, str, list[str], list[str]]:
    """The ordered rules of :func:`choose_strategy`: (strategy, rule, reasons, warnings)."""
    t, cap, res, sr = (inputs[k] for k in ("threat", "capability", "resolve", "self_reliance"))
    partner, catcher = inputs["partner_available"], inputs["buck_catcher_available"]
    if t < th.low_threat:
        return "no response needed", "low_threat", [
            f"The threat ({t:.2f}) is below {th.low_threat:g}: no external strategy is needed; "
            "keep watching."], []
    reasons = [f"The threat ({t:.2f}) is at or above {th.low_threat:g}, so the state must "
               "respond."]
    helpless = sr < th.helpless
    if not partner and helpless:
        reasons.append(f"No credible partner is available and the state is nearly helpless "
                       f"({sr_note} < {th.helpless:g}).")
        if catcher:
            reasons.append("A buck-catcher exists, but a state this weak cannot hold out while "
                           "others do the balancing.")
        reasons.append("Joining the threatening side is the option left.")
        return "bandwagon", "no_partner_helpless", reasons, [
            "Bandwagoning gives up freedom of decision to the threatening power; the paper "
            "judges it unattractive because the state becomes part of a sphere of influence."]
    if cap >= th.high_capability and res < th.low_resolve and catcher:
        reasons.append(
            f"Capability {cap:.2f} is high (>= {th.high_capability:g}) but resolve {res:.2f} is "
            f"low (< {th.low_resolve:g}): the state can hold its own ground but will not give "
            "guarantees to others, and a willing buck-catcher can carry part of the burden.")
        reasons.append("This rule is the course's coding of how Csepregi (2023) describes "
                       "Israel, so matching Israel is built in, not a test of the paper.")
        return "partly balance, partly buck-pass", "high_capability_low_resolve", reasons, []
    if catcher and not helpless:
        reasons.append(f"A willing buck-catcher exists and the state is not helpless ({sr_note} "
                       f">= {th.helpless:g}), so letting it bear the cost of balancing is cheaper "
                       "(buck-passing in Mearsheimer's sense).")
        return "buck-pass", "buck_catcher", reasons, []
    if not catcher:
        reasons.append("No buck-catcher is available, so no part of the burden can be passed "
                       "on: the state has to balance.")
    if partner:
        reasons.append("A partner is available: the state balances together with it.")
        return "balance", "balance_with_partner", reasons, []
    reasons.append(f"No partner, but the state is not helpless ({sr_note}): it balances by its "
                   "own means (arms instead of allies, Morrow 1993).")
    return "balance", "balance_alone", reasons, []
