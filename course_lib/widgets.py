"""Interactive composites for the lessons (ipywidgets 8), one public factory per widget.

Each composite is an :class:`ipywidgets.VBox` whose controls are named attributes, so a
test (or a notebook cell) can set ``w.threat.value = 0.9`` and read the result at once: the
observers run in the kernel, with no browser needed. The composites follow four rules:

- **quiet**: nothing is printed at creation or on update (strict nbval has no widget front
  end, so a printed line would become an unexpected output);
- **deterministic repr**: ``repr(w)`` is a short string of the current state, e.g.
  ``ThreatExplorer(observer='ISR', method='additive')``, which is the ``text/plain`` that
  nbval compares;
- **one figure, mutated**: the figure is drawn once; an update changes the existing
  artists (bar widths, point positions, texts) and re-renders the PNG into an
  :class:`ipywidgets.HTML` ``<img>`` that carries alt text and ``role="img"``;
- **accessible, testable controls**: every control is a standard (keyboard-operable)
  ipywidget with a visible ``description`` and a ``tooltip``; the main control carries the
  CSS class ``course-poke`` and its visible result ``course-poke-output`` (the real-browser
  test pokes the first and expects the second to change).

Factories: :func:`threat_explorer`, :func:`tier_decision_map`, :func:`timeline_explorer`,
:func:`strategy_chooser`, :func:`sensitivity_explorer`, :func:`quiz`.

Examples
--------
>>> q = quiz([{"prompt": "Who wrote The Origins of Alliances?",
...            "options": ["Walt", "Morrow"], "answer": 0,
...            "explanation": "Stephen Walt, 1987."}])
>>> q
Quiz(questions=1)
>>> q.choices[0].value = 0
>>> q.check(0)
True
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

if TYPE_CHECKING:  # pragma: no cover - typing only
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = [
    "POKE_CLASS",
    "POKE_OUTPUT_CLASS",
    "ThreatExplorer",
    "TierDecisionMap",
    "TimelineExplorer",
    "StrategyChooser",
    "SensitivityExplorer",
    "Quiz",
    "threat_explorer",
    "tier_decision_map",
    "timeline_explorer",
    "strategy_chooser",
    "sensitivity_explorer",
    "quiz",
    "img_html",
]

#: CSS class of each composite's main control (poked by the browser test).
POKE_CLASS = "course-poke"
#: CSS class of each composite's visible result (expected to change after a poke).
POKE_OUTPUT_CLASS = "course-poke-output"

_STYLE = {"description_width": "initial"}
_FACTORS = ("power", "proximity", "capability", "intent")


# --------------------------------------------------------------------------- helpers
def img_html(fig: Figure, alt: str) -> str:
    """Return an ``<img>`` tag holding ``fig`` as a PNG data URI, with alt text.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> fig = Figure(figsize=(1, 1)); _ = fig.add_subplot()
    >>> tag = img_html(fig, 'A "square" axes')
    >>> tag.startswith('<img src="data:image/png;base64,'), tag.endswith('role="img">')
    (True, True)
    >>> 'alt="A &quot;square&quot; axes"' in tag
    True
    """
    from course_lib.plots import figure_to_png_base64

    if not isinstance(alt, str) or not alt.strip():
        raise ValueError("alt must be a non-empty string describing the figure")
    png = figure_to_png_base64(fig)
    return (
        f'<img src="data:image/png;base64,{png}" alt="{html.escape(alt, quote=True)}" '
        f'style="max-width:100%" role="img">'
    )


def _live(inner: str) -> str:
    """Wrap text so screen readers announce changes politely."""
    return f'<div role="status" aria-live="polite">{inner}</div>'


def _float_slider(description: str, value: float, tooltip: str, *, lo: float = 0.0,
                  hi: float = 1.0, step: float = 0.01) -> widgets.FloatSlider:
    return widgets.FloatSlider(
        value=value, min=lo, max=hi, step=step, description=description, tooltip=tooltip,
        description_allow_html=False, continuous_update=False, readout_format=".2f",
        style=_STYLE, layout=widgets.Layout(width="420px"),
    )


def _checkbox(description: str, value: bool, tooltip: str) -> widgets.Checkbox:
    return widgets.Checkbox(value=value, description=description, tooltip=tooltip,
                            description_allow_html=False, indent=False, style=_STYLE)


def _table_html(caption: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A small HTML table (cells already escaped) with a caption and column headers."""
    head = "".join(f'<th scope="col">{h}</th>' for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (
        f'<table class="course-table"><caption>{html.escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _unit(value: Any, name: str) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a finite number in [0, 1], got {value!r}") from None
    if not math.isfinite(x) or not 0.0 <= x <= 1.0:
        raise ValueError(f"{name} must be a finite number in [0, 1], got {value!r}")
    return x


class _Composite(widgets.VBox):
    """Shared behaviour: a figure shown as an accessible ``<img>``, poke classes, controls."""

    figure: Figure | None = None
    alt_text: str = ""

    def _mark(self, poke: widgets.Widget, output: widgets.Widget) -> None:
        poke.add_class(POKE_CLASS)
        output.add_class(POKE_OUTPUT_CLASS)
        self.poke_control = poke
        self.poke_output = output

    def _show(self, alt: str) -> None:
        self.alt_text = alt
        self.figure_html.value = img_html(self.figure, alt)

    @property
    def controls(self) -> list[widgets.Widget]:
        """Every interactive control of the composite (walks the widget tree)."""
        out: list[widgets.Widget] = []

        def walk(w: widgets.Widget) -> None:
            if isinstance(w, widgets.Box):
                for child in w.children:
                    walk(child)
            elif isinstance(w, (widgets.ValueWidget, widgets.Button)) and not isinstance(
                w, (widgets.HTML, widgets.HTMLMath, widgets.Label)
            ):
                out.append(w)

        walk(self)
        return out


# -------------------------------------------------------------------- threat explorer
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
        from course_lib.datasets import MENA_REGIONAL_POWERS, load_states
        from course_lib.plots import threat_bar
        from course_lib.threat import DEFAULT_WEIGHTS

        self._states = load_states()
        if observer not in self._states.index:
            raise ValueError(
                f"observer must be one of the {len(self._states)} ISO3 codes in the states "
                f"table (e.g. 'ISR'), got {observer!r}"
            )
        self._regional = list(MENA_REGIONAL_POWERS)
        self._custom = None if sources is None else [str(s) for s in sources]
        if self._custom is not None:
            unknown = [s for s in self._custom if s not in self._states.index]
            if unknown or not self._custom:
                raise ValueError(
                    "sources must be a non-empty list of ISO3 codes in the states table, "
                    f"got unknown {unknown}"
                )
        self._cache: dict[tuple, pd.DataFrame] = {}
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
        self._top = top
        self.table = self._score()
        name = self._states.loc[observer, "name"]
        self.figure, alt = threat_bar(self.table, observer, weights=self._weights(),
                                      method=self.method.value, top=top, observer_name=name)
        self._show(alt)
        self._texts()
        super().__init__(children=[
            widgets.HBox([self.observer, self.source_set]),
            widgets.HBox([widgets.VBox(list(self.weight_sliders.values())),
                          widgets.VBox([self.method, self.decay])]),
            self.top_label, self.figure_html, self.table_html,
        ])
        self._mark(self.intent_weight, self.figure_html)
        for w in (self.observer, self.source_set, self.method, self.decay,
                  *self.weight_sliders.values()):
            w.observe(self._update, names="value")

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
        from course_lib.threat import threat_factors

        key = (self.observer.value, self.source_set.value, self.decay.value)
        if key not in self._cache:
            self._cache[key] = threat_factors(self.observer.value, self._sources(),
                                              decay=self.decay.value)
        return self._cache[key]

    def _score(self) -> pd.DataFrame:
        """Score the cached factors like :func:`course_lib.threat.threat_to` does."""
        import numpy as np
        import pandas as pd

        from course_lib.threat import FACTORS, threat_score

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
        import pandas as pd

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
        from course_lib.plots import update_threat_bar

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


# ------------------------------------------------------------------- tier decision map
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

    def __init__(self, case: str | None = "israel", *, resolution: int = 41,
                 **inputs: float) -> None:
        from course_lib.plots import decision_map
        from course_lib.tiers import INPUTS, reference_cases, tier_table

        if not isinstance(resolution, int) or not 5 <= resolution <= 201:
            raise ValueError(f"resolution must be an integer in [5, 201], got {resolution!r}")
        unknown = sorted(set(inputs) - set(INPUTS))
        if unknown:
            raise ValueError(f"inputs must be among {list(INPUTS)}, got {unknown}")
        self._cases = reference_cases().set_index("case")
        if case not in (None, "") and case not in self._cases.index:
            raise ValueError(f"case must be one of {list(self._cases.index)} or None, "
                             f"got {case!r}")
        tiers = tier_table()
        self._keys = list(tiers["key"])
        self._labels = dict(zip(tiers["key"], tiers["label"], strict=True))
        start = {"threat": 0.6, "self_reliance": 0.3, "autonomy": 0.6, "entrapment": 0.25,
                 "dominance": 0.3}
        if case:
            start.update({k: float(self._cases.loc[case, k]) for k in INPUTS})
        start.update({k: _unit(v, k) for k, v in inputs.items()})
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
            value=(case or "") if not inputs else "", description="Reference case",
            description_allow_html=False,
            tooltip="Load the inputs of one of the course's stylised reference cases",
            style=_STYLE, layout=widgets.Layout(width="620px"),
        )
        self.result_html = widgets.HTML()
        self.figure_html = widgets.HTML()
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
        super().__init__(children=[
            self.case,
            widgets.HBox([widgets.VBox(list(self.sliders.values())), self.result_html]),
            self.figure_html,
        ])
        self._mark(self.threat, self.figure_html)
        for s in self.sliders.values():
            s.observe(self._on_slider, names="value")
        self.case.observe(self._on_case, names="value")

    def __repr__(self) -> str:
        return f"TierDecisionMap(tier={self.choice.tier!r}, case={self.case.value or None!r})"

    def _values(self) -> dict[str, float]:
        return {k: float(s.value) for k, s in self.sliders.items()}

    def _choose(self):
        from course_lib.tiers import choose_tier

        return choose_tier(**self._values())

    def _subtitle(self) -> str:
        v = self._values()
        return (f"self-reliance {v['self_reliance']:.2f}, entrapment {v['entrapment']:.2f}, "
                f"dominance {v['dominance']:.2f}")

    def _grid(self) -> pd.DataFrame:
        """Tier grid for the fixed inputs (recomputed only when they change)."""
        import numpy as np
        import pandas as pd

        from course_lib.tiers import decision_grid

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
        from course_lib.plots import update_decision_map

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


# ---------------------------------------------------------------------- timeline
class TimelineExplorer(_Composite):
    """Milestones by year and category, filterable.

    Attributes
    ----------
    category_boxes : dict of str to ipywidgets.Checkbox
        One checkbox per category.
    years : ipywidgets.IntRangeSlider
        Inclusive year range (``course-poke``).
    count_label, table_html, figure_html : ipywidgets.HTML
    shown : pandas.DataFrame
        The milestones currently shown.
    """

    def __init__(self, timeline: pd.DataFrame | None = None) -> None:
        from course_lib.plots import timeline_chart

        if timeline is None:
            from course_lib.datasets import load_timeline

            timeline = load_timeline()
        self._timeline = timeline
        cats = list(dict.fromkeys(timeline["category"]))
        self.category_boxes = {
            c: _checkbox(c, True, f"Show milestones in the category {c}") for c in cats
        }
        lo, hi = int(timeline["year"].min()), int(timeline["year"].max())
        self.years = widgets.IntRangeSlider(
            value=(lo, hi), min=lo, max=hi, step=1, description="Years",
            description_allow_html=False, tooltip="First and last year shown",
            continuous_update=False, style=_STYLE, layout=widgets.Layout(width="520px"),
        )
        self.count_label = widgets.HTML()
        self.table_html = widgets.HTML()
        self.figure_html = widgets.HTML()
        self._batch = False
        self.figure, alt = timeline_chart(timeline, categories=self.categories,
                                          years=self.years.value)
        from course_lib.plots import _timeline_filter

        self.shown = _timeline_filter(timeline, self.categories, self.years.value)
        self._show(alt)
        self._texts()
        super().__init__(children=[
            widgets.HTML("<b>Categories</b>"),
            widgets.GridBox(list(self.category_boxes.values()),
                            layout=widgets.Layout(grid_template_columns="repeat(3, 240px)")),
            self.years, self.count_label, self.figure_html, self.table_html,
        ])
        self._mark(self.years, self.figure_html)
        for w in (self.years, *self.category_boxes.values()):
            w.observe(self._update, names="value")

    def __repr__(self) -> str:
        lo, hi = self.years.value
        return f"TimelineExplorer(categories={len(self.categories)}, years=({lo}, {hi}))"

    @property
    def categories(self) -> list[str]:
        """Categories currently ticked."""
        return [c for c, b in self.category_boxes.items() if b.value]

    def set_categories(self, categories: Sequence[str]) -> None:
        """Tick exactly ``categories`` (one redraw).

        Examples
        --------
        >>> w = timeline_explorer()
        >>> w.set_categories(["NATO-Israel"])
        >>> set(w.shown["category"])
        {'NATO-Israel'}
        """
        unknown = sorted(set(categories) - set(self.category_boxes))
        if unknown:
            raise ValueError(f"categories must be among {list(self.category_boxes)}, "
                             f"got {unknown}")
        self._batch = True
        try:
            for c, b in self.category_boxes.items():
                b.value = c in categories
        finally:
            self._batch = False
        self._update()

    def _texts(self) -> None:
        n = len(self.shown)
        lo, hi = self.years.value
        self.count_label.value = _live(
            f"<b>{n} milestone{'s' if n != 1 else ''} shown</b> ({lo}-{hi}, "
            f"{len(self.categories)} of {len(self.category_boxes)} categories)."
        )
        rows = []
        for _, r in self.shown.iterrows():
            src = str(r.get("source", "") or "")
            link = (f'<a href="{html.escape(src, quote=True)}">source</a>'
                    if src.startswith("http") else html.escape(src))
            rows.append([html.escape(str(r.get("date", r["year"]))), html.escape(str(r["event"])),
                         html.escape(str(r["category"])), link])
        self.table_html.value = _table_html("Milestones shown", ["Date", "Event", "Category",
                                                                 "Source"], rows)

    def _update(self, change: Any = None) -> None:
        from course_lib.plots import update_timeline_chart

        if self._batch:
            return
        self.shown, alt = update_timeline_chart(self.figure, self._timeline,
                                                categories=self.categories,
                                                years=self.years.value)
        self._show(alt)
        self._texts()


def timeline_explorer(timeline: pd.DataFrame | None = None) -> TimelineExplorer:
    """Build a :class:`TimelineExplorer` (default: the packaged timeline).

    Examples
    --------
    >>> w = timeline_explorer()
    >>> w.years.value = (2004, 2004)
    >>> sorted(set(w.shown["year"].tolist()))
    [2004]
    """
    return TimelineExplorer(timeline)


# ---------------------------------------------------------------------- strategy
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

    def __init__(self, threat: float = 0.8, capability: float = 0.7, resolve: float = 0.3, *,
                 partner_available: bool = True, partner_can_dominate: bool = False,
                 buck_catcher_available: bool = True) -> None:
        self.threat = _float_slider("Threat", _unit(threat, "threat"),
                                    "How threatened the state is")
        self.capability = _float_slider("Capability", _unit(capability, "capability"),
                                        "Military capability relative to the threat")
        self.resolve = _float_slider("Resolve", _unit(resolve, "resolve"),
                                     "Willingness to take on commitments to others")
        self.partner_available = _checkbox("Credible partner available", bool(partner_available),
                                           "Is there a partner that would help balance?")
        self.partner_can_dominate = _checkbox("Partner could dominate us",
                                              bool(partner_can_dominate),
                                              "Could that partner dominate the state?")
        self.buck_catcher_available = _checkbox(
            "Buck-catcher available", bool(buck_catcher_available),
            "Is a more exposed state willing to balance in our place?")
        self.result_html = widgets.HTML()
        self.result = self._choose()
        self._panel()
        super().__init__(children=[
            widgets.HBox([
                widgets.VBox([self.threat, self.capability, self.resolve]),
                widgets.VBox([self.partner_available, self.partner_can_dominate,
                              self.buck_catcher_available]),
            ]),
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

    def _choose(self):
        from course_lib.tiers import choose_strategy

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


# ------------------------------------------------------------------- sensitivity
class SensitivityExplorer(_Composite):
    """Monte Carlo over factor weights: ranges of threat scores, seeded.

    Attributes
    ----------
    n_draws : ipywidgets.IntSlider
    concentration : ipywidgets.FloatLogSlider
        Dirichlet concentration (``course-poke``): 1 = any weighting equally likely,
        larger = weights near equal.
    method : ipywidgets.ToggleButtons
    seed : ipywidgets.BoundedIntText
    summary_label, figure_html : ipywidgets.HTML
    summary : pandas.DataFrame
        From :func:`course_lib.threat.weight_sensitivity`.
    """

    def __init__(self, observer: str = "ISR", *, n_draws: int = 500, seed: int = 0,
                 concentration: float = 1.0, top: int = 8) -> None:
        from course_lib.datasets import load_states
        from course_lib.plots import sensitivity_chart

        states = load_states()
        if observer not in states.index:
            raise ValueError(
                f"observer must be one of the {len(states)} ISO3 codes in the states table "
                f"(e.g. 'ISR'), got {observer!r}"
            )
        self._observer = observer
        self._name = str(states.loc[observer, "name"])
        self._factor_cache: dict[str, pd.DataFrame] = {}
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
            value=seed, min=0, max=2**31 - 1, description="Seed", description_allow_html=False,
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
        super().__init__(children=[
            widgets.HBox([widgets.VBox([self.n_draws, self.concentration]),
                          widgets.VBox([self.method, self.seed])]),
            self.summary_label, self.figure_html,
        ])
        self._mark(self.concentration, self.figure_html)
        for w in (self.n_draws, self.concentration, self.method, self.seed):
            w.observe(self._update, names="value")

    def __repr__(self) -> str:
        return (f"SensitivityExplorer(observer={self._observer!r}, "
                f"n_draws={self.n_draws.value}, seed={self.seed.value})")

    def _factors(self) -> pd.DataFrame:
        """Factor table of the observer, built once: the controls only change the draws."""
        from course_lib.threat import threat_factors

        if self._observer not in self._factor_cache:
            self._factor_cache[self._observer] = threat_factors(self._observer)
        return self._factor_cache[self._observer]

    def _run(self) -> pd.DataFrame:
        from course_lib.threat import weight_sensitivity

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

    def _update(self, change: Any = None) -> None:
        from course_lib.plots import update_sensitivity_chart

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


# -------------------------------------------------------------------------- quiz
def _check_questions(questions: Any) -> list[dict[str, Any]]:
    if not isinstance(questions, Sequence) or isinstance(questions, str) or not questions:
        raise ValueError("questions must be a non-empty list of dicts")
    out = []
    for i, q in enumerate(questions):
        if not isinstance(q, Mapping):
            raise ValueError(f"questions[{i}] must be a dict, got {type(q).__name__}")
        missing = [k for k in ("prompt", "options", "answer", "explanation") if k not in q]
        if missing:
            raise ValueError(f"questions[{i}] must have the keys prompt, options, answer, "
                             f"explanation; missing {missing}")
        options = list(q["options"])
        if len(options) < 2 or not all(isinstance(o, str) and o.strip() for o in options):
            raise ValueError(f"questions[{i}]['options'] must hold at least 2 non-empty "
                             "strings")
        ans = q["answer"]
        if isinstance(ans, bool) or not isinstance(ans, int) or not 0 <= ans < len(options):
            raise ValueError(f"questions[{i}]['answer'] must be an integer in "
                             f"[0, {len(options) - 1}], got {ans!r}")
        out.append({"prompt": str(q["prompt"]), "options": options, "answer": ans,
                    "explanation": str(q["explanation"])})
    return out


class Quiz(widgets.VBox):
    """Formative multiple-choice questions with immediate, explained feedback (not graded).

    Attributes
    ----------
    choices : list of ipywidgets.RadioButtons
        One per question; the first is ``course-poke``.
    buttons : list of ipywidgets.Button
        "Check answer" per question.
    feedback : list of ipywidgets.HTML
        Feedback per question; the first is ``course-poke-output``.
    """

    def __init__(self, questions: Sequence[Mapping[str, Any]], *,
                 title: str = "Check your understanding") -> None:
        self.questions = _check_questions(questions)
        self.choices: list[widgets.RadioButtons] = []
        self.buttons: list[widgets.Button] = []
        self.feedback: list[widgets.HTML] = []
        children: list[widgets.Widget] = [widgets.HTML(
            f"<h4>{html.escape(title)}</h4><p>Practice only: nothing is recorded or graded.</p>")]
        for i, q in enumerate(self.questions):
            radio = widgets.RadioButtons(
                options=[(o, j) for j, o in enumerate(q["options"])], index=None,
                description=f"Answer {i + 1}", description_allow_html=False,
                tooltip=f"Choose one answer to question {i + 1}", style=_STYLE,
                layout=widgets.Layout(width="auto"),
            )
            button = widgets.Button(description="Check answer", tooltip=f"Check question {i + 1}",
                                    button_style="")
            fb = widgets.HTML(_live(""))
            radio.observe(lambda change, i=i: self._selected(i), names="value")
            button.on_click(lambda _b, i=i: self.check(i))
            self.choices.append(radio)
            self.buttons.append(button)
            self.feedback.append(fb)
            children += [widgets.HTML(f"<p><b>{i + 1}.</b> {html.escape(q['prompt'])}</p>"),
                         radio, button, fb]
        super().__init__(children=children)
        self.choices[0].add_class(POKE_CLASS)
        self.feedback[0].add_class(POKE_OUTPUT_CLASS)
        self.poke_control, self.poke_output = self.choices[0], self.feedback[0]

    def __repr__(self) -> str:
        return f"Quiz(questions={len(self.questions)})"

    @property
    def controls(self) -> list[widgets.Widget]:
        """All interactive controls (radio groups and buttons)."""
        return [*self.choices, *self.buttons]

    def _selected(self, i: int) -> None:
        self.feedback[i].value = _live("Answer selected: press <i>Check answer</i>.")

    def check(self, i: int) -> bool | None:
        """Give feedback on question ``i``; return True/False, or None if unanswered.

        Raises
        ------
        ValueError
            If ``i`` is not a question index.
        """
        if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < len(self.questions):
            raise ValueError(f"i must be an integer in [0, {len(self.questions) - 1}], got {i!r}")
        q = self.questions[i]
        picked = self.choices[i].value
        if picked is None:
            self.feedback[i].value = _live("Choose an answer first.")
            return None
        right = picked == q["answer"]
        expl = html.escape(q["explanation"])
        if right:
            self.feedback[i].value = _live(f"<b>Correct.</b> {expl}")
        else:
            self.feedback[i].value = _live(
                f"<b>Incorrect.</b> You chose &ldquo;{html.escape(q['options'][picked])}"
                f"&rdquo;; the answer is &ldquo;{html.escape(q['options'][q['answer']])}"
                f"&rdquo;. {expl}"
            )
        return right


def quiz(questions: Sequence[Mapping[str, Any]], *,
         title: str = "Check your understanding") -> Quiz:
    """Build a :class:`Quiz` from dicts with ``prompt, options, answer, explanation``.

    Examples
    --------
    >>> q = quiz([{"prompt": "Which aggregation lets high power offset zero intent?",
    ...            "options": ["additive", "geometric"], "answer": 0,
    ...            "explanation": "A weighted mean is compensatory."}])
    >>> q.choices[0].value = 1
    >>> q.check(0), "Incorrect" in q.feedback[0].value
    (False, True)
    """
    return Quiz(questions, title=title)
