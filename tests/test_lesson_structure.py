"""Content and structure rules for every lesson notebook (``notebooks/NN_slug.ipynb``).

Each rule is a separate test, parametrised over the lessons, and each failure names the notebook
and, where it applies, the cell index (0-based, as in ``nb.cells[i]``).

Which folder is checked
    ``notebooks/`` of the repository, or the folder named by the environment variable
    ``COURSE_LESSONS_DIR`` (used to check the harness fixture:
    ``COURSE_LESSONS_DIR=tests/fixtures/lessons pytest tests/test_lesson_structure.py``).

The rules
    * file names ``NN_slug.ipynb`` (``slug`` in lower-case letters, digits and underscores), with
      consecutive ``NN`` from ``00``; ``metadata.course.lesson`` equals ``NN``; ``metadata.course``
      holds a non-empty ``title``;
    * exactly one H1 (``# ...``) and it is in the first cell, which is a markdown cell;
    * headings (any level, case-insensitive, the heading text *starting with* the phrase) for
      "Learning objectives", "Key points", "References", "Check your understanding" and
      "Discussion questions". Decision for lesson ``00`` (the start-here lesson about how the course
      works): it may have "How this course works" instead of "Discussion questions" (either one
      satisfies the rule); every other lesson needs "Discussion questions";
    * ``metadata.course.minutes`` is an int in [10, 180] and the first cell states the same number
      of minutes (e.g. "Estimated time: 45 minutes");
    * code cells are all executed, with execution counts 1..n in order (no gaps, no empty code
      cells), and ``execute_result`` outputs carry their cell's count;
    * no saved ``error`` outputs and no stderr stream containing "Traceback";
    * at least one figure: an HTML output with an ``<img`` whose ``alt`` text is not empty (what
      ``course_lib.plots.show_figure`` emits);
    * at least one widget output (``application/vnd.jupyter.widget-view+json``); the notebook's
      ``metadata.widgets`` holds the saved widget state, which contains every displayed model and
      models carrying the CSS classes ``course-poke`` and ``course-poke-output`` (the real-browser
      test pokes the first and watches the second);
    * the "References" section holds at least 3 distinct author-year citations.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import nbformat
import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
LESSON_NAME_RE = re.compile(r"^(?P<nn>\d{2})_(?P<slug>[a-z0-9]+(?:_[a-z0-9]+)*)\.ipynb$")
REQUIRED_HEADINGS = (
    "learning objectives",
    "key points",
    "references",
    "check your understanding",
)
DISCUSSION = "discussion questions"
START_LESSON_ALTERNATIVE = "how this course works"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
MIN_MINUTES, MAX_MINUTES = 10, 180
MIN_CITATIONS = 3

_SURNAME = r"[A-Z][A-Za-z'\-]+"
CITATION_RE = re.compile(
    rf"\b{_SURNAME}(?:(?:,? {_SURNAME})*,? (?:and|&) {_SURNAME}| et al\.)?"  # surname(s)
    r"(?:, [A-Z][a-z]*\.?(?: [A-Z][a-z]*\.?){0,2})?"  # optional given names or initials
    r",? \(?(?:1[5-9]|20)\d{2}[a-z]?\b"  # year, optionally in parentheses
)
IMG_ALT_RE = re.compile(r"<img\b[^>]*?\balt\s*=\s*(?P<q>[\"'])(?P<alt>.*?)(?P=q)", re.S | re.I)
MINUTES_RE = re.compile(r"\b(\d{1,3})\s*(?:-\s*)?min(?:ute)?s?\b", re.I)


# ----------------------------------------------------------------------------- pure helpers


def lessons_dir() -> Path:
    """The folder whose ``*.ipynb`` files are checked (``COURSE_LESSONS_DIR`` or ``notebooks/``).

    Examples
    --------
    >>> lessons_dir().is_absolute()
    True
    """
    configured = os.environ.get("COURSE_LESSONS_DIR")
    if configured:
        path = Path(configured)
        return path if path.is_absolute() else (REPO_ROOT / path).resolve()
    return REPO_ROOT / "notebooks"


def lesson_paths() -> list[Path]:
    """Sorted ``*.ipynb`` files of :func:`lessons_dir` (checkpoints excluded)."""
    return sorted(p for p in lessons_dir().glob("*.ipynb") if p.is_file())


def markdown_headings(source: str) -> list[tuple[int, str]]:
    """ATX and setext headings of a markdown text as ``(level, text)``, skipping code fences.

    Examples
    --------
    >>> markdown_headings("# Title\\n\\ntext\\n## Key points ##\\n```\\n# not a heading\\n```")
    [(1, 'Title'), (2, 'Key points')]
    >>> markdown_headings("Title\\n=====\\nSub\\n---")
    [(1, 'Title'), (2, 'Sub')]
    >>> markdown_headings("#hashtag is not a heading")
    []
    """
    headings: list[tuple[int, str]] = []
    in_fence = False
    previous = ""
    for line in source.splitlines():
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            in_fence = not in_fence
            previous = ""
            continue
        if in_fence:
            continue
        match = re.match(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*#*[ \t]*$", line)
        if match:
            headings.append((len(match.group(1)), (match.group(2) or "").strip()))
            previous = ""
            continue
        if previous and re.fullmatch(r" {0,3}(=+|-+)[ \t]*", line):
            headings.append((1 if "=" in line else 2, previous))
            previous = ""
            continue
        previous = stripped
    return headings


def normalise_heading(text: str) -> str:
    """Lower-case heading text without markdown emphasis, numbering or trailing punctuation.

    Examples
    --------
    >>> normalise_heading("3. **Check your understanding**:")
    'check your understanding'
    """
    text = re.sub(r"[*_`]", "", text).strip().lower()
    text = re.sub(r"^(?:\d+(?:\.\d+)*[.)]?\s+)", "", text)
    return text.rstrip(" :.?!")


def has_heading(headings: list[str], phrase: str) -> bool:
    """Whether a normalised heading starts with ``phrase`` (case-insensitive).

    Examples
    --------
    >>> has_heading(["key points", "references and further reading"], "References")
    True
    >>> has_heading(["key points"], "learning objectives")
    False
    """
    phrase = phrase.lower()
    return any(h == phrase or h.startswith(phrase + " ") or h.startswith(phrase + ":")
               for h in headings)


def citations(text: str) -> list[str]:
    """Distinct author-year citations in ``text``, in order of appearance.

    Accepts the usual forms: ``Walt 1987``, ``(Walt, 1987)``, ``Walt (1987)``,
    ``Walt, S. M. (1987)``, ``Keohane and Nye (1977)``, ``Singer, Bremer & Stuckey 1972``,
    ``Smith et al. (2020)``, ``NATO (2022)``.

    Examples
    --------
    >>> citations("- Walt, S. M. (1987). Origins.\\n- (Snyder, 1984)\\n- Keohane and Nye (1977)")
    ['Walt, S. M. (1987', 'Snyder, 1984', 'Keohane and Nye (1977']
    >>> len(citations("Singer, Bremer & Stuckey 1972; Smith et al. (2020); NATO (2022); Walt 1987"))
    4
    >>> citations("see chapter 3 of the report")
    []
    """
    seen: list[str] = []
    for match in CITATION_RE.finditer(text):
        if match.group(0) not in seen:
            seen.append(match.group(0))
    return seen


def section_text(nb: nbformat.NotebookNode, phrase: str) -> str:
    """Markdown text under the first heading starting with ``phrase``, up to the next heading of
    the same or a higher level (possibly spanning several markdown cells).

    Examples
    --------
    >>> from nbformat.v4 import new_markdown_cell, new_notebook
    >>> nb = new_notebook(cells=[new_markdown_cell("## References\\n- A 2001"),
    ...                          new_markdown_cell("- B 2002\\n### Notes\\nC 2003\\n## Next\\nD")])
    >>> section_text(nb, "references").split()
    ['-', 'A', '2001', '-', 'B', '2002', '###', 'Notes', 'C', '2003']
    """
    collected: list[str] = []
    level: int | None = None
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            found = markdown_headings(line)
            if level is None:
                if found and has_heading([normalise_heading(found[0][1])], phrase):
                    level = found[0][0]
                continue
            if found and found[0][0] <= level:
                return "\n".join(collected)
            collected.append(line)
    return "\n".join(collected)


def _outputs(nb: nbformat.NotebookNode):
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            for output in cell.get("outputs", []):
                yield index, output


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _lesson_number(path: Path) -> str | None:
    match = LESSON_NAME_RE.match(path.name)
    return match.group("nn") if match else None


# ----------------------------------------------------------------------------- parametrisation


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrise ``lesson_path`` over the lessons found at collection time."""
    if "lesson_path" in metafunc.fixturenames:
        paths = lesson_paths()
        metafunc.parametrize("lesson_path", paths, ids=[p.stem for p in paths])


