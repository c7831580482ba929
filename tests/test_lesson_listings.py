"""Every place that lists the lessons states each lesson's minutes as its notebook does
(``metadata.course.minutes``): the README's lesson table, the facilitator guides' session
overview and the course map of lesson 00."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _minutes(path: Path) -> int:
    return json.loads(path.read_text(encoding="utf-8"))["metadata"]["course"]["minutes"]


def _course_map() -> str:
    nb = json.loads((ROOT / "notebooks" / "00_start_here.ipynb").read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


LISTINGS = {
    # listing: (text, pattern with {nn} and {stem} giving the minutes as group 1)
    "README.md": (lambda: (ROOT / "README.md").read_text(encoding="utf-8"),
                  r"^\| {nn} \| `{stem}\.ipynb` \| (\d+) \|"),
    "instructor/README.md": (
        lambda: (ROOT / "instructor" / "README.md").read_text(encoding="utf-8"),
        r"^\| {nn} \| `{stem}\.md` \| (\d+) \|"),
    "lesson 00 course map": (_course_map, r"^\| \[{nn} [^\]]+\]\({stem}\.ipynb\) \| (\d+) \|"),
}


@pytest.mark.parametrize("listing", sorted(LISTINGS))
def test_listed_minutes_match_the_lessons(listing: str) -> None:
    read, pattern = LISTINGS[listing]
    text = read()
    wrong = {}
    for lesson in LESSONS:
        nn, stem = lesson.stem[:2], lesson.stem
        found = re.findall(pattern.format(nn=nn, stem=re.escape(stem)), text, flags=re.M)
        if found != [str(_minutes(lesson))]:
            wrong[stem] = found
    assert not wrong, f"{listing}: minutes differ from the notebooks' metadata: {wrong}"
