"""Pairs of suspiciously similar submissions, listed for a person to look at (never penalised).

For each exercise, every student's answer cells are reduced to their Python tokens (comments,
blank lines and spacing dropped).  Code that is *given* (a left-in ``raise
NotImplementedError()`` stub, an empty cell) or *common* (the same tokens in more than
``max(2, 10 %)`` of the class, as a model answer or an obvious approach is) says nothing and
is left out.  What is left is each student's own code; reflections (the manually graded
answers) count as well, by their words.

The similarity of two students is the mean over their own answers (either's) of the
:class:`difflib.SequenceMatcher` ratio of the token (or word) sequences, 0 where only one of
them wrote their own answer.  A pair is listed when at least two answers match by 90 % or more
and the mean is at least 0.6.

Examples
--------
>>> normalise_code("x = 1  # my answer\\n\\n\\ny=2\\n")
'x = 1 y = 2'
>>> pairs = similar_pairs({"a": {"q2": "z = f ( 3 )", "q6": "one two three"},
...                        "b": {"q2": "z = f ( 3 )", "q6": "one two three"},
...                        "c": {"q2": "w = 5"}})
>>> [(p.first, p.second, p.score) for p in pairs]
[('a', 'b', 1.0)]
"""

from __future__ import annotations

import io
import math
import tokenize
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from itertools import combinations
from pathlib import Path

import nbformat

from classroom.grading.discovery import read_regular_file
from classroom.notebooks.model import CellRole, cell_role, grade_id

__all__ = ["SimilarPair", "answers_of", "normalise_code", "similar_pairs"]

_SKIP = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
         tokenize.ENCODING, tokenize.ENDMARKER}
MATCH = 0.9
MIN_SCORE = 0.6


@dataclass
class SimilarPair:
    """Two students whose own answers look alike."""

    first: str
    second: str
    score: float
    matches: list[str] = field(default_factory=list)   # e.g. "q2 (100 %)"


def normalise_code(source: str) -> str:
    """The code's tokens joined by single spaces (comments and layout dropped).

    Examples
    --------
    >>> normalise_code("a=f( 1 )  # note")
    'a = f ( 1 )'
    """
    try:
        tokens = [t.string for t in tokenize.generate_tokens(io.StringIO(source).readline)
                  if t.type not in _SKIP]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        tokens = " ".join(line.split("#", 1)[0] for line in source.splitlines()).split()
    return " ".join(tokens)


def answers_of(path: str | Path, reflections: dict[str, str]) -> dict[str, str] | None:
    """Normalised answer code per cell of a submission, plus its reflections' words.

    ``None`` when the file cannot be read (moved, or not a regular file).

    Examples
    --------
    >>> answers_of("/nonexistent.ipynb", {}) is None
    True
    """
    try:
        data, _ = read_regular_file(Path(path))
        nb = nbformat.reads(data.decode("utf-8"), as_version=4)
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    answers = {grade_id(c): normalise_code(c.source) for c in nb.cells
               if c.cell_type == "code" and cell_role(c) is CellRole.SOLUTION and grade_id(c)}
    for gid, text in reflections.items():
        answers[gid] = " ".join(text.lower().split())
    return answers


def _own(answers: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """Each student's answers without the given and the common ones."""
    counts = Counter((gid, text) for mine in answers.values() for gid, text in mine.items())
    limit = max(2, math.floor(0.1 * len(answers)))
    return {s: {gid: text for gid, text in mine.items()
                if text and "NotImplementedError" not in text
                and "YOUR ANSWER HERE" not in text.upper() and counts[(gid, text)] <= limit}
            for s, mine in answers.items()}


def _ratio(a: str, b: str) -> float:
    matcher = SequenceMatcher(None, a.split(), b.split(), autojunk=False)
    quick = matcher.quick_ratio()
    return quick if quick < MATCH else matcher.ratio()


def similar_pairs(answers: dict[str, dict[str, str]]) -> list[SimilarPair]:
    """Pairs to review, most similar first (see the module docstring for the rule).

    Examples
    --------
    >>> similar_pairs({"a": {"q1": "x = 1"}, "b": {"q1": "x = 2"}})
    []
    """
    own = _own(answers)
    pairs = []
    for a, b in combinations(sorted(own), 2):
        keys = sorted(own[a].keys() | own[b].keys())
        if len(keys) < 2:
            continue
        ratios = {k: _ratio(own[a][k], own[b][k]) if k in own[a] and k in own[b] else 0.0
                  for k in keys}
        matches = [f"{k} ({ratios[k]:.0%})" for k in keys if ratios[k] >= MATCH]
        score = round(sum(ratios.values()) / len(keys), 3)
        if len(matches) >= 2 and score >= MIN_SCORE:
            pairs.append(SimilarPair(a, b, score, matches))
    return sorted(pairs, key=lambda p: (-p.score, p.first, p.second))
