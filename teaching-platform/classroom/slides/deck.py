"""Deck builder: a lesson notebook plus its guide's speaker notes -> offline reveal.js HTML.

:func:`deck_notebook` works on the nbformat notebook model (cells, outputs, metadata), leaving
out ``skip`` cells and widget state; :func:`render_deck` renders it with nbconvert's
``SlidesExporter`` and the offline template ``classroom/templates/course_offline_reveal.html.j2``
(every script and style sheet local); :func:`build_decks` does both for each lesson and copies
the pinned reveal.js and KaTeX files next to the decks.

Examples
--------
>>> show = {"slideshow": {"slide_type": "slide"}}
>>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# T", metadata=show)])
>>> [c.metadata.slideshow.slide_type for c in deck_notebook(nb, {"T": "Hi."}).cells]
['slide', 'notes']
"""

from __future__ import annotations

import copy
import html
from collections.abc import Iterable, Sequence
from pathlib import Path

import nbformat
from jinja2 import FileSystemLoader
from nbconvert import SlidesExporter

from classroom.errors import CourseError
from classroom.notebooks.guard import read_marker, write_marker
from classroom.notebooks.model import cell_source, read_notebook
from classroom.slides.guide import guide_path, parse_guide
from classroom.slides.lessons import (
    cell_quiz_questions,
    heading,
    lesson_paths,
    slide_headings,
    slide_type,
)
from classroom.slides.vendor import PINNED_PACKAGES, fetch_package, install_package
from course_lib.files import atomic_write_text

__all__ = ["SLIDES_MARKER", "WIDGET_MIME", "build_decks", "deck_notebook", "render_deck"]

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
_TEMPLATE_NAME = "course_offline_reveal.html.j2"
_TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
#: Lists what ``course slides`` wrote into an output folder; only those entries are replaced.
SLIDES_MARKER = ".course-slides.json"
_TOOL = "course slides"


def _live_widget_output(lesson_file: str) -> nbformat.NotebookNode:
    """The output that stands in for a live widget: a pointer to JupyterLab."""
    page = (
        '<div class="course-live-widget" role="note"><strong>Live widget.</strong> '
        f"Switch to JupyterLab and run this cell in <code>notebooks/{html.escape(lesson_file)}"
        "</code> to use it with the room.</div>"
    )
    return nbformat.v4.new_output(
        "display_data",
        data={"text/html": page, "text/plain": "Live widget: run this cell in JupyterLab."})


def _quiz_markdown(questions: Sequence[dict]) -> str:
    lines = ["Answer on paper or by a show of hands; the answers are discussed afterwards.", ""]
    for i, q in enumerate(questions, 1):
        lines.append(f"{i}. {q.get('prompt', '')}")
        for letter, option in zip("abcdefgh", q.get("options", []), strict=False):
            lines.append(f"   - ({letter}) {option}")
    return "\n".join(lines)


