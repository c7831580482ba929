"""The text a widget leaves in a saved notebook: a clear "run this cell" line, not a repr.

A notebook stores every widget output twice: as a widget view (drawn only while a kernel runs
the widget, or from saved widget state) and as ``text/plain``. JupyterLab shows the
``text/plain`` after a reload or on a machine without a kernel, so that text must tell a
learner what to do. :class:`RunCellPlaceholder` puts :func:`placeholder_text` there and keeps
``repr()`` unchanged for developers and doctests.

Examples
--------
>>> placeholder_text("Quiz")
'[Quiz: an interactive widget. Run this cell (Shift+Enter) to use it.]'
"""

from __future__ import annotations

from typing import Any

__all__ = ["RunCellPlaceholder", "placeholder_text"]


def placeholder_text(name: str) -> str:
    """The one line saved as ``text/plain`` for a widget called ``name``.

    Raises
    ------
    ValueError
        If ``name`` is empty.

    Examples
    --------
    >>> placeholder_text("Threat explorer")
    '[Threat explorer: an interactive widget. Run this cell (Shift+Enter) to use it.]'
    """
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"name must be a non-empty string, got {name!r}")
    return f"[{name.strip()}: an interactive widget. Run this cell (Shift+Enter) to use it.]"


class RunCellPlaceholder:
    """Mixin for ipywidgets: ``text/plain`` is :func:`placeholder_text`, the view is unchanged.

    Set ``placeholder_name`` on the class (default: the class name).

    Examples
    --------
    >>> import ipywidgets as widgets
    >>> class Demo(RunCellPlaceholder, widgets.VBox):
    ...     placeholder_name = "Demo widget"
    >>> bundle = Demo()._repr_mimebundle_()
    >>> bundle["text/plain"]
    '[Demo widget: an interactive widget. Run this cell (Shift+Enter) to use it.]'
    >>> "application/vnd.jupyter.widget-view+json" in bundle
    True
    """

    placeholder_name: str = ""

    def _repr_mimebundle_(self, **kwargs: Any) -> dict | None:
        bundle = super()._repr_mimebundle_(**kwargs)  # type: ignore[misc]
        if bundle is not None:
            bundle["text/plain"] = placeholder_text(
                self.placeholder_name or type(self).__name__)
        return bundle
