"""A notebook as page content: every cell and output reduced to what a page may show.

:func:`cell_views` turns an executed notebook into :class:`CellView` records that the template
``graded_notebook.html.j2`` lays out.  What each part becomes:

- Markdown cells: rendered (math kept as text), raw HTML sanitised, pasted images
  (attachments) embedded when they are images;
- raw cells: their text, never interpreted (nbconvert would paste a raw HTML cell as is);
- code cells: the source highlighted by Pygments, then each output by the richest type that
  can be shown without script, in JupyterLab's order: a widget view or JavaScript becomes a
  note (plus its plain-text fallback), HTML and Markdown are sanitised, LaTeX and JSON are
  text, images are ``data:`` URIs with a width and height only when they are whole numbers;
  streams and errors are text with terminal colours removed;
- cell and notebook metadata: never shown (tags, names and titles are only read).

Examples
--------
>>> import nbformat
>>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_raw_cell("<script>x</script>")])
>>> cell_views(nb, {})[0]
CellView(kind='raw', source='<script>x</script>', html=Markup(''), code=Markup(''), \
prompt='', outputs=(), question=None)
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass

from markupsafe import Markup
from nbconvert.filters import strip_ansi
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

from classroom.notebooks.model import CellRole, cell_role, cell_source, grade_id
from classroom.pages.sanitize import IMAGE_TYPES, image_data_uri, markdown_html, sanitize_html

__all__ = ["CellView", "OutputView", "cell_views", "highlight_css", "output_views"]

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: JupyterLab's order of preference among the types of one output
_ORDER = (WIDGET_VIEW, "application/javascript", "text/html", "text/markdown", "text/latex",
          "image/svg+xml", "image/png", "image/jpeg", "image/gif", "image/webp",
          "application/json", "text/plain")
_NOTES = {WIDGET_VIEW: "An interactive widget: it needs a running kernel, so it is not shown "
                       "here.",
          "application/javascript": "A JavaScript output: never run in this page."}
_MAX_SIZE = 10_000


@dataclass(frozen=True)
class OutputView:
    """One output as the page shows it: ``kind`` is image, html, text or note."""

    kind: str
    html: Markup = Markup("")
    text: str = ""
    src: str = ""
    width: int | None = None
    height: int | None = None
    css: str = ""


@dataclass(frozen=True)
class CellView:
    """One cell: markdown, raw, code, or graded (a test cell replaced by its result)."""

    kind: str
    source: str = ""
    html: Markup = Markup("")
    code: Markup = Markup("")
    prompt: str = ""
    outputs: tuple[OutputView, ...] = ()
    question: Mapping | None = None


def _text(value: object) -> str:
    return "".join(map(str, value)) if isinstance(value, list) else str(value)


def _size(value: object) -> int | None:
    """A whole number of pixels, or ``None`` for anything else (``"1 onload=..."``)."""
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= _MAX_SIZE:
        return value
    return None


def _image(mime: str, data: object, metadata: Mapping) -> OutputView | None:
    src = image_data_uri(mime, data)
    if src is None:
        return None
    own = metadata.get(mime)
    own = own if isinstance(own, Mapping) else metadata
    return OutputView("image", src=src, width=_size(own.get("width")),
                      height=_size(own.get("height")))


def _bundle_view(mime: str, data: object, metadata: Mapping) -> OutputView | None:
    if mime in IMAGE_TYPES:
        return _image(mime, data, metadata)
    if mime == "text/html":
        return OutputView("html", html=sanitize_html(_text(data)))
    if mime == "text/markdown":
        return OutputView("html", html=markdown_html(_text(data), raw_html=True))
    if mime == "application/json":
        return OutputView("text", text=json.dumps(data, indent=1, ensure_ascii=False,
                                                  default=str))
    return OutputView("text", text=strip_ansi(_text(data)))


def _rich_views(data: Mapping, metadata: Mapping) -> list[OutputView]:
    views: list[OutputView] = []
    broken = []
    for mime in (m for m in _ORDER if m in data):
        if mime in _NOTES:
            views.append(OutputView("note", text=_NOTES[mime]))
            if "text/plain" in data:
                views.append(OutputView("text", text=strip_ansi(_text(data["text/plain"]))))
            return views
        view = _bundle_view(mime, data[mime], metadata)
        if view is not None:
            return [view]
        broken.append(mime)
    if broken:
        views.append(OutputView("note", text=f"An image output ({', '.join(broken)}) whose "
                                "data is not valid base64: not shown."))
    elif data:
        views.append(OutputView("note", text="An output of a type this page does not show ("
                                + ", ".join(sorted(map(str, data))) + ")."))
    return views


def output_views(output: Mapping) -> list[OutputView]:
    """What one output of a code cell shows (a list: a note may come with a fallback).

    Examples
    --------
    >>> output_views({"output_type": "display_data", "metadata": {"image/png": {"height":
    ...     "1 onload=alert(1)"}}, "data": {"image/png": "iVBORw0KGgo="}})[0].height is None
    True
    """
    kind = output.get("output_type")
    if kind == "stream":
        return [OutputView("text", text=strip_ansi(_text(output.get("text", ""))),
                           css=str(output.get("name")) == "stderr" and "stderr" or "stdout")]
    if kind == "error":
        lines = [f"{_text(output.get('ename', ''))}: {_text(output.get('evalue', ''))}"]
        lines += [_text(line) for line in output.get("traceback") or []]
        return [OutputView("text", text=strip_ansi("\n".join(lines)), css="error")]
    data = output.get("data")
    metadata = output.get("metadata")
    return _rich_views(data if isinstance(data, Mapping) else {},
                       metadata if isinstance(metadata, Mapping) else {})


def _formatter() -> HtmlFormatter:
    return HtmlFormatter(nowrap=True)


@functools.cache
def highlight_css() -> str:
    """The style sheet of Pygments' highlighting classes (inside ``.highlight``)."""
    return _formatter().get_style_defs(".highlight")


@functools.lru_cache(maxsize=1024)
def _highlighted(source: str) -> Markup:
    """``source`` highlighted as Python (the same cells recur in every student's notebook)."""
    return sanitize_html(highlight(source, PythonLexer(), _formatter()))


def _code_view(cell: Mapping) -> CellView:
    source = cell_source(cell)
    count = cell.get("execution_count")
    prompt = f"[{count}]" if isinstance(count, int) and not isinstance(count, bool) else "[ ]"
    outputs = tuple(v for output in cell.get("outputs") or [] if isinstance(output, Mapping)
                    for v in output_views(output))
    return CellView("code", source=source, prompt=prompt, outputs=outputs,
                    code=_highlighted(source))


def cell_views(nb: Mapping, questions: Mapping[str, Mapping]) -> list[CellView]:
    """Every cell of ``nb`` as shown; test cells whose ``grade_id`` is in ``questions`` become
    graded notes carrying that question's result.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# T <b>x</b>")])
    >>> str(cell_views(nb, {})[0].html)
    '<h1>T <b>x</b></h1>\\n'
    """
    views = []
    for cell in nb.get("cells", []):
        kind = cell.get("cell_type")
        if kind == "markdown":
            views.append(CellView("markdown", html=markdown_html(
                cell_source(cell), raw_html=True, attachments=cell.get("attachments"))))
        elif kind == "code" and cell_role(cell) is CellRole.TEST \
                and grade_id(cell) in questions:
            views.append(CellView("graded", question=questions[grade_id(cell)]))
        elif kind == "code":
            views.append(_code_view(cell))
        else:
            views.append(CellView("raw", source=cell_source(cell)))
    return views
