"""Self-contained HTML: the learner's feedback page and the graded notebook for the instructor.

Both pages work offline: styles are inline, images are embedded as data URIs, and no script or
remote address is referenced.  Text that came from a submission (values, error messages,
outputs) is escaped or sanitised (nbconvert's ``sanitize_html``), so a submission cannot put
live HTML into a page an instructor opens.

The graded notebook is the notebook as it ran, rendered with nbconvert's
:class:`~nbconvert.exporters.HTMLExporter` (``basic`` template); each emptied test cell is
replaced by a note of what was checked there and the points it gave.  It is for the instructor
(to review a complaint) and is never written into the learner's folder.

Examples
--------
>>> page = feedback_page("Feedback", "# Feedback\\n\\nYour value: '<b>'")
>>> "&lt;b&gt;" in page and "<script" not in page and "http" not in page
True
"""

from __future__ import annotations

import copy
import html

import nbformat
from nbconvert import HTMLExporter
from nbconvert.filters import markdown2html

from classroom.notebooks.model import CellRole, cell_role, grade_id

__all__ = ["feedback_page", "graded_notebook_html"]

_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.5; color: #1a1a1a; background: #fff; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2rem; }
code, pre { font-family: ui-monospace, monospace; background: #f3f3f3; }
pre { padding: .5rem; overflow-x: auto; } table { border-collapse: collapse; }
td, th { border: 1px solid #bbb; padding: .2rem .5rem; text-align: left; }
.input_prompt, .prompt { color: #555; font-size: .8rem; }
.output_area pre { background: #fafafa; } .graded-note { border-left: 4px solid #2b6cb0;
       padding: .3rem .8rem; background: #eef4fb; margin: .5rem 0; }
.anchor-link { display: none; } img { max-width: 100%; }
"""


def feedback_page(title: str, markdown: str) -> str:
    """A complete HTML page from feedback Markdown (raw HTML in it is shown as text)."""
    body = markdown2html(html.escape(markdown, quote=False))
    return _page(title, body)


def _page(title: str, body: str) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{html.escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n"
            f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n")


def _note(question: dict) -> str:
    lines = [f"**Test cell {question['grade_id']}** ({question.get('title', '')}): "
             f"{question['points']:g} / {question['max_points']:g} points"]
    for check in question.get("checks", []):
        state = "passed" if check["passed"] else "failed"
        lines.append(f"- {state}: {check['kind']}: {check['message']}")
    lines += [f"- error: {e}" for e in question.get("errors", [])]
    return "\n".join(lines)


def graded_notebook_html(executed: nbformat.NotebookNode, result: dict) -> str:
    """The executed notebook as one offline HTML page, test cells replaced by their results.

    Examples
    --------
    >>> from classroom.notebooks.model import mark_cell
    >>> nb = nbformat.v4.new_notebook(cells=[
    ...     mark_cell(nbformat.v4.new_code_cell("x = 1"), CellRole.SOLUTION, "q1"),
    ...     mark_cell(nbformat.v4.new_code_cell(""), CellRole.TEST, "x_test", 2)])
    >>> result = {"student": "ann", "title": "Demo", "score": 2, "max_score": 2,
    ...           "questions": {"x_test": {"grade_id": "x_test", "title": "Question 1",
    ...                                    "points": 2, "max_points": 2, "checks": []}}}
    >>> page = graded_notebook_html(nb, result)
    >>> "Test cell x_test" in page and "<pre>" in page and "<script" not in page
    True
    """
    nb = nbformat.from_dict(copy.deepcopy(dict(executed)))
    questions = result.get("questions", {})
    for i, cell in enumerate(nb.cells):
        if cell_role(cell) is CellRole.TEST and grade_id(cell) in questions:
            note = nbformat.v4.new_markdown_cell(
                html.escape(_note(questions[grade_id(cell)]), quote=False))
            note.metadata = nbformat.from_dict({"tags": ["graded-note"]})
            nb.cells[i] = note
    exporter = HTMLExporter(template_name="basic", embed_images=True, sanitize_html=True,
                            exclude_anchor_links=True)
    body, _ = exporter.from_notebook_node(nb)
    top = result.get("auto_max_score", result.get("max_score")) or 0
    head = (f"<h1>Graded notebook: {html.escape(str(result.get('title', '')))}</h1>\n"
            f"<p>Student: {html.escape(str(result.get('student', '')))} · autograded score "
            f"{result.get('score', 0):g} of {top:g}</p>\n")
    return _page(f"Graded notebook: {result.get('student', '')}", head + body)
