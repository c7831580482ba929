"""The report's figures: matplotlib, drawn off-screen, returned as base64 PNG with alt text.

Colours are from the Okabe-Ito palette (Okabe & Ito 2008), which stays distinct with the
common colour-vision deficiencies; every figure has a title and labelled axes, and its alt
text states the numbers it shows.

Examples
--------
>>> img = score_histogram("01_x", [3.0, 5.5, 6.0, 6.0], 6.0)
>>> img.png_base64[:8], "4 students" in img.alt
('iVBORw0K', True)
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from statistics import mean, median

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from classroom.classreport.stats import ExerciseStats

__all__ = ["OKABE_ITO", "Image", "marking_progress", "question_chart", "score_histogram"]

#: Okabe-Ito colours: orange, sky blue, bluish green, yellow, blue, vermilion, reddish purple
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")


@dataclass(frozen=True)
class Image:
    """A PNG as base64 text, and what it shows in words."""

    png_base64: str
    alt: str


def _png(fig: Figure, alt: str) -> Image:
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight",
                metadata={"Software": None})
    return Image(base64.b64encode(buf.getvalue()).decode("ascii"), alt)


def score_histogram(title: str, scores: list[float], max_points: float) -> Image:
    """Distribution of exercise totals (after late penalties).

    Examples
    --------
    >>> score_histogram("01_x", [], 6.0).alt
    'No scores in 01_x.'
    """
    fig = Figure(figsize=(6.4, 3.2))
    ax = fig.add_subplot()
    bins = max(5, min(20, int(max_points) + 1))
    ax.hist(scores, bins=bins, range=(0, max_points or 1), color=OKABE_ITO[4],
            edgecolor="white")
    ax.set_title(f"Score distribution: {title}")
    ax.set_xlabel(f"points (of {max_points:g}, after late penalties; unmarked questions count 0)")
    ax.set_ylabel("students")
    alt = (f"Histogram of the totals of {len(scores)} students in {title}: mean "
           f"{mean(scores):.1f}, median {median(scores):.1f}, lowest {min(scores):g}, highest "
           f"{max(scores):g} of {max_points:g} points.") if scores else f"No scores in {title}."
    return _png(fig, alt)


def question_chart(stats: ExerciseStats) -> Image:
    """Facility and discrimination per question, side by side.

    Examples
    --------
    >>> from classroom.classreport.stats import QuestionStats
    >>> s = ExerciseStats("01_x", "X", 2.0, {}, [QuestionStats("q1", "auto", 2.0, 0.5, 2.0, 0.4)])
    >>> question_chart(s).alt
    'Bar charts of facility and discrimination per question of X: q1 facility 0.50, \
discrimination 0.40.'
    """
    qs = [q for q in stats.questions if q.facility is not None]
    labels = [q.grade_id for q in qs]
    fig = Figure(figsize=(8.0, 0.35 * len(qs) + 1.6))
    left, right = fig.subplots(1, 2, sharey=True)
    colours = [OKABE_ITO[0] if q.kind == "manual" else OKABE_ITO[1] for q in qs]
    left.barh(labels, [q.facility for q in qs], color=colours)
    left.set_xlim(0, 1)
    left.set_xlabel("facility (mean points / max)")
    left.set_title("Facility")
    left.invert_yaxis()
    right.barh(labels, [q.discrimination or 0.0 for q in qs], color=OKABE_ITO[2])
    right.axvline(0, color="black", linewidth=0.8)
    right.set_xlim(-1, 1)
    right.set_xlabel("discrimination (upper - lower 27 %)")
    right.set_title("Discrimination")
    fig.suptitle(f"Questions of {stats.title}")
    parts = [f"{q.grade_id} facility {q.facility:.2f}"
             + (f", discrimination {q.discrimination:.2f}" if q.discrimination is not None
                else "") for q in qs]
    return _png(fig, f"Bar charts of facility and discrimination per question of "
                     f"{stats.title}: " + "; ".join(parts) + ".")


def marking_progress(rows: list[tuple[str, int, int]]) -> Image:
    """Manual questions marked out of answered, as stacked bars (``(label, marked, total)``).

    Examples
    --------
    >>> marking_progress([("01_x q6", 3, 10)]).alt
    'Marking progress: 01_x q6 3 of 10 marked.'
    """
    fig = Figure(figsize=(6.4, 0.4 * len(rows) + 1.4))
    ax = fig.add_subplot()
    labels = [label for label, _, _ in rows]
    marked = [m for _, m, _ in rows]
    ax.barh(labels, marked, color=OKABE_ITO[2], label="marked")
    ax.barh(labels, [t - m for _, m, t in rows], left=marked, color=OKABE_ITO[5],
            label="not marked yet")
    ax.set_title("Marking progress")
    ax.set_xlabel("submissions")
    ax.invert_yaxis()
    ax.legend(loc="lower right")
    alt = "Marking progress: " + "; ".join(f"{label} {m} of {t} marked"
                                           for label, m, t in rows) + "."
    return _png(fig, alt)
