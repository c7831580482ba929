"""The tier decision map: threat against autonomy, the chosen tier and its flip margins.

Examples
--------
>>> w = TierDecisionMap(case=None, threat=0.9, self_reliance=0.1)
>>> w.case.value, w.choice.tier == choose_tier(**w._values()).tier
('', True)
"""

from __future__ import annotations

import html
import math
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd

from course_lib import _validate
from course_lib.plots import decision_map, update_decision_map
from course_lib.tiers import INPUTS, choose_tier, decision_grid, reference_cases, tier_table
from course_lib.widgets._base import (
    _STYLE,
    _align,
    _Composite,
    _control_column,
    _controls_then_output,
    _float_slider,
    _live,
    _reset_button,
    _table_html,
)

__all__ = ["TierDecisionMap", "tier_decision_map"]


class TierDecisionMap(_Composite):
    """Threat x autonomy map of the chosen tier, with the current point and flip margins.

    Attributes
    ----------
    threat, self_reliance, autonomy, entrapment, dominance : ipywidgets.FloatSlider
        Inputs of :func:`course_lib.tiers.choose_tier` (``threat`` is ``course-poke``).
    case : ipywidgets.Dropdown
        Loads a reference case's inputs (``""`` = custom inputs).
    result_html, figure_html : ipywidgets.HTML
    choice : course_lib.tiers.TierChoice
        The current choice.
    """

    placeholder_name = "Tier decision map"

    def __init__(self, case: str | None = "israel", *, resolution: int = 41,
                 **inputs: float) -> None:
        _validate.integer(resolution, "resolution", 5, 201)
        unknown = sorted(set(inputs) - set(INPUTS))
        if unknown:
            raise ValueError(f"inputs must be among {list(INPUTS)}, got {unknown}")
        self._cases = reference_cases().set_index("case")
        if case not in (None, "") and (not isinstance(case, str)
                                       or case not in self._cases.index):
            raise ValueError(f"case must be one of {list(self._cases.index)} or None, "
                             f"got {case!r}")
        tiers = tier_table()
        self._keys = list(tiers["key"])
        self._labels = dict(zip(tiers["key"], tiers["label"], strict=True))
        start = {"threat": 0.6, "self_reliance": 0.3, "autonomy": 0.6, "entrapment": 0.25,
                 "dominance": 0.3}
        if case:
            start.update({k: float(self._cases.loc[case, k]) for k in INPUTS})
        start.update({k: _validate.unit_interval(v, k) for k, v in inputs.items()})
        self._start, self._start_case = dict(start), (case or "") if not inputs else ""
        self._build_controls(start, self._start_case)
        self._axis = [i / (resolution - 1) for i in range(resolution)]
        self._grid_key: tuple | None = None
        self._loading = False
        self.choice = self._choose()
        self.figure, alt = decision_map(
            self._grid(), point=(self.autonomy.value, self.threat.value), tier=self.choice.tier,
            labels=self._labels, subtitle=self._subtitle(),
        )
        self._show(alt)
        self._panel()
        column = _control_column([self.case, *self.sliders.values(), self.reset])
        super().__init__(children=[_controls_then_output(column, self.result_html),
                                   self.figure_html])
        self._mark(self.threat, self.figure_html)
        for s in self.sliders.values():
            s.observe(self._on_slider, names="value")
        self.case.observe(self._on_case, names="value")
        self.reset.on_click(self._on_reset)

    def _build_controls(self, start: dict[str, float], case: str) -> None:
        """Create the five sliders, the case dropdown and the output areas."""
        tips = {
            "threat": "How threatened the state is (0 = not at all, 1 = maximally)",
            "self_reliance": "Share of the threat the state can meet with its own means",
            "autonomy": "How much the state values its freedom of decision",
            "entrapment": "Risk of being dragged into a partner's conflicts",
            "dominance": "Risk that the partner dominates the state",
        }
        self.threat = _float_slider("Threat", start["threat"], tips["threat"])
        self.self_reliance = _float_slider("Self-reliance", start["self_reliance"],
                                           tips["self_reliance"])
        self.autonomy = _float_slider("Autonomy valued", start["autonomy"], tips["autonomy"])
        self.entrapment = _float_slider("Entrapment risk", start["entrapment"],
                                        tips["entrapment"])
        self.dominance = _float_slider("Dominance risk", start["dominance"], tips["dominance"])
        self.sliders = {k: getattr(self, k) for k in INPUTS}
        self.case = widgets.Dropdown(
            options=[("Custom inputs", "")] + [
                (str(self._cases.loc[c, "description"]), c) for c in self._cases.index],
            value=case, description="Reference case",
            description_allow_html=False,
            tooltip="Load the inputs of one of the course's stylised reference cases",
            style=_STYLE, layout=widgets.Layout(width="100%"),
        )
        self.reset = _reset_button("Put every slider and the case back to where this map started")
        _align(self.case, *self.sliders.values())
        self.result_html = widgets.HTML()
        self.figure_html = widgets.HTML()

    def __repr__(self) -> str:
        return f"TierDecisionMap(tier={self.choice.tier!r}, case={self.case.value or None!r})"

    def _values(self) -> dict[str, float]:
        return {k: float(s.value) for k, s in self.sliders.items()}

    def _choose(self):

        return choose_tier(**self._values())

    def _subtitle(self) -> str:
        v = self._values()
        return (f"self-reliance {v['self_reliance']:.2f}, entrapment {v['entrapment']:.2f}, "
                f"dominance {v['dominance']:.2f}")

    def _grid(self) -> pd.DataFrame:
        """Tier grid for the fixed inputs (recomputed only when they change)."""


        v = self._values()
        key = (v["self_reliance"], v["entrapment"], v["dominance"])
        if key != self._grid_key:
            idx = decision_grid(self._axis, self._axis, self_reliance=key[0],
                                entrapment=key[1], dominance=key[2])
            self._grid_frame = pd.DataFrame(np.asarray(self._keys, dtype=object)[idx],
                                            index=self._axis, columns=self._axis)
            self._grid_key = key
        return self._grid_frame

    def _panel(self) -> None:
        c = self.choice
        ratio = "infinite" if math.isinf(c.ratio) else f"{c.ratio:.2f}"
        reasons = "".join(f"<li>{html.escape(r)}</li>" for r in c.reasons)
        rows = []
        for name, fm in c.flip_margins.items():
            def cell(dist, to):
                if dist is None or to is None:
                    return "no change within [0, 1]"
                return f"{dist:.2f} &rarr; {html.escape(self._labels.get(to, to))}"
            rows.append([name.replace("_", " "), cell(fm.down, fm.to_tier_down),
                         cell(fm.up, fm.to_tier_up)])
        self.result_html.value = _live(
            f"<p><b>Chosen tier: {html.escape(c.label)}</b><br>Need N = {c.need:.3f}, "
            f"cost K = {c.cost:.3f}, ratio R = {ratio}</p><ul>{reasons}</ul>"
            + _table_html("Flip margins: how far one input must move to change the tier",
                          ["Input", "Lower by", "Raise by"], rows)
        )

    def _refresh(self) -> None:
        self.choice = self._choose()
        old = self._grid_key
        grid = self._grid()
        alt = update_decision_map(
            self.figure, grid=grid if self._grid_key != old else None,
            point=(self.autonomy.value, self.threat.value), tier=self.choice.tier,
            subtitle=self._subtitle(),
        )
        self._show(alt)
        self._panel()

    def _on_slider(self, change: Any) -> None:
        if self._loading:
            return
        if self.case.value:
            row = self._cases.loc[self.case.value]
            if any(abs(float(row[k]) - v) > 1e-9 for k, v in self._values().items()):
                self._loading = True
                try:
                    self.case.value = ""
                finally:
                    self._loading = False
        self._refresh()

    def _on_reset(self, button: widgets.Button | None = None) -> None:
        """Restore the starting case and inputs (the paper's values for a case)."""
        self._loading = True
        try:
            self.case.value = self._start_case
            for k, s in self.sliders.items():
                s.value = self._start[k]
        finally:
            self._loading = False
        self._refresh()

    def _on_case(self, change: Any) -> None:
        if self._loading or not change["new"]:
            return
        row = self._cases.loc[change["new"]]
        self._loading = True
        try:
            for k, s in self.sliders.items():
                s.value = float(row[k])
        finally:
            self._loading = False
        self._refresh()


def tier_decision_map(case: str | None = "israel", **inputs: float) -> TierDecisionMap:
    """Build a :class:`TierDecisionMap`, starting from a reference case or given inputs.

    Parameters
    ----------
    case : str or None
        A reference case of :func:`course_lib.tiers.reference_cases` (default ``"israel"``).
    **inputs : float
        Any of ``threat, self_reliance, autonomy, entrapment, dominance`` (override the case).

    Examples
    --------
    >>> w = tier_decision_map()
    >>> w
    TierDecisionMap(tier='partnership', case='israel')
    >>> w.threat.value = 0.2
    >>> w.choice.tier, w.case.value
    ('none', '')
    """
    return TierDecisionMap(case, **inputs)

