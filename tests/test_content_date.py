"""The date the course's content runs to: kept in one place, stated alike everywhere, and backed
by a timeline whose newest milestone is no more than six months older (issue 21)."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from course_lib import datasets
from course_lib.datasets.currency import (
    currency_problem,
    months_before,
    newest_milestone_date,
    parse_content_toml,
)

ROOT = Path(__file__).resolve().parents[1]
LESSON_07 = ROOT / "notebooks" / "07_after_the_paper.ipynb"
#: "runs to 6 December 2026", as the README, the guides and lesson 07 write the content date.
RUNS_TO = re.compile(r"runs to (\d{1,2} [A-Z][a-z]+ \d{4})")


def _stated(text: str) -> list[str]:
    return RUNS_TO.findall(" ".join(text.split()))


def test_newest_milestone_is_within_six_months_of_the_content_date() -> None:
    timeline = datasets.load_timeline()
    problem = currency_problem(timeline, datasets.content_date())
    assert problem is None, problem
    assert datasets.content_date() >= newest_milestone_date(timeline)


@pytest.mark.parametrize(("newest", "content", "words"), [
    ("2026-06-05", datetime.date(2026, 12, 6), "more than 6 months older"),
    ("2026-06", datetime.date(2027, 1, 1), "more than 6 months older"),
    ("2026-12-07", datetime.date(2026, 12, 6), "later than the content date"),
])
def test_a_stale_or_inconsistent_content_date_is_caught(newest: str, content: datetime.date,
                                                       words: str) -> None:
    timeline = pd.DataFrame({"date": ["2001-10-04", newest]})
    problem = currency_problem(timeline, content)
    assert problem is not None and words in problem


def test_the_boundary_of_six_months_is_allowed() -> None:
    content = datetime.date(2026, 12, 6)
    assert months_before(content, 6) == datetime.date(2026, 6, 6)
    assert currency_problem(pd.DataFrame({"date": ["2026-06-06"]}), content) is None
    assert currency_problem(pd.DataFrame({"date": ["2026-06"]}), content) is None
    assert currency_problem(pd.DataFrame({"date": ["2026-06-05"]}), content)


@pytest.mark.parametrize("text", ["", "content_date = 2026-12-06T10:00:00\n",
                                  "content_date = 2026-12-06\nother = 1\n", "content_date = [\n"])
def test_a_malformed_content_file_is_refused_in_one_line(text: str) -> None:
    with pytest.raises(ValueError, match=r"^content\.toml: ") as info:
        parse_content_toml(text)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("name", ["README.md", "notebooks/reading_list.md"])
def test_readme_and_reading_list_state_the_content_date(name: str) -> None:
    text = (ROOT / name).read_text(encoding="utf-8")
    assert _stated(text) == [datasets.format_date(datasets.content_date())]


def test_guides_state_the_content_date() -> None:
    expected = datasets.format_date(datasets.content_date())
    stated = {p.name: _stated(p.read_text(encoding="utf-8"))
              for p in sorted((ROOT / "instructor").glob("*.md"))}
    assert stated["README.md"] and stated["07_after_the_paper.md"], stated
    wrong = {name: dates for name, dates in stated.items() if set(dates) - {expected}}
    assert not wrong, f"guides state another content date than {expected}: {wrong}"


def test_lesson_07_reads_the_content_date_from_the_package() -> None:
    nb = json.loads(LESSON_07.read_text(encoding="utf-8"))
    expected = datasets.format_date(datasets.content_date())
    calls = [c for c in nb["cells"] if c["cell_type"] == "code"
             and "content_date()" in "".join(c["source"])]
    assert calls, "lesson 07 must read datasets.content_date(), not type the date"
    shown = "".join("".join(o.get("text", "")) for c in calls for o in c.get("outputs", []))
    assert expected in shown
    typed = [d for c in nb["cells"] if c["cell_type"] == "markdown"
             for d in _stated("".join(c["source"]))]
    assert set(typed) <= {expected}
