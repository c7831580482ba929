"""The lessons' quiz questions, kept out of the lessons' visible code (one TOML file per lesson).

``course_lib/quizzes/NN.toml`` holds lesson ``NN``'s *Check your understanding* questions: a
``[[questions]]`` table each, with ``prompt``, ``options`` (as written), ``answer`` (index of
the correct option), ``hint`` (shown after a first wrong try) and ``explanation`` (shown once
the question is settled). :func:`load_quiz` returns them with the options in a **seeded
order** per question (:func:`option_order`), so the place of the right answer varies from
question to question but is the same on every run (strict nbval, slides and widget agree).

Every question is checked when it is read (:mod:`course_lib.quizzes.giveaways`): a bank whose
key is the longest option by a clear margin, or whose options repeat, does not load.
:func:`quiz_report` says how far a bank rewards always picking the longest option.

These answers are a practice aid: anyone can read this file, and nothing here is graded.

Examples
--------
>>> questions = load_quiz("03")
>>> len(questions), sorted(questions[0])
(3, ['answer', 'explanation', 'hint', 'options', 'prompt'])
>>> option_order("03", 0, 3, answer=1) == option_order("03", 0, 3, answer=1)
True
"""

from __future__ import annotations

import hashlib
import random
import re
import tomllib
from importlib import resources
from typing import Any

from course_lib.quizzes.giveaways import (
    ChoiceItem,
    GiveawayReport,
    giveaway_report,
    option_problems,
)

__all__ = ["QUIZ_LESSONS", "load_quiz", "option_order", "quiz_lessons", "quiz_report"]

_LESSON = re.compile(r"^\d{2}$")
#: The keys every question in a bank must have.
QUESTION_KEYS = ("prompt", "options", "answer", "hint", "explanation")
QUIZ_LESSONS = "course_lib/quizzes/NN.toml"


def quiz_lessons() -> list[str]:
    """The lesson numbers that have a quiz bank, sorted.

    Examples
    --------
    >>> quiz_lessons()[:2]
    ['00', '01']
    """
    files = resources.files(__name__)
    return sorted(p.name[:2] for p in files.iterdir()
                  if p.name.endswith(".toml") and _LESSON.match(p.name[:2]))


def option_order(lesson: str, index: int, n_options: int, answer: int) -> list[int]:
    """The display order of question ``index`` of ``lesson``: indices into its options.

    The right answer (``answer``) goes to place ``(offset + index) % n_options``, where the
    offset comes from a SHA-256 of the lesson, so within a lesson the right answer moves from
    place to place; the other options follow in a seeded shuffle. Same on every run.

    Examples
    --------
    >>> order = option_order("02", 1, 4, answer=2)
    >>> sorted(order)
    [0, 1, 2, 3]
    >>> [option_order("05", i, 3, answer=0).index(0) for i in range(3)] in ([0, 1, 2],
    ...     [1, 2, 0], [2, 0, 1])
    True
    """
    if not 0 <= answer < n_options:
        raise ValueError(f"answer must be an integer in [0, {n_options - 1}], got {answer!r}")
    lesson_digest = hashlib.sha256(f"course-quiz:{lesson}".encode()).digest()
    place = (lesson_digest[0] + index) % n_options
    digest = hashlib.sha256(f"course-quiz:{lesson}:{index}:{n_options}".encode()).digest()
    others = [j for j in range(n_options) if j != answer]
    random.Random(int.from_bytes(digest[:8], "big")).shuffle(others)
    return [*others[:place], answer, *others[place:]]


def _check_question(lesson: str, i: int, q: Any) -> dict[str, Any]:
    where = f"{QUIZ_LESSONS.replace('NN', lesson)}: question {i + 1}"
    if not isinstance(q, dict) or any(k not in q for k in QUESTION_KEYS):
        raise ValueError(f"{where} must have the keys {', '.join(QUESTION_KEYS)}")
    options = q["options"]
    answer = q["answer"]
    if not isinstance(options, list) or len(options) < 2:
        raise ValueError(f"{where}: options must list at least 2 strings")
    if isinstance(answer, bool) or not isinstance(answer, int) or not 0 <= answer < len(options):
        raise ValueError(f"{where}: answer must be an integer in [0, {len(options) - 1}], "
                         f"got {answer!r}")
    if not all(isinstance(o, str) and o.strip() for o in options):
        raise ValueError(f"{where}: every option must be non-empty text")
    problems = option_problems(options, answer)
    if problems:
        raise ValueError(f"{where}: {'; '.join(problems)}")
    return {k: q[k] for k in QUESTION_KEYS}


def load_quiz(lesson: str, *, shuffle: bool = True) -> list[dict[str, Any]]:
    """Read lesson ``lesson``'s questions, options in their seeded display order.

    Parameters
    ----------
    lesson : str
        Two digits, e.g. ``"03"``.
    shuffle : bool
        ``False`` gives the options as written in the file.

    Returns
    -------
    list of dict
        ``prompt``, ``options``, ``answer`` (index into the returned ``options``), ``hint``,
        ``explanation``.

    Raises
    ------
    ValueError
        If ``lesson`` is not two digits or has no quiz bank, or the bank is malformed.

    Examples
    --------
    >>> q = load_quiz("02", shuffle=False)[0]
    >>> q["options"][q["answer"]]
    'Buck-passing'
    >>> load_quiz("99")
    Traceback (most recent call last):
    ...
    ValueError: lesson must be one of 00, 01, 02, 03, 04, 05, 06, 07 (a quiz bank in \
course_lib/quizzes/NN.toml), got '99'
    """
    known = quiz_lessons()
    if not isinstance(lesson, str) or lesson not in known:
        raise ValueError(f"lesson must be one of {', '.join(known)} (a quiz bank in "
                         f"{QUIZ_LESSONS}), got {lesson!r}")
    text = resources.files(__name__).joinpath(f"{lesson}.toml").read_text(encoding="utf-8")
    raw = tomllib.loads(text).get("questions", [])
    questions = [_check_question(lesson, i, q) for i, q in enumerate(raw)]
    if not questions:
        raise ValueError(f"{QUIZ_LESSONS.replace('NN', lesson)} holds no [[questions]]")
    if shuffle:
        for i, q in enumerate(questions):
            order = option_order(lesson, i, len(q["options"]), q["answer"])
            q["answer"] = order.index(q["answer"])
            q["options"] = [q["options"][j] for j in order]
    return questions


def quiz_report(lesson: str) -> GiveawayReport:
    """How far lesson ``lesson``'s quiz rewards always picking the longest option.

    Examples
    --------
    >>> report = quiz_report("04")
    >>> report.questions, report.key_longest <= report.questions
    (3, True)
    """
    items = [ChoiceItem(f"question {i + 1}", tuple(q["options"]), q["answer"])
             for i, q in enumerate(load_quiz(lesson, shuffle=False))]
    return giveaway_report(items)
