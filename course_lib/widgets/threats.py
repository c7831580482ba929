"""The threat explorer: Walt's four factors scored live, with adjustable weights and codings.

Examples
--------
>>> w = ThreatExplorer("ISR", ["IRN", "SYR"])
>>> w.source_set.value, len(w.table)
('custom', 2)
>>> w.intent_source.value = "SYR"
>>> w.intent_score.value = 1.0  # recode Syria's intent towards Israel
>>> float(w.table.loc["SYR", "intent"]), w.table.loc["SYR", "intent_basis"]
(1.0, 'override')
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd

from course_lib import _validate
from course_lib.datasets import (
    DEFAULT_INTENTION_CODING,
    INTENTION_CODINGS,
    MENA_REGIONAL_POWERS,
    load_states,
)
from course_lib.plots import clear_threat_bar, threat_bar, update_threat_bar
from course_lib.threat import DEFAULT_WEIGHTS, FACTORS, threat_factors, threat_score
from course_lib.widgets._base import (
    _FACTORS,
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

__all__ = ["ThreatExplorer", "threat_explorer"]

_SOURCE_SETS = (
    ("All other states", "all"),
    ("MENA states", "MENA"),
    ("NATO members", "NATO"),
    ("Other states (Russia, China, Ukraine, Georgia)", "Other"),
    ("MENA regional powers", "regional"),
)


class ThreatExplorer(_Composite):
    """Score threats to an observer after Walt (1985), with adjustable weights.

    Attributes
    ----------
    observer, source_set : ipywidgets.Dropdown
    power_weight, proximity_weight, capability_weight, intent_weight : FloatSlider
        Also in :attr:`weight_sliders` (``intent_weight`` is the ``course-poke`` control).
    coding : ipywidgets.Dropdown
        Which dated coding of the intentions table scores intent: ``"2023"`` (the paper's
        view) or ``"2026-12"`` (the course's coding after the events since the paper), as
        ``threat_to(..., intent_coding=...)`` does.
    intent_source : ipywidgets.Dropdown
        The source whose intent coding :attr:`intent_score` shows and sets.
    intent_score : ipywidgets.FloatSlider
        The intent coding of that source towards the observer (moving it overrides the
        course's coded table, as ``threat_to(..., intentions=...)`` does).
    codings : dict of str to dict of str to float
        The overrides made so far, per observer: ``{observer: {source: score}}``.
    reset : ipywidgets.Button
        Back to the starting observer, sources and dated coding, the default weights,
        additive aggregation, exponential decay and the coded intentions.
    method, decay : ipywidgets.ToggleButtons
    top_label, table_html, figure_html : ipywidgets.HTML
    table : pandas.DataFrame
        The current threat table (as :func:`course_lib.threat.threat_to` would give).
    figure : matplotlib.figure.Figure
        Drawn once and mutated on every update.
    """

    placeholder_name = "Threat explorer"

    def __init__(self, observer: str = "ISR", sources: Sequence[str] | None = None, *,
                 top: int = 8, intent_coding: str = DEFAULT_INTENTION_CODING) -> None:
        self._states = load_states()
        _validate.state_code(observer, "observer", self._states.index)
        intent_coding = _validate.choice(intent_coding, "intent_coding", INTENTION_CODINGS)
        self._regional = list(MENA_REGIONAL_POWERS)
        self._custom = (None if sources is None
                        else _validate.code_list(sources, "sources", self._states.index))
        self._top = _validate.integer(top, "top", 1, 30)
        self._cache: dict[tuple, pd.DataFrame] = {}
        self.codings: dict[str, dict[str, float]] = {}
        self._syncing = False
        self._options_key: tuple | None = None
        self._build_controls(observer, intent_coding)
        self._start = {"observer": observer, "source_set": self.source_set.value,
                       "coding": intent_coding}
        self.table = self._score()
        name = self._states.loc[observer, "name"]
        self.figure, alt = threat_bar(self.table, observer, weights=self._weights(),
                                      method=self.method.value, top=top, observer_name=name)
        self._show(alt)
        self._texts()
        self._sync_intent_controls()
        super().__init__(children=[self._layout(), self.top_label, self.figure_html,
                                   self.table_html])
        self._mark(self.intent_weight, self.figure_html)
        for w in (self.observer, self.source_set, self.coding, self.method, self.decay,
                  *self.weight_sliders.values()):
            w.observe(self._update, names="value")
        self.intent_source.observe(self._on_intent_source, names="value")
        self.intent_score.observe(self._on_intent_score, names="value")
        self.reset.on_click(self._on_reset)

    def _layout(self) -> widgets.HBox:
        """Dropdowns, sliders, coding and reset in the control column; toggles beside it."""
        _align(self.observer, self.source_set, *self.weight_sliders.values(), self.coding,
               self.intent_source, self.intent_score)
        for dropdown in (self.observer, self.source_set, self.coding, self.intent_source):
            dropdown.layout.width = "100%"
        coding = widgets.HTML("<b>Intent coding</b> (the course's judgement; change it)")
        column = _control_column([self.observer, self.source_set,
                                  *self.weight_sliders.values(), coding, self.coding,
                                  self.intent_source, self.intent_score, self.reset])
        toggles = widgets.VBox([self.method, self.decay], layout=widgets.Layout(min_width="0"))
        return _controls_then_output(column, toggles)

    def _build_controls(self, observer: str, intent_coding: str) -> None:
        """Create the dropdowns, weight sliders, toggles and output areas."""
        order = self._states.sort_values("name", kind="stable")
        self.observer = widgets.Dropdown(
            options=[(f"{n} ({c})", c) for c, n in zip(order.index, order["name"], strict=True)],
            value=observer, description="Observer", description_allow_html=False,
            tooltip="The state whose threat environment is scored", style=_STYLE,
        )
        options = list(_SOURCE_SETS)
        if self._custom is not None:
            options.append((f"Given list ({len(self._custom)} states)", "custom"))
        self.source_set = widgets.Dropdown(
            options=options, value="custom" if self._custom is not None else "all",
            description="Sources", description_allow_html=False,
            tooltip="Which states are scored as potential threats", style=_STYLE,
        )
        tips = {
            "power": "Weight of aggregate power (course CINC-style index)",
            "proximity": "Weight of geographic proximity (distance decay)",
            "capability": "Weight of offensive capability (spending, nuclear status)",
            "intent": "Weight of offensive intentions (hand-coded, cited table)",
        }
        self.weight_sliders = {
            k: _float_slider(f"{k.capitalize()} weight", float(DEFAULT_WEIGHTS[k]), tips[k],
                             hi=2.0, step=0.1)
            for k in _FACTORS
        }
        self.power_weight = self.weight_sliders["power"]
        self.proximity_weight = self.weight_sliders["proximity"]
        self.capability_weight = self.weight_sliders["capability"]
        self.intent_weight = self.weight_sliders["intent"]
        self.method = widgets.ToggleButtons(
            options=[("Additive", "additive"), ("Geometric", "geometric")], value="additive",
            description="Aggregation", description_allow_html=False,
            tooltip="Additive: factors compensate; geometric: a factor near 0 pulls the score "
                    "near 0",
            tooltips=["Weighted mean (compensatory)", "Weighted geometric mean "
                      "(non-compensatory)"], style=_STYLE,
        )
        self.decay = widgets.ToggleButtons(
            options=[("Exponential", "exponential"), ("Bueno de Mesquita", "bdm")],
            value="exponential", description="Distance decay", description_allow_html=False,
            tooltip="Loss-of-strength gradient used for proximity",
            tooltips=["exp(-d / 2000 km)", "Bueno de Mesquita (1981) discount"], style=_STYLE,
        )
        self.coding = widgets.Dropdown(
            options=list(zip(("2023: the paper's view", "December 2026: after the events"),
                             INTENTION_CODINGS, strict=True)), value=intent_coding,
            description="Coding as of", description_allow_html=False,
            tooltip="Which dated coding of offensive intentions scores the sources: the "
                    "paper's 2023 view or the course's coding after the events to December 2026",
            style=_STYLE,
        )
        self.intent_source = widgets.Dropdown(
            options=[], description="Intent of", description_allow_html=False,
            tooltip="The source state whose intent towards the observer you recode",
            style=_STYLE,
        )
        self.intent_score = _float_slider(
            "Intent coding", 0.1, "Offensive intent of that source towards the observer "
            "(0 = none, 1 = open hostility); moving it overrides the coded table", step=0.05)
        self.reset = _reset_button("Back to the starting observer and sources, the default "
                                   "weights and the course's coded intentions")
        self.top_label = widgets.HTML()
        self.table_html = widgets.HTML()
        self.figure_html = widgets.HTML()

    def __repr__(self) -> str:
        return (f"ThreatExplorer(observer={self.observer.value!r}, method={self.method.value!r}, "
                f"coding={self.coding.value!r})")

    def _weights(self) -> dict[str, float]:
        return {k: float(s.value) for k, s in self.weight_sliders.items()}

    def _sources(self) -> list[str]:
        obs = self.observer.value
        key = self.source_set.value
        if key == "all":
            codes = list(self._states.index)
        elif key == "regional":
            codes = self._regional
        elif key == "custom":
            codes = self._custom or []
        else:
            codes = list(self._states.index[self._states["group"] == key])
        return [c for c in codes if c != obs]

    def _factors(self) -> pd.DataFrame:
        """Factor table, cached: weights and aggregation never require rebuilding it."""

        key = (self.observer.value, self.source_set.value, self.decay.value, self.coding.value)
        if key not in self._cache:
            self._cache[key] = threat_factors(self.observer.value, self._sources(),
                                              decay=self.decay.value,
                                              intent_coding=self.coding.value)
        return self._cache[key]

    def _coded_factors(self) -> pd.DataFrame:
        """The cached factors with this observer's intent overrides applied (a copy if any)."""
        factors = self._factors()
        codings = {k: v for k, v in self.codings.get(self.observer.value, {}).items()
                   if k in factors.index}
        if not codings:
            return factors
        factors = factors.copy()
        factors.loc[list(codings), "intent"] = list(codings.values())
        factors.loc[list(codings), "intent_basis"] = "override"
        return factors

    def _score(self) -> pd.DataFrame:
        """Score the cached factors like :func:`course_lib.threat.threat_to` does."""
        factors = self._coded_factors()
        complete = factors[list(FACTORS)].notna().all(axis=1)
        threat = pd.Series(np.nan, index=factors.index, dtype=float)
        if complete.any():
            threat[complete] = threat_score(factors.loc[complete], self._weights(),
                                            self.method.value).to_numpy()
        table = factors.assign(threat=threat)
        ranked = threat.dropna().sort_index(kind="stable").sort_values(ascending=False,
                                                                       kind="stable")
        rank = pd.Series(pd.NA, index=table.index, dtype="Int64")
        rank.loc[ranked.index] = np.arange(1, len(ranked) + 1)
        table["rank"] = rank
        unscored = sorted(c for c in table.index if c not in set(ranked.index))
        order = list(ranked.index) + unscored
        return table.loc[order]

    def _sync_intent_controls(self) -> None:
        """Offer the current sources in "Intent of" and show the chosen one's coding."""
        key = (self.observer.value, self.source_set.value)
        t = self.table
        self._syncing = True
        try:
            if key != self._options_key:
                order = t.sort_values("name", kind="stable") if len(t) else t
                self.intent_source.options = [
                    (f"{n} ({c})", c) for c, n in zip(order.index, order["name"], strict=True)]
                self._options_key = key
                self.intent_source.value = t.index[0] if len(t) else None
            src = self.intent_source.value
            if src is not None and src in t.index:
                self.intent_score.value = float(t.loc[src, "intent"])
        finally:
            self._syncing = False

    def _on_intent_source(self, change: Any) -> None:
        if not self._syncing:
            self._sync_intent_controls()

    def _on_intent_score(self, change: Any) -> None:
        src = self.intent_source.value
        if self._syncing or src is None:
            return
        self.codings.setdefault(self.observer.value, {})[src] = float(change["new"])
        self._update()

    def _on_reset(self, button: widgets.Button | None = None) -> None:
        """Restore the starting observer, sources, weights, toggles and coded intentions."""
        self.codings.clear()
        self._syncing = True
        try:
            self.observer.value = self._start["observer"]
            self.source_set.value = self._start["source_set"]
            self.coding.value = self._start["coding"]
            for k, s in self.weight_sliders.items():
                s.value = float(DEFAULT_WEIGHTS[k])
            self.method.value, self.decay.value = "additive", "exponential"
        finally:
            self._syncing = False
        self._options_key = None
        self._update()

    def _texts(self) -> None:
        obs = self.observer.value
        name = self._states.loc[obs, "name"]
        t = self.table
        if t["threat"].notna().any():
            best = t.index[0]
            self.top_label.value = _live(
                f"<b>Top threat to {html.escape(name)} ({obs}):</b> "
                f"{html.escape(t.loc[best, 'name'])} ({best}), score "
                f"{t.loc[best, 'threat']:.2f} ({self.method.value} aggregation, intent "
                f"coding as of {html.escape(self.coding.value)})."
            )
        else:
            self.top_label.value = _live("No source has a full set of data to score.")
        rows = []
        for code, row in t.head(self._top).iterrows():
            rows.append([
                f"{html.escape(row['name'])} ({code})",
                *(f"{row[k]:.2f}" for k in _FACTORS[:3]),
                f"{row['intent']:.2f} ({html.escape(str(row['intent_basis']))})",
                "n/a" if math.isnan(row["threat"]) else f"{row['threat']:.3f}",
                "" if pd.isna(row["rank"]) else str(int(row["rank"])),
            ])
        self.table_html.value = _table_html(
            f"Factor breakdown, threat to {name}: top {min(self._top, len(t))} of {len(t)}",
            ["Source", "Power", "Proximity", "Capability", "Intent (basis)", "Threat", "Rank"],
            rows,
        )

    def _clear(self, reason: str, table: pd.DataFrame) -> None:
        """Nothing to rank: empty the chart, its alt text and the table, and say why."""
        self.table = table
        obs = self.observer.value
        alt = clear_threat_bar(self.figure, obs, reason, method=self.method.value,
                               observer_name=self._states.loc[obs, "name"])
        self._show(alt)
        self.top_label.value = _live(html.escape(reason))
        self.table_html.value = f"<p>No ranking to show: {html.escape(reason)}</p>"

    def _update(self, change: Any = None) -> None:
        if self._syncing:
            return
        if not self._sources():
            self._clear("No sources left once the observer is removed.", self.table.iloc[:0])
            self._sync_intent_controls()
            return
        if sum(self._weights().values()) <= 0:
            unscored = self._coded_factors().assign(threat=np.nan, rank=pd.NA)
            self._clear("All weights are 0: raise at least one weight.", unscored)
            self._sync_intent_controls()
            return
        self.table = self._score()
        obs = self.observer.value
        alt = update_threat_bar(self.figure, self.table, obs, weights=self._weights(),
                                method=self.method.value,
                                observer_name=self._states.loc[obs, "name"])
        self._show(alt)
        self._texts()
        self._sync_intent_controls()


def threat_explorer(observer: str = "ISR", sources: Sequence[str] | None = None, *,
                    intent_coding: str = DEFAULT_INTENTION_CODING) -> ThreatExplorer:
    """Build a :class:`ThreatExplorer` for ``observer`` (ISO3 code).

    Parameters
    ----------
    observer : str
        ISO3 code of the threatened state, default Israel.
    sources : sequence of str, optional
        Restrict the sources to this list (offered as "Given list" in the dropdown).
    intent_coding : {"2023", "2026-12"}, default "2023"
        The dated coding of intentions to start with (the "Coding as of" menu switches it).

    Examples
    --------
    >>> w = threat_explorer("ISR")
    >>> w
    ThreatExplorer(observer='ISR', method='additive', coding='2023')
    >>> w.intent_weight.value = 0.0
    >>> w.table.index[0] == w.table["threat"].idxmax()
    True
    >>> w.intent_weight.value = 1.0
    >>> w.coding.value = "2026-12"   # the course's coding after the events since the paper
    >>> w.table.index[0], float(w.table.loc["IRN", "intent"])
    ('IRN', 1.0)
    """
    return ThreatExplorer(observer, sources, intent_coding=intent_coding)

