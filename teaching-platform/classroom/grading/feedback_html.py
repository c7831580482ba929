"""Self-contained HTML: the learner's feedback page and the graded notebook for the instructor.

Both are rendered by :mod:`classroom.pages` (jinja2 with autoescape, nh3 for what a submission
controls, a Content-Security-Policy that allows no script and no fetch): styles are inline,
images are embedded as data URIs, and no script or remote address is referenced.

The graded notebook is the notebook as it ran (see :mod:`classroom.pages.notebook` for what
each cell and output becomes); each emptied test cell is replaced by a note of what was
checked there and the points it gave.  It is for the instructor (to review a complaint) and is
never written into the learner's folder.

Examples
--------
>>> page = feedback_page("Feedback", "# Feedback\\n\\nYour value: '<b>'")
>>> "&lt;b&gt;" in page and "<script" not in page and "http:" not in page
True
"""

from __future__ import annotations

from collections.abc import Mapping

from markupsafe import Markup

from classroom.grading.text import repair
from classroom.pages import (
    cell_views,
    highlight_css,
    is_rendered_page,
    markdown_html,
    render_page,
    sanitize_html,
)

__all__ = ["feedback_page", "graded_notebook_html", "instructor_page", "stored_page"]


def feedback_page(title: str, markdown: str, *, written_by: str | None = None) -> str:
    """A complete HTML page from feedback Markdown (HTML in it is shown as text).

    ``written_by`` puts the comment ``<!-- written by ... -->`` into the page (how
    ``course return`` recognises its own files).
    """
    extra = {} if written_by is None else {"written_by": written_by}
    return render_page("feedback.html.j2", title=title,
                       body=markdown_html(markdown, raw_html=False), **extra)


def graded_notebook_html(executed: Mapping, result: Mapping) -> str:
    """The executed notebook as one offline HTML page, test cells replaced by their results.

    Examples
    --------
    >>> import nbformat
    >>> from classroom.notebooks.model import CellRole, mark_cell
    >>> nb = nbformat.v4.new_notebook(cells=[
    ...     mark_cell(nbformat.v4.new_code_cell("x = 1"), CellRole.SOLUTION, "q1"),
    ...     mark_cell(nbformat.v4.new_code_cell(""), CellRole.TEST, "x_test", 2)])
    >>> result = {"student": "ann", "title": "Demo", "score": 2, "max_score": 2,
    ...           "questions": {"x_test": {"grade_id": "x_test", "title": "Question 1",
    ...                                    "points": 2, "max_points": 2, "checks": []}}}
    >>> page = graded_notebook_html(nb, result)
    >>> "Test cell x_test" in page and "<pre" in page and "<script" not in page
    True
    """
    top = result.get("auto_max_score", result.get("max_score")) or 0
    return render_page("graded_notebook.html.j2",
                       title=f"Graded notebook: {result.get('student', '')}",
                       cells=cell_views(executed, result.get("questions", {})), result=result,
                       top=top, highlight_css=Markup(highlight_css()))


def instructor_page(executed: Mapping, result: Mapping) -> str:
    """The graded notebook page of ``result``; if a submission's content defeats the renderer,
    a page saying so (the grade stands: the page is for review, never the source of a mark).

    Examples
    --------
    >>> page = instructor_page({"cells": "not a list"}, {"student": "ann", "title": "Demo"})
    >>> "could not be shown as a page" in page
    True
    """
    executed, _ = repair(executed)
    try:
        return graded_notebook_html(executed, result)
    except Exception as exc:  # noqa: BLE001 - one odd output must not cost the grade
        reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
        return feedback_page(f"Graded notebook: {result['student']}",
                             f"# Graded notebook: {result['title']}\n\nThe executed notebook "
                             f"could not be shown as a page ({reason}). The grade stands; the "
                             "result JSON holds every check.")


def stored_page(text: str) -> str:
    """A graded-notebook page kept in the gradebook, safe to write out.

    A page this renderer wrote is returned as it is; one stored by an older version (without
    the policy) is sanitised and rendered again, so an old gradebook never exports script.

    Examples
    --------
    >>> old = "<html><body><img src=x onerror=alert(1)><p>kept</p></body></html>"
    >>> page = stored_page(old)
    >>> "onerror" in page, "<p>kept</p>" in page, stored_page(page) == page
    (False, True, True)
    """
    if is_rendered_page(text):
        return text
    return render_page("feedback.html.j2", title="Graded notebook", body=sanitize_html(text))
