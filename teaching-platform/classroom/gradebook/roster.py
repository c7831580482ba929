"""The class roster: who the students are, and which submission folder is whose.

A roster CSV has a header row with the columns ``id``, ``name``, ``email`` and ``lms_id`` (the
student's id in the LMS, e.g. the Canvas user id), and optionally ``folder`` (the submission
folder name when it is not the id).  Importing it replaces those fields of the students it
names, in one transaction; nobody is deleted.

Examples
--------
>>> import tempfile
>>> from classroom.gradebook.store import open_gradebook
>>> book = open_gradebook(tempfile.mkdtemp())
>>> rows = parse_roster("id,name,email,lms_id,folder\\ns01,Ann Lee,ann@x.org,501,ann_lee\\n")
>>> import_roster(book, rows)
1
>>> roster_by_folder(book)["ann_lee"].name
'Ann Lee'
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from classroom.errors import CourseError
from classroom.gradebook.store import Gradebook, now_iso

__all__ = ["LMS_PREFIX", "REQUIRED_COLUMNS", "RosterCheck", "Student", "check_roster",
           "import_roster", "lms_student_id", "parse_roster", "read_roster", "roster_by_folder"]

REQUIRED_COLUMNS = ("id", "name", "email", "lms_id")
#: how the student id of an LMS download (a Canvas bulk download) begins
LMS_PREFIX = "canvas-"


def lms_student_id(lms_id: str) -> str:
    """The student id of work downloaded from the LMS: keyed on the LMS user id, never a name.

    Examples
    --------
    >>> lms_student_id("1111")
    'canvas-1111'
    """
    return f"{LMS_PREFIX}{lms_id}"


@dataclass(frozen=True)
class Student:
    """One roster row; ``folder`` is the submission folder name (the id unless given)."""

    id: str
    name: str
    email: str
    lms_id: str
    folder: str


@dataclass
class RosterCheck:
    """Submission folders nobody on the roster owns, and students without a submission."""

    unknown_folders: list[str]
    without_submission: list[Student]

    def lines(self) -> list[str]:
        """One line per problem.

        Examples
        --------
        >>> RosterCheck(["zed"], [Student("s2", "Bo", "b@x", "9", "s2")]).lines()
        ["unknown folder (not on the roster): 'zed'", 'no submission: s2 (Bo)']
        """
        return ([f"unknown folder (not on the roster): {f!r}" for f in self.unknown_folders]
                + [f"no submission: {s.id} ({s.name})" for s in self.without_submission])


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip())


def parse_roster(text: str) -> list[Student]:
    """Students from roster CSV text (``CourseError`` naming the row for any problem).

    Examples
    --------
    >>> parse_roster("id,name\\ns1,Bo\\n")
    Traceback (most recent call last):
    ...
    classroom.errors.CourseError: the roster's header lacks email, lms_id (it needs id, \
name, email, lms_id; optional: folder)
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise CourseError(f"the roster's header lacks {', '.join(missing)} (it needs "
                          f"{', '.join(REQUIRED_COLUMNS)}; optional: folder)")
    reader.fieldnames = header
    students: list[Student] = []
    seen: dict[str, set[str]] = {"id": set(), "folder": set(), "email": set(), "lms_id": set()}
    for line, row in enumerate(reader, start=2):
        values = {k: _nfc(v or "") for k, v in row.items() if k is not None}
        if not values["id"]:
            raise CourseError(f"roster line {line}: the id is empty")
        values["folder"] = values.get("folder") or values["id"]
        for column, known in seen.items():
            key = values[column].casefold() if column == "email" else values[column]
            if key and key in known:
                raise CourseError(f"roster line {line}: {column} {values[column]!r} appears "
                                  "twice (each student needs their own, or an LMS import "
                                  "would give two students one grade)")
            known.add(key)
        students.append(Student(values["id"], values["name"], values["email"],
                                values["lms_id"], values["folder"]))
    return students


def read_roster(path: str | Path) -> list[Student]:
    """Read and check a roster CSV file (UTF-8, a byte-order mark is allowed).

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "roster.csv"
    >>> _ = p.write_text("id,name,email,lms_id\\ns1,Bo,b@x,9\\n")
    >>> read_roster(p)[0].folder
    's1'
    """
    path = Path(path)
    if not path.is_file():
        raise CourseError(f"roster file {path} does not exist")
    return parse_roster(path.read_text(encoding="utf-8"))


def import_roster(book: Gradebook, students: list[Student]) -> int:
    """Insert or update the students (one transaction); returns how many were written.

    Examples
    --------
    >>> import tempfile
    >>> from classroom.gradebook.store import open_gradebook
    >>> import_roster(open_gradebook(tempfile.mkdtemp()), [Student("s1", "Bo", "b@x", "9", "s1")])
    1
    """
    with book.transaction() as c:
        c.executemany("INSERT INTO students (id, name, email, lms_id, folder, added_at) "
                      "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                      "name=excluded.name, email=excluded.email, lms_id=excluded.lms_id, "
                      "folder=excluded.folder",
                      [(s.id, s.name, s.email, s.lms_id, s.folder, now_iso())
                       for s in students])
    return len(students)


def roster_by_folder(book: Gradebook) -> dict[str, Student]:
    """Roster students (rows with a name or email) keyed by the student ids their work
    carries: the submission folder name, and ``canvas-<lms_id>`` for a Canvas bulk download
    (:func:`lms_student_id`) unless two roster rows share that LMS id.

    Examples
    --------
    >>> import tempfile
    >>> from classroom.gradebook.store import open_gradebook
    >>> book = open_gradebook(tempfile.mkdtemp())
    >>> _ = import_roster(book, [Student("s1", "Bo Li", "b@x", "1111", "s1")])
    >>> sorted(roster_by_folder(book))
    ['canvas-1111', 's1']
    """
    rows = book.conn.execute("SELECT id, IFNULL(name, ''), IFNULL(email, ''), "
                             "IFNULL(lms_id, ''), IFNULL(folder, id) FROM students "
                             "WHERE name IS NOT NULL OR email IS NOT NULL").fetchall()
    students = [Student(*row) for row in rows]
    by_lms: dict[str, list[Student]] = {}
    for student in students:
        if student.lms_id:
            by_lms.setdefault(lms_student_id(student.lms_id), []).append(student)
    keyed = {key: owners[0] for key, owners in by_lms.items() if len(owners) == 1}
    keyed.update((student.folder, student) for student in students)
    return keyed


def check_roster(book: Gradebook, folders: set[str] | None = None) -> RosterCheck:
    """Compare the roster with the submissions graded (and ``folders`` found on disk).

    Examples
    --------
    >>> import tempfile
    >>> from classroom.gradebook.store import open_gradebook
    >>> check_roster(open_gradebook(tempfile.mkdtemp()), {"zed"}).unknown_folders
    ['zed']
    """
    roster = roster_by_folder(book)
    seen = {row[0] for row in book.conn.execute("SELECT DISTINCT student FROM submissions")}
    seen |= folders or set()
    owners = {roster[key].id for key in seen if key in roster}
    missing = {s.id: s for s in roster.values() if s.id not in owners}
    return RosterCheck(sorted(seen - roster.keys()),
                       sorted(missing.values(), key=lambda s: s.id))