@pytest.fixture
def nb(lesson_path: Path) -> nbformat.NotebookNode:
    """The lesson, read as a version-4 notebook."""
    return nbformat.read(lesson_path, as_version=4)


# ----------------------------------------------------------------------------- folder-level rules


def test_lessons_exist():
    folder = lessons_dir()
    assert lesson_paths(), (
        f"no lessons found: {folder} holds no *.ipynb files "
        "(expected notebooks/NN_slug.ipynb, starting with 00_...)"
    )


def test_file_names_are_consecutive_nn_slug():
    paths = lesson_paths()
    if not paths:
        pytest.skip(f"no lessons in {lessons_dir()} (test_lessons_exist reports it)")
    bad = [p.name for p in paths if not LESSON_NAME_RE.match(p.name)]
    assert not bad, f"file names must look like NN_slug.ipynb (lower-case slug): {bad}"
    numbers = [_lesson_number(p) for p in paths]
    expected = [f"{i:02d}" for i in range(len(paths))]
    assert numbers == expected, (
        f"lesson numbers must be consecutive from 00: found {numbers}, expected {expected}"
    )


# ----------------------------------------------------------------------------- per-lesson rules


def test_valid_notebook(lesson_path, nb):
    nbformat.validate(nb)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3", (
        f"{lesson_path.name}: metadata.kernelspec.name must be 'python3', "
        f"got {nb.metadata.get('kernelspec', {}).get('name')!r}"
    )


