"""What Moodle's and Canvas's CSV grade importers do with a file, as small Python models.

Not a test module.  Each model follows the importer's own code, rule by rule, so a test can
import an export the way the LMS would and check where every grade lands:

- :func:`moodle_import` follows Moodle's ``grade/import/csv/classes/load_data.php``
  (``prepare_import_grade_data``, ``map_user_data_with_value``, ``update_grade_item``,
  ``import_new_grade_item``) and the commit in ``grade/import/lib.php`` (``moodle/moodle``);
- :func:`canvas_import` follows Canvas's ``app/models/gradebook_importer.rb``
  (``process_header``, ``update_column_count``, ``strip_non_assignment_columns``,
  ``parse_assignments`` with ``Assignment.title_and_id``, ``check_for_non_student_row``,
  ``process_pp``, ``process_student``, ``process_submissions``, ``no_change_to_value?``)
  (``instructure/canvas-lms``).

Only what decides *who* gets *which* grade is modelled; the rest (scales, grading periods,
locked grades, custom columns) is left out.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field


class ImportAborted(Exception):
    """The importer stops and imports nothing (Moodle's ``cleanup_import``, Canvas's
    ``InvalidHeaderRow``)."""


def _php_empty(value: str) -> bool:
    """PHP's ``empty()`` of a string: ``""`` and ``"0"`` are empty."""
    return value in ("", "0")


@dataclass
class MoodleCourse:
    """Users (id -> {"email": ..., "idnumber": ...}), grades and feedback per (user, item)."""

    users: dict[int, dict[str, str]]
    grades: dict[tuple[int, str], float | None] = field(default_factory=dict)
    feedback: dict[tuple[int, str], str] = field(default_factory=dict)


def moodle_import(text: str, course: MoodleCourse, *, map_from: str, map_to: str,
                  columns: dict[str, tuple[str, str]]) -> MoodleCourse:
    """Import ``text`` into a copy of ``course`` as Moodle's CSV import does.

    ``map_from`` is the column picked under "Map from", ``map_to`` ``useremail`` or
    ``useridnumber``; ``columns`` maps other column titles to ``("existing", item)``,
    ``("new", item)`` or ``("feedback", item)`` (unmapped columns are ignored).
    """
    field_name = {"useremail": "email", "useridnumber": "idnumber"}[map_to]
    result = MoodleCourse(course.users, dict(course.grades), dict(course.feedback))
    rows = list(csv.reader(io.StringIO(text)))
    header = [h.strip() for h in rows[0]]
    student: int | None = None  # $this->studentid: set once, never reset between rows
    for line in rows[1:]:
        if len(line) <= 1:
            continue  # "There is no data on this line, move on."
        grades: list[tuple[str, float | None]] = []
        feedback: list[tuple[str, str]] = []
        for title, raw in zip(header, line, strict=False):
            value = raw.strip()
            if title == map_from:
                if not _php_empty(value):  # "Skip invalid row with blank user field."
                    found = [uid for uid, u in course.users.items() if u[field_name] == value]
                    if not found:
                        raise ImportAborted(f"usermappingerror: {value!r}")
                    student = found[0]
                continue
            kind, item = columns.get(title, ("ignore", ""))
            if kind == "existing":  # update_grade_item: '' and '-' become null (no grade)
                if value in ("", "-"):
                    grades.append((item, None))
                else:
                    try:
                        grades.append((item, float(value)))
                    except ValueError as exc:
                        raise ImportAborted("badgrade") from exc
            elif kind == "new":  # import_new_grade_item: '-' omits the grade, '' is stored
                if value != "-":
                    grades.append((item, float(value) if value else 0.0))
            elif kind == "feedback":
                feedback.append((item, value))
        if student is None:
            raise ImportAborted("usermappingerrorusernotfound")  # aborts the whole import
        for item, grade in grades:
            result.grades[(student, item)] = grade  # update_final_grade: null erases
        for item, note in feedback:
            result.feedback[(student, item)] = note  # an empty string erases feedback
    return result


@dataclass
class CanvasCourse:
    """Students (Canvas user id -> name), assignments (id -> title) and scores."""

    students: dict[int, str]
    assignments: dict[int, str]
    scores: dict[tuple[int, int], str] = field(default_factory=dict)
    points_possible: dict[int, str] = field(default_factory=dict)
    new_assignments: dict[str, str | None] = field(default_factory=dict)
    new_scores: dict[tuple[int, str], str] = field(default_factory=dict)
    new_students: list[str] = field(default_factory=list)


