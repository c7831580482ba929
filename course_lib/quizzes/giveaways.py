"""Choice questions that give their key away, found before students see them.

A test-wise student who has not read the lesson picks the longest, most qualified option
(Haladyna, Downing and Rodriguez 2002 list "keep the length of choices about equal" among the
item-writing rules with the firmest evidence). Two faults are refused outright:

* **the key stands out by length**: it is longer than ``KEY_LENGTH_RATIO`` (1.25) times the
  longest distractor *and* longer than it by at least ``KEY_LENGTH_MIN_EXCESS`` (12) characters.
  A quarter more text is about one extra clause on an option of 60-120 characters, the size of
  the hedge ("..., so it holds only as far as those codings can be defended") that marks a key;
  below that the options read as equally long. The floor in characters keeps one-word options
  ("Balancing", "Buck-passing") from being flagged for a difference of three letters;
* **options repeat**: two options that are the same text once case, spaces, emphasis and a final
  full stop are ignored.

Softer signals are reported, not refused: per exercise or quiz, the share of keys that are the
longest option (ties count) and the score of a student who always picks the longest option
(ties split evenly), set beside the score of a blind guess. :func:`giveaway_report` computes
them; ``course build-exercises`` and :func:`course_lib.quizzes.quiz_report` print them.

Haladyna, T. M., Downing, S. M. and Rodriguez, M. C. (2002). A review of multiple-choice
item-writing guidelines for classroom assessment. *Applied Measurement in Education* 15(3),
309-333.

Examples
--------
>>> option_problems(["Balancing", "Buck-passing", "Bandwagoning"], key=1)
[]
>>> option_problems(["it is a NATO operation", "it is an EU operation",
...     "it is a US-led coalition that some allies joined, while NATO itself did not act"], key=2)
['the key is the longest option by a clear margin (79 characters against at most 22 for the \
others; allowed: up to 1.25 x or 12 characters more)']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "KEY_LENGTH_MIN_EXCESS",
    "KEY_LENGTH_RATIO",
    "ChoiceItem",
    "GiveawayReport",
    "giveaway_report",
    "option_length",
    "option_problems",
    "prompt_options",
]

#: A key longer than this multiple of the longest distractor stands out ...
KEY_LENGTH_RATIO = 1.25
#: ... when it is also at least this many characters longer than it.
KEY_LENGTH_MIN_EXCESS = 12

_EMPHASIS = re.compile(r"\*\*|__|`|\*|_(?=\w)|(?<=\w)_")
_OPTION = re.compile(r"^(?P<indent>\s*)- \*\*(?P<letter>[a-z])\*\*\s+(?P<text>\S.*)$")


def _plain(text: str) -> str:
    """The option as a reader sees it: markdown emphasis dropped, spaces collapsed."""
    return " ".join(_EMPHASIS.sub("", str(text)).split())


def option_length(text: str) -> int:
    """The visible length of an option in characters (emphasis marks and repeated spaces
    do not count).

    Examples
    --------
    >>> option_length("**Buck-passing**:  let  another state pay")
    35
    """
    return len(_plain(text))


def prompt_options(prompt: str, name: str) -> dict[str, str] | None:
    """The lettered options of the choice question whose answer variable is ``name``.

    An exercise prompt lists a question's options as a markdown list right after the paragraph
    that first names the variable in backticks: ``- **a** text``, one item per option, an
    item's text continuing on more-indented lines. The list ends at the first other line that
    is not blank. Anything else between that paragraph and the list means there is none.

    Returns
    -------
    dict or None
        ``{letter: text}`` in the order shown; ``None`` when ``name`` is not mentioned or no
        option list follows its first mention.

    Examples
    --------
    >>> text = ("Which? Set `q2_x` to the letter.\\n\\n- **a** one\\n- **b** two,\\n"
    ...         "  continued\\n\\nMore.")
    >>> prompt_options(text, "q2_x")
    {'a': 'one', 'b': 'two, continued'}
    >>> prompt_options(text, "q3_y") is None
    True
    """
    at = prompt.find(f"`{name}`")
    if at < 0:
        return None
    found: dict[str, str] = {}
    indent, last, paragraph = "", None, True
    for line in prompt[at:].splitlines()[1:]:
        match = _OPTION.match(line)
        if match and (last is None or match["indent"] == indent):
            indent, last = match["indent"], match["letter"]
            found[last] = match["text"].strip()
        elif not line.strip():
            paragraph = False
        elif last is not None and len(line) - len(line.lstrip()) > len(indent):
            found[last] += " " + line.strip()
        elif last is not None or not paragraph:
            break
    return found or None


def _same_text(text: str) -> str:
    return _plain(text).casefold().rstrip(" .;,")


def option_problems(options: Sequence[str], key: int) -> list[str]:
    """Why a choice question gives its key away (empty when it does not).

    Parameters
    ----------
    options : sequence of str
        The options as shown.
    key : int
        Index of the right option.

    Returns
    -------
    list of str
        One phrase per problem: repeated options, a key that stands out by length.

    Raises
    ------
    ValueError
        When there are fewer than two options or ``key`` is not an index into them.

    Examples
    --------
    >>> option_problems(["Entrapment", "entrapment.", "Abandonment"], key=2)
    ["options repeat: 'Entrapment' and 'entrapment.'"]
    """
    if len(options) < 2:
        raise ValueError(f"a choice question needs at least 2 options, got {len(options)}")
    if isinstance(key, bool) or not isinstance(key, int) or not 0 <= key < len(options):
        raise ValueError(f"key must be an index into the {len(options)} options, got {key!r}")
    problems = []
    seen: dict[str, str] = {}
    for text in options:
        same = _same_text(text)
        if same in seen:
            problems.append(f"options repeat: {seen[same]!r} and {text!r}")
        seen.setdefault(same, text)
    key_len = option_length(options[key])
    longest_other = max(option_length(t) for i, t in enumerate(options) if i != key)
    if (key_len > KEY_LENGTH_RATIO * longest_other
            and key_len - longest_other >= KEY_LENGTH_MIN_EXCESS):
        problems.append(
            f"the key is the longest option by a clear margin ({key_len} characters against at "
            f"most {longest_other} for the others; allowed: up to {KEY_LENGTH_RATIO:g} x or "
            f"{KEY_LENGTH_MIN_EXCESS} characters more)")
    return problems


@dataclass(frozen=True)
class ChoiceItem:
    """One choice question as the giveaway report sees it.

    Attributes
    ----------
    name : str
        The answer variable or a label for the question.
    options : tuple of str
        The options as shown.
    key : int
        Index of the right option.
    points : float
        What the question is worth (1 for an ungraded quiz question).
    """

    name: str
    options: tuple[str, ...]
    key: int
    points: float = 1.0

    def longest(self) -> list[int]:
        """Indices of the longest option(s).

        Examples
        --------
        >>> ChoiceItem("q", ("ab", "abc", "xyz"), 1).longest()
        [1, 2]
        """
        lengths = [option_length(t) for t in self.options]
        return [i for i, n in enumerate(lengths) if n == max(lengths)]


@dataclass(frozen=True)
class GiveawayReport:
    """How far a set of choice questions rewards picking the longest option.

    Attributes
    ----------
    questions : int
        Number of choice questions.
    key_longest : int
        Questions whose key is (one of) the longest option(s).
    points : float
        The questions' total points.
    longest_score : float
        Expected points of always picking the longest option (ties split evenly).
    guess_score : float
        Expected points of a blind guess.
    """

    questions: int
    key_longest: int
    points: float
    longest_score: float
    guess_score: float

    def line(self, label: str | None = None) -> str:
        """The report as one line, after ``label:`` when one is given.

        Examples
        --------
        >>> GiveawayReport(4, 1, 8.0, 2.0, 2.0).line("exercise 01")
        'exercise 01: 4 choice questions, key is the longest option in 1 (25%); always picking \
the longest scores 2/8 points (25%), a blind guess 2 (25%)'
        """
        lead = f"{label}: " if label else ""
        if not self.questions:
            return f"{lead}no choice questions"
        def share(x: float, of: float) -> str:
            return f"{100 * x / of:.0f}%" if of else "-"
        return (f"{lead}{self.questions} choice questions, key is the longest option in "
                f"{self.key_longest} ({share(self.key_longest, self.questions)}); always picking "
                f"the longest scores {self.longest_score:.3g}/{self.points:.3g} points "
                f"({share(self.longest_score, self.points)}), a blind guess "
                f"{self.guess_score:.3g} ({share(self.guess_score, self.points)})")


def giveaway_report(items: Sequence[ChoiceItem]) -> GiveawayReport:
    """Share of keys that are the longest option and the score of "always pick the longest".

    Examples
    --------
    >>> items = [ChoiceItem("a", ("short", "a much longer key"), 1, 2.0),
    ...          ChoiceItem("b", ("same", "size", "here"), 0, 1.0)]
    >>> r = giveaway_report(items)
    >>> r.key_longest, round(r.longest_score, 3), r.points, round(r.guess_score, 3)
    (2, 2.333, 3.0, 1.333)
    """
    key_longest = 0
    longest_score = guess_score = points = 0.0
    for item in items:
        longest = item.longest()
        key_longest += item.key in longest
        longest_score += item.points * (item.key in longest) / len(longest)
        guess_score += item.points / len(item.options)
        points += item.points
    return GiveawayReport(len(items), key_longest, points, round(longest_score, 6),
                          guess_score)