def test_course_metadata(lesson_path, nb):
    course = nb.metadata.get("course")
    assert isinstance(course, dict), f"{lesson_path.name}: metadata.course is missing"
    nn = _lesson_number(lesson_path)
    assert course.get("lesson") == nn, (
        f"{lesson_path.name}: metadata.course.lesson must be {nn!r} (the file's NN prefix), "
        f"got {course.get('lesson')!r}"
    )
    title = course.get("title")
    assert isinstance(title, str) and title.strip(), (
        f"{lesson_path.name}: metadata.course.title must be a non-empty string, got {title!r}"
    )


def test_single_h1_in_first_cell(lesson_path, nb):
    assert nb.cells, f"{lesson_path.name}: the notebook has no cells"
    first = nb.cells[0]
    assert first.cell_type == "markdown", (
        f"{lesson_path.name}: cell 0 must be a markdown cell with the H1, got {first.cell_type}"
    )
    h1_cells = [
        (index, text)
        for index, cell in enumerate(nb.cells)
        if cell.cell_type == "markdown"
        for level, text in markdown_headings(cell.source)
        if level == 1
    ]
    assert len(h1_cells) == 1, (
        f"{lesson_path.name}: exactly one H1 expected, found {len(h1_cells)}: "
        + ", ".join(f"cell {i}: {t!r}" for i, t in h1_cells)
    )
    assert h1_cells[0][0] == 0, (
        f"{lesson_path.name}: the H1 must be in cell 0, found in cell {h1_cells[0][0]}"
    )


def test_required_headings(lesson_path, nb):
    headings = [
        normalise_heading(text)
        for cell in nb.cells
        if cell.cell_type == "markdown"
        for _, text in markdown_headings(cell.source)
    ]
    missing = [phrase for phrase in REQUIRED_HEADINGS if not has_heading(headings, phrase)]
    if _lesson_number(lesson_path) == "00":
        alternatives = (DISCUSSION, START_LESSON_ALTERNATIVE)
        if not any(has_heading(headings, phrase) for phrase in alternatives):
            missing.append(f"{DISCUSSION} (or, in lesson 00, {START_LESSON_ALTERNATIVE})")
    elif not has_heading(headings, DISCUSSION):
        missing.append(DISCUSSION)
    assert not missing, (
        f"{lesson_path.name}: missing headings {missing}; headings found: {headings}"
    )


