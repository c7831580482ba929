"""A corpus of script payloads in every place a page takes text from (not a test module).

Each payload ``n`` runs ``top.__pwned=n;alert(n)`` if any browser ever executes it, so a test
can tell which one got through: by the dialog it opens or the global it sets.  The places:

- a notebook (:func:`hostile_notebook`): Markdown cells (raw HTML, ``javascript:`` links,
  SVG, frames, forms, ``<meta refresh>``, ``<base>``, mutation-XSS shapes), attachments (a
  real PNG, an SVG with script, an HTML file), a raw HTML cell, cell and notebook metadata, and
  code-cell outputs of every type (PNG with hostile width/height metadata, HTML, SVG,
  Markdown, JavaScript, a widget view, LaTeX, JSON, plain text, streams, an error, an image
  that is not base64);
- a result (:func:`hostile_result`): the student id, the title, check messages, the student's
  value, errors, a manual comment;
- a class report (:func:`hostile_report`): folder, summary, titles, question ids, failure
  reasons, similar pairs, notes.

Alongside go the things an instructor must still see: a PNG figure, an SVG figure, a pasted
image, a table cell, Markdown text and the answer's code (:data:`VISIBLE`).
"""

from __future__ import annotations

import base64
import io
import re
from html.parser import HTMLParser

import nbformat
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from classroom.classreport.figures import Image
from classroom.classreport.page import ExerciseSection, ReportData
from classroom.classreport.similarity import SimilarPair
from classroom.classreport.stats import ExerciseStats, QuestionStats
from classroom.notebooks.model import CellRole, mark_cell


def js(n: int) -> str:
    """The script of payload ``n`` (no quotes, so it fits any attribute or URL)."""
    return f"top.__pwned={n};alert({n})"


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode("ascii")


def _png(width: int = 60, height: int = 40) -> str:
    """A real PNG (base64) of a filled square, ``width`` x ``height`` pixels."""
    fig = Figure(figsize=(width / 20, height / 20), dpi=20)
    FigureCanvasAgg(fig)
    fig.patch.set_facecolor("#0072B2")
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return base64.b64encode(buf.getvalue()).decode("ascii")


SVG_FIGURE = ('<svg xmlns="http://www.w3.org/2000/svg" width="80" height="20" onload="{0}">'
              '<script>{1}</script><rect width="80" height="20" fill="#009E73"/></svg>')

#: texts a page must still show
VISIBLE = ("table-cell-visible", "markdown-output-visible", "answer_value = 42",
           "markdown-cell-visible")

MARKDOWN_CELL = f"""# Exercise <img src=x onerror={js(1)}> markdown-cell-visible

[a link](javascript:{js(2)}) <a href="javascript:{js(3)}">b</a>
<a href="jav&#x09;ascript:{js(4)}">c</a>
<svg><script>{js(5)}</script></svg> <svg onload="{js(6)}"></svg>
<iframe srcdoc="<script>{js(7)}</script>"></iframe> <iframe src="javascript:{js(8)}"></iframe>
<details open ontoggle="{js(9)}"><summary>s</summary></details>
<math><mtext><table><mglyph><style><img src=x onerror={js(10)}></style></mglyph></table>
</mtext></math>
<form action="javascript:{js(11)}"><button formaction="javascript:{js(12)}">go</button></form>
<meta http-equiv="refresh" content="0;url=javascript:{js(13)}">
<object data="javascript:{js(14)}"></object><embed src="javascript:{js(15)}">
<base href="javascript:{js(16)}//"><input autofocus onfocus="{js(17)}">
<noscript><p title="</noscript><img src=x onerror={js(18)}>"></p></noscript>
<div style="background:url(javascript:{js(19)})">styled</div>
<img src="http://127.0.0.1:9/track.png" onerror="{js(20)}">
<a href="data:text/html;base64,{_b64(f'<script>{js(21)}</script>')}">d</a>

Pasted: ![pasted figure](attachment:pasted.png) ![evil](attachment:evil.svg)
![page](attachment:page.html) ![gone](attachment:missing.png) $<img src=x onerror={js(22)}>$
"""

HTML_OUTPUT = (f"<table><tr><td>table-cell-visible</td></tr></table>"
               f"<img src=x onerror={js(30)}><script>{js(31)}</script>"
               f"<a href='javascript:{js(32)}'>link</a><style>@import 'http://127.0.0.1:9/x.css';"
               f"</style><img src=\"data:image/svg+xml;base64,"
               f"{_b64(SVG_FIGURE.format(js(33), js(34)))}\">")


