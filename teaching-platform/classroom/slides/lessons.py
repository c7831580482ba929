"""What a deck reads from a lesson notebook: slide types, headings, objectives, quizzes.

Cells are read through the one notebook model (:func:`classroom.notebooks.model.cell_source`);
the slideshow metadata is the lessons' own (``metadata.slideshow.slide_type``).

Examples
--------
>>> [p.name for p in lesson_paths("00")]
['00_start_here.ipynb']
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from pathlib import Path

import nbformat  # noqa: F401 - used by the doctest examples

from classroom.course import Course
from classroom.notebooks.model import cell_source
from classroom.slides.guide import list_items
from course_lib.quizzes import load_quiz

__all__ = [
    "cell_quiz_questions",
    "expected_slide_count",
    "heading",
    "lesson_objectives",
    "lesson_paths",
    "quiz_questions",
    "slide_headings",
    "slide_type",
]

def lesson_paths(lessons: Iterable[str | Path] | str | Path | None = None,
                 notebooks_dir: str | Path | None = None) -> list[Path]:
    """Resolve lesson names to notebook paths (all ``NN_*.ipynb`` lessons when ``None``).

    A lesson may be given as its number (``"03"`` or ``"3"``), its stem
    (``"03_measuring_threat"``), its file name, or a path to a notebook.

    Raises
    ------
    ValueError
        For a name that matches no lesson.

    Examples
    --------
    >>> [p.name for p in lesson_paths(["3", "06_blueprint", "03"])]
    ['03_measuring_threat.ipynb', '06_blueprint.ipynb']
    >>> lesson_paths("99")
    Traceback (most recent call last):
    ...
    ValueError: lessons must name lessons in notebooks/ (00, 01, ... or e.g. \
'03_measuring_threat'), got '99'
    """
    folder = Path(notebooks_dir) if notebooks_dir is not None else Course.find().notebooks
    available = sorted(p for p in folder.glob("[0-9][0-9]_*.ipynb"))
    if lessons is None:
        return available
    if isinstance(lessons, str | Path):
        lessons = [lessons]
    chosen: list[Path] = []
    for item in lessons:
        path = Path(item)
        if path.suffix == ".ipynb" and path.is_file():
            chosen.append(path)
            continue
        key = str(item).strip()
        key = key.zfill(2) if key.isdigit() else key.removesuffix(".ipynb")
        hits = [p for p in available if p.stem == key or p.stem.split("_", 1)[0] == key]
        if len(hits) != 1:
            raise ValueError(
                f"lessons must name lessons in {folder.name}/ (00, 01, ... or e.g. "
                f"'03_measuring_threat'), got {str(item)!r}"
            )
        if hits[0] not in chosen:
            chosen.append(hits[0])
    return chosen


def slide_type(cell: dict) -> str:
    """A cell's ``metadata.slideshow.slide_type`` (``"-"`` when unset).

    Examples
    --------
    >>> slide_type(nbformat.v4.new_markdown_cell("x")), slide_type(
    ...     nbformat.v4.new_markdown_cell("x", metadata={"slideshow": {"slide_type": "skip"}}))
    ('-', 'skip')
    """
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-") or "-"


def heading(cell: dict) -> str | None:
    """The first Markdown heading of a markdown cell (``None`` for code or no heading).

    Examples
    --------
    >>> heading(nbformat.v4.new_markdown_cell("intro\\n## Key points ##"))
    'Key points'
    """
    if cell.get("cell_type") != "markdown":
        return None
    for line in cell_source(cell).splitlines():
        m = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if m:
            return m.group(1).strip()
    return None


def slide_headings(nb: dict) -> list[str]:
    """Headings of the cells that start a slide or a sub-slide, in order.

    Examples
    --------
    >>> def md(text, kind):
    ...     return nbformat.v4.new_markdown_cell(text, metadata={"slideshow": {"slide_type": kind}})
    >>> nb = nbformat.v4.new_notebook(cells=[md("# Title", "slide"), md("## More", "-"),
    ...                                      md("### Next", "subslide")])
    >>> slide_headings(nb)
    ['Title', 'Next']
    """
    return [h for c in nb.get("cells", [])
            if slide_type(c) in ("slide", "subslide") and (h := heading(c)) is not None]


def expected_slide_count(nb: dict) -> int:
    """Number of slides (reveal.js sections) a deck of ``nb`` has: one per ``slide`` or
    ``subslide`` cell, plus one when the first shown cell does not start a slide.

    Examples
    --------
    >>> def md(text, kind):
    ...     return nbformat.v4.new_markdown_cell(text, metadata={"slideshow": {"slide_type": kind}})
    >>> nb = nbformat.v4.new_notebook(cells=[md("setup", "skip"), md("intro", "-"),
    ...                                      md("## A", "slide"), md("### B", "subslide")])
    >>> expected_slide_count(nb)
    3
    """
    shown = [c for c in nb.get("cells", []) if slide_type(c) not in ("skip", "notes")]
    if not shown:
        return 0
    starts = sum(slide_type(c) in ("slide", "subslide") for c in shown)
    return starts + (0 if slide_type(shown[0]) in ("slide", "subslide") else 1)


def lesson_objectives(nb: dict) -> list[str]:
    """The numbered items of the lesson's ``## Learning objectives`` cell.

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
    ...     "## Learning objectives\\n\\n1. define a tier;\\n2. compute a\\n   margin.")])
    >>> lesson_objectives(nb)
    ['define a tier;', 'compute a margin.']
    """
    for cell in nb.get("cells", []):
        if heading(cell) == "Learning objectives":
            return list_items(cell_source(cell), numbered=True)
    return []


def _quiz_call(cell: dict) -> ast.Call | None:
    if cell.get("cell_type") != "code":
        return None
    try:
        tree = ast.parse(cell_source(cell))
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name)
                and getattr(node.func, "attr", getattr(node.func, "id", None)) == "quiz"
                and node.args):
            return node
    return None


def cell_quiz_questions(cell: dict) -> list[dict]:
    """The questions of a ``widgets.quiz(...)`` call in one cell.

    The argument is either a lesson's quiz bank (``quiz("03")``, read with
    :func:`course_lib.quizzes.load_quiz`, options in their display order) or a literal list.

    Examples
    --------
    >>> cell_quiz_questions(nbformat.v4.new_code_cell('quiz([{"prompt": "P?"}])'))
    [{'prompt': 'P?'}]
    >>> len(cell_quiz_questions(nbformat.v4.new_code_cell('widgets.quiz("02")'))) > 0
    True
    """
    call = _quiz_call(cell)
    if call is None:
        return []
    try:
        questions = ast.literal_eval(call.args[0])
        if isinstance(questions, str):
            questions = load_quiz(questions)
    except ValueError:
        return []
    return [q for q in questions if isinstance(q, dict)]


def quiz_questions(nb: dict) -> list[dict]:
    """The questions of every ``widgets.quiz([...])`` call in ``nb`` (literal arguments only).

    Each is a dict with ``prompt``, ``options``, ``answer`` and ``explanation`` as written in
    the lesson. The deck shows prompts and options; tests use the rest to prove it hides them.

    Examples
    --------
    >>> cell = nbformat.v4.new_code_cell('widgets.quiz([{"prompt": "P?", "options": ["a", "b"],'
    ...                                  ' "answer": 1, "explanation": "Because b."}])')
    >>> quiz_questions(nbformat.v4.new_notebook(cells=[cell]))[0]["explanation"]
    'Because b.'
    """
    return [q for cell in nb.get("cells", []) for q in cell_quiz_questions(cell)]