def test_estimated_minutes(lesson_path, nb):
    minutes = nb.metadata.get("course", {}).get("minutes")
    assert isinstance(minutes, int) and not isinstance(minutes, bool), (
        f"{lesson_path.name}: metadata.course.minutes must be an int, got {minutes!r}"
    )
    assert MIN_MINUTES <= minutes <= MAX_MINUTES, (
        f"{lesson_path.name}: metadata.course.minutes must be in [{MIN_MINUTES}, {MAX_MINUTES}], "
        f"got {minutes}"
    )
    stated = [int(m) for m in MINUTES_RE.findall(nb.cells[0].source)]
    assert minutes in stated, (
        f"{lesson_path.name}: cell 0 must state the estimated time, e.g. 'Estimated time: "
        f"{minutes} minutes' (metadata.course.minutes = {minutes}); minutes stated: {stated}"
    )


def test_execution_counts_in_order(lesson_path, nb):
    problems = []
    expected = 1
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if not cell.source.strip():
            problems.append(f"cell {index} is an empty code cell (delete it)")
            continue
        if cell.execution_count is None:
            problems.append(f"cell {index} was not executed")
        elif cell.execution_count != expected:
            problems.append(f"cell {index} has execution count {cell.execution_count}, "
                            f"expected {expected}")
        for output in cell.outputs:
            if output.output_type == "execute_result" and output.get(
                "execution_count"
            ) != cell.execution_count:
                problems.append(f"cell {index}: execute_result count "
                                f"{output.get('execution_count')} != cell count "
                                f"{cell.execution_count}")
        expected += 1
    assert not problems, (
        f"{lesson_path.name}: code cells must be executed top to bottom with counts 1..n "
        f"(run tools/execute_notebooks.py): " + "; ".join(problems)
    )


def test_no_errors_in_outputs(lesson_path, nb):
    problems = []
    for index, output in _outputs(nb):
        if output.output_type == "error":
            problems.append(f"cell {index}: saved error {output.get('ename')}: "
                            f"{output.get('evalue')}")
        elif (output.output_type == "stream" and output.get("name") == "stderr"
              and "Traceback" in _text(output.get("text", ""))):
            problems.append(f"cell {index}: stderr output contains a Traceback")
    assert not problems, f"{lesson_path.name}: " + "; ".join(problems)


def test_figure_with_alt_text(lesson_path, nb):
    alts = []
    empty = []
    for index, output in _outputs(nb):
        html = _text(output.get("data", {}).get("text/html", ""))
        for match in IMG_ALT_RE.finditer(html):
            (alts if match.group("alt").strip() else empty).append(index)
    assert alts, (
        f"{lesson_path.name}: no figure with alt text: expected an HTML output with "
        f"<img ... alt=\"...\"> (course_lib.plots.show_figure)"
        + (f"; cells {sorted(set(empty))} have <img> with empty alt" if empty else "")
    )


def test_widget_output_and_saved_state(lesson_path, nb):
    views = {
        (index, output["data"][WIDGET_VIEW].get("model_id"))
        for index, output in _outputs(nb)
        if WIDGET_VIEW in output.get("data", {})
    }
    assert views, (
        f"{lesson_path.name}: no widget output ({WIDGET_VIEW}); each lesson needs a live widget"
    )
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state")
    assert state, (
        f"{lesson_path.name}: metadata.widgets holds no saved widget state "
        "(execute with tools/execute_notebooks.py, which stores it)"
    )
    unsaved = sorted(f"cell {i}: {m}" for i, m in views if m not in state)
    assert not unsaved, f"{lesson_path.name}: displayed widgets missing from saved state: {unsaved}"
    classes = {
        cls
        for model in state.values()
        for cls in model.get("state", {}).get("_dom_classes", [])
    }
    for needed in ("course-poke", "course-poke-output"):
        assert needed in classes, (
            f"{lesson_path.name}: no saved widget carries the CSS class {needed!r} "
            f"(the main widget's control and result must, for the browser test)"
        )


def test_references_have_citations(lesson_path, nb):
    text = section_text(nb, "references")
    found = citations(text)
    assert len(found) >= MIN_CITATIONS, (
        f"{lesson_path.name}: the References section needs at least {MIN_CITATIONS} author-year "
        f"citations (e.g. 'Walt, S. M. (1987)'), found {len(found)}: {found}"
    )


# ----------------------------------------------------------------------------- course navigation
# These rules are about the course itself, so they always read notebooks/ and exercises/ of the
# repository (never COURSE_LESSONS_DIR, which points the per-lesson rules at a fixture).

