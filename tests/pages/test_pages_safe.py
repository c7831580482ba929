"""No page the platform writes can run script, and each still shows what the instructor needs.

Every page renderer (the graded notebook, learner feedback, returned feedback, the class
report, a graded page stored by an older version) gets the payload corpus of
``hostile_pages.py``; the written HTML is then parsed and audited: no script, frame, form,
SVG or MathML element, no event-handler or style attribute, no URL that loads or runs
anything (only ``data:image`` sources and http(s)/mailto/#fragment links), one
Content-Security-Policy without script. The browser half of this check is
``tests/browser/test_pages_in_browser.py``.
"""

from __future__ import annotations

import base64

import nbformat
from IPython.display import Image

from classroom.classreport.page import render_page as report_page
from classroom.grading.feedback import render_feedback
from classroom.grading.feedback_html import feedback_page, graded_notebook_html, stored_page
from classroom.grading.results import SubmissionResult
from classroom.hub.give_back import MARKER, feedback_html
from classroom.notebooks.model import CellRole, mark_cell
from tests.pages.hostile_pages import (
    VISIBLE,
    audit_page,
    hostile_notebook,
    hostile_report,
    hostile_result,
    js,
    parse_page,
)


def _text(page: str) -> str:
    return "".join(parse_page(page).text)


def test_graded_notebook_runs_nothing_and_shows_the_work():
    nb = hostile_notebook()
    page = graded_notebook_html(nb, hostile_result())
    assert audit_page(page) == []
    text = _text(page)
    for visible in VISIBLE:
        assert visible in text, visible
    assert f"<script>{js(66)}</script>" in text  # the raw cell, shown as text
    assert f"<img src=x onerror={js(54)}>" in text  # stdout, shown as text
    assert "Test cell q1_test" in text and "An interactive widget" in text
    assert "A JavaScript output: never run in this page." in text
    assert "An image output (image/jpeg) whose data is not valid base64" in text
    images = parse_page(page).images
    sources = [i.get("src", "") for i in images]
    assert {"width": "60", "height": "40"}.items() <= images[sources.index(
        f"data:image/png;base64,{nb.cells[2].outputs[1].data['image/png']}")].items()
    hostile_png = images[sources.index(
        f"data:image/png;base64,{nb.cells[2].outputs[0].data['image/png']}")]
    assert "height" not in hostile_png and "width" not in hostile_png  # "1 onload=..." dropped
    # the SVG output, the SVG inside the HTML output and the SVG attachment: shown as images
    assert sum(s.startswith("data:image/svg+xml;base64,") for s in sources) == 3
    pasted = nb.cells[0].attachments["pasted.png"]["image/png"]
    assert f"data:image/png;base64,{pasted}" in sources


def test_the_issue_exploit_image_height_attribute_is_inert():
    png = base64.b64decode(hostile_notebook().cells[2].outputs[1].data["image/png"])
    # what IPython's display() publishes for it (no shell is started: that would change how
    # display() behaves for every later test of the session)
    data, size = Image(data=png, height="1 onload=alert(document.location)")._repr_png_()
    cell = mark_cell(nbformat.v4.new_code_cell("show()"), CellRole.SOLUTION, "q1")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": data},
                                           metadata={"image/png": size})]
    page = graded_notebook_html(nbformat.v4.new_notebook(cells=[cell]),
                                {"student": "ann", "title": "x", "score": 20})
    assert size == {"height": "1 onload=alert(document.location)"}
    assert audit_page(page) == [] and "onload" not in page
    assert len(parse_page(page).images) == 1


def test_feedback_pages_show_html_in_values_ids_and_errors_as_text():
    hostile = hostile_result()
    markdown = render_feedback(SubmissionResult.from_json(hostile),
                               late_note=hostile["late_note"])
    for page in (feedback_page("Feedback: <b>x</b>", markdown), feedback_html(markdown, "01_x")):
        assert audit_page(page) == []
        text = _text(page)
        assert f"<img src=x onerror={js(84)}>" in text  # the student id, visible as text
        assert f"'<script>{js(83)}</script>'" in text    # the student's value
        assert f"NameError: <script>{js(88)}</script>" in text
        assert 'href="javascript' not in page.lower()
    assert MARKER in feedback_html(markdown, "01_x")


def test_class_report_escapes_ids_reasons_and_titles():
    page = report_page(hostile_report())
    assert audit_page(page) == []
    text = _text(page)
    for n in (101, 104, 106, 109):
        assert f"<script>{js(n)}</script>" in text
    assert len(parse_page(page).images) == 3  # histogram, question chart, marking progress


def test_a_page_stored_by_an_older_version_is_sanitised_when_exported():
    old = ("<!DOCTYPE html><html><head><title>t</title></head><body><img src=\"data:image/"
           f"png;base64,iVBORw0KGgo=\" height=1 onload={js(120)}><script>{js(121)}</script>"
           "<p>answer kept</p></body></html>")
    page = stored_page(old)
    assert audit_page(page) == [] and "answer kept" in _text(page)
    assert stored_page(page) == page


def test_notebook_html_is_not_fooled_by_metadata_or_broken_parts():
    nb = hostile_notebook()
    nb.cells[2].execution_count = f"1 onload={js(130)}"
    nb.cells[2].outputs.append({"output_type": "display_data", "data": "not a bundle",
                                "metadata": ["x"]})
    nb.cells[2].outputs.append({"output_type": f"<script>{js(131)}</script>"})
    page = graded_notebook_html(nb, {"student": "s", "questions": {}})
    assert audit_page(page) == [] and "In [ ]" in _text(page)
