"""The report's HTML: one file, inline CSS, images as ``data:`` URIs, nothing fetched.

Rendered by :mod:`classroom.pages` (jinja2 with autoescape, a Content-Security-Policy that
allows no script): student ids, failure reasons and titles are escaped wherever they appear.

Examples
--------
>>> from classroom.classreport.figures import Image
>>> html = render_page(ReportData(folder="grading", summary=["3 students"], exercises=[],
...                               progress=None, pairs=[], notes=[]))
>>> "<h1>Class report</h1>" in html, "http:" in html
(True, False)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from classroom.classreport.figures import Image
from classroom.classreport.similarity import SimilarPair
from classroom.classreport.stats import (
    LOW_DISCRIMINATION,
    MIN_STUDENTS_FOR_FLAGS,
    ExerciseStats,
    QuestionStats,
)
from classroom.pages import render_page as render_template

__all__ = ["ExerciseSection", "ReportData", "flagged", "render_page"]


@dataclass
class ExerciseSection:
    """One exercise: its statistics and figures."""

    stats: ExerciseStats
    histogram: Image
    questions: Image
    pairs: list[SimilarPair] = field(default_factory=list)


@dataclass
class ReportData:
    """Everything the page shows."""

    folder: str
    summary: list[str]
    exercises: list[ExerciseSection]
    progress: Image | None
    pairs: list[tuple[str, SimilarPair]]
    notes: list[str]


def render_page(data: ReportData) -> str:
    """The whole HTML document (template ``classroom/templates/pages/class_report.html.j2``).

    Examples
    --------
    >>> page = render_page(ReportData("g", [], [], None, [], ["a <b>note</b>"]))
    >>> page.startswith("<!DOCTYPE html>"), "<li>a &lt;b&gt;note&lt;/b&gt;</li>" in page
    (True, True)
    """
    return render_template("class_report.html.j2", title="Class report", data=data,
                           review=flagged(data.exercises), min_students=MIN_STUDENTS_FOR_FLAGS,
                           low_discrimination=LOW_DISCRIMINATION)


def flagged(sections: list[ExerciseSection]) -> list[tuple[str, QuestionStats]]:
    """Every question of the class with an item-analysis flag, as ``(exercise, stats)``.

    Examples
    --------
    >>> flagged([])
    []
    """
    return [(s.stats.exercise, q) for s in sections for q in s.stats.questions if q.flags]
