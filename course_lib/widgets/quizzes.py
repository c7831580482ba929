"""Formative multiple-choice questions with explained feedback and a second try (not graded).

A lesson calls ``quiz("03")``: the questions, answers, hints and explanations come from the
quiz bank ``course_lib/quizzes/03.toml`` (:func:`course_lib.quizzes.load_quiz`), so no answer
is printed in the lesson's code. A question with a ``hint`` gives a learner two tries: a first
wrong answer shows the hint, a second one shows the right answer and the explanation. A
question without a hint (dicts passed directly) explains at once.

Examples
--------
>>> q = Quiz([{"prompt": "P?", "options": ["a", "b"], "answer": 1, "explanation": "E.",
...            "hint": "Not a."}])
>>> q.choices[0].value = 0
>>> q.check(0), "Hint: Not a." in q.feedback[0].value
(False, True)
>>> q.choices[0].value = 1
>>> q.check(0), "Correct." in q.feedback[0].value
(True, True)
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as widgets

from course_lib.quizzes import load_quiz
from course_lib.widgets._base import _STYLE, POKE_CLASS, POKE_OUTPUT_CLASS, _live
from course_lib.widgets.placeholder import RunCellPlaceholder

__all__ = ["Quiz", "quiz"]


def _check_questions(questions: Any) -> list[dict[str, Any]]:
    if not isinstance(questions, Sequence) or isinstance(questions, str) or not questions:
        raise ValueError("questions must be a non-empty list of dicts")
    out = []
    for i, q in enumerate(questions):
        if not isinstance(q, Mapping):
            raise ValueError(f"questions[{i}] must be a dict, got {type(q).__name__}")
        missing = [k for k in ("prompt", "options", "answer", "explanation") if k not in q]
        if missing:
            raise ValueError(f"questions[{i}] must have the keys prompt, options, answer, "
                             f"explanation; missing {missing}")
        options = list(q["options"])
        if len(options) < 2 or not all(isinstance(o, str) and o.strip() for o in options):
            raise ValueError(f"questions[{i}]['options'] must hold at least 2 non-empty "
                             "strings")
        ans = q["answer"]
        if isinstance(ans, bool) or not isinstance(ans, int) or not 0 <= ans < len(options):
            raise ValueError(f"questions[{i}]['answer'] must be an integer in "
                             f"[0, {len(options) - 1}], got {ans!r}")
        hint = q.get("hint")
        out.append({"prompt": str(q["prompt"]), "options": options, "answer": ans,
                    "explanation": str(q["explanation"]),
                    "hint": str(hint) if hint else None})
    return out


class Quiz(RunCellPlaceholder, widgets.VBox):
    """Formative multiple-choice questions with explained feedback and a second try.

    Attributes
    ----------
    choices : list of ipywidgets.RadioButtons
        One per question; the first is ``course-poke``.
    buttons : list of ipywidgets.Button
        "Check answer" per question.
    feedback : list of ipywidgets.HTML
        Feedback per question; the first is ``course-poke-output``.
    attempts : list of int
        Wrong answers checked so far, per question.
    """

    placeholder_name = "Check your understanding (quiz)"

    def __init__(self, questions: Sequence[Mapping[str, Any]], *,
                 title: str = "Check your understanding") -> None:
        self.questions = _check_questions(questions)
        self.choices: list[widgets.RadioButtons] = []
        self.buttons: list[widgets.Button] = []
        self.feedback: list[widgets.HTML] = []
        self.attempts: list[int] = [0] * len(self.questions)
        children: list[widgets.Widget] = [widgets.HTML(
            f"<p class='course-quiz-title'><strong>{html.escape(title)}</strong></p>"
            "<p>Practice only: nothing is recorded or graded.</p>")]
        for i, q in enumerate(self.questions):
            radio = widgets.RadioButtons(
                options=[(o, j) for j, o in enumerate(q["options"])], index=None,
                description=f"Answer {i + 1}", description_allow_html=False,
                tooltip=f"Choose one answer to question {i + 1}", style=_STYLE,
                layout=widgets.Layout(width="auto"),
            )
            button = widgets.Button(description="Check answer", tooltip=f"Check question {i + 1}",
                                    button_style="")
            fb = widgets.HTML(_live(""))
            radio.observe(lambda change, i=i: self._selected(i), names="value")
            button.on_click(lambda _b, i=i: self.check(i))
            self.choices.append(radio)
            self.buttons.append(button)
            self.feedback.append(fb)
            children += [widgets.HTML(f"<p><b>{i + 1}.</b> {html.escape(q['prompt'])}</p>"),
                         radio, button, fb]
        super().__init__(children=children)
        self.choices[0].add_class(POKE_CLASS)
        self.feedback[0].add_class(POKE_OUTPUT_CLASS)
        self.poke_control, self.poke_output = self.choices[0], self.feedback[0]

    def __repr__(self) -> str:
        return f"Quiz(questions={len(self.questions)})"

    @property
    def controls(self) -> list[widgets.Widget]:
        """All interactive controls (radio groups and buttons)."""
        return [*self.choices, *self.buttons]

    def _selected(self, i: int) -> None:
        self.feedback[i].value = _live("Answer selected: press <i>Check answer</i>.")

    def check(self, i: int) -> bool | None:
        """Give feedback on question ``i``; return True/False, or None if unanswered.

        Raises
        ------
        ValueError
            If ``i`` is not a question index.
        """
        if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < len(self.questions):
            raise ValueError(f"i must be an integer in [0, {len(self.questions) - 1}], got {i!r}")
        q = self.questions[i]
        picked = self.choices[i].value
        if picked is None:
            self.feedback[i].value = _live("Choose an answer first.")
            return None
        right = picked == q["answer"]
        self.feedback[i].value = _live(self._verdict(i, picked, right))
        return right

    def _verdict(self, i: int, picked: int, right: bool) -> str:
        q = self.questions[i]
        expl = html.escape(q["explanation"])
        if right:
            return f"<b>Correct.</b> {expl}"
        self.attempts[i] += 1
        if q["hint"] and self.attempts[i] == 1:
            return (f"<b>Not yet.</b> Hint: {html.escape(q['hint'])} Choose again and press "
                    "<i>Check answer</i>.")
        return (f"<b>Incorrect.</b> You chose &ldquo;{html.escape(q['options'][picked])}"
                f"&rdquo;; the answer is &ldquo;{html.escape(q['options'][q['answer']])}"
                f"&rdquo;. {expl}")


def quiz(questions: str | Sequence[Mapping[str, Any]], *,
         title: str = "Check your understanding") -> Quiz:
    """Build a :class:`Quiz` for a lesson's quiz bank (``"03"``) or from question dicts.

    Parameters
    ----------
    questions : str or list of dict
        Two digits naming a bank in ``course_lib/quizzes/`` (options in their seeded display
        order), or dicts with ``prompt, options, answer, explanation`` and optionally ``hint``.

    Raises
    ------
    ValueError
        For an unknown lesson or malformed questions.

    Examples
    --------
    >>> q = quiz("02")
    >>> q.choices[0].value = q.questions[0]["answer"]
    >>> q.check(0), "buck-catcher" in q.feedback[0].value
    (True, True)
    >>> q = quiz([{"prompt": "Which aggregation lets high power offset zero intent?",
    ...            "options": ["additive", "geometric"], "answer": 0,
    ...            "explanation": "A weighted mean is compensatory."}])
    >>> q.choices[0].value = 1
    >>> q.check(0), "Incorrect" in q.feedback[0].value
    (False, True)
    """
    if isinstance(questions, str):
        return Quiz(load_quiz(questions), title=title)
    return Quiz(questions, title=title)