def _display(data: dict, metadata: dict | None = None) -> nbformat.NotebookNode:
    return nbformat.v4.new_output("display_data", data=data, metadata=metadata or {})


def _outputs() -> list:
    png = _png()
    return [
        _display({"image/png": _png(30, 20),
                  "text/plain": "<IPython.core.display.Image object>"},
                 {"image/png": {"width": f"1 onload={js(40)}",
                                "height": f'1" onerror="{js(41)}'}}),
        _display({"image/png": png, "text/plain": "figure"},
                 {"image/png": {"width": 60, "height": 40}}),
        _display({"text/html": HTML_OUTPUT, "text/plain": "html"}),
        _display({"image/svg+xml": SVG_FIGURE.format(js(42), js(43))}),
        _display({"text/markdown": f"**markdown-output-visible** [x](javascript:{js(44)}) "
                                   f"<img src=x onerror={js(45)}>"}),
        _display({"application/javascript": js(46)}),
        _display({"application/vnd.jupyter.widget-view+json": {
            "model_id": f'"><img src=x onerror={js(47)}>', "version_major": 2,
            "version_minor": 0}, "text/plain": f"<img src=x onerror={js(48)}>"}),
        _display({"text/latex": f"$<img src=x onerror={js(49)}>$"}),
        _display({"application/json": {"k": f"<script>{js(50)}</script>"}}),
        _display({"image/jpeg": f'"><img src=x onerror={js(51)}>'}),
        _display({"application/x-unknown": f"<script>{js(52)}</script>"}),
        nbformat.v4.new_output("execute_result", data={"text/plain": f"<script>{js(53)}"
                                                                     "</script>"},
                               execution_count=3),
        nbformat.v4.new_output("stream", name="stdout", text=f"<img src=x onerror={js(54)}>"),
        nbformat.v4.new_output("stream", name="stderr", text=f"<script>{js(55)}</script>"),
        nbformat.v4.new_output("error", ename=f"<img src=x onerror={js(56)}>",
                               evalue=f"<script>{js(57)}</script>",
                               traceback=[f"\x1b[31m<svg onload={js(58)}>\x1b[0m"]),
    ]


def hostile_notebook() -> nbformat.NotebookNode:
    """An executed notebook with a payload in every part a page could take from it."""
    md = nbformat.v4.new_markdown_cell(MARKDOWN_CELL, metadata={
        "tags": [f'"><img src=x onerror={js(60)}>', f"x onmouseover={js(61)}"],
        "name": f"<script>{js(62)}</script>"})
    md["attachments"] = {
        "pasted.png": {"image/png": _png(50, 30)},
        "evil.svg": {"image/svg+xml": SVG_FIGURE.format(js(63), js(64))},
        "page.html": {"text/html": f"<script>{js(65)}</script>"}}
    raw = nbformat.v4.new_raw_cell(f"<script>{js(66)}</script><img src=x onerror={js(67)}>",
                                   metadata={"raw_mimetype": "text/html",
                                             "format": "text/html"})
    code = mark_cell(nbformat.v4.new_code_cell("answer_value = 42\n# <script>"
                                               f"{js(68)}</script>"), CellRole.SOLUTION, "q1")
    code.execution_count = 1
    code.outputs = _outputs()
    test = mark_cell(nbformat.v4.new_code_cell(""), CellRole.TEST, "q1_test", 2)
    nb = nbformat.v4.new_notebook(cells=[md, raw, code, test])
    nb.metadata.update({
        "title": f"<script>{js(69)}</script>",
        "language_info": {"name": f'"><script>{js(70)}</script>',
                          "pygments_lexer": f"<x onload={js(71)}>"},
        "kernelspec": {"display_name": f"<script>{js(72)}</script>", "name": "python3",
                       "language": "python"}})
    return nb