def deck_notebook(nb: dict, notes: dict[str, str] | None = None, *,
                  lesson_file: str = "") -> nbformat.NotebookNode:
    """The notebook a deck is rendered from (``nb`` itself is not changed).

    - ``skip`` cells are removed (set-up code, quiz code with answers and explanations);
    - the notebook's widget state is dropped and each live widget output is replaced by a
      short note to switch to JupyterLab;
    - a quiz (a ``skip`` cell calling ``widgets.quiz``) is replaced, on its slide, by a cell
      listing the prompts and options (never the answers or explanations);
    - after each slide heading found in ``notes``, a ``notes`` cell carries its speaker notes.

    Raises
    ------
    ValueError
        When ``notes`` names a heading that no slide of the lesson has (stale notes).

    Examples
    --------
    >>> show, skip = {"slideshow": {"slide_type": "slide"}}, {"slideshow": {"slide_type": "skip"}}
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# T", metadata=show),
    ...                                      nbformat.v4.new_code_cell("s = 42", metadata=skip)])
    >>> d = deck_notebook(nb, {"T": "Welcome the room."})
    >>> [(c.cell_type, c.metadata.slideshow.slide_type) for c in d.cells]
    [('markdown', 'slide'), ('markdown', 'notes')]
    >>> deck_notebook(nb, {"Missing": "x"})
    Traceback (most recent call last):
    ...
    ValueError: notes name slide headings the lesson does not have: 'Missing'
    """
    notes = dict(notes or {})
    unknown = sorted(set(notes) - set(slide_headings(nb)))
    if unknown:
        raise ValueError("notes name slide headings the lesson does not have: "
                         + ", ".join(repr(h) for h in unknown))
    deck = copy.deepcopy(nbformat.from_dict(nb))
    deck.metadata.pop("widgets", None)
    cells: list[nbformat.NotebookNode] = []
    for cell in deck.cells:
        cell.source = cell_source(cell)  # one string, as nbformat.reads gives it
        kind = slide_type(cell)
        if kind == "skip":
            questions = cell_quiz_questions(cell)
            if questions and cells:  # shown on the slide the quiz belongs to
                cells.append(nbformat.v4.new_markdown_cell(
                    _quiz_markdown(questions), metadata={"slideshow": {"slide_type": "-"}}))
            continue
        if cell.cell_type == "code":
            cell.outputs = [_live_widget_output(lesson_file) if WIDGET_MIME in out.get("data", {})
                            else out for out in cell.get("outputs", [])]
        cells.append(cell)
        title = heading(cell) if kind in ("slide", "subslide") else None
        if title in notes:
            cells.append(nbformat.v4.new_markdown_cell(
                notes[title], metadata={"slideshow": {"slide_type": "notes"}}))
    deck.cells = cells
    return deck


def render_deck(nb: dict, *, title: str = "", width: int = 1280, height: int = 800) -> str:
    """Render a (deck) notebook to offline reveal.js HTML with nbconvert's ``SlidesExporter``.

    Script and style URLs are relative: ``reveal.js/`` and ``katex/`` must sit next to the
    HTML file (:func:`build_decks` puts them there).

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
    ...     "# Hello $x$", metadata={"slideshow": {"slide_type": "slide"}})])
    >>> page = render_deck(nb, title="Demo")
    >>> import re
    >>> 'src="reveal.js/dist/reveal.js"' in page, re.findall(r'(?:src|href)="http', page)
    (True, [])
    """
    exporter = SlidesExporter(
        extra_loaders=[FileSystemLoader(str(_TEMPLATES))],
        template_file=_TEMPLATE_NAME,
        reveal_url_prefix="reveal.js",
        reveal_theme="white",
        reveal_transition="none",
        reveal_width=str(width),
        reveal_height=str(height),
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    deck = copy.deepcopy(nbformat.from_dict(nb))
    if title:
        deck.metadata["title"] = title
    body, _ = exporter.from_notebook_node(deck, resources={"metadata": {"name": title or "deck"}})
    return body


def _index_html(entries: Sequence[tuple[str, str]]) -> str:
    items = "\n".join(f'<li><a href="{html.escape(href)}">{html.escape(label)}</a></li>'
                      for href, label in entries)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">"
        "<title>Seminar slide decks</title></head>\n<body>\n<h1>Seminar slide decks</h1>\n"
        "<p>Open a deck, press <kbd>s</kbd> for the speaker view (notes and timer), "
        "<kbd>f</kbd> for full screen; add <code>?showNotes=true</code> to the address to "
        "print the notes under each slide.</p>\n"
        f"<ul>\n{items}\n</ul>\n</body>\n</html>\n"
    )


