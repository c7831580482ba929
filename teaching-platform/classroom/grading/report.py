"""Exports from the gradebook: per-submission JSON, learner feedback, graded notebooks, the CSV.

They are written from the database (:func:`export_all`), atomically and deterministically
(sorted keys and rows, no timestamps), and never read back.  Result paths use
:func:`~classroom.grading.discovery.encode_id`, so two students never share a file; a file
at such a path that the tool did not write is left alone (and reported).

Per submission: ``<student>/<exercise>.json``, ``.feedback.md`` and ``.feedback.html`` (the
learner's folder), and, for the instructor only, the executed graded notebook as
``instructor/<student>/<exercise>.graded.html`` (see :func:`instructor_path`).

Examples
--------
>>> from classroom.grading.judge import error_result
>>> print(render_feedback(error_result("ann", "01_x", "ann/01_x.ipynb", "not a notebook")))
# Feedback: 01_x
<BLANKLINE>
Student: ann · file: ann/01_x.ipynb
<BLANKLINE>
**This file could not be graded.**
<BLANKLINE>
- not a notebook
<BLANKLINE>
...
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
from collections.abc import Iterable, Iterator

from classroom.errors import CourseError
from classroom.gradebook.deadlines import lateness
from classroom.gradebook.files import write_exports
from classroom.gradebook.history import latest_results
from classroom.gradebook.spreadsheet import csv_text
from classroom.gradebook.store import Gradebook
from classroom.grading.discovery import encode_id
from classroom.grading.feedback import render_feedback
from classroom.grading.feedback_html import feedback_page, instructor_page, stored_page
from classroom.grading.profile import BatchProfile
from classroom.grading.results import ManualResult, SubmissionResult
from classroom.marking.feedback import manual_marks_for

__all__ = ["GRADEBOOK_COLUMNS", "INSTRUCTOR_FOLDER", "export_all", "gradebook_rows",
           "instructor_path", "make_pages", "render_feedback", "result_paths",
           "student_folders"]

#: Folder of the grading folder holding what only the instructor sees (student folders are
#: ``s-...``, so the name never collides with one).
INSTRUCTOR_FOLDER = "instructor"

GRADEBOOK_COLUMNS = ("student", "exercise", "question", "kind", "points", "max_points", "status",
                     "message")
def _fmt(x: float | None) -> str:
    if x is None:
        return ""
    return f"{x:g}"


def result_paths(result: SubmissionResult) -> tuple[str, str]:
    """Relative paths of a result's JSON and feedback files (collision-free, reversible).

    Examples
    --------
    >>> from classroom.grading.judge import error_result
    >>> result_paths(error_result("ann lee", "01_x", "f", "bad"))
    ('s-ann%20lee/01_x.json', 's-ann%20lee/01_x.feedback.md')
    """
    folder = encode_id(result.student)
    name = encode_id(result.exercise, prefix="")
    return f"{folder}/{name}.json", f"{folder}/{name}.feedback.md"


def instructor_path(result: SubmissionResult) -> str:
    """Relative path of a result's graded notebook (HTML), outside the learner's folder.

    Examples
    --------
    >>> from classroom.grading.judge import error_result
    >>> instructor_path(error_result("ann lee", "01_x", "f", "bad"))
    'instructor/s-ann%20lee/01_x.graded.html'
    """
    folder = encode_id(result.student)
    return f"{INSTRUCTOR_FOLDER}/{folder}/{encode_id(result.exercise, prefix='')}.graded.html"


def student_folders(book: Gradebook) -> dict[str, str]:
    """``{folder name: exact student id}`` for every student of the gradebook.

    The way back from a folder whose name was shortened (see
    :func:`~classroom.grading.discovery.encode_id`) to the student.

    Raises
    ------
    CourseError
        When two students would share a folder (two ids with the same 64-bit hash).

    Examples
    --------
    >>> import tempfile
    >>> from classroom.gradebook.store import open_gradebook
    >>> student_folders(open_gradebook(tempfile.mkdtemp()))
    {}
    """
    owners: dict[str, str] = {}
    for (student,) in book.conn.execute(
            "SELECT id FROM students UNION SELECT student FROM results ORDER BY 1"):
        folder = encode_id(student)
        if owners.setdefault(folder, student) != student:
            raise CourseError(f"students {owners[folder]!r} and {student!r} would share the "
                              f"folder {folder}; rename one submission folder and grade again")
    return owners


def gradebook_rows(results: Iterable[SubmissionResult]) -> list[dict[str, str]]:
    """One row per student x exercise x question (and manual item), sorted.

    Examples
    --------
    >>> from classroom.grading.judge import error_result
    >>> gradebook_rows([error_result("ann", "01_x", "f", "bad")])[0]["status"]
    'error'
    """
    rows = []
    for r in results:
        who = {"student": r.student, "exercise": r.exercise}
        if not r.graded:
            rows.append({**who, "question": "", "kind": "", "points": "0", "max_points": "",
                         "status": "error", "message": "; ".join(r.errors)})
            continue
        for gid, q in r.questions.items():
            failed = list(dict.fromkeys(c.message for c in q.checks
                                        if not c.passed and c.max_points))
            rows.append({**who, "question": gid, "kind": "auto", "points": _fmt(q.points),
                         "max_points": _fmt(q.max_points), "status": q.status,
                         "message": "; ".join(failed + q.errors)})
        for gid, m in r.manual.items():
            rows.append({**who, "question": gid, "kind": "manual", "points": _fmt(m.points),
                         "max_points": _fmt(m.max_points), "status": m.status,
                         "message": m.comment or ""})
    rows.sort(key=lambda row: (row["student"], row["exercise"], row["question"]))
    return rows


def _csv(results: list[SubmissionResult]) -> str:
    """``gradebook.csv``: text cells escaped against spreadsheet formulas."""
    rows = gradebook_rows(results)
    return csv_text(GRADEBOOK_COLUMNS, ([row[c] for c in GRADEBOOK_COLUMNS] for row in rows))


def _for_feedback(book: Gradebook, result: SubmissionResult
                  ) -> tuple[SubmissionResult, str | None]:
    """``result`` as feedback shows it: every rubric line of each marked question (from the
    marking records), and the lateness sentence when a due date or a late flag applies."""
    if not result.graded:
        return result, None
    manual = dict(result.manual)
    for mark in manual_marks_for(book, result.student, result.exercise):
        item = manual.get(mark.grade_id) or ManualResult(
            mark.grade_id, mark.title, None, mark.max_points, "marked", "")
        manual[mark.grade_id] = dataclasses.replace(
            item, title=item.title or mark.title, points=mark.points, comment=mark.comment,
            rubric=[{"criterion": c.criterion, "points": c.points, "max_points": c.max_points,
                     **({"level": list(c.descriptor)} if c.descriptor else {})}
                    for c in mark.criteria])
    late = lateness(book, result.student, result.exercise)
    note = late.describe() if late is not None and (late.due_at is not None or late.late) \
        else None
    return dataclasses.replace(result, manual=manual), note


def export_all(book: Gradebook, *, profile: BatchProfile | None = None) -> list[str]:
    """Write every export from the database; returns a warning per file left alone.

    ``profile`` gets the CPU of each kind of file (see :mod:`classroom.grading.profile`).

    Examples
    --------
    >>> import tempfile
    >>> from classroom.gradebook.store import open_gradebook
    >>> export_all(open_gradebook(tempfile.mkdtemp()))
    []
    """
    measure = profile.measure if profile is not None else _unmeasured
    make_pages(book, profile=profile)
    with measure("database: reading results"):
        results = [SubmissionResult.from_json(r) for r in latest_results(book)]
        pages = book.latest_pages()
        student_folders(book)  # no two students ever share a folder
    warnings: list[str] = []
    with measure("export: gradebook.csv"):
        files = [("gradebook.csv", _csv(results))]
    for r in results:
        json_path, md_path = result_paths(r)
        # a page kept inside the result by an older version is exported as well
        notebook = pages.get((r.student, r.exercise), r.legacy_page)
        with measure("export: result JSON"):
            files.append((json_path, json.dumps(r.to_json(), indent=1, sort_keys=True,
                                                ensure_ascii=False) + "\n"))
        with measure("page: feedback (Markdown)"):
            shown, late_note = _for_feedback(book, r)
            feedback = render_feedback(shown, late_note=late_note)
            files.append((md_path, feedback))
        with measure("page: feedback (HTML)"):
            files.append((md_path.removesuffix(".md") + ".html",
                          feedback_page(f"Feedback: {r.title or r.exercise}", feedback)))
        if notebook is not None:
            with measure("page: graded notebook (stored)"):
                files.append((instructor_path(r), stored_page(notebook)))
    with measure("export: writing files"):
        left = write_exports(book, files)
    for relative in left:
        warnings.append(f"{book.folder / relative} was not written by course grade (or was "
                        "changed since); left as it is")
    return warnings


def make_pages(book: Gradebook, *, profile: BatchProfile | None = None,
               chunk: int = 25) -> int:
    """Make the instructor page of every latest result that has none yet; returns how many.

    Pages are made after the batch's kernels are done (off the grading path) from the
    executed notebooks the gradebook keeps with each result, and stored ``chunk`` at a time,
    each chunk in its own transaction: a batch stopped at any moment, even in here, leaves
    the rest to the next run or export.

    Examples
    --------
    >>> import tempfile
    >>> from classroom.gradebook.store import open_gradebook
    >>> make_pages(open_gradebook(tempfile.mkdtemp()))
    0
    """
    measure = profile.measure if profile is not None else _unmeasured
    made: list[tuple[int, str]] = []
    count = 0
    with measure("database: reading results"):
        pending = book.pending_pages()
    for result_id, result_json, notebook_json in pending:
        with measure("page: graded notebook (instructor)"):
            made.append((result_id, instructor_page(json.loads(notebook_json),
                                                    json.loads(result_json))))
        if len(made) >= chunk:
            with measure("database"):
                book.store_pages(made)
            count, made = count + len(made), []
    if made:
        with measure("database"):
            book.store_pages(made)
    return count + len(made)


@contextlib.contextmanager
def _unmeasured(name: str) -> Iterator[None]:
    yield
