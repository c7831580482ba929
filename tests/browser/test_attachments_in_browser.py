"""A pasted image shows in Chromium at both ends (issue 19, item 4): the instructor's graded page
(as written, its Content-Security-Policy in force) and the marking widget's answer view."""

from __future__ import annotations

import pytest

from classroom.gradebook.store import open_gradebook
from classroom.grading.batch import grade_batch
from classroom.grading.report import instructor_path
from classroom.grading.runner import Limits
from classroom.marking.queue import build_queue
from classroom.marking.widget import images_html
from tests.grading.attachment_kit import write_pasted_image_submission
from tests.grading.submissions_kit import EXERCISE, SOLUTIONS

pytestmark = [pytest.mark.browser, pytest.mark.kernel]

SIZES = """() => [...document.images].map(i => [i.alt, i.complete && i.naturalWidth,
                                             i.naturalHeight])"""


def test_pasted_images_decode_in_the_page_and_the_widget(browser, tmp_path):
    write_pasted_image_submission(tmp_path / "subs", "ann")
    out = tmp_path / "out"
    batch = grade_batch([tmp_path / "subs"], out, solutions_dir=SOLUTIONS, jobs=1,
                        limits=Limits(timeout_cell=30, timeout_notebook=90))
    result = batch.by_student("ann", EXERCISE)
    with open_gradebook(out, create=False) as book:
        (item,) = [i for i in build_queue(book, SOLUTIONS).items if i.student == "ann"]
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto((out / instructor_path(result)).as_uri(), wait_until="load")
        shown = page.evaluate(SIZES)
        assert ["image.png", 3, 2] in shown and ["sketch.png", 2, 2] in shown, shown
        page.set_content(f"<main>{images_html(item.images)}</main>", wait_until="load")
        assert page.evaluate(SIZES) == [["image.png", 3, 2]]
    finally:
        context.close()
