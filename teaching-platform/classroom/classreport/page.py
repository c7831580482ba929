"""The report's HTML: one file, inline CSS, images as ``data:`` URIs, nothing fetched.

Examples
--------
>>> from classroom.classreport.figures import Image
>>> html = render_page(ReportData(folder="grading", summary=["3 students"], exercises=[],
...                               progress=None, pairs=[], notes=[]))
>>> "<h1>Class report</h1>" in html, "http" in html
(True, False)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from classroom.classreport.figures import Image
from classroom.classreport.similarity import SimilarPair
from classroom.classreport.stats import ExerciseStats

__all__ = ["ExerciseSection", "ReportData", "render_page"]

_CSS = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; color: #1a1a1a; line-height: 1.45; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
th, td { border: 1px solid #999; padding: 0.25rem 0.5rem; text-align: left;
         vertical-align: top; }
th { background: #eee; }
img { max-width: 100%; height: auto; }
.note { font-size: 0.9rem; color: #333; }
"""


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


def _img(image: Image) -> str:
    return (f'<img src="data:image/png;base64,{image.png_base64}" alt="{escape(image.alt)}">'
            f'<p class="note">{escape(image.alt)}</p>')


def _num(x: float | None, digits: int = 2) -> str:
    return "–" if x is None else f"{x:.{digits}f}"


def _question_rows(stats: ExerciseStats) -> list[str]:
    rows = ["<table><tr><th>question</th><th>kind</th><th>max</th><th>facility</th>"
            "<th>highest</th><th>discrimination</th><th>commonest failure reasons</th></tr>"]
    for q in stats.questions:
        if q.kind == "manual":
            reasons = f"{q.marked} of {q.answered} marked"
        else:
            reasons = "<br>".join(f"{n} × {escape(text)}" for text, n in q.reasons) or "–"
        rows.append(f"<tr><td>{escape(q.grade_id)}</td><td>{q.kind}</td>"
                    f"<td>{q.max_points:g}</td><td>{_num(q.facility)}</td>"
                    f"<td>{_num(q.max_seen, 1)}</td><td>{_num(q.discrimination)}</td>"
                    f"<td>{reasons}</td></tr>")
    rows.append("</table>")
    return rows


def _pairs(pairs: list[tuple[str, SimilarPair]]) -> list[str]:
    lines = ["<h2>Similar submissions to review</h2>",
             "<p>Pairs whose own answers (not given, not common to the class) match closely. "
             "This is a list for a person to look at: similarity has innocent causes (a study "
             "group, a shared source), and nothing here changes a grade.</p>"]
    if not pairs:
        return lines + ["<p>No pair reached the threshold.</p>"]
    lines.append("<table><tr><th>exercise</th><th>students</th><th>similarity</th>"
                 "<th>answers that match</th></tr>")
    for exercise, p in pairs:
        lines.append(f"<tr><td>{escape(exercise)}</td><td>{escape(p.first)} and "
                     f"{escape(p.second)}</td><td>{p.score:.2f}</td>"
                     f"<td>{escape(', '.join(p.matches))}</td></tr>")
    return lines + ["</table>"]


_METHOD = (
    "<h2>How the numbers are computed</h2><ul>"
    "<li><b>Facility</b>: mean points earned divided by the question's maximum.</li>"
    "<li><b>Discrimination</b>: upper-lower groups index: students ranked by exercise total; "
    "mean fraction of the question's points in the top 27 % minus the bottom 27 % (Kelley "
    "1939). Near zero or negative: the question does not separate stronger from weaker work."
    "</li><li><b>Failure reasons</b>: the messages of failed checks and answer-cell errors, "
    "numbers and quoted values blanked, counted once per student.</li>"
    "<li><b>Similarity</b>: mean token-sequence match (Python's difflib) of the students' own "
    "answer cells and reflections; listed when two answers match by 90 % or more and the mean "
    "is at least 0.6.</li>"
    "<li>Colours: Okabe-Ito palette (Okabe &amp; Ito 2008), distinguishable with common "
    "colour-vision deficiencies.</li></ul>"
    "<p class=\"note\">Kelley, T. L. (1939). The selection of upper and lower groups for the "
    "validation of test items. <i>Journal of Educational Psychology</i> 30, 17-24. "
    "Okabe, M. and Ito, K. (2002, revised 2008). <i>Color Universal Design (CUD): how to make "
    "figures and presentations that are friendly to colorblind people</i>. J*Fly.</p>")


def render_page(data: ReportData) -> str:
    """The whole HTML document.

    Examples
    --------
    >>> page = render_page(ReportData("g", [], [], None, [], ["a note"]))
    >>> page.startswith("<!DOCTYPE html>"), "<li>a note</li>" in page
    (True, True)
    """
    body = ["<h1>Class report</h1>", f"<p>Grading folder: {escape(data.folder)}</p>", "<ul>"]
    body += [f"<li>{escape(line)}</li>" for line in data.summary] + ["</ul>"]
    for section in data.exercises:
        body.append(f"<h2>{escape(section.stats.title)}</h2>")
        body.append(_img(section.histogram))
        body += _question_rows(section.stats)
        body.append(_img(section.questions))
    if data.progress is not None:
        body += ["<h2>Marking progress</h2>", _img(data.progress)]
    body += _pairs(data.pairs)
    if data.notes:
        body += ["<h2>Notes</h2>", "<ul>"] + [f"<li>{escape(n)}</li>" for n in data.notes]
        body.append("</ul>")
    body.append(_METHOD)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<title>Class report</title><style>" + _CSS + "</style></head><body>\n"
            + "\n".join(body) + "\n</body></html>\n")
