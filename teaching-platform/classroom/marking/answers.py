"""The student's answer to a manually graded question, and its length against the range asked.

``course grade`` keeps each reflection's text in the result it stores (``manual[grade_id]
["answer"]`` of ``results.result_json``); the latest result of each submission is what is
marked.  The unanswered placeholder of the student version counts as no answer.

Examples
--------
>>> word_count("Russia's bases in Syria link the two directions.")
8
>>> word_count("YOUR ANSWER HERE"), word_note(4, (150, 250))
(0, '4 words: below the 150-250 asked')
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from classroom.gradebook.store import Gradebook
from classroom.notebooks.preprocessors import MARKDOWN_STUB
from course_lib.exercise_format.rubrics import ANY_LEVEL, word_ranges, word_verdict, words_asked

__all__ = ["latest_answers", "latest_images", "word_count", "word_note"]

_WORD = re.compile(r"\w+(?:['’\-]\w+)*")
#: HTML tags, link targets and whole image references (``![alt](attachment:a.png)``)
_MARKUP = re.compile(r"!\[[^\]]*\]\([^)]*\)|<[^>]*>|\]\([^)]*\)")


def _is_stub(text: str) -> bool:
    return text.strip() in {line.strip() for line in MARKDOWN_STUB} or not text.strip()


def word_count(text: str) -> int:
    """Words in an answer (hyphenated and apostrophe words count once; HTML tags, link
    targets and pasted images do not count; the stub counts 0).

    Examples
    --------
    >>> word_count("See [the concept](https://www.nato.int/x) <b>here</b>.")
    4
    >>> word_count("A figure: ![image.png](attachment:image.png)")
    2
    """
    return 0 if _is_stub(text) else len(_WORD.findall(_MARKUP.sub(" ", text)))


def word_note(count: int, words: Mapping[str, tuple[int, int]] | tuple[int, int] | None
              ) -> str:
    """The word count said against the range asked (one range, or one per level of study).

    Examples
    --------
    >>> word_note(212, (150, 250)), word_note(300, (150, 250)), word_note(12, None)
    ('212 words (150-250 asked)', '300 words: above the 150-250 asked', '12 words')
    >>> word_note(320, {"undergraduate": (200, 300), "master's": (350, 500)})
    "320 words: between the ranges (asked: 200-300 words for undergraduates, 350-500 for \
master's students)"
    """
    ranges = word_ranges({"words": list(words) if isinstance(words, tuple) else words})
    if not ranges:
        return f"{count} words"
    if list(ranges) == [ANY_LEVEL]:
        low, high = ranges[ANY_LEVEL]
        if count < low:
            return f"{count} words: below the {low}-{high} asked"
        if count > high:
            return f"{count} words: above the {low}-{high} asked"
        return f"{count} words ({low}-{high} asked)"
    return f"{count} words: {word_verdict(count, ranges)} (asked: {words_asked(ranges)})"


def latest_answers(book: Gradebook) -> dict[tuple[str, str], dict[str, str]]:
    """``{(student, exercise): {grade_id: answer text}}`` from each latest graded result.

    A submission whose latest result is an error has nothing to mark and is left out; a
    blank answer is kept as ``""`` (it is marked like any other, usually 0).

    Examples
    --------
    >>> import tempfile
    >>> from classroom.gradebook.store import open_gradebook
    >>> latest_answers(open_gradebook(tempfile.mkdtemp()))
    {}
    """
    answers: dict[tuple[str, str], dict[str, str]] = {}
    for student, exercise, result in book.latest_graded():
        manual = result.get("manual") or {}
        answers[(student, exercise)] = {
            gid: "" if _is_stub(str(item.get("answer", ""))) else str(item.get("answer", ""))
            for gid, item in manual.items() if isinstance(item, dict)}
    return answers


def latest_images(book: Gradebook) -> dict[tuple[str, str], dict[str, dict]]:
    """``{(student, exercise): {grade_id: {name: {mime: data}}}}``: the images pasted into each
    answer of the latest graded results (only answers that have some).

    Examples
    --------
    >>> import tempfile
    >>> from classroom.gradebook.store import open_gradebook
    >>> latest_images(open_gradebook(tempfile.mkdtemp()))
    {}
    """
    images: dict[tuple[str, str], dict[str, dict]] = {}
    for student, exercise, result in book.latest_graded():
        manual = result.get("manual") or {}
        found = {gid: item["attachments"] for gid, item in manual.items()
                 if isinstance(item, dict) and isinstance(item.get("attachments"), dict)}
        if found:
            images[(student, exercise)] = found
    return images
