"""Quizzes read from the quiz banks: hint, second try, explanation, seeded option order.

Widget values are set in the kernel (no browser): ``q.choices[i].value = option index``.
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import nbformat
import pytest

from course_lib import widgets
from course_lib.quizzes import load_quiz, option_order, quiz_lessons
from course_lib.widgets.placeholder import placeholder_text

REPO = Path(__file__).resolve().parents[2]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _wrong(q: dict) -> int:
    return next(j for j in range(len(q["options"])) if j != q["answer"])


@pytest.mark.parametrize("lesson", quiz_lessons())
def test_first_wrong_try_gives_hint_not_answer(lesson):
    quiz = widgets.quiz(lesson)
    for i, q in enumerate(quiz.questions):
        quiz.choices[i].value = _wrong(q)
        assert quiz.check(i) is False
        shown = quiz.feedback[i].value
        assert "Not yet." in shown and q["hint"][:20] in shown.replace("&#x27;", "'")
        assert "the answer is" not in shown
        right_text = q["options"][q["answer"]]
        assert right_text[:25] not in shown.replace("&#x27;", "'")


def test_second_wrong_try_reveals_answer_and_explanation():
    quiz = widgets.quiz("04")
    q = quiz.questions[1]
    quiz.choices[1].value = _wrong(q)
    quiz.buttons[1].click()
    quiz.buttons[1].click()
    shown = quiz.feedback[1].value
    assert "Incorrect." in shown and "the answer is" in shown
    assert "K (R s_k - c_k)" in shown  # the explanation


def test_right_answer_after_hint_is_correct():
    quiz = widgets.quiz("02")
    q = quiz.questions[3]
    quiz.choices[3].value = _wrong(q)
    assert quiz.check(3) is False
    quiz.choices[3].value = q["answer"]
    assert quiz.check(3) is True
    assert "Correct." in quiz.feedback[3].value and "Snyder" not in quiz.feedback[0].value


def test_option_order_is_seeded_and_varies():
    assert load_quiz("03") == load_quiz("03")
    places = Counter(q["answer"] for lesson in quiz_lessons() for q in load_quiz(lesson))
    total = sum(places.values())
    assert total >= 24
    assert max(places.values()) <= 0.45 * total, places
    assert {0, 1, 2} <= set(places), places
    for lesson in quiz_lessons():
        raw, shown = load_quiz(lesson, shuffle=False), load_quiz(lesson)
        for a, b in zip(raw, shown, strict=True):
            assert sorted(a["options"]) == sorted(b["options"])
            assert a["options"][a["answer"]] == b["options"][b["answer"]]
    assert sorted(option_order("01", 2, 5, answer=3)) == [0, 1, 2, 3, 4]
    with pytest.raises(ValueError, match="answer must be an integer"):
        option_order("01", 0, 3, answer=3)


def test_unknown_lesson_is_rejected():
    with pytest.raises(ValueError, match="lesson must be one of 00"):
        widgets.quiz("42")


def test_saved_text_is_a_run_this_cell_placeholder():
    bundle = widgets.quiz("00")._repr_mimebundle_()
    assert bundle["text/plain"] == placeholder_text("Check your understanding (quiz)")
    assert "Run this cell" in bundle["text/plain"] and WIDGET_VIEW in bundle
    with pytest.raises(ValueError, match="name must be a non-empty string"):
        placeholder_text(" ")


@pytest.mark.parametrize("path", sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb")),
                         ids=lambda p: p.stem)
def test_lessons_call_the_bank_and_print_no_answers(path):
    nb = nbformat.read(path, as_version=4)
    lesson = path.name[:2]
    calls = [c for c in nb.cells if c.cell_type == "code" and "quiz(" in c.source]
    assert calls, f"{path.name}: no quiz cell"
    for cell in calls:
        call = ast.parse(cell.source).body[-1].value
        assert [ast.literal_eval(a) for a in call.args] == [lesson], (
            f"{path.name}: the quiz cell must be widgets.quiz({lesson!r}), not literal answers")
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    for q in load_quiz(lesson):
        assert q["explanation"][:40] not in text, f"{path.name}: an explanation is in the code"
