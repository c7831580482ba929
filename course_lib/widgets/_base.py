"""What every composite shares: the poke classes, the accessible ``<img>``, the controls.

Arguments are checked by the package's one set of rules (:mod:`course_lib._validate`); a widget
never clamps an argument into its control's range, it refuses it.

Examples
--------
>>> s = _float_slider("Threat", 0.5, "How threatened the state is")
>>> s.description, s.value, s.continuous_update
('Threat', 0.5, False)
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import ipywidgets as widgets
from matplotlib.figure import Figure

from course_lib.plots import img_tag
from course_lib.widgets.placeholder import RunCellPlaceholder

__all__ = ["POKE_CLASS", "POKE_OUTPUT_CLASS", "img_html"]

#: CSS class of each composite's main control (poked by the browser test).
POKE_CLASS = "course-poke"
#: CSS class of each composite's visible result (expected to change after a poke).
POKE_OUTPUT_CLASS = "course-poke-output"

_STYLE = {"description_width": "initial"}
_FACTORS = ("power", "proximity", "capability", "intent")


def img_html(fig: Figure, alt: str) -> str:
    """Return an ``<img>`` tag holding ``fig`` as a PNG data URI, with alt text and size.

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
    return img_tag(fig, alt)  # shown at its display size (course_lib.plots.show)


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
    # width auto: the box fits its grid cell or column (ipywidgets' default is a fixed 300 px)
    return widgets.Checkbox(value=value, description=description, tooltip=tooltip,
                            description_allow_html=False, indent=False, style=_STYLE,
                            layout=widgets.Layout(width="auto"))


def _table_html(caption: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A small HTML table (cells already escaped) with a caption and column headers."""
    head = "".join(f'<th scope="col">{h}</th>' for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (
        f'<table class="course-table"><caption>{html.escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


class _Composite(RunCellPlaceholder, widgets.VBox):
    """Shared behaviour: a figure shown as an accessible ``<img>``, poke classes, controls.

    A saved notebook's ``text/plain`` for the widget is a "run this cell" line naming it
    (``placeholder_name``, :mod:`course_lib.widgets.placeholder`), not a Python repr.
    """

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


#: One description width for every labelled control, so every slider track starts at the same x.
DESCRIPTION_WIDTH = "150px"
#: Width of a composite's control column (sliders fill it; it never shrinks below this).
CONTROL_COLUMN_WIDTH = "380px"


def _align(*controls: widgets.Widget) -> None:
    """Give ``controls`` the shared description width; sliders fill their column.

    Examples
    --------
    >>> s = _float_slider("Threat", 0.5, "How threatened the state is")
    >>> _align(s)
    >>> s.style.description_width, s.layout.width
    ('150px', '100%')
    """
    for c in controls:
        if hasattr(c.style, "description_width"):
            c.style.description_width = DESCRIPTION_WIDTH
        if isinstance(c, (widgets.FloatSlider, widgets.IntSlider, widgets.FloatLogSlider,
                          widgets.IntRangeSlider, widgets.FloatRangeSlider)):
            c.layout.width = "100%"


def _control_column(children: Sequence[widgets.Widget]) -> widgets.VBox:
    """A fixed-width column for controls that a neighbouring output cannot squeeze.

    Examples
    --------
    >>> slider = _float_slider("Threat", 0.5, "tip")
    >>> _align(slider)
    >>> col = _control_column([slider])
    >>> col.layout.width, col.layout.min_width, col.layout.flex
    ('380px', '380px', '0 0 auto')
    >>> col.children[0].layout.margin  # a full-width control keeps inside the column
    '2px 0px'
    """
    for child in children:
        if child.layout.width == "100%":  # ipywidgets' 2 px side margins would overflow it
            child.layout.margin = "2px 0px"
    return widgets.VBox(list(children), layout=widgets.Layout(
        width=CONTROL_COLUMN_WIDTH, min_width=CONTROL_COLUMN_WIDTH, flex="0 0 auto"))


def _controls_then_output(column: widgets.Widget, output: widgets.Widget) -> widgets.HBox:
    """Controls on the left, output on the right; the output wraps below when space is short.

    Examples
    --------
    >>> row = _controls_then_output(_control_column([]), widgets.HTML())
    >>> row.layout.flex_flow, row.children[1].layout.flex
    ('row wrap', '1 1 320px')
    """
    output.layout.flex = "1 1 320px"
    output.layout.min_width = "0"
    output.layout.margin = "0 0 0 16px"
    return widgets.HBox([column, output],
                        layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start",
                                              width="100%"))


def _reset_button(tooltip: str) -> widgets.Button:
    """The "Reset to the paper's values" button (its click handler is the composite's).

    Examples
    --------
    >>> _reset_button("Restore the case").description
    "Reset to the paper's values"
    """
    return widgets.Button(description="Reset to the paper's values", tooltip=tooltip,
                          icon="undo", layout=widgets.Layout(width="auto"))
