"""Rubrics and word ranges of the reflections an exercise asks for (read from cell metadata).

A reflection cell carries ``metadata.course.rubric``: one line per criterion,
``{"criterion": ..., "points": n, "levels": {"full": ..., "partial": ..., "none": ...}}``, the
levels saying what earns full, partial and no marks on that line; and
``metadata.course.words``: the length asked, either one range ``[min, max]`` or one per level
of study, ``{"undergraduate": [200, 300], "master's": [350, 500]}``. The grader, the marking
widget and the feedback read them through these functions, so they agree.

Examples
--------
>>> word_ranges({"words": {"undergraduate": [200, 300], "master's": [350, 500]}})
{'undergraduate': (200, 300), "master's": (350, 500)}
>>> words_asked({"undergraduate": (200, 300), "master's": (350, 500)})
"200-300 words for undergraduates, 350-500 for master's students"
>>> level_reached(1, 2), level_reached(2, 2), level_reached(0, 2)
('partial', 'full', 'none')
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["ANY_LEVEL", "LEVELS", "STUDY_LEVELS", "level_reached", "rubric_levels", "word_ranges",
           "word_verdict", "words_asked"]

#: The levels of a rubric line, from the most to the fewest marks.
LEVELS = ("full", "partial", "none")
#: Levels of study a word range may be given for, with the words a sentence uses for them.
STUDY_LEVELS = {"undergraduate": "undergraduates", "master's": "master's students"}
#: The key of a single range given for every level (``words: [min, max]``).
ANY_LEVEL = ""


def _range(value: Any) -> tuple[int, int] | None:
    if (isinstance(value, list | tuple) and len(value) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
            and 0 < value[0] < value[1]):
        return int(value[0]), int(value[1])
    return None


def word_ranges(meta: Mapping[str, Any]) -> dict[str, tuple[int, int]]:
    """The word ranges of a reflection's ``metadata.course`` (``{}`` when none is given).

    One range for everyone comes back under the key ``""``.

    Examples
    --------
    >>> word_ranges({"words": [150, 250]}), word_ranges({"words": [250, 150]}), word_ranges({})
    ({'': (150, 250)}, {}, {})
    """
    words = meta.get("words")
    if isinstance(words, Mapping):
        found = {str(k): r for k, v in words.items() if (r := _range(v)) is not None}
        return {k: found[k] for k in sorted(found, key=lambda k: found[k])}
    single = _range(words)
    return {ANY_LEVEL: single} if single else {}


def words_asked(ranges: Mapping[str, tuple[int, int]]) -> str:
    """The ranges as a phrase (``""`` when there are none).

    Examples
    --------
    >>> words_asked({"": (150, 250)}), words_asked({})
    ('150-250 words', '')
    """
    parts = []
    for i, (level, (low, high)) in enumerate(ranges.items()):
        unit = " words" if i == 0 else ""
        who = f" for {STUDY_LEVELS.get(level, level)}" if level else ""
        parts.append(f"{low}-{high}{unit}{who}")
    return ", ".join(parts)


def word_verdict(count: int, ranges: Mapping[str, tuple[int, int]]) -> str:
    """How a word count stands against the ranges: within, or below or above every range.

    Examples
    --------
    >>> r = {"undergraduate": (200, 300), "master's": (350, 500)}
    >>> word_verdict(320, r), word_verdict(120, r), word_verdict(260, r)
    ('between the ranges', 'below every range asked', 'within the range for undergraduates')
    """
    inside = [level for level, (low, high) in ranges.items() if low <= count <= high]
    if inside:
        who = inside[0]
        return f"within the range for {STUDY_LEVELS.get(who, who)}" if who else \
            "within the range"
    if all(count < low for low, _ in ranges.values()):
        return "below every range asked" if len(ranges) > 1 else "below the range"
    if all(count > high for _, high in ranges.values()):
        return "above every range asked" if len(ranges) > 1 else "above the range"
    return "between the ranges"


def rubric_levels(line: Mapping[str, Any]) -> dict[str, str]:
    """The level descriptors of one rubric line (``{}`` when it gives none).

    Examples
    --------
    >>> rubric_levels({"criterion": "c", "points": 1, "levels": {"full": "all", "none": "-"}})
    {'full': 'all', 'none': '-'}
    """
    levels = line.get("levels")
    if not isinstance(levels, Mapping):
        return {}
    return {k: str(levels[k]) for k in LEVELS if isinstance(levels.get(k), str)}


def level_reached(points: float | None, top: float) -> str | None:
    """The level a score reaches on a line worth ``top`` points (``None``: not scored)."""
    if points is None:
        return None
    if points >= top:
        return "full"
    return "none" if points <= 0 else "partial"
