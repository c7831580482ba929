"""Files for an LMS's CSV grade import that cannot misroute, erase or invent a grade.

One file per exercise, holding only the students whose work was graded, each under the key
the LMS matches on; every other student is left out (and named), so the LMS keeps what it has
for them.  The rules come from the importers' own code:

Canvas (``app/models/gradebook_importer.rb``, instructure/canvas-lms)
    Columns ``Student``, ``ID``, ``SIS User ID``, ``SIS Login ID``, ``Section`` and one
    assignment column ``Title (assignment id)`` (the id is ``canvas_id`` in ``course.toml``,
    digits only), then a ``Points Possible`` row.  Canvas finds the student by ``ID`` (the
    Canvas user id); when that is not a user of the course it falls back to the SIS ids and
    then to the *name*, so a row without a numeric id is left out, and the SIS columns stay
    blank.  A blank cell over a grade removes it, so no cell is blank: a student who handed
    nothing in, or whose file could not be graded, is not in the file.
Moodle (``grade/import/csv/classes/load_data.php``, moodle/moodle)
    Columns ``First name``, ``Last name``, the key column (``Email address`` for
    ``match="email"``, ``ID number`` for ``match="idnumber"``), the grade and its feedback.
    A row whose key is blank is skipped but the previous row's student is kept, so its grades
    go to that student (the first row aborts the import); a blank grade cell erases a grade
    already in Moodle (a new grade item stores it as 0); an empty feedback cell erases the
    feedback.  So only roster students with a key are written, each key once, every grade
    and feedback cell filled.

Text cells are escaped against spreadsheet formulas (:mod:`classroom.gradebook.spreadsheet`);
a key that would need escaping cannot be matched and is left out.

Examples
--------
>>> import tempfile
>>> from classroom.gradebook.store import open_gradebook
>>> lms_files(open_gradebook(tempfile.mkdtemp()), "canvas")
[]
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from classroom.errors import CourseError
from classroom.gradebook.deadlines import canvas_assignment_id, stored_config
from classroom.gradebook.roster import Student, roster_by_folder
from classroom.gradebook.spreadsheet import csv_text, starts_formula
from classroom.gradebook.store import Gradebook
from classroom.gradebook.totals import ExerciseInfo, Total, class_totals

__all__ = ["CANVAS_COLUMNS", "LMS_FORMATS", "MATCH_COLUMNS", "LmsFile", "lms_files"]

LMS_FORMATS = ("canvas", "moodle")
CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
#: Moodle's key column per ``match``: map it to "Email address" or "ID number" on import
MATCH_COLUMNS = {"email": "Email address", "idnumber": "ID number"}
#: header words for which Canvas drops a column (strip_non_assignment_columns)
_CANVAS_NOT_ASSIGNMENT = re.compile("Current Score|Current Points|Current Grade|Final Score|"
                                    "Final Points|Final Grade|Override Score|Override Grade|"
                                    "Override Status")
_POINTS_ROW = "Points Possible"


@dataclass(frozen=True)
class LmsFile:
    """One exercise's file: its text, how many students it holds, who was left out and why,
    and how many roster students have no graded work for it (not in the file)."""

    exercise: str
    text: str
    rows: int
    left_out: tuple[str, ...]
    absent: int


@dataclass(frozen=True)
class _Row:
    student: str
    key: str
    cells: list[object]


def _fmt(x: float) -> str:
    return f"{x:g}"


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


def _canvas_column(exercise: ExerciseInfo, canvas_ids: dict[str, str]) -> str:
    """The assignment column's title, refused where Canvas would misread it."""
    cid = canvas_ids.get(exercise.id)
    if cid is not None:
        return f"{exercise.title} ({canvas_assignment_id(cid, exercise.id)})"
    if re.search(r"\s\(\d+\)\Z", exercise.title):
        raise CourseError(f"exercise {exercise.id}: Canvas would read the end of its title "
                          f"{exercise.title!r} as an assignment id; set canvas_id for it in "
                          "course.toml")
    found = _CANVAS_NOT_ASSIGNMENT.search(exercise.title)
    if found:
        raise CourseError(f"exercise {exercise.id}: Canvas would drop a column whose title "
                          f"contains {found[0]!r}; set canvas_id for it in course.toml")
    return exercise.title


def _canvas_row(student: str, who: Student | None, total: Total) -> _Row | str:
    lms = who.lms_id if who and who.lms_id else total.lms_id
    if not lms:
        return "no Canvas user id (give it in the roster's lms_id column)"
    if not re.fullmatch(r"[0-9]+", lms):
        return f"the Canvas user id {lms!r} is not a number (fix the roster's lms_id)"
    name = who.name if who and who.name else student
    if _POINTS_ROW in name:  # Canvas reads any row so named as the points row
        name = f"Canvas user {lms}"
    return _Row(student, lms, [name, lms, "", "", "", _fmt(total.final)])