def hostile_result() -> dict:
    """A graded result whose every text holds a payload."""
    check = {"variable": "answer_value", "kind": f"hidden <b onmouseover={js(80)}>check</b>",
             "graded": True, "passed": False, "points": 0.0, "max_points": 2.0,
             "message": f"answer_value: [click](javascript:{js(81)}) <img src=x onerror="
                        f"{js(82)}>", "your_value": f"'<script>{js(83)}</script>'"}
    return {
        "student": f"<img src=x onerror={js(84)}>", "exercise": "01_x",
        "title": f"<script>{js(85)}</script>", "source_file": f"<svg onload={js(86)}>",
        "status": "graded", "score": 0.0, "max_score": 8.0, "auto_max_score": 2.0,
        "manual_max_score": 6.0, "messages": [f"<iframe srcdoc='<script>{js(87)}"
                                              "</script>'>"],
        "errors": [f"NameError: <script>{js(88)}</script>"],
        "questions": {"q1_test": {"grade_id": "q1_test", "group": "q1",
                                  "title": f"Question 1 <img src=x onerror={js(89)}>",
                                  "points": 0.0, "max_points": 2.0, "status": "graded",
                                  "errors": [f"q1 raised <script>{js(90)}</script>"],
                                  "checks": [check]}},
        "manual": {"q2": {"title": f"Reflection <a href=javascript:{js(91)}>x</a>",
                          "points": 3.0, "max_points": 6.0,
                          "comment": f"<img src=x onerror={js(92)}> [x](javascript:{js(93)})",
                          "rubric": [{"criterion": f"<script>{js(94)}</script>",
                                      "points": 3.0, "max_points": 6.0}]}},
        "late_note": f"<img src=x onerror={js(95)}>",
    }


def hostile_report() -> ReportData:
    """Class-report data whose every text holds a payload (figures are real PNGs)."""
    figure = Image(_png(), f"<img src=x onerror={js(100)}> alt")
    question = QuestionStats(f"<script>{js(101)}</script>", "auto", 2.0, 0.5, 2.0, 0.3,
                             reasons=[(f"<img src=x onerror={js(102)}>", 3)])
    manual = QuestionStats(f"<svg onload={js(103)}>", "manual", 6.0, None, None, None,
                           marked=1, answered=2)
    stats = ExerciseStats("01_x", f"<script>{js(104)}</script>", 8.0,
                          {"a": 2.0, "b": 1.0}, [question, manual])
    pair = SimilarPair(f"<img src=x onerror={js(105)}>", f"<script>{js(106)}</script>", 0.95,
                       [f"<svg onload={js(107)}>"])
    return ReportData(f"<img src=x onerror={js(108)}>", [f"<script>{js(109)}</script>"],
                      [ExerciseSection(stats, figure, figure)], figure,
                      [(f"<b onclick={js(110)}>01_x</b>", pair)],
                      [f"<img src=x onerror={js(111)}>"])


#: tags no page may hold; the page's own <style> is allowed once, in <head>
FORBIDDEN_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "form",
                  "input", "button", "textarea", "select", "base", "link", "svg", "math",
                  "noscript", "template", "portal"}
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "srcdoc",
                   "poster", "background", "srcset"}


class PageAudit(HTMLParser):
    """Everything in a page that could run or load something (see :func:`audit_page`)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.metas: list[dict] = []
        self.styles = 0
        self.images: list[dict] = []
        self.text: list[str] = []

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        values = dict(attrs)
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}> element")
        if tag == "style":
            self.styles += 1
        if tag == "meta":
            self.metas.append(values)
        if tag == "img":
            self.images.append(values)
        for name, value in attrs:
            text = re.sub(r"[\s\x00-\x1f]", "", value or "").lower()
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name == "style":
                self.problems.append(f"<{tag} style=...>")
            if name in _URL_ATTRIBUTES and not (
                    (name == "src" and tag == "img" and text.startswith("data:image/"))
                    or (name == "href" and tag == "a" and re.match(r"(https?:|mailto:|#)",
                                                                    text))):
                self.problems.append(f"<{tag} {name}={value[:40]!r}>")


def parse_page(page: str) -> PageAudit:
    """``page`` parsed: its problems, metas, images and text."""
    audit = PageAudit()
    audit.feed(page)
    audit.close()
    return audit


def audit_page(page: str) -> list[str]:
    """Problems in ``page``: active tags, handlers, URLs that load or run, a missing CSP."""
    audit = parse_page(page)
    problems = list(audit.problems)
    csp = [m.get("content", "") for m in audit.metas
           if (m.get("http-equiv") or "").lower() == "content-security-policy"]
    if len(csp) != 1 or "default-src 'none'" not in csp[0] or "script-src" in csp[0]:
        problems.append(f"Content-Security-Policy missing or allowing script: {csp}")
    if any((m.get("http-equiv") or "").lower() == "refresh" for m in audit.metas):
        problems.append("<meta http-equiv=refresh>")
    if audit.styles != 1:
        problems.append(f"{audit.styles} <style> elements (the page's own one only)")
    return problems
