"""The strategy chooser: balance, buck-pass or bandwagon, with the rule that fired and why.

Examples
--------
>>> StrategyChooser(partner_available="no")
Traceback (most recent call last):
...
ValueError: partner_available must be True or False, got 'no'
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from course_lib import _validate
from course_lib.tiers import StrategyChoice, choose_strategy
from course_lib.widgets._base import (
    _align,
    _checkbox,
    _Composite,
    _control_column,
    _controls_then_output,
    _float_slider,
    _live,
)

__all__ = ["StrategyChooser", "strategy_chooser"]


def _flag(value: Any, name: str) -> bool:
    """Return ``value`` if it is a real bool (``"no"`` or ``1`` do not tick a box)."""
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be True or False, got {value!r}")
    return value


class StrategyChooser(_Composite):
    """Balance, buck-pass or bandwagon, with the rule that fired and why.

    Attributes
    ----------
    threat, capability, resolve : ipywidgets.FloatSlider
        (``threat`` is ``course-poke``.)
    partner_available, partner_can_dominate, buck_catcher_available : ipywidgets.Checkbox
    result_html : ipywidgets.HTML
        Strategy, rule, reasons and warnings (``course-poke-output``).
    result : course_lib.tiers.StrategyChoice
    """

    placeholder_name = "Strategy chooser"

    def __init__(self, threat: float = 0.8, capability: float = 0.7, resolve: float = 0.3, *,
                 partner_available: bool = True, partner_can_dominate: bool = False,
                 buck_catcher_available: bool = True) -> None:
        self.threat = _float_slider("Threat", _validate.unit_interval(threat, "threat"),
                                    "How threatened the state is")
        self.capability = _float_slider(
            "Capability", _validate.unit_interval(capability, "capability"),
            "Military capability relative to the threat")
        self.resolve = _float_slider("Resolve", _validate.unit_interval(resolve, "resolve"),
                                     "Willingness to take on commitments to others")
        self.partner_available = _checkbox(
            "Credible partner available", _flag(partner_available, "partner_available"),
            "Is there a partner that would help balance?")
        self.partner_can_dominate = _checkbox("Partner could dominate us",
                                              _flag(partner_can_dominate, "partner_can_dominate"),
                                              "Could that partner dominate the state?")
        self.buck_catcher_available = _checkbox(
            "Buck-catcher available", _flag(buck_catcher_available, "buck_catcher_available"),
            "Is a more exposed state willing to balance in our place?")
        self.result_html = widgets.HTML()
        self.result = self._choose()
        self._panel()
        _align(self.threat, self.capability, self.resolve)
        flags = widgets.VBox([self.partner_available, self.partner_can_dominate,
                              self.buck_catcher_available])
        super().__init__(children=[
            _controls_then_output(_control_column([self.threat, self.capability,
                                                   self.resolve]), flags),
            self.result_html,
        ])
        self._mark(self.threat, self.result_html)
        for w in self.inputs.values():
            w.observe(self._update, names="value")

    @property
    def inputs(self) -> dict[str, widgets.Widget]:
        """The six input controls by :func:`course_lib.tiers.choose_strategy` argument."""
        return {k: getattr(self, k) for k in (
            "threat", "capability", "resolve", "partner_available", "partner_can_dominate",
            "buck_catcher_available")}

    def __repr__(self) -> str:
        return f"StrategyChooser(strategy={self.result.strategy!r})"

    def _choose(self) -> StrategyChoice:

        return choose_strategy(
            self.threat.value, self.capability.value, self.resolve.value,
            partner_available=bool(self.partner_available.value),
            partner_can_dominate=bool(self.partner_can_dominate.value),
            buck_catcher_available=bool(self.buck_catcher_available.value),
        )

    def _panel(self) -> None:
        r = self.result
        reasons = "".join(f"<li>{html.escape(x)}</li>" for x in r.reasons)
        warns = "".join(f"<li><b>Warning:</b> {html.escape(x)}</li>" for x in r.warnings)
        self.result_html.value = _live(
            f"<p><b>Strategy: {html.escape(r.strategy)}</b> (rule fired: "
            f"<code>{html.escape(r.rule)}</code>)</p><ul>{reasons}</ul>"
            + (f"<ul>{warns}</ul>" if warns else "<p>No warnings.</p>")
        )

    def _update(self, change: Any = None) -> None:
        self.result = self._choose()
        self._panel()


def strategy_chooser(**kwargs: Any) -> StrategyChooser:
    """Build a :class:`StrategyChooser` (keywords as in its constructor).

    Examples
    --------
    >>> w = strategy_chooser()
    >>> w.partner_available.value = False
    >>> w.buck_catcher_available.value = False
    >>> w.capability.value = 0.1
    >>> w.result.strategy, w.result.rule
    ('bandwagon', 'no_partner_helpless')
    """
    return StrategyChooser(**kwargs)