_NON_ASSIGNMENT = re.compile("Current Score|Current Points|Current Grade|Final Score|"
                             "Final Points|Final Grade|Override Score|Override Grade|"
                             "Override Status")


def _title_and_id(header: str) -> tuple[str, str | None]:
    """``Assignment.title_and_id``: ``"Title (123)"`` -> ``("Title", "123")``."""
    m = re.fullmatch(r"(.*)\s\((\d+)\)", header, re.DOTALL)
    return (m[1], m[2]) if m else (header, None)


def _ruby_to_i(text: str) -> int:
    m = re.match(r"\s*[-+]?\d+", text)
    return int(m[0]) if m else 0


def _student_columns(header: list[str]) -> int:
    """``update_column_count`` for the Student/ID layout, and the Section check of ``header?``."""
    if not (len(header) > 3 and "Student" in header[0] and "ID" in header[1]):
        raise ImportAborted("InvalidHeaderRow")
    count = 3
    if re.search(r"SIS\s+Login\s+ID", header[2]):
        count += 1
    elif re.search(r"SIS\s+User\s+ID", header[2]) and re.search(r"SIS\s+Login\s+ID",
                                                                 header[3]):
        count += 2
    if "Section" not in header[count - 1]:
        raise ImportAborted("InvalidHeaderRow")
    return count


def _assignment_columns(header: list[str], course: CanvasCourse, result: CanvasCourse
                        ) -> dict[int, int | str]:
    """Column index -> assignment id (existing) or title (new), as ``parse_assignments``."""
    columns: dict[int, int | str] = {}
    for index in range(_student_columns(header), len(header)):
        name = header[index]
        if _NON_ASSIGNMENT.search(name):
            continue  # strip_non_assignment_columns: an unanchored match drops the column
        title, aid = _title_and_id(name)
        if aid is not None and int(aid) in course.assignments:
            columns[index] = int(aid)
        elif name in course.assignments.values():  # "backward compat": the whole header
            columns[index] = next(a for a, t in course.assignments.items() if t == name)
        else:
            columns[index] = title or name
            result.new_assignments.setdefault(title or name, None)
    return columns


def _find_student(row: list[str], course: CanvasCourse, result: CanvasCourse) -> int | None:
    """``process_student``: the ID column, then (no SIS data here) the name."""
    if row[1].strip() and _ruby_to_i(row[1]) in course.students:
        return _ruby_to_i(row[1])
    named = [uid for uid, name in course.students.items() if name == row[0]]
    if named:
        return named[0]  # the first student of that name: the import's fallback
    result.new_students.append(row[0])
    return None


def canvas_import(text: str, course: CanvasCourse) -> CanvasCourse:
    """Import ``text`` into a copy of ``course`` as Canvas's gradebook importer does."""
    result = CanvasCourse(course.students, course.assignments, dict(course.scores),
                          dict(course.points_possible))
    rows = list(csv.reader(io.StringIO(text)))
    columns = _assignment_columns(rows[0], course, result)
    for row in rows[1:]:
        if row and "Points Possible" in row[0]:  # check_for_non_student_row -> process_pp
            for index, target in columns.items():
                if isinstance(target, int):
                    result.points_possible[target] = row[index]
                else:
                    result.new_assignments[target] = row[index]
            continue
        if all(re.fullmatch(r"\s*(Muted|Manual Posting.*)?\s*", c, re.I) for c in row):
            continue
        student = _find_student(row, course, result)
        for index, target in columns.items():
            grade = row[index].strip() if index < len(row) else ""
            if student is not None and not isinstance(target, int) and grade:
                result.new_scores[(student, target)] = grade
            if student is None or not isinstance(target, int):
                continue
            before = course.scores.get((student, target), "")
            if grade in ("", "-") and before in ("", "-"):
                continue  # no_change_to_value?: both "no score"
            if grade == before:
                continue
            if grade in ("", "-"):
                result.scores.pop((student, target), None)  # a blank over a grade removes it
            else:
                result.scores[(student, target)] = grade
    return result
