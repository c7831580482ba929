"""Every kind of page the platform writes, full of script payloads, opened in Chromium.

Pages: from the payload corpus (``tests/pages/hostile_pages.py``) the graded notebook, the
learner's feedback, the returned feedback, the class report and a page stored by an older
version; and from a real ``course grade`` run (the sandbox when the machine has it) of a
submission whose answer displays the payloads (the issue's ``Image(height="1 onload=...")``
among them) and still scores full marks, in a student folder named with HTML: its feedback page,
the instructor's graded notebook, the returned feedback and ``course report``'s page.

Each page is opened twice: as written (its Content-Security-Policy in force) and with the
policy switched off (Playwright's ``bypass_csp``), which proves the escaping and sanitising
alone hold. In both, no dialog may open, no payload may set its global, every link is clicked,
the DOM as Chromium parsed it may hold no script, frame, handler attribute or ``javascript:``
URL, and the page must still show the figures (images decoded), tables and answers.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from classroom import cli
from classroom.classreport.page import render_page as report_page
from classroom.grading.feedback import render_feedback
from classroom.grading.feedback_html import (
    feedback_page,
    graded_notebook_html,
    stored_page,
)
from classroom.grading.results import SubmissionResult
from classroom.hub.give_back import feedback_html
from classroom.notebooks.model import grade_id, read_notebook
from tests.grading.submissions_kit import EXERCISE, SOLUTIONS, SOURCE, write_submission
from tests.pages.hostile_pages import (
    VISIBLE,
    _png,
    audit_page,
    hostile_notebook,
    hostile_report,
    hostile_result,
    js,
)

pytestmark = pytest.mark.browser

STUDENT = f"<img src=x onerror={js(205)}>"
HOSTILE_DISPLAYS = f'''
import base64
from IPython.display import HTML, Image, Javascript, Markdown, display
display(Image(data=base64.b64decode("{_png()}"), height="1 onload={js(200)}"))
display(HTML("<img src=x onerror={js(201)}><table><tr><td>answer-table-visible</td></tr></table>"))
display(Javascript("{js(202)}"))
display(Markdown("[x](javascript:{js(203)})"))
display({{"image/svg+xml": '<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9" '
          'onload="{js(206)}"><rect width="9" height="9"/></svg>'}}, raw=True)
print("<script>{js(204)}</script>")
'''

# The DOM as Chromium built it: anything that could run, load or navigate.
_DOM_AUDIT = r"""() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    if (['script','iframe','frame','object','embed','form','base','svg','math','link',
         'input','button','template'].includes(tag)) found.push('<' + tag + '>');
    for (const a of el.attributes) {
      const v = a.value.replace(/[\s\u0000-\u001f]/g, '').toLowerCase();
      if (a.name.startsWith('on')) found.push(tag + ' ' + a.name);
      if (['href','src','action','formaction','data','srcdoc'].includes(a.name)
          && !(a.name === 'src' && tag === 'img' && v.startsWith('data:image/'))
          && !(a.name === 'href' && /^(https?:|mailto:|#)/.test(v)))
        found.push(tag + ' ' + a.name + '=' + v.slice(0, 40));
    }
  }
  return found;
}"""
_IMAGES = """() => [...document.images].filter(i => i.getAttribute('src'))
  .map(i => ({src: i.getAttribute('src').slice(0, 30), ok: i.complete && i.naturalWidth > 0}))"""


def _run(argv: list[str]) -> None:
    with contextlib.redirect_stdout(io.StringIO()):
        assert cli.main(argv) == 0, argv


def _graded_pages(root: Path) -> dict[str, tuple[Path, tuple[str, ...], int]]:
    """Grade the hostile submission for real; its pages with the texts and images expected."""
    subs, out = root / "subs", root / "graded"
    model = next(c.source for c in read_notebook(SOURCE).cells if grade_id(c) == "q1")
    write_submission(subs / STUDENT / f"{EXERCISE}.ipynb",
                     {"q1": model + "\n" + HOSTILE_DISPLAYS})
    _run(["grade", str(subs), "--out", str(out), "--solutions", str(SOLUTIONS), "--jobs", "1"])
    _run(["report", str(out)])
    feedback = next(out.glob(f"s-*/{EXERCISE}.feedback.md"))
    returned = root / "returned.html"
    returned.write_text(feedback_html(feedback.read_text(encoding="utf-8"), EXERCISE))
    graded = next(out.glob(f"instructor/s-*/{EXERCISE}.graded.html"))
    return {
        "graded notebook (course grade)": (graded, ("q1_core_tasks", "answer-table-visible",
                                                    STUDENT, "Test cell q1"), 2),
        "feedback (course grade)": (feedback.with_suffix(".html"), (STUDENT, "Question 1"), 0),
        "returned feedback (course return)": (returned, (STUDENT,), 0),
        "class report (course report)": (out / "class_report.html", ("Class report",), 2),
    }


@pytest.fixture(scope="module")
def written_pages(tmp_path_factory) -> dict[str, tuple[Path, tuple[str, ...], int]]:
    """Every page, written to disk: name -> (path, texts it must show, images it must show).

    The corpus notebook shows six images: two PNG outputs, the SVG output, the SVG inside the
    HTML output, the pasted PNG and the SVG attachment (the HTML attachment and the missing one
    show none).
    """
    root = tmp_path_factory.mktemp("pages")
    hostile = hostile_result()
    markdown = render_feedback(SubmissionResult.from_json(hostile),
                               late_note=hostile["late_note"])
    corpus = {
        "graded notebook (corpus)": (graded_notebook_html(hostile_notebook(), hostile_result()),
                                     VISIBLE, 6),
        "feedback (corpus)": (feedback_page("Feedback", markdown), (f"'<script>{js(83)}",), 0),
        "returned feedback (corpus)": (feedback_html(markdown, "01_x"), (STUDENT[:8],), 0),
        "class report (corpus)": (report_page(hostile_report()), ("Class report",), 3),
        "stored old page": (stored_page(f"<p>old answer</p><img src=x onerror={js(120)}>"),
                            ("old answer",), 0),
    }
    pages = {}
    for i, (name, (html, texts, images)) in enumerate(corpus.items()):
        path = root / f"page{i}.html"
        path.write_text(html, encoding="utf-8")
        pages[name] = (path, texts, images)
    pages.update(_graded_pages(root))
    return pages


def test_graded_submission_keeps_full_marks_and_every_page_passes_the_audit(written_pages):
    import json

    graded = written_pages["graded notebook (course grade)"][0]
    result = json.loads(next(graded.parents[2].glob(f"s-*/{EXERCISE}.json")).read_text())
    q1 = [q for q in result["questions"].values() if q.get("group", "").startswith("q1")]
    assert q1 and all(q["points"] == q["max_points"] for q in q1)  # the payloads cost nothing
    for name, (path, _, _) in written_pages.items():
        assert audit_page(path.read_text(encoding="utf-8")) == [], name


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["policy on", "policy off"])
def test_no_page_runs_script_in_chromium(browser, written_pages, bypass_csp):
    context = browser.new_context(bypass_csp=bypass_csp, java_script_enabled=True)
    try:
        for name, (path, texts, images) in written_pages.items():
            page = context.new_page()
            dialogs: list[str] = []
            page.on("dialog", lambda d, seen=dialogs: (seen.append(d.message), d.dismiss()))
            page.goto(path.as_uri(), wait_until="load")
            assert page.evaluate(_DOM_AUDIT) == [], name
            for link in page.locator("a").all():
                link.click(no_wait_after=True, timeout=2_000)
            page.wait_for_timeout(300)
            assert dialogs == [] and page.evaluate("() => top.__pwned") is None, name
            assert len(page.frames) == 1, name
            body = page.inner_text("body")
            for text in texts:
                assert text in body, (name, text)
            shown = page.evaluate(_IMAGES)
            assert sum(i["ok"] for i in shown) >= images, (name, shown)
            page.close()
    finally:
        context.close()
