"""The sensitivity explorer: a seeded Monte Carlo over factor weights, drawn as score ranges.

Examples
--------
>>> w = SensitivityExplorer("ISR", n_draws=200)
>>> w.observer.value = "MAR"  # Morocco as the observer: Algeria comes first
>>> w.summary["share_first"].idxmax(), w.alt_text.split(" over ")[0]
('DZA', 'Range chart of threat scores to Morocco (MAR)')
>>> SensitivityExplorer("ISR", n_draws=0)
Traceback (most recent call last):
...
ValueError: n_draws must be an integer in [100, 5000], got 0
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets
import pandas as pd

from course_lib import _validate
from course_lib.datasets import load_states
from course_lib.plots import sensitivity_chart, update_sensitivity_chart
from course_lib.threat import threat_factors, weight_sensitivity
from course_lib.widgets._base import (
    _STYLE,
    _align,
    _Composite,
    _control_column,
    _controls_then_output,
    _live,
    _reset_button,
)

__all__ = ["SensitivityExplorer", "sensitivity_explorer"]

#: Range of the seed box (numpy accepts any seed >= 0; the box holds 32-bit ones).
_SEED_MAX = 2**31 - 1


class SensitivityExplorer(_Composite):
    """Monte Carlo over factor weights: ranges of threat scores, seeded.

    Attributes
    ----------
    observer : ipywidgets.Dropdown
        The state whose threat ranking is tested.
    n_draws : ipywidgets.IntSlider
    concentration : ipywidgets.FloatLogSlider
        Dirichlet concentration (``course-poke``): 1 = any weighting equally likely,
        larger = weights near equal.
    method : ipywidgets.ToggleButtons
    seed : ipywidgets.BoundedIntText
    reset : ipywidgets.Button
        Back to the starting observer, draws, concentration, aggregation and seed.
    summary_label, figure_html : ipywidgets.HTML
    summary : pandas.DataFrame
        From :func:`course_lib.threat.weight_sensitivity`.
    """

    placeholder_name = "Sensitivity explorer"

    def __init__(self, observer: str = "ISR", *, n_draws: int = 500, seed: int = 0,
                 concentration: float = 1.0, top: int = 8) -> None:
        states = load_states()
        _validate.state_code(observer, "observer", states.index)
        _validate.integer(n_draws, "n_draws", 100, 5000)
        _validate.integer(seed, "seed", 0, _SEED_MAX)
        _validate.finite_in(concentration, "concentration", 0.1, 100.0)
        _validate.integer(top, "top", 1, 30)
        self._states = states
        self._factor_cache: dict[str, pd.DataFrame] = {}
        self._start = {"observer": observer, "n_draws": n_draws, "seed": seed,
                       "concentration": concentration, "method": "additive"}
        self._syncing = False
        order = states.sort_values("name", kind="stable")
        self.observer = widgets.Dropdown(
            options=[(f"{n} ({c})", c) for c, n in zip(order.index, order["name"], strict=True)],
            value=observer, description="Observer", description_allow_html=False,
            tooltip="The state whose threat ranking is tested", style=_STYLE,
        )
        self.reset = _reset_button("Back to the starting observer, draws, concentration, "
                                   "aggregation and seed")
        self.n_draws = widgets.IntSlider(
            value=n_draws, min=100, max=5000, step=100, description="Number of draws",
            description_allow_html=False, tooltip="How many random weightings to try",
            continuous_update=False, style=_STYLE, layout=widgets.Layout(width="420px"),
        )
        self.concentration = widgets.FloatLogSlider(
            value=concentration, base=10, min=-1, max=2, step=0.1,
            description="Concentration", description_allow_html=False,
            tooltip="Dirichlet concentration: 1 = any weighting equally likely, "
                    "larger = weights close to equal",
            continuous_update=False, readout_format=".2f", style=_STYLE,
            layout=widgets.Layout(width="420px"),
        )
        self.method = widgets.ToggleButtons(
            options=[("Additive", "additive"), ("Geometric", "geometric")], value="additive",
            description="Aggregation", description_allow_html=False,
            tooltip="How the four factors are combined",
            tooltips=["Weighted mean", "Weighted geometric mean"], style=_STYLE,
        )
        self.seed = widgets.BoundedIntText(
            value=seed, min=0, max=_SEED_MAX, description="Seed", description_allow_html=False,
            tooltip="Random seed: the same seed gives the same draws", style=_STYLE,
            layout=widgets.Layout(width="200px"),
        )
        self.summary_label = widgets.HTML()
        self.figure_html = widgets.HTML()
        self.summary = self._run()
        self.figure, alt = sensitivity_chart(self.summary, observer, n_draws=self.n_draws.value,
                                             top=top, observer_name=self._name)
        self._show(alt)
        self._texts()
        _align(self.observer, self.n_draws, self.concentration, self.seed)
        self.observer.layout.width = self.seed.layout.width = "100%"
        super().__init__(children=[
            _controls_then_output(
                _control_column([self.observer, self.n_draws, self.concentration, self.seed,
                                 self.reset]),
                widgets.VBox([self.method], layout=widgets.Layout(min_width="0"))),
            self.summary_label, self.figure_html,
        ])
        self._mark(self.concentration, self.figure_html)
        for w in (self.observer, self.n_draws, self.concentration, self.method, self.seed):
            w.observe(self._update, names="value")
        self.reset.on_click(self._on_reset)

    @property
    def _observer(self) -> str:
        return str(self.observer.value)

    @property
    def _name(self) -> str:
        return str(self._states.loc[self._observer, "name"])

    def __repr__(self) -> str:
        return (f"SensitivityExplorer(observer={self._observer!r}, "
                f"n_draws={self.n_draws.value}, seed={self.seed.value})")

    def _factors(self) -> pd.DataFrame:
        """Factor table of the observer, built once: the controls only change the draws."""

        if self._observer not in self._factor_cache:
            self._factor_cache[self._observer] = threat_factors(self._observer)
        return self._factor_cache[self._observer]

    def _run(self) -> pd.DataFrame:
        return weight_sensitivity(self._observer, n_draws=int(self.n_draws.value),
                                  seed=int(self.seed.value),
                                  concentration=float(self.concentration.value),
                                  method=self.method.value, factors=self._factors())

    def _texts(self) -> None:
        s = self.summary.dropna(subset=["share_first"])
        if s.empty:
            self.summary_label.value = _live("No source could be scored.")
            return
        best = s["share_first"].astype(float).idxmax()
        self.summary_label.value = _live(
            f"<b>{html.escape(str(s.loc[best, 'name']))}</b> ranks as the top threat to "
            f"{html.escape(self._name)} in {s.loc[best, 'share_first']:.0%} of "
            f"{self.n_draws.value} weightings (concentration "
            f"{self.concentration.value:.2f}, seed {self.seed.value}, {self.method.value})."
        )

    def _on_reset(self, button: widgets.Button | None = None) -> None:
        """Restore the starting observer and settings (one recomputation)."""
        self._syncing = True
        try:
            for name, value in self._start.items():
                getattr(self, name).value = value
        finally:
            self._syncing = False
        self._update()

    def _update(self, change: Any = None) -> None:
        if self._syncing:
            return
        self.summary = self._run()
        alt = update_sensitivity_chart(self.figure, self.summary, self._observer,
                                       n_draws=self.n_draws.value, observer_name=self._name)
        self._show(alt)
        self._texts()


def sensitivity_explorer(observer: str = "ISR", **kwargs: Any) -> SensitivityExplorer:
    """Build a :class:`SensitivityExplorer` for ``observer`` (keywords as its constructor).

    Examples
    --------
    >>> w = sensitivity_explorer("ISR", n_draws=200)
    >>> w
    SensitivityExplorer(observer='ISR', n_draws=200, seed=0)
    >>> bool(w.summary["share_first"].sum() > 0.99)
    True
    """
    return SensitivityExplorer(observer, **kwargs)

