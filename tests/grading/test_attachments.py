"""Attachments are part of the answer (issue 19, item 4).

A reflection with an image pasted in JupyterLab (a cell attachment) is graded like any other,
stays in the marking queue, and its image reaches both ends: the marking widget and the
instructor's graded page.  An attachment that is not an image is dropped with a note.
"""

from __future__ import annotations

import json

import pytest

from classroom.gradebook.store import open_gradebook
from classroom.grading import attachments
from classroom.grading.batch import grade_batch
from classroom.grading.report import instructor_path, result_paths
from classroom.grading.runner import Limits
from classroom.marking.answers import word_count
from classroom.marking.queue import build_queue
from classroom.marking.session import MarkingSession
from classroom.marking.widget import MarkingWidget
from tests.grading.attachment_kit import OWN_FIGURE, PASTED, write_pasted_image_submission
from tests.grading.submissions_kit import EXERCISE, SOLUTIONS

pytestmark = pytest.mark.kernel


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    subs = tmp_path_factory.mktemp("subs")
    write_pasted_image_submission(subs, "ann")
    out = tmp_path_factory.mktemp("out")
    batch = grade_batch([subs], out, solutions_dir=SOLUTIONS, jobs=1,
                        limits=Limits(timeout_cell=30, timeout_notebook=90))
    return out, batch.by_student("ann", EXERCISE)


def test_a_pasted_image_is_graded_like_any_answer(graded):
    _, result = graded
    assert result.status == "graded" and result.score == 20
    q6 = result.manual["q6"]
    assert q6.status == "needs manual grading"
    assert q6.attachments == {"image.png": {"image/png": PASTED}}
    assert "notes.html was not kept: text/html is not an image" in result.messages
    assert word_count(q6.answer) == 10  # the image reference is not words


def test_the_instructor_page_shows_the_images(graded):
    out, result = graded
    page = (out / instructor_path(result)).read_text(encoding="utf-8")
    assert f'<img src="data:image/png;base64,{PASTED}" alt="image.png">' in page
    assert f'src="data:image/png;base64,{OWN_FIGURE}"' in page  # the student's own cell too
    assert "onerror" not in page and "notes.html" not in page


def test_the_learner_keeps_the_image_in_the_result(graded):
    out, result = graded
    exported = json.loads((out / result_paths(result)[0]).read_text(encoding="utf-8"))
    assert exported["manual"]["q6"]["attachments"]["image.png"]["image/png"] == PASTED


def test_the_answer_stays_in_the_queue_and_the_widget_shows_the_image(graded):
    out, _ = graded
    with open_gradebook(out, create=False) as book:
        queue = build_queue(book, SOLUTIONS)
        (item,) = [i for i in queue.items if i.key == ("ann", EXERCISE, "q6")]
        assert item.answer.startswith("Russia's bases")
        assert item.images == {"image.png": {"image/png": PASTED}}
        session = MarkingSession(book, queue)
        session.go(queue.items.index(item))
        widget = MarkingWidget(session)
    shown = widget.images.value
    assert f'src="data:image/png;base64,{PASTED}"' in shown and 'alt="image.png"' in shown
    assert widget.images in widget.children
    assert widget.children.index(widget.images) == widget.children.index(widget.answer) + 1


def test_an_oversized_image_is_dropped_with_a_note(monkeypatch):
    monkeypatch.setattr(attachments, "MAX_ATTACHMENT_BYTES", 2**20)
    big = {"image/png": "A" * 1_500_000}  # 1.1 MB once decoded
    cell = {"attachments": {"big.png": big, "small.png": {"image/png": PASTED}}}
    kept, notes = attachments.kept_attachments(cell)
    assert kept == {"small.png": {"image/png": PASTED}}
    assert notes == ["big.png was not kept: larger than 1 MB"]
