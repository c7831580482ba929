"""Class exports for a spreadsheet: wide and long CSV (the LMS files are in :mod:`.lms`).

- ``wide``: one row per student: per exercise the final points, the penalty points, a late
  flag and the count of unmarked questions;
- ``long``: one row per student, exercise and question.

Totals include the manual marks and have the late penalty applied (see
:mod:`classroom.gradebook.totals`).  Roster students without a submission get blank cells;
a submission that could not be graded says ``error``.  Text cells are escaped against
spreadsheet formulas (:mod:`classroom.gradebook.spreadsheet`).  Canvas and Moodle get their
own files, one per exercise, that cannot misroute or erase a grade
(:func:`classroom.gradebook.lms.lms_files`).

Examples
--------
>>> import tempfile
>>> from classroom.gradebook.store import open_gradebook
>>> print(render_export(open_gradebook(tempfile.mkdtemp()), "wide"), end="")
student,id,name,email,lms_id,total
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

from classroom.errors import CourseError
from classroom.gradebook.files import write_export
from classroom.gradebook.history import latest_results
from classroom.gradebook.roster import Student, roster_by_folder
from classroom.gradebook.spreadsheet import csv_text
from classroom.gradebook.store import Gradebook, now_iso
from classroom.gradebook.totals import Total, class_totals
from course_lib.files import atomic_write_bytes

__all__ = ["FORMATS", "LONG_COLUMNS", "export_gradebook", "render_export", "unmarked_count",
           "write_owned_file"]


def _fmt(x: float | None) -> str:
    return "" if x is None else f"{x:g}"


def _people(book: Gradebook, totals: dict[str, dict[str, Total]]
            ) -> list[tuple[str, Student | None]]:
    """Every student graded or on the roster (once), with their roster row, sorted."""
    roster = roster_by_folder(book)
    graded = {roster[s].id for s in totals if s in roster}
    folders = set(totals) | {w.folder for w in roster.values() if w.id not in graded}
    return [(f, roster.get(f)) for f in sorted(folders)]


def _grade(t: Total | None) -> str:
    """A spreadsheet cell: blank without a submission, ``error`` when it could not be graded."""
    if t is None:
        return ""
    return "error" if t.status == "error" else _fmt(t.final)


def _wide(book: Gradebook) -> str:
    exercises, totals = class_totals(book)
    header = ["student", "id", "name", "email", "lms_id"]
    for e in exercises:
        header += [e.id, f"{e.id} penalty", f"{e.id} late", f"{e.id} unmarked"]
    header.append("total")
    rows = []
    for folder, who in _people(book, totals):
        mine = totals.get(folder, {})
        row = [folder, who.id if who else "", who.name if who else "",
               who.email if who else "", who.lms_id if who else ""]
        for e in exercises:
            t = mine.get(e.id)
            row += [_grade(t), _fmt(t.penalty_points), "yes" if t.late else "no",
                    str(t.unmarked)] if t else ["", "", "", ""]
        row.append(_fmt(round(sum(t.final for t in mine.values()), 4)) if mine else "")
        rows.append(row)
    return csv_text(header, rows)


LONG_COLUMNS = ("student", "id", "exercise", "question", "kind", "points", "max_points",
                "status", "late", "exercise_penalty_percent")


def _long(book: Gradebook) -> str:
    _, totals = class_totals(book)
    roster = roster_by_folder(book)
    rows = []
    for r in latest_results(book):
        t = totals[r["student"]][r["exercise"]]
        sid = roster[r["student"]].id if r["student"] in roster else ""
        tail = ["yes" if t.late else "no", _fmt(t.penalty_percent)]
        if r["status"] == "error":
            rows.append([r["student"], sid, r["exercise"], "", "", "0", "", "error"] + tail)
        for gid, q in sorted(r.get("questions", {}).items()):
            rows.append([r["student"], sid, r["exercise"], gid, "auto", _fmt(q["points"]),
                         _fmt(q["max_points"]), q["status"]] + tail)
        for gid, m in sorted(r.get("manual", {}).items()):
            rows.append([r["student"], sid, r["exercise"], gid, "manual",
                         _fmt(m.get("points")), _fmt(m["max_points"]), m["status"]] + tail)
    return csv_text(LONG_COLUMNS, rows)


#: format name -> function rendering the CSV text from the gradebook
FORMATS: dict[str, Callable[[Gradebook], str]] = {"wide": _wide, "long": _long}


def render_export(book: Gradebook, fmt: str) -> str:
    """The CSV text of one export format (``ValueError`` for an unknown format).

    Examples
    --------
    >>> import tempfile
    >>> from classroom.gradebook.store import open_gradebook
    >>> render_export(open_gradebook(tempfile.mkdtemp()), "wide")
    'student,id,name,email,lms_id,total\\n'
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    return FORMATS[fmt](book)


def _record(book: Gradebook, key: str, text: str) -> None:
    with book.transaction() as c:
        c.execute("INSERT INTO exports (path, sha256, written_at) VALUES (?, ?, ?) "
                  "ON CONFLICT(path) DO UPDATE SET sha256=excluded.sha256, "
                  "pending_sha256=NULL, written_at=excluded.written_at",
                  (key, hashlib.sha256(text.encode()).hexdigest(), now_iso()))


def write_owned_file(book: Gradebook, out: str | Path, text: str, *,
                     overwrite: bool = False) -> Path:
    """Write ``text`` to ``out`` atomically and record it as the tool's; returns the path.

    A file already at ``out`` is replaced only when this tool wrote it (and nobody changed it
    since), or with ``overwrite=True``.

    Raises
    ------
    CourseError
        When ``out`` holds a file the tool did not write and ``overwrite`` is false.

    Examples
    --------
    >>> import tempfile
    >>> from classroom.gradebook.store import open_gradebook
    >>> d = Path(tempfile.mkdtemp())
    >>> write_owned_file(open_gradebook(d), d / "x.csv", "a\\n").name
    'x.csv'
    """
    path = Path(os.path.abspath(out))
    if path.is_dir():
        raise CourseError(f"--out {out} is a folder; give a file name")
    if overwrite:
        atomic_write_bytes(path, text.encode("utf-8"))
        _record(book, str(path), text)
        return path
    if not write_export(book, str(path), text):
        raise CourseError(f"{out} exists and was not written by course (or was changed since):"
                          " choose another --out or add --overwrite")
    return path


def export_gradebook(book: Gradebook, fmt: str, out: str | Path, *,
                     overwrite: bool = False) -> Path:
    """Write one export format to ``out`` (see :func:`write_owned_file`); returns its path.

    Examples
    --------
    >>> import tempfile
    >>> from classroom.gradebook.store import open_gradebook
    >>> d = Path(tempfile.mkdtemp())
    >>> export_gradebook(open_gradebook(d), "long", d / "long.csv").read_text()[:16]
    'student,id,exerc'
    """
    return write_owned_file(book, out, render_export(book, fmt), overwrite=overwrite)


def unmarked_count(totals: dict[str, dict[str, Total]]) -> int:
    """Exercise totals that still lack a manual mark.

    Examples
    --------
    >>> unmarked_count({})
    0
    """
    return sum(1 for mine in totals.values() for t in mine.values() if t.unmarked)

