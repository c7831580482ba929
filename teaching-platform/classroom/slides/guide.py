"""The facilitator guide's fixed Markdown structure, parsed once for tests and decks.

Examples
--------
>>> guide = parse_guide('''# Guide
... ## Session plan
... | start | segment | minutes |
... |---|---|---|
... | 0:00 | Opening | 5 |
... | 0:05 | Debate | 15 |
... | | **Total** | **20** |
... ## Slide budget
... Maximum slides: 12
... ## Speaker notes
... ### Welcome
... Ask who has read the paper.
... ''')
>>> guide.plan_minutes, guide.stated_total, guide.max_slides
(20, 20, 12)
>>> guide.speaker_notes["Welcome"]
'Ask who has read the paper.'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from classroom.course import Course

__all__ = ["DiscussionPrompt", "Guide", "PlanRow", "guide_path", "list_items", "parse_guide"]

@dataclass(frozen=True)
class PlanRow:
    """One row of a session plan: the table's cells, the start (``h:mm``) and the minutes."""

    cells: tuple[str, ...]
    start: str
    segment: str
    minutes: int


@dataclass(frozen=True)
class DiscussionPrompt:
    """A ``### Prompt`` of the guide: its title, question, model-answer notes, counter-argument."""

    title: str
    prompt: str
    model_answer: str
    counter_argument: str


@dataclass(frozen=True)
class Guide:
    """A parsed facilitator guide (see the module docstring for the structure)."""

    title: str
    sections: dict[str, str]
    plan: tuple[PlanRow, ...]
    stated_total: int | None
    objectives: tuple[str, ...]
    prompts: tuple[DiscussionPrompt, ...]
    misconceptions: tuple[str, ...]
    max_slides: int | None
    speaker_notes: dict[str, str] = field(default_factory=dict)

    @property
    def plan_minutes(self) -> int:
        """Sum of the plan's segment minutes (the total row excluded)."""
        return sum(row.minutes for row in self.plan)


_MODEL = "**Model-answer notes.**"
_COUNTER = "**Strongest counter-argument.**"


def _split(text: str, level: int) -> tuple[str, dict[str, str]]:
    """Split Markdown at headings of exactly ``level`` hashes (outside code fences)."""
    marker = "#" * level + " "
    head: list[str] = []
    parts: dict[str, list[str]] = {}
    current: list[str] = head
    fenced = False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        if not fenced and line.startswith(marker):
            name = line[len(marker):].strip()
            current = parts.setdefault(name, [])
            continue
        current.append(line)
    return "\n".join(head), {k: "\n".join(v).strip() for k, v in parts.items()}


def list_items(text: str, numbered: bool) -> list[str]:
    """The items of a Markdown list (numbered or bulleted), continuation lines joined.

    Examples
    --------
    >>> list_items("1. one\\n   more\\n2. two", numbered=True)
    ['one more', 'two']
    """
    pattern = re.compile(r"^\s*\d+[.)]\s+(.*)$" if numbered else r"^\s*[-*]\s+(.*)$")
    items: list[str] = []
    for line in text.splitlines():
        m = pattern.match(line)
        if m:
            items.append(m.group(1).strip())
        elif items and line.startswith(" ") and line.strip():
            items[-1] += " " + line.strip()
        elif items and not line.strip():
            continue
    return items


def _table_rows(text: str) -> list[list[str]]:
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        if all(re.fullmatch(r":?-{3,}:?", c) for c in cells if c):
            continue
        rows.append(cells)
    return rows


def _int_cell(cell: str, where: str) -> int:
    value = cell.replace("*", "").strip()
    if not value.isdigit():
        raise ValueError(f"guide {where}: minutes must be a whole number, got {cell!r}")
    return int(value)


def parse_guide(source: str | Path) -> Guide:
    """Parse a facilitator guide (Markdown text or a path to an ``.md`` file).

    Recognised sections (``## ...``): ``Session plan`` (a table whose last column is minutes and
    whose first column is the start time ``h:mm``; a row whose segment says **Total** states the
    total), ``Learning objectives`` (numbered list), ``Discussion prompts`` (``### Prompt ...``
    subsections, each with a ``**Model-answer notes.**`` and a ``**Strongest counter-argument.**``
    paragraph), ``Common misconceptions`` (bullet list), ``Slide budget`` (``Maximum slides: N``)
    and ``Speaker notes`` (``### <exact slide heading>`` subsections). Missing sections give
    empty values; tests decide what is required.

    Raises
    ------
    ValueError
        When a plan row's minutes are not a whole number.

    Examples
    --------
    >>> g = parse_guide('''## Discussion prompts
    ... ### Prompt 1: Tiers
    ... Is a partnership enough?
    ...
    ... **Model-answer notes.** It depends on the threat.
    ...
    ... **Strongest counter-argument.** Partners lack guarantees.
    ... ''')
    >>> p = g.prompts[0]
    >>> p.title, p.prompt, p.model_answer, p.counter_argument
    ('Prompt 1: Tiers', 'Is a partnership enough?', 'It depends on the threat.', \
'Partners lack guarantees.')
    """
    if isinstance(source, Path) or (isinstance(source, str) and source.endswith(".md")
                                    and "\n" not in source):
        text = Path(source).read_text(encoding="utf-8")
    else:
        text = str(source)
    head, sections = _split(text, 2)
    title = next((line[2:].strip() for line in head.splitlines() if line.startswith("# ")), "")

    plan: list[PlanRow] = []
    stated_total = None
    rows = _table_rows(sections.get("Session plan", ""))
    for cells in rows[1:]:
        segment = cells[1] if len(cells) > 2 else cells[0]
        if "total" in segment.replace("*", "").strip().lower():
            stated_total = _int_cell(cells[-1], "session plan total")
            continue
        plan.append(PlanRow(tuple(cells), cells[0], segment,
                            _int_cell(cells[-1], f"session plan row {segment!r}")))

    prompts = []
    _, prompt_parts = _split(sections.get("Discussion prompts", ""), 3)
    for name, body in prompt_parts.items():
        before, _, rest = body.partition(_MODEL)
        model, _, counter = rest.partition(_COUNTER)
        prompts.append(DiscussionPrompt(name, before.strip(), model.strip(), counter.strip()))

    budget = re.search(r"Maximum slides:\s*(\d+)", sections.get("Slide budget", ""))
    _, notes = _split(sections.get("Speaker notes", ""), 3)
    return Guide(
        title=title,
        sections=sections,
        plan=tuple(plan),
        stated_total=stated_total,
        objectives=tuple(list_items(sections.get("Learning objectives", ""), numbered=True)),
        prompts=tuple(prompts),
        misconceptions=tuple(list_items(sections.get("Common misconceptions", ""),
                                         numbered=False)),
        max_slides=int(budget.group(1)) if budget else None,
        speaker_notes=notes,
    )


def guide_path(lesson: str | Path, guide_dir: str | Path | None = None) -> Path:
    """The guide of a lesson notebook: ``instructor/<lesson stem>.md``.

    Examples
    --------
    >>> guide_path("notebooks/03_measuring_threat.ipynb").name
    '03_measuring_threat.md'
    """
    folder = Path(guide_dir) if guide_dir is not None else Course.find().instructor
    return folder / f"{Path(lesson).stem}.md"