def _claim_out(out: Path, targets: Sequence[str]) -> set[str]:
    """Refuse to replace an entry of ``out`` that ``course slides`` did not write.

    Returns the entries an earlier build listed in :data:`SLIDES_MARKER`.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> _ = (out / "index.html").write_text("my homepage")
    >>> _claim_out(out, ["index.html"])
    Traceback (most recent call last):
    ...
    classroom.errors.CourseError: ... holds index.html, which `course slides` did not write ...
    """
    if out.exists() and not out.is_dir():
        raise CourseError(f"{out} is a file, not a folder; give --out a folder")
    listed = (read_marker(out, SLIDES_MARKER, _TOOL) or set()) if out.is_dir() else set()
    foreign = [t for t in targets
               if ((out / t).exists() or (out / t).is_symlink()) and t not in listed]
    if foreign:
        shown = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
        raise CourseError(f"{out} holds {shown}, which `course slides` did not write (not listed "
                          f"in {SLIDES_MARKER}); refusing to replace: choose another --out or "
                          "move them away")
    return listed


def build_decks(lessons: Iterable[str | Path] | str | Path | None = None,
                out_dir: str | Path = "_build/slides", *,
                notebooks_dir: str | Path | None = None,
                guide_dir: str | Path | None = None,
                cache_dir: str | Path | None = None,
                notes: bool = True) -> list[Path]:
    """Build one offline reveal.js deck per lesson; return the deck paths.

    Parameters
    ----------
    lessons : str, path or iterable of them, optional
        Lessons to build (see :func:`lesson_paths`); ``None`` builds every lesson.
    out_dir : path, default "_build/slides"
        Output folder (relative paths are taken from the current directory). It receives
        ``NN_slug.slides.html`` per lesson, ``index.html`` and the ``reveal.js/`` and
        ``katex/`` folders the decks load, and ``.course-slides.json`` listing them: an entry
        a later build would replace must be listed there (nothing else is ever replaced).
    notebooks_dir, guide_dir : path, optional
        Default ``<repo>/notebooks`` and ``<repo>/instructor``.
    cache_dir : path, optional
        Where the pinned npm packages are cached (default :func:`default_cache_dir`).
    notes : bool, default True
        Take speaker notes from ``guide_dir/NN_slug.md`` (required to exist); ``False``
        builds decks without notes.

    Returns
    -------
    list of Path
        The deck files, in lesson order.

    Raises
    ------
    ValueError
        For an unknown lesson, a missing guide, stale speaker notes, or a failed download.
    CourseError
        When ``out_dir`` holds a file or folder of the same name that it did not write.

    Examples
    --------
    >>> import tempfile
    >>> decks = build_decks("00", tempfile.mkdtemp())
    >>> [d.name for d in decks]
    ['00_start_here.slides.html']
    """
    paths = lesson_paths(lessons, notebooks_dir)
    if not paths:
        raise ValueError(f"lessons must select at least one notebook, got {lessons!r}")
    out = Path(out_dir)
    targets = [p.folder for p in PINNED_PACKAGES] + [f"{p.stem}.slides.html" for p in paths]
    listed = _claim_out(out, [*targets, "index.html"])
    out.mkdir(parents=True, exist_ok=True)
    write_marker(out, SLIDES_MARKER, _TOOL, listed | {*targets, "index.html"})
    for package in PINNED_PACKAGES:
        install_package(package, fetch_package(package, cache_dir), out)
    written: list[Path] = []
    for path in paths:
        nb = read_notebook(path)
        speaker: dict[str, str] = {}
        if notes:
            gpath = guide_path(path, guide_dir)
            if not gpath.is_file():
                raise ValueError(f"lessons must have an instructor guide for notes; "
                                 f"{gpath} is missing (or pass notes=False)")
            speaker = parse_guide(gpath).speaker_notes
        course = nb.metadata.get("course", {})
        title = f"Lesson {course.get('lesson', path.stem[:2])}: {course.get('title', path.stem)}"
        try:
            deck = deck_notebook(nb, speaker, lesson_file=path.name)
        except ValueError as exc:
            raise ValueError(f"{guide_path(path, guide_dir).name}: {exc}") from exc
        target = out / f"{path.stem}.slides.html"
        atomic_write_text(target, render_deck(deck, title=title))
        written.append(target)
    entries = sorted((p.name, p.stem.removesuffix(".slides"))
                     for p in out.glob("[0-9][0-9]_*.slides.html"))
    atomic_write_text(out / "index.html", _index_html(entries))
    return written
