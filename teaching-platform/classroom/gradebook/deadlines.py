"""Deadlines: the course configuration (``course.toml``), lateness and late penalties.

``course.toml`` (read with :mod:`tomllib`) holds a due date per exercise, one late-penalty rule
and per-student extensions::

    [exercises.01_southern_direction_exercises]
    due = "2026-11-20T23:59:00+01:00"      # ISO 8601 with a timezone (required)
    canvas_id = "1234"                     # optional: the Canvas assignment id for exports

    [late_penalty]
    percent_per_day = 10                   # of the points earned, per started day late
    max_percent = 50                       # cap
    grace_minutes = 15                     # up to this late counts as on time

    [[extensions]]
    student = "s07"
    exercise = "01_southern_direction_exercises"
    due = "2026-11-25T23:59:00+01:00"
    reason = "medical certificate"

:func:`apply_config` stores it in the gradebook (``settings``, ``exercises.due_at``,
``extensions``) so that feedback and exports read one truth; :func:`lateness` then says for a
student's exercise how late the submission was (its time comes from collection when known,
else the file's modification time, both stored at grading time) and what the penalty is.

Examples
--------
>>> rule = PenaltyRule(percent_per_day=10, max_percent=30, grace_minutes=15)
>>> [penalty_percent(m, rule) for m in (10, 16, 60 * 24, 60 * 24 + 1, 60 * 24 * 9)]
[0.0, 10.0, 10.0, 20.0, 30.0]
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path

from classroom.errors import CourseError
from classroom.gradebook.store import Gradebook, now_iso

__all__ = ["CONFIG_FILE", "CourseConfig", "Lateness", "PenaltyRule", "apply_config",
           "canvas_assignment_id", "compute_lateness", "find_config", "flag_late_submissions",
           "lateness", "load_config", "parse_config", "penalty_percent", "stored_config"]

CONFIG_FILE = "course.toml"
_KEY = "deadlines"


@dataclass(frozen=True)
class PenaltyRule:
    """Percent of the earned points taken per started day late, a cap, and a grace period."""

    percent_per_day: float = 0.0
    max_percent: float = 100.0
    grace_minutes: float = 0.0


@dataclass
class CourseConfig:
    """Due dates (UTC ISO strings), the penalty rule, extensions and Canvas assignment ids."""

    due: dict[str, str] = field(default_factory=dict)
    penalty: PenaltyRule = field(default_factory=PenaltyRule)
    extensions: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    canvas_ids: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Lateness:
    """How late one submission was (``minutes_late`` <= 0: on time) and its penalty."""

    submitted_at: str | None
    time_source: str | None
    due_at: str | None
    extended: bool
    minutes_late: float
    late: bool
    penalty_percent: float

    def describe(self) -> str:
        """One sentence for feedback.

        Examples
        --------
        >>> Lateness("2026-01-02T01:00:00+00:00", "file modification time",
        ...     "2026-01-01T00:00:00+00:00", False, 1500.0, True, 20.0).describe()
        'Submitted 1 d 1 h after the due date (2026-01-01T00:00:00+00:00): late, 20% of the \
points taken off.'
        """
        if self.due_at is None:
            return "No due date is set for this exercise."
        due = f"the {'extended ' if self.extended else ''}due date ({self.due_at})"
        if not self.late:
            return f"Submitted on time (by {due})."
        hours = int(self.minutes_late // 60)
        span = f"{hours // 24} d {hours % 24} h" if hours >= 24 else \
            f"{hours} h {int(self.minutes_late % 60)} min"
        return (f"Submitted {span} after {due}: late, {self.penalty_percent:g}% of the points "
                "taken off.")


def _utc(text: object, where: str) -> str:
    """An ISO 8601 time with a timezone, as a UTC ISO string (``CourseError`` otherwise)."""
    if isinstance(text, dt.datetime):
        when = text
    else:
        try:
            when = dt.datetime.fromisoformat(str(text))
        except ValueError:
            raise CourseError(f"{where} must be an ISO 8601 time such as "
                              f"2026-11-20T23:59:00+01:00, got {text!r}") from None
    if when.tzinfo is None:
        raise CourseError(f"{where} must carry a timezone (e.g. +01:00 or Z), got {text!r}")
    return when.astimezone(dt.UTC).isoformat(timespec="seconds")


def _number(table: dict, key: str, default: float, low: float, high: float) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or \
            not math.isfinite(value) or not low <= value <= high:
        raise CourseError(f"late_penalty.{key} must be a number in [{low:g}, {high:g}], "
                          f"got {value!r}")
    return float(value)


def canvas_assignment_id(value: object, exercise: str) -> str:
    """A Canvas assignment id, checked: digits only (Canvas reads ``Title (id)`` only then).

    Examples
    --------
    >>> canvas_assignment_id(4711, "01_x"), canvas_assignment_id("0815", "01_x")
    ('4711', '0815')
    >>> canvas_assignment_id("abc", "01_x")
    Traceback (most recent call last):
    ...
    classroom.errors.CourseError: exercises.01_x.canvas_id must be the Canvas assignment's \
number (the digits at the end of its address, .../assignments/4711), got 'abc'
    """
    text = str(value) if isinstance(value, int | str) and not isinstance(value, bool) else ""
    if not re.fullmatch(r"[0-9]{1,18}", text):
        raise CourseError(f"exercises.{exercise}.canvas_id must be the Canvas assignment's "
                          "number (the digits at the end of its address, "
                          f".../assignments/4711), got {value!r}")
    return text


def parse_config(data: dict) -> CourseConfig:
    """Check and convert the parsed TOML of ``course.toml``.

    Examples
    --------
    >>> c = parse_config({"exercises": {"01_x": {"due": "2026-11-20T23:59:00+01:00"}},
    ...     "late_penalty": {"percent_per_day": 10},
    ...     "extensions": [{"student": "ann", "exercise": "01_x",
    ...                     "due": "2026-11-22T12:00:00Z"}]})
    >>> c.due["01_x"], c.extensions[("ann", "01_x")][0], c.penalty.percent_per_day
    ('2026-11-20T22:59:00+00:00', '2026-11-22T12:00:00+00:00', 10.0)
    """
    exercises = data.get("exercises", {})
    if not isinstance(exercises, dict):
        raise CourseError("[exercises] must be a table of exercise ids")
    config = CourseConfig()
    for ex, table in exercises.items():
        if not isinstance(table, dict) or "due" not in table:
            raise CourseError(f"exercises.{ex} needs a due = \"...\" date")
        config.due[ex] = _utc(table["due"], f"exercises.{ex}.due")
        if "canvas_id" in table:
            config.canvas_ids[ex] = canvas_assignment_id(table["canvas_id"], ex)
    rule = data.get("late_penalty", {})
    config.penalty = PenaltyRule(_number(rule, "percent_per_day", 0.0, 0, 100),
                                 _number(rule, "max_percent", 100.0, 0, 100),
                                 _number(rule, "grace_minutes", 0.0, 0, 60 * 24 * 365))
    for i, ext in enumerate(data.get("extensions", [])):
        if not isinstance(ext, dict) or not {"student", "exercise", "due"} <= ext.keys():
            raise CourseError(f"extensions[{i}] needs student, exercise and due")
        config.extensions[(str(ext["student"]), str(ext["exercise"]))] = (
            _utc(ext["due"], f"extensions[{i}].due"), str(ext.get("reason", "")))
    return config


def load_config(path: str | Path) -> CourseConfig:
    """Read and check a ``course.toml`` file (``CourseError`` naming the problem).

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "course.toml"
    >>> _ = p.write_text("[late_penalty]\\npercent_per_day = 5\\n")
    >>> load_config(p).penalty.percent_per_day
    5.0
    """
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CourseError(f"course configuration {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise CourseError(f"{path} is not valid TOML: {exc}") from None
    return parse_config(data)


def find_config(explicit: str | Path | None, folder: str | Path) -> Path | None:
    """``explicit`` when given, else ``folder/course.toml`` when it exists, else ``None``.

    Examples
    --------
    >>> import tempfile
    >>> find_config(None, tempfile.mkdtemp()) is None
    True
    """
    if explicit is not None:
        return Path(explicit)
    candidate = Path(folder) / CONFIG_FILE
    return candidate if candidate.is_file() else None


def apply_config(book: Gradebook, config: CourseConfig) -> None:
    """Store ``config`` in the gradebook (one transaction; extensions replaced per key).

    Examples
    --------
    >>> import tempfile
    >>> from classroom.gradebook.store import open_gradebook
    >>> book = open_gradebook(tempfile.mkdtemp())
    >>> apply_config(book, parse_config({"exercises": {"01_x": {"due": "2026-01-01T00:00Z"}}}))
    >>> stored_config(book).due
    {'01_x': '2026-01-01T00:00:00+00:00'}
    """
    value = {"due": config.due, "penalty": asdict(config.penalty),
             "canvas_ids": config.canvas_ids}
    with book.transaction() as c:
        c.execute("INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, ?) "
                  "ON CONFLICT(key) DO UPDATE SET value_json=excluded.value_json, "
                  "updated_at=excluded.updated_at", (_KEY, json.dumps(value), now_iso()))
        for ex, due in config.due.items():
            c.execute("UPDATE exercises SET due_at = ? WHERE id = ?", (due, ex))
        c.executemany("INSERT INTO extensions (student, exercise, due_at, reason) "
                      "VALUES (?, ?, ?, ?) ON CONFLICT(student, exercise) DO UPDATE SET "
                      "due_at=excluded.due_at, reason=excluded.reason",
                      [(s, ex, due, reason)
                       for (s, ex), (due, reason) in config.extensions.items()])


def stored_config(book: Gradebook) -> CourseConfig:
    """The configuration last applied to ``book`` (empty when none was).

    Examples
    --------
    >>> import tempfile
    >>> from classroom.gradebook.store import open_gradebook
    >>> stored_config(open_gradebook(tempfile.mkdtemp())).due
    {}
    """
    row = book.conn.execute("SELECT value_json FROM settings WHERE key = ?",
                            (_KEY,)).fetchone()
    config = CourseConfig()
    if row is not None:
        value = json.loads(row[0])
        config.due, config.canvas_ids = value["due"], value.get("canvas_ids", {})
        config.penalty = PenaltyRule(**value["penalty"])
    folders = dict(book.conn.execute("SELECT id, folder FROM students WHERE folder IS NOT NULL"))
    for student, ex, due, reason in book.conn.execute(
            "SELECT student, exercise, due_at, reason FROM extensions"):
        config.extensions[(student, ex)] = (due, reason or "")
        # an extension may name the roster id; the gradebook knows the submission folder
        config.extensions.setdefault((folders.get(student, student), ex), (due, reason or ""))
    return config


def penalty_percent(minutes_late: float, rule: PenaltyRule) -> float:
    """Percent taken off: ``percent_per_day`` per started day late, capped; 0 within grace.

    Examples
    --------
    >>> penalty_percent(60 * 24 * 3, PenaltyRule(percent_per_day=20, max_percent=50))
    50.0
    """
    if minutes_late <= rule.grace_minutes:
        return 0.0
    days = math.ceil(minutes_late / (60 * 24))
    return float(min(rule.max_percent, days * rule.percent_per_day))


def compute_lateness(config: CourseConfig, student: str, exercise: str,
                     submitted_at: str | None, time_source: str | None,
                     flagged: bool) -> Lateness:
    """The :class:`Lateness` of one submission under ``config`` (see :func:`lateness`).

    Examples
    --------
    >>> c = parse_config({"exercises": {"01_x": {"due": "2026-01-01T00:00:00Z"}},
    ...                   "late_penalty": {"percent_per_day": 5}})
    >>> compute_lateness(c, "ann", "01_x", "2026-01-03T00:00:00+00:00", None, False).penalty_percent
    10.0
    """
    extension = config.extensions.get((student, exercise))
    due = extension[0] if extension else config.due.get(exercise)
    if due is None or submitted_at is None:
        return Lateness(submitted_at, time_source, due, bool(extension), 0.0, flagged, 0.0)
    minutes = (dt.datetime.fromisoformat(submitted_at)
               - dt.datetime.fromisoformat(due)).total_seconds() / 60
    pct = penalty_percent(minutes, config.penalty)
    late = minutes > config.penalty.grace_minutes
    return Lateness(submitted_at, time_source, due, bool(extension), round(minutes, 1), late,
                    pct if late else 0.0)


def lateness(book: Gradebook, student: str, exercise: str) -> Lateness | None:
    """How late ``student``'s latest graded submission of ``exercise`` was; ``None`` if none.

    Without a due date the submission is late only when collection said so (a Canvas
    ``LATE`` file name), and no penalty applies.

    Examples
    --------
    >>> import tempfile
    >>> from classroom.gradebook.store import open_gradebook
    >>> lateness(open_gradebook(tempfile.mkdtemp()), "ann", "01_x") is None
    True
    """
    row = book.conn.execute(
        "SELECT s.submitted_at, s.time_source, s.late FROM results r JOIN submissions s "
        "ON s.id = r.submission_id WHERE r.student = ? AND r.exercise = ? "
        "ORDER BY r.id DESC LIMIT 1", (student, exercise)).fetchone()
    if row is None:
        return None
    return compute_lateness(stored_config(book), student, exercise, row[0], row[1],
                            bool(row[2]))


def flag_late_submissions(book: Gradebook) -> int:
    """Set ``submissions.late`` from the stored due dates and extensions.

    Where a due date applies it decides (an extension granted later clears the flag); where
    none does, the flag from collection (a Canvas ``LATE`` file name) is kept.  Returns the
    number of submissions late.

    Examples
    --------
    >>> import tempfile
    >>> from classroom.gradebook.store import open_gradebook
    >>> flag_late_submissions(open_gradebook(tempfile.mkdtemp()))
    0
    """
    config = stored_config(book)
    rows = book.conn.execute("SELECT id, student, exercise, submitted_at, time_source, late "
                             "FROM submissions").fetchall()
    flags = [(int(compute_lateness(config, student, ex, at, source, bool(flag)).late), sid)
             for sid, student, ex, at, source, flag in rows]
    with book.transaction() as c:
        c.executemany("UPDATE submissions SET late = ? WHERE id = ?", flags)
    return sum(late for late, _ in flags)