COURSE_LESSONS = sorted((REPO_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
EXERCISES = sorted((REPO_ROOT / "exercises").glob("*_exercises.ipynb"))
LINK_RE = re.compile(r"\]\((?P<target>[^)\s]+)\)")
GLOSSARY_TERMS = ("Abandonment", "Balancing", "Bandwagoning", "Buck-passing", "buck-catcher",
                  "CINC", "Entrapment", "Hub-and-spoke", "ICI", "IPCP", "ITPP",
                  "Mediterranean Dialogue (MD)", "Partnership for Peace (PfP)")


def _markdown(path: Path) -> list[str]:
    return [c.source for c in nbformat.read(path, as_version=4).cells
            if c.cell_type == "markdown"]


def _local_links(text: str) -> list[str]:
    return [m.group("target").split("#")[0] for m in LINK_RE.finditer(text)
            if not m.group("target").startswith(("http://", "https://", "mailto:", "#"))]


@pytest.mark.parametrize("path", COURSE_LESSONS, ids=lambda p: p.stem)
def test_course_links_resolve_to_files(path):
    broken = [t for text in _markdown(path) for t in _local_links(text)
              if not (path.parent / t).is_file()]
    assert not broken, f"{path.name}: links to files that do not exist: {broken}"


def test_course_map_links_every_lesson_and_exercise():
    start = COURSE_LESSONS[0]
    cells = nbformat.read(start, as_version=4).cells
    text = section_text(nbformat.v4.new_notebook(cells=cells), "a map of the course")
    links = set(_local_links(text))
    missing = [p.name for p in COURSE_LESSONS if p.name not in links]
    missing += [f"../exercises/{p.name}" for p in EXERCISES
                if f"../exercises/{p.name}" not in links]
    assert EXERCISES and not missing, f"{start.name}: the map does not link {missing}"
    if (REPO_ROOT / "notebooks" / "reading_list.md").is_file():
        assert "reading_list.md" in links, f"{start.name}: the map does not link the reading list"


@pytest.mark.parametrize("path", COURSE_LESSONS, ids=lambda p: p.stem)
def test_course_lessons_end_with_where_next(path):
    last = nbformat.read(path, as_version=4).cells[-1]
    assert last.cell_type == "markdown" and last.source.startswith("## Where next"), (
        f"{path.name}: the last cell must be a '## Where next' cell")
    links = set(_local_links(last.source))
    index = COURSE_LESSONS.index(path)
    if index + 1 < len(COURSE_LESSONS):
        assert COURSE_LESSONS[index + 1].name in links, f"{path.name}: no link to the next lesson"
    exercise = [p for p in EXERCISES if p.name.startswith(path.name[:3])]
    if exercise:
        assert f"../exercises/{exercise[0].name}" in links, f"{path.name}: no link to its exercise"
    else:
        assert re.search(r"no exercise|has no exercises", last.source), (
            f"{path.name}: no exercise notebook, and the Where next cell does not say so")


def test_course_glossary_and_progress_view_in_lesson_00():
    nb = nbformat.read(COURSE_LESSONS[0], as_version=4)
    glossary = section_text(nb, "glossary")
    missing = [t for t in GLOSSARY_TERMS if f"**{t}" not in glossary and t not in glossary]
    assert not missing, f"{COURSE_LESSONS[0].name}: glossary lacks {missing}"
    cells = [c for c in nb.cells if c.cell_type == "code" and "progress_view(" in c.source]
    assert cells, f"{COURSE_LESSONS[0].name}: no progress view cell"
    shown = "".join(_text(o.get("data", {}).get("text/html", "")) for o in cells[0].outputs)
    assert "course check" in shown and "_exercises.ipynb" in shown, (
        f"{COURSE_LESSONS[0].name}: the saved progress view lists no exercise")


@pytest.mark.parametrize("path", COURSE_LESSONS, ids=lambda p: p.stem)
def test_course_saved_widgets_say_run_this_cell(path):
    """What a reader sees where a widget cannot be drawn: an instruction, not a Python repr."""
    nb = nbformat.read(path, as_version=4)
    shown = [_text(o["data"].get("text/plain", "")) for _, o in _outputs(nb)
             if WIDGET_VIEW in o.get("data", {})]
    bad = [t for t in shown if not re.fullmatch(
        r"\[[^\]]+: an interactive widget\. Run this cell \(Shift\+Enter\) to use it\.\]", t)]
    assert shown and not bad, f"{path.name}: widget outputs saved as {bad}"