def _moodle_feedback(exercise: ExerciseInfo, total: Total) -> str:
    text = (f"Total {_fmt(total.final)} of {_fmt(exercise.max_points)}: autograded "
            f"{_fmt(total.auto)}, marked by a person {_fmt(total.manual)}.")
    if total.unmarked:
        text += f" {total.unmarked} question(s) not marked yet."
    if total.late:
        text += (f" Late: {total.penalty_percent:g}% penalty, {_fmt(total.penalty_points)} "
                 f"points taken off (from {_fmt(total.earned)}).")
    return text


def _moodle_row(student: str, who: Student | None, total: Total, exercise: ExerciseInfo,
                match: str) -> _Row | str:
    label = {"email": "email", "idnumber": "ID number"}[match]
    if who is None:
        return f"not on the roster: no {label} to match (import it with course roster import)"
    key = who.email if match == "email" else who.id
    if key.strip() in ("", "0"):  # load_data.php skips an empty() key: "" and "0"
        return f"no {label} on the roster"
    if starts_formula(key):
        return f"its {label} {key!r} begins like a spreadsheet formula and cannot be written"
    first, last = _split_name(who.name) if who.name else (who.id, "")
    return _Row(student, key, [first, last, key, _fmt(total.final),
                               _moodle_feedback(exercise, total)])


def _one_file(fmt: str, exercise: ExerciseInfo, header: list[str],
              totals: dict[str, dict[str, Total]], roster: dict[str, Student],
              match: str) -> LmsFile:
    rows: list[_Row] = []
    left: list[str] = []
    for student in sorted(s for s, mine in totals.items() if exercise.id in mine):
        total, who = totals[student][exercise.id], roster.get(student)
        if total.status != "graded":
            row: _Row | str = "could not be graded (see its feedback); the LMS keeps what it has"
        elif fmt == "canvas":
            row = _canvas_row(student, who, total)
        else:
            row = _moodle_row(student, who, total, exercise, match)
        if isinstance(row, str):
            left.append(f"{student}: {row}")
        else:
            rows.append(row)
    counts = Counter(r.key.casefold() for r in rows)
    unique = [r for r in rows if counts[r.key.casefold()] == 1]
    left += [f"{r.student}: its key {r.key!r} is shared by {counts[r.key.casefold()]} "
             "students, so the LMS could not tell them apart" for r in rows if r not in unique]
    body = [r.cells for r in unique]
    if fmt == "canvas":
        body.insert(0, [_POINTS_ROW, "", "", "", "", _fmt(exercise.max_points)])
    graded = {roster[s].id for s, mine in totals.items() if exercise.id in mine and s in roster}
    absent = len({w.id for w in roster.values()} - graded)
    return LmsFile(exercise.id, csv_text(header, body), len(unique), tuple(sorted(left)),
                   absent)


def lms_files(book: Gradebook, fmt: str, *, match: str = "email",
              exercise: str | None = None) -> list[LmsFile]:
    """One :class:`LmsFile` per graded exercise of the gradebook (or only ``exercise``).

    Parameters
    ----------
    fmt : {"canvas", "moodle"}
    match : {"email", "idnumber"}
        Moodle's key: the roster's email (map "Email address" to "Email address") or its id
        (map "ID number" to "ID number").
    exercise : str, optional
        Only this exercise.

    Raises
    ------
    CourseError
        For an exercise that was not graded, a ``canvas_id`` that is not a number, or a title
        Canvas would misread.
    """
    if fmt not in LMS_FORMATS:
        raise ValueError(f"fmt must be one of {', '.join(LMS_FORMATS)}, got {fmt!r}")
    if match not in MATCH_COLUMNS:
        raise ValueError(f"match must be one of {', '.join(MATCH_COLUMNS)}, got {match!r}")
    exercises, totals = class_totals(book)
    # a file that could not be matched to an exercise leaves an error row under a name the
    # gradebook does not know: no LMS has that column (course grade reports the row)
    known = {row[0] for row in book.conn.execute("SELECT id FROM exercises")}
    exercises = [e for e in exercises if e.id in known]
    if exercise is not None:
        exercises = [e for e in exercises if e.id == exercise]
        if not exercises:
            raise CourseError(f"exercise {exercise!r} has no graded submission in this gradebook")
    roster, canvas_ids = roster_by_folder(book), stored_config(book).canvas_ids
    files = []
    for e in exercises:
        if fmt == "canvas":
            header = [*CANVAS_COLUMNS, _canvas_column(e, canvas_ids)]
        else:
            header = ["First name", "Last name", MATCH_COLUMNS[match], e.title,
                      f"{e.title} (feedback)"]
        files.append(_one_file(fmt, e, header, totals, roster, match))
    return files
