"""The threat explorer: Walt's four factors scored live, with adjustable weights.

Examples
--------
>>> w = ThreatExplorer("ISR", ["IRN", "SYR"])
>>> w.source_set.value, len(w.table)
('custom', 2)
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd

from course_lib.datasets import MENA_REGIONAL_POWERS, load_states
from course_lib.plots import threat_bar, update_threat_bar
from course_lib.threat import DEFAULT_WEIGHTS, FACTORS, threat_factors, threat_score
from course_lib.widgets._base import (
    _FACTORS,
    _STYLE,
    _align,
    _check_code_list,
    _check_int,
    _Composite,
    _control_column,
    _controls_then_output,
    _float_slider,
    _live,
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
    method, decay : ipywidgets.ToggleButtons
    top_label, table_html, figure_html : ipywidgets.HTML
    table : pandas.DataFrame
        The current threat table (as :func:`course_lib.threat.threat_to` would give).
    figure : matplotlib.figure.Figure
        Drawn once and mutated on every update.
    """

    def __init__(self, observer: str = "ISR", sources: Sequence[str] | None = None, *,
                 top: int = 8) -> None:
        self._states = load_states()
        if not isinstance(observer, str) or observer not in self._states.index:
            raise ValueError(
                f"observer must be one of the {len(self._states)} ISO3 codes in the states "
                f"table (e.g. 'ISR'), got {observer!r}"
            )
        self._regional = list(MENA_REGIONAL_POWERS)
        self._custom = (None if sources is None
                        else _check_code_list(sources, "sources", self._states.index))
        self._top = _check_int(top, "top", 1, 30)
        self._cache: dict[tuple, pd.DataFrame] = {}
        self._build_controls(observer)
        self.table = self._score()
        name = self._states.loc[observer, "name"]
        self.figure, alt = threat_bar(self.table, observer, weights=self._weights(),
                                      method=self.method.value, top=top, observer_name=name)
        self._show(alt)
        self._texts()
        _align(self.observer, self.source_set, *self.weight_sliders.values())
        self.observer.layout.width = self.source_set.layout.width = "100%"
        toggles = widgets.VBox([self.method, self.decay], layout=widgets.Layout(min_width="0"))
        super().__init__(children=[
            _controls_then_output(_control_column([self.observer, self.source_set,
                                                   *self.weight_sliders.values()]), toggles),
            self.top_label, self.figure_html, self.table_html,
        ])
        self._mark(self.intent_weight, self.figure_html)
        for w in (self.observer, self.source_set, self.method, self.decay,
                  *self.weight_sliders.values()):
            w.observe(self._update, names="value")

    def _build_controls(self, observer: str) -> None:
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
        self.top_label = widgets.HTML()
        self.table_html = widgets.HTML()
        self.figure_html = widgets.HTML()

    def __repr__(self) -> str:
        return f"ThreatExplorer(observer={self.observer.value!r}, method={self.method.value!r})"

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

        key = (self.observer.value, self.source_set.value, self.decay.value)
        if key not in self._cache:
            self._cache[key] = threat_factors(self.observer.value, self._sources(),
                                              decay=self.decay.value)
        return self._cache[key]

    def _score(self) -> pd.DataFrame:
        """Score the cached factors like :func:`course_lib.threat.threat_to` does."""


        factors = self._factors()
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

    def _texts(self) -> None:
        obs = self.observer.value
        name = self._states.loc[obs, "name"]
        t = self.table
        if t["threat"].notna().any():
            best = t.index[0]
            self.top_label.value = _live(
                f"<b>Top threat to {html.escape(name)} ({obs}):</b> "
                f"{html.escape(t.loc[best, 'name'])} ({best}), score "
                f"{t.loc[best, 'threat']:.2f} ({self.method.value} aggregation)."
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

    def _update(self, change: Any = None) -> None:
        if sum(self._weights().values()) <= 0:
            self.top_label.value = _live("All weights are 0: raise at least one weight.")
            return
        if not self._sources():
            self.top_label.value = _live("No sources left once the observer is removed.")
            return
        self.table = self._score()
        obs = self.observer.value
        alt = update_threat_bar(self.figure, self.table, obs, weights=self._weights(),
                                method=self.method.value,
                                observer_name=self._states.loc[obs, "name"])
        self._show(alt)
        self._texts()


def threat_explorer(observer: str = "ISR", sources: Sequence[str] | None = None
                    ) -> ThreatExplorer:
    """Build a :class:`ThreatExplorer` for ``observer`` (ISO3 code).

    Parameters
    ----------
    observer : str
        ISO3 code of the threatened state, default Israel.
    sources : sequence of str, optional
        Restrict the sources to this list (offered as "Given list" in the dropdown).

    Examples
    --------
    >>> w = threat_explorer("ISR")
    >>> w
    ThreatExplorer(observer='ISR', method='additive')
    >>> w.intent_weight.value = 0.0
    >>> w.table.index[0] == w.table["threat"].idxmax()
    True
    """
    return ThreatExplorer(observer, sources)

