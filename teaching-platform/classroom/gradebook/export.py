"""Class exports for an LMS or a spreadsheet: Canvas, Moodle, wide and long CSV.

- ``canvas``: Canvas's gradebook-import layout: ``Student``, ``ID`` (the Canvas user id),
  ``SIS User ID``, ``SIS Login ID``, ``Section``, then one column per assignment named
  ``Title (assignment id)`` (``canvas_id`` in ``course.toml``; without it just ``Title``, which
  Canvas imports as a new assignment);
- ``moodle``: Moodle's CSV grade import: ``First name``, ``Last name``, ``ID number`` and
  ``Email address`` (map ``Email address`` or ``ID number`` on import), one grade column per
  exercise and a ``(feedback)`` column saying a late penalty;
- ``wide``: one row per student: per exercise the final points, the penalty points, a late
  flag and the count of unmarked questions;
- ``long``: one row per student, exercise and question.

Totals include the manual marks and have the late penalty applied (see
:mod:`classroom.gradebook.totals`).  Roster students without a submission get blank cells
(never a zero an LMS would take as a grade); so do submissions that could not be graded
(``error`` in the wide export), which the feedback explains.

Examples
--------
>>> import tempfile
>>> from classroom.gradebook.store import open_gradebook
>>> print(render_export(open_gradebook(tempfile.mkdtemp()), "canvas"), end="")
Student,ID,SIS User ID,SIS Login ID,Section
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from collections.abc import Callable
from pathlib import Path

from classroom.errors import CourseError
from classroom.gradebook.deadlines import stored_config
from classroom.gradebook.files import write_export
from classroom.gradebook.history import latest_results
from classroom.gradebook.roster import Student, roster_by_folder
from classroom.gradebook.store import Gradebook, now_iso
from classroom.gradebook.totals import Total, class_totals
from course_lib.files import atomic_write_bytes

__all__ = ["CANVAS_COLUMNS", "FORMATS", "MOODLE_COLUMNS", "LONG_COLUMNS", "export_gradebook",
           "render_export", "unmarked_count", "write_owned_file"]

CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
MOODLE_COLUMNS = ("First name", "Last name", "ID number", "Email address")


def _fmt(x: float | None) -> str:
    return "" if x is None else f"{x:g}"


def _csv(header: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def _people(book: Gradebook, totals: dict[str, dict[str, Total]]
            ) -> list[tuple[str, Student | None]]:
    """Every student folder graded or on the roster, with its roster row, sorted."""
    roster = roster_by_folder(book)
    folders = sorted(set(totals) | set(roster))
    return [(f, roster.get(f)) for f in folders]


def _split_name(name: str) -> tuple[str, str]:
    """First and last name from ``"Last, First"`` or ``"First Last"``.

    Examples
    --------
    >>> _split_name("Lee, Ann"), _split_name("Ann Marie Lee"), _split_name("Ann")
    (('Ann', 'Lee'), ('Ann Marie', 'Lee'), ('Ann', ''))
    """
    if "," in name:
        last, first = name.split(",", 1)
        return first.strip(), last.strip()
    first, _, last = name.strip().rpartition(" ")
    return (first, last) if first else (last, "")


def _canvas(book: Gradebook) -> str:
    exercises, totals = class_totals(book)
    ids = stored_config(book).canvas_ids
    header = list(CANVAS_COLUMNS) + [f"{e.title} ({ids[e.id]})" if e.id in ids else e.title
                                     for e in exercises]
    rows = []
    for folder, who in _people(book, totals):
        mine = totals.get(folder, {})
        lms = who.lms_id if who and who.lms_id else next(
            (t.lms_id for t in mine.values() if t.lms_id), "")
        rows.append([who.name if who else folder, lms, who.id if who else folder, "", ""]
                    + [_grade(mine.get(e.id)) for e in exercises])
    return _csv(header, rows)


def _grade(t: Total | None) -> str:
    """An LMS cell: blank without a submission or when it could not be graded."""
    return "" if t is None or t.status == "error" else _fmt(t.final)


def _late_note(t: Total) -> str:
    if t.status == "error":
        return "Could not be graded: see the feedback file."
    if not t.late:
        return ""
    return (f"Late: {t.penalty_percent:g}% penalty, {_fmt(t.penalty_points)} points taken off "
            f"(from {_fmt(t.earned)}).")


def _moodle(book: Gradebook) -> str:
    exercises, totals = class_totals(book)
    header = list(MOODLE_COLUMNS)
    for e in exercises:
        header += [e.title, f"{e.title} (feedback)"]
    rows = []
    for folder, who in _people(book, totals):
        mine = totals.get(folder, {})
        first, last = _split_name(who.name) if who and who.name else (folder, "")
        row = [first, last, who.id if who else folder, who.email if who else ""]
        for e in exercises:
            t = mine.get(e.id)
            row += [_grade(t), _late_note(t)] if t else ["", ""]
        rows.append(row)
    return _csv(header, rows)


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
            row += [_grade(t) or "error", _fmt(t.penalty_points), "yes" if t.late else "no",
                    str(t.unmarked)] if t else ["", "", "", ""]
        row.append(_fmt(round(sum(t.final for t in mine.values()), 4)) if mine else "")
        rows.append(row)
    return _csv(header, rows)


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
    return _csv(list(LONG_COLUMNS), rows)


#: format name -> function rendering the CSV text from the gradebook
FORMATS: dict[str, Callable[[Gradebook], str]] = {
    "canvas": _canvas, "moodle": _moodle, "wide": _wide, "long": _long}


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

