"""How current the course is: the date its content runs to, checked against the timeline.

The content date lives in one place, ``course_lib/data/content.toml`` (built by
``tools/build_data.py`` from ``data-raw/content.toml``). Lesson 07, the README and the
facilitator guides state it; tests check that they agree with :func:`content_date` and that the
newest milestone of the timeline is no more than :data:`MAX_LAG_MONTHS` months older than it.

Examples
--------
>>> content_date().year >= 2026
True
>>> format_date(datetime.date(2026, 12, 6))
'6 December 2026'
"""

from __future__ import annotations

import datetime
import functools
import tomllib
from importlib import resources

import pandas as pd

from course_lib import _validate

__all__ = [
    "MAX_LAG_MONTHS",
    "content_date",
    "currency_problem",
    "format_date",
    "months_before",
    "newest_milestone_date",
    "parse_content_toml",
]

#: How many months the newest timeline milestone may lag behind the content date.
MAX_LAG_MONTHS = 6

_CONTENT_FILE = "content.toml"


def parse_content_toml(text: str, name: str = _CONTENT_FILE) -> datetime.date:
    """Return the ``content_date`` of a content file's text; raise ValueError naming the file.

    Examples
    --------
    >>> parse_content_toml("content_date = 2026-12-06\\n")
    datetime.date(2026, 12, 6)
    >>> parse_content_toml("content_date = '6 Dec'\\n")
    Traceback (most recent call last):
    ...
    ValueError: content.toml: content_date must be a TOML date such as 2026-12-06, got '6 Dec'
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{name}: not valid TOML ({exc})") from None
    if set(data) != {"content_date"}:
        raise ValueError(f"{name}: expected exactly one key, content_date, got {sorted(data)}")
    value = data["content_date"]
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise ValueError(f"{name}: content_date must be a TOML date such as 2026-12-06, "
                         f"got {value!r}")
    return value


@functools.lru_cache(maxsize=1)
def _packaged_content_date() -> datetime.date:
    path = resources.files("course_lib") / "data" / _CONTENT_FILE
    return parse_content_toml(path.read_text(encoding="utf-8"))


def content_date() -> datetime.date:
    """Return the date the course's content runs to.

    Developments up to this date were searched for; those verified from a primary document or
    a wire report are in the timeline and in lesson 07.

    Examples
    --------
    >>> isinstance(content_date(), datetime.date)
    True
    """
    return _packaged_content_date()


def format_date(day: datetime.date) -> str:
    """Return ``day`` written as the course writes dates in prose, e.g. ``'6 December 2026'``.

    Examples
    --------
    >>> format_date(datetime.date(2025, 11, 17))
    '17 November 2025'
    """
    if not isinstance(day, datetime.date):
        raise ValueError(f"day must be a datetime.date, got {_validate.shown(day)}")
    return f"{day.day} {day:%B %Y}"


def months_before(day: datetime.date, months: int) -> datetime.date:
    """Return the same day of the month ``months`` calendar months earlier (clamped to the
    month's last day).

    Examples
    --------
    >>> months_before(datetime.date(2026, 12, 6), 6)
    datetime.date(2026, 6, 6)
    >>> months_before(datetime.date(2026, 8, 31), 6)
    datetime.date(2026, 2, 28)
    """
    if isinstance(months, bool) or not isinstance(months, int) or months < 0:
        raise ValueError(f"months must be a whole number >= 0, got {_validate.shown(months)}")
    year, month0 = divmod(day.year * 12 + (day.month - 1) - months, 12)
    last_day = _month_end(year, month0 + 1).day
    return datetime.date(year, month0 + 1, min(day.day, last_day))


def _month_end(year: int, month: int) -> datetime.date:
    """The last day of ``month`` (1-12) of ``year``."""
    first_of_next = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return first_of_next - datetime.timedelta(days=1)


def _partial_date_end(text: str) -> datetime.date:
    """The last day a partial date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) can stand for."""
    parts = [int(p) for p in str(text).split("-")]
    if len(parts) == 3:
        return datetime.date(*parts)
    if len(parts) == 2:
        return _month_end(*parts)
    return datetime.date(parts[0], 12, 31)


def newest_milestone_date(timeline: pd.DataFrame) -> datetime.date:
    """Return the date of the newest milestone in ``timeline`` (a partial date counts as the
    last day it can stand for).

    Examples
    --------
    >>> tl = pd.DataFrame({"date": ["2024-05", "2023-10-07", "2022"]})
    >>> newest_milestone_date(tl)
    datetime.date(2024, 5, 31)
    """
    if not isinstance(timeline, pd.DataFrame) or "date" not in timeline.columns or timeline.empty:
        raise ValueError("timeline must be a non-empty table with a 'date' column, got "
                         f"{_validate.shown(timeline)}")
    return max(_partial_date_end(d) for d in timeline["date"])


def currency_problem(timeline: pd.DataFrame, content: datetime.date,
                     max_lag_months: int = MAX_LAG_MONTHS) -> str | None:
    """Return one line saying why ``timeline`` does not support the content date, or None.

    The content date claims the course is current to that day. The claim fails when the newest
    milestone lies after the content date (the date is stale) or more than ``max_lag_months``
    months before it (the timeline was not brought up to date).

    Examples
    --------
    >>> tl = pd.DataFrame({"date": ["2026-06-26"]})
    >>> currency_problem(tl, datetime.date(2026, 12, 6)) is None
    True
    >>> currency_problem(tl, datetime.date(2027, 3, 1))
    'newest milestone 26 June 2026 is more than 6 months older than the content date 1 March 2027'
    """
    newest = newest_milestone_date(timeline)
    if newest > content:
        return (f"newest milestone {format_date(newest)} is later than the content date "
                f"{format_date(content)}")
    if newest < months_before(content, max_lag_months):
        return (f"newest milestone {format_date(newest)} is more than {max_lag_months} months "
                f"older than the content date {format_date(content)}")
    return None
