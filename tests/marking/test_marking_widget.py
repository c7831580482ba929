"""Marking reflections through the widget (issue 10, item 1): values set, buttons clicked,
the gradebook checked."""

from __future__ import annotations

import json
import sqlite3

import ipywidgets
import pytest
import traitlets

from classroom.gradebook.marks import latest_marks
from classroom.gradebook.store import open_gradebook
from classroom.marking.feedback import manual_marks_for
from classroom.marking.widget import NOT_SCORED, marking_widget
from tests.grading.submissions_kit import EXERCISE, SOLUTIONS
from tests.marking.marking_kit import ANSWERS

pytestmark = pytest.mark.kernel


def _rows(folder, second=0):
    with sqlite3.connect(folder / "gradebook.sqlite") as conn:
        return conn.execute("SELECT student, grade_id, points, comment, marker, rubric_json "
                            "FROM manual_marks WHERE second_marking = ? ORDER BY id",
                            (second,)).fetchall()


def _score_all(w, scores):
    for control, score in zip(w.criteria, scores, strict=True):
        control.value = score


def test_queue_holds_every_answer_and_starts_unmarked(graded):
    w = marking_widget(graded, marker="KB", solutions=SOLUTIONS)
    assert len(w.session.queue) == len(ANSWERS)
    assert w.progress_text() == "0/4 marked"
    assert "0/4 marked" in w.progress.value and 'aria-live="polite"' in w.progress.value
    assert "Question 6" in w.heading.value
    assert [c.description.split(". ", 1)[0] for c in w.criteria] == ["1", "2", "3", "4"]


def test_every_change_is_saved_at_once_with_its_rubric_lines(graded):
    w = marking_widget(graded, marker="KB", solutions=SOLUTIONS)
    student = w.session.current.student
    _score_all(w, [2.0, 1.0, 1.0, NOT_SCORED])
    assert _rows(graded) == [], "a mark with a rubric line unscored must not be saved"
    assert "1 left" in w.status.value and w.progress_text() == "0/4 marked"
    w.criteria[3].value = 0.0
    (row,) = _rows(graded)
    assert row[:5] == (student, "q6", 4.0, "", "KB")
    assert [line["points"] for line in json.loads(row[5])] == [2.0, 1.0, 1.0, 0.0]
    w.comment.value = "Name the ally whose view you take."
    assert _rows(graded)[-1][2:4] == (4.0, "Name the ally whose view you take.")
    assert w.total.value == "Total: 4/6" and w.progress_text() == "1/4 marked"
    book = open_gradebook(graded, create=False)
    assert latest_marks(book, student, EXERCISE)["q6"]["points"] == 4.0


def test_controls_are_limited_to_the_rubric_steps_and_the_points(graded):
    w = marking_widget(graded, marker="KB", solutions=SOLUTIONS)
    assert [[v for _, v in c.options][1:] for c in w.criteria] == [
        [0.0, 1.0, 2.0], [0.0, 1.0, 2.0], [0.0, 1.0], [0.0, 1.0]]
    assert {c.options[0] for c in w.criteria} == {(NOT_SCORED, NOT_SCORED)}
    assert all(c.value == NOT_SCORED for c in w.criteria), "unscored lines say so"
    _score_all(w, [2.0, 2.0, 1.0, 1.0])
    assert w.total.value == "Total: 6/6" and _rows(graded)[-1][2] == 6.0
    with pytest.raises(traitlets.TraitError):
        w.criteria[2].value = 1.5


def test_next_unmarked_previous_and_next_move_through_the_queue(graded):
    w = marking_widget(graded, marker="KB", solutions=SOLUTIONS)
    first = w.session.current.student
    _score_all(w, [1.0, 1.0, 0.0, 0.0])
    w.unmarked_button.click()
    second = w.session.current.student
    assert second != first and w.criteria[0].value == NOT_SCORED and w.comment.value == ""
    _score_all(w, [0.0, 0.0, 0.0, 0.0])
    w.previous_button.click()
    assert w.session.current.student == first
    assert [c.value for c in w.criteria] == [1.0, 1.0, 0.0, 0.0], "saved mark reloaded"
    assert len(_rows(graded)) == 2, "showing a saved mark does not save it again"
    w.next_button.click()
    assert w.session.current.student == second and "unsaved" not in w.status.value
    w.next_button.click()
    w.criteria[0].value = 2.0
    w.previous_button.click()
    assert "unsaved: score every rubric line" in w.status.value
    assert w.session.current.student == second
    w.unmarked_button.click()
    assert w.session.current.student not in {first, second}
    _score_all(w, [0.0, 0.0, 0.0, 0.0])
    w.unmarked_button.click()
    _score_all(w, [0.0, 0.0, 0.0, 0.0])
    assert w.progress_text() == "4/4 marked"
    w.unmarked_button.click()
    assert "every answer in this queue is marked" in w.status.value


