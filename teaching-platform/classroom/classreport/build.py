"""Build ``class_report.html`` from a grading folder's gradebook.

The report is written like every export: atomically, and never over a file the tool did not
write (unless ``overwrite``).  It needs no network: figures are embedded PNGs.

Examples
--------
>>> import tempfile
>>> from classroom.gradebook.store import open_gradebook
>>> folder = tempfile.mkdtemp()
>>> open_gradebook(folder).close()
>>> report = build_report(folder)
>>> report.path.name, report.notes
('class_report.html', ['no graded submissions yet'])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from classroom.classreport.figures import marking_progress, question_chart, score_histogram
from classroom.classreport.page import ExerciseSection, ReportData, render_page
from classroom.classreport.similarity import SimilarPair, answers_of, similar_pairs
from classroom.classreport.stats import ExerciseStats, exercise_stats
from classroom.gradebook.export import write_owned_file
from classroom.gradebook.history import latest_results
from classroom.gradebook.store import Gradebook, open_gradebook
from classroom.gradebook.summary import summary_text
from classroom.gradebook.totals import class_totals

__all__ = ["REPORT_FILE", "Report", "build_report", "class_sections"]

REPORT_FILE = "class_report.html"


@dataclass
class Report:
    """Where the report went, the similar pairs it lists and what it could not include."""

    path: Path
    pairs: list[tuple[str, SimilarPair]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _questions(book: Gradebook, exercise: str) -> list[tuple[str, str, float]]:
    return [tuple(row) for row in book.conn.execute(
        "SELECT grade_id, kind, max_points FROM questions WHERE exercise = ? "
        "ORDER BY position", (exercise,))]


def _pairs(results: list[dict], notes: list[str]) -> list[SimilarPair]:
    answers = {}
    for r in results:
        reflections = {gid: m.get("answer", "") for gid, m in r.get("manual", {}).items()}
        found = answers_of(r["source_file"], reflections)
        if found is None:
            notes.append(f"{r['exercise']}: the submission of {r['student']} "
                         f"({r['source_file']}) could not be read again; its code was not "
                         "compared (reflections were)")
            found = {gid: " ".join(t.lower().split()) for gid, t in reflections.items()}
        answers[r["student"]] = found
    return similar_pairs(answers)


def class_sections(book: Gradebook, notes: list[str]) -> list[ExerciseSection]:
    """Statistics, figures and similar pairs of every graded exercise.

    Examples
    --------
    >>> import tempfile
    >>> class_sections(open_gradebook(tempfile.mkdtemp()), [])
    []
    """
    exercises, totals = class_totals(book)
    results = latest_results(book)
    sections = []
    for e in exercises:
        mine = [r for r in results if r["exercise"] == e.id and r["status"] == "graded"]
        earned = {s: t[e.id].earned for s, t in totals.items() if e.id in t}
        stats: ExerciseStats = exercise_stats(e.id, e.title, _questions(book, e.id), mine,
                                              earned)
        finals = [t[e.id].final for t in totals.values() if e.id in t]
        sections.append(ExerciseSection(stats, score_histogram(e.title, finals, e.max_points),
                                        question_chart(stats), _pairs(mine, notes)))
    return sections


def build_report(folder: str | Path, *, out: str | Path | None = None,
                 overwrite: bool = False) -> Report:
    """Write the class report of the grading ``folder``; returns where and what it lists.

    Raises
    ------
    CourseError
        When the folder holds no gradebook, or ``out`` is a file the tool did not write.

    Examples
    --------
    >>> import tempfile
    >>> build_report(tempfile.mkdtemp())
    Traceback (most recent call last):
    ...
    classroom.errors.CourseError: no gradebook in ...
    """
    book = open_gradebook(folder, create=False)
    try:
        notes: list[str] = []
        sections = class_sections(book, notes)
        if not sections:
            notes.append("no graded submissions yet")
        rows = [(f"{s.stats.exercise} {q.grade_id}", q.marked, q.answered)
                for s in sections for q in s.stats.questions if q.kind == "manual"]
        pairs = [(s.stats.exercise, p) for s in sections for p in s.pairs]
        data = ReportData(str(folder), summary_text(book).splitlines(), sections,
                          marking_progress(rows) if rows else None, pairs, notes)
        path = write_owned_file(book, out or book.folder / REPORT_FILE, render_page(data),
                                overwrite=overwrite)
        return Report(path, pairs, notes)
    finally:
        book.close()