def test_marker_initials_are_required_before_anything_is_saved(graded):
    w = marking_widget(graded, solutions=SOLUTIONS)
    assert all(c.disabled for c in [*w.criteria, w.comment, w.next_button])
    w.start_button.click()
    assert "initials" in w.status.value and w.criteria[0].disabled
    w.marker_text.value = "JD"
    w.start_button.click()
    assert not w.criteria[0].disabled and w.marker_text.disabled
    _score_all(w, [1.0, 1.0, 1.0, 1.0])
    assert _rows(graded)[-1][4] == "JD"


def test_every_control_is_focusable_and_labelled(graded):
    w = marking_widget(graded, marker="KB", solutions=SOLUTIONS)
    assert len(w.controls) == 2 + 4 + 1 + 3
    for control in w.controls:
        assert control.tabbable is True, control.description
        assert control.description.strip() and (control.tooltip or "").strip()
    buttons = [c for c in w.controls if isinstance(c, ipywidgets.Button)]
    assert [b.description for b in buttons] == ["Start marking", "Previous", "Next",
                                                "Next unmarked"]


def test_answer_is_escaped_and_its_words_counted_against_the_range(graded):
    w = marking_widget(graded, marker="KB", solutions=SOLUTIONS)
    by_student = {}
    for _ in range(len(w.session.queue)):
        by_student[w.session.current.student] = (w.answer.value, w.words.value)
        w.next_button.click()
    assert set(by_student) == set(ANSWERS)
    answer, words = by_student["bo"]
    assert "&lt;script&gt;" in answer and "<script>" not in answer
    asked = "(asked: 200-300 words for undergraduates, 350-500 for master&#x27;s students)"
    assert words == f"5 words: below every range asked {asked}"
    assert by_student["ann lee"][1] == f"220 words: within the range for undergraduates {asked}"
    assert by_student["dara"][1].startswith("0 words") and "(no answer)" in by_student["dara"][0]


def test_codes_hide_names_unless_asked_and_stay_stable(graded, tmp_path):
    w = marking_widget(graded, marker="KB", solutions=SOLUTIONS)
    codes = {i.student: i.code for i in w.session.queue.items}
    assert len(set(codes.values())) == 4
    shown = " ".join(w.session.label(i) for i in w.session.queue.items) + w.heading.value
    assert not any(name in shown for name in ANSWERS)
    again = marking_widget(graded, marker="KB", solutions=SOLUTIONS)
    assert {i.student: i.code for i in again.session.queue.items} == codes
    named = marking_widget(graded, marker="KB", names=True, solutions=SOLUTIONS)
    assert named.session.current.student in named.heading.value


def test_marks_reach_feedback_with_rubric_lines_and_comment(graded):
    w = marking_widget(graded, marker="KB", solutions=SOLUTIONS)
    student = w.session.current.student
    _score_all(w, [2.0, 1.0, 1.0, 0.0])
    w.comment.value = "Add a dated milestone."
    book = open_gradebook(graded, create=False)
    (mark,) = manual_marks_for(book, student, EXERCISE)
    assert (mark.grade_id, mark.points, mark.max_points, mark.comment, mark.marker) == (
        "q6", 4.0, 6.0, "Add a dated milestone.", "KB")
    assert mark.title.startswith("Question 6")
    assert [(c.points, c.max_points) for c in mark.criteria] == [(2.0, 2.0), (1.0, 2.0),
                                                                 (1.0, 1.0), (0.0, 1.0)]
    assert mark.criteria[0].criterion.startswith("Explains how Russia")
    others = [s for s in ANSWERS if s != student]
    assert all(manual_marks_for(book, s, EXERCISE) == [] for s in others)


def test_each_rubric_line_shows_what_earns_its_levels(graded):
    w = marking_widget(graded, marker="KB", solutions=SOLUTIONS)
    assert [label for label, _ in w.criteria[0].options] == [
        NOT_SCORED, "0 (none)", "1 (partial)", "2 (full)"]
    shown = [c for c in w.criteria_box.children if isinstance(c, ipywidgets.HTML)]
    assert len(shown) == len(w.criteria) == 4
    first = shown[0].value
    assert "<b>full (2)</b>: Names the mechanism" in first and "<b>partial</b>:" in first
    assert "<b>no marks (0)</b>: No link explained." in first
    controls = [c for c in w.criteria_box.children if not isinstance(c, ipywidgets.HTML)]
    assert controls == w.criteria, "descriptors are text, not extra stops in the Tab order"
