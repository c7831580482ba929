"""Offline reveal.js slide decks from the lessons, with speaker notes from the instructor guide.

One source: the slides are the lessons' own cells (their ``metadata.slideshow.slide_type``), the
speaker notes are the ``## Speaker notes`` section of ``instructor/NN_slug.md``, and nothing is
copied into the notebooks. A deck

- opens from disk with no network: reveal.js 5.2.1 and KaTeX 0.16.22 come from the npm registry
  at build time (pinned, sha512-verified, cached in ``.cache/npm/``) and are copied next to the
  decks (``reveal.js/``, ``katex/``); the page loads no URL from the internet;
- leaves out every ``skip`` cell (set-up code and the quiz cells with their answers) and the
  widget state; a live widget's output becomes a note to switch to JupyterLab, and the quiz shows
  its questions and options only;
- shows figures as embedded images, math typeset by KaTeX, and carries one
  ``<aside class="notes">`` per slide heading that the guide annotates (press ``s`` for the
  speaker view, or open the deck with ``?showNotes=true``).

The guide's fixed Markdown structure is parsed by :func:`parse_guide` (tests and the deck
builder use the same parser).

Examples
--------
>>> guide = parse_guide('''# Guide
... ## Session plan
... | start | segment | minutes |
... |---|---|---|
... | 0:00 | Opening | 5 |
... | 0:05 | Debate | 15 |
... | | **Total** | **20** |
... ## Slide budget
... Maximum slides: 12
... ## Speaker notes
... ### Welcome
... Ask who has read the paper.
... ''')
>>> guide.plan_minutes, guide.stated_total, guide.max_slides
(20, 20, 12)
>>> guide.speaker_notes["Welcome"]
'Ask who has read the paper.'
"""

from __future__ import annotations

import ast
import base64
import copy
import hashlib
import html
import io
import re
import shutil
import tarfile
import urllib.request
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

__all__ = [
    "KATEX",
    "PINNED_PACKAGES",
    "REVEAL",
    "DiscussionPrompt",
    "Guide",
    "NpmPackage",
    "PlanRow",
    "build_decks",
    "deck_notebook",
    "default_cache_dir",
    "expected_slide_count",
    "fetch_package",
    "guide_path",
    "lesson_objectives",
    "lesson_paths",
    "parse_guide",
    "quiz_questions",
    "render_deck",
    "slide_headings",
    "verify_integrity",
]

_REPO = Path(__file__).resolve().parents[1]
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
NPM_REGISTRY = "https://registry.npmjs.org"


# --------------------------------------------------------------------------------------------
# pinned front-end packages
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NpmPackage:
    """A pinned npm package: name, exact version, the registry's ``dist.integrity`` (sha512),
    and the files of its ``package/`` folder that a deck needs (relative paths or folders).

    Examples
    --------
    >>> REVEAL.tarball_url
    'https://registry.npmjs.org/reveal.js/-/reveal.js-5.2.1.tgz'
    """

    name: str
    version: str
    integrity: str
    files: tuple[str, ...]
    folder: str

    @property
    def tarball_url(self) -> str:
        """Where the npm registry serves the package tarball."""
        return f"{NPM_REGISTRY}/{self.name}/-/{self.name}-{self.version}.tgz"


#: reveal.js 5.2.1 (MIT): core, the white theme and its local fonts, the speaker-notes plugin.
REVEAL = NpmPackage(
    name="reveal.js",
    version="5.2.1",
    integrity="sha512-r7//6mIM5p34hFiDMvYfXgyjXqGRta+/psd9YtytsgRlrpRzFv4RbH76TXd2qD+7ZPZEbpBDhdRhJaFgfQ7zNQ==",
    files=("LICENSE", "dist/reveal.css", "dist/reveal.js", "dist/theme/white.css",
           "dist/theme/fonts/source-sans-pro", "plugin/notes/notes.js"),
    folder="reveal.js",
)
#: KaTeX 0.16.22 (MIT): renders the lessons' ``$...$`` math without MathJax's CDN.
KATEX = NpmPackage(
    name="katex",
    version="0.16.22",
    integrity="sha512-XCHRdUw4lf3SKBaJe4EvgqIuWwkPSo9XoeO8GjQW94Bp7TWv9hNhzZjZ+OH9yf1UmLygb7DIT5GSFQiyt16zYg==",
    files=("LICENSE", "dist/katex.min.css", "dist/katex.min.js",
           "dist/contrib/auto-render.min.js", "dist/fonts"),
    folder="katex",
)
PINNED_PACKAGES = (REVEAL, KATEX)


def default_cache_dir() -> Path:
    """``.cache/npm/`` in the repository (gitignored): downloaded tarballs and their contents.

    Examples
    --------
    >>> default_cache_dir().parts[-2:]
    ('.cache', 'npm')
    """
    return _REPO / ".cache" / "npm"


def verify_integrity(data: bytes, integrity: str) -> None:
    """Check ``data`` against an npm ``dist.integrity`` string (``sha512-<base64>``).

    Raises
    ------
    ValueError
        When the string is not a sha512 integrity or the digest differs.

    Examples
    --------
    >>> import base64, hashlib
    >>> good = "sha512-" + base64.b64encode(hashlib.sha512(b"x").digest()).decode()
    >>> verify_integrity(b"x", good)
    >>> verify_integrity(b"y", good)
    Traceback (most recent call last):
    ...
    ValueError: data does not match integrity sha512-...: the download is corrupt or was altered
    """
    algorithm, _, expected = integrity.partition("-")
    if algorithm != "sha512" or not expected:
        raise ValueError(f"integrity must be 'sha512-<base64 digest>', got {integrity!r}")
    actual = base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")
    if actual != expected:
        raise ValueError(f"data does not match integrity {integrity[:12]}...: the download is "
                         "corrupt or was altered")


def fetch_package(package: NpmPackage, cache_dir: str | Path | None = None, *,
                  timeout: float = 60.0) -> Path:
    """Return the unpacked ``package/`` folder of a pinned npm package, downloading it once.

    The tarball is fetched from the npm registry with :mod:`urllib` (no ``npm`` needed),
    verified against ``package.integrity`` before anything is unpacked, and kept in
    ``cache_dir`` (default :func:`default_cache_dir`, which gets a ``.gitignore`` of ``*``);
    only ``package.files`` are unpacked. Later calls reuse the cache without network; an
    already cached tarball is verified again before it is unpacked.

    Raises
    ------
    ValueError
        When the download fails or does not match the pinned integrity.

    Examples
    --------
    >>> fetch_package(REVEAL).joinpath("dist", "reveal.js").is_file()  # doctest: +SKIP
    True
    """
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    target = cache / f"{package.name}-{package.version}"
    marker = target / ".verified"
    if marker.is_file() and marker.read_text(encoding="utf-8") == package.integrity:
        return target / "package"
    tarball = cache / f"{package.name}-{package.version}.tgz"
    if tarball.is_file():
        data = tarball.read_bytes()
    else:
        try:
            with urllib.request.urlopen(package.tarball_url, timeout=timeout) as response:
                data = response.read()
        except OSError as exc:
            raise ValueError(
                f"package {package.name}@{package.version} is not cached in {cache} and could "
                f"not be downloaded from {package.tarball_url}: {exc}"
            ) from exc
    verify_integrity(data, package.integrity)
    cache.mkdir(parents=True, exist_ok=True)
    ignore = cache / ".gitignore"
    if not ignore.exists():  # like pytest's cache: never committed, never linted
        ignore.write_text("# created by course_lib.slides: downloaded packages\n*\n",
                          encoding="utf-8")
    tarball.write_bytes(data)
    if target.exists():
        shutil.rmtree(target)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        wanted = [m for m in archive.getmembers() if _wanted(package, m.name)]
        archive.extractall(target, members=wanted, filter="data")
    marker.write_text(package.integrity, encoding="utf-8")
    return target / "package"


def _wanted(package: NpmPackage, member: str) -> bool:
    """Whether a tarball member (``package/...``) is one of the files a deck needs."""
    rel = member.split("/", 1)[1] if "/" in member else ""
    return any(rel == f or rel.startswith(f + "/") for f in package.files)


def _install_package(package: NpmPackage, source: Path, out_dir: Path) -> None:
    dest = out_dir / package.folder
    if dest.exists():
        shutil.rmtree(dest)
    for rel in package.files:
        src = source / rel
        if src.is_dir():
            shutil.copytree(src, dest / rel)
        elif src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
        else:
            raise ValueError(f"{package.name}@{package.version} has no {rel!r} (cache corrupt?)")


# --------------------------------------------------------------------------------------------
# the instructor guide
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanRow:
    """One row of a session plan: the table's cells, the start (``h:mm``) and the minutes."""

    cells: tuple[str, ...]
    start: str
    segment: str
    minutes: int


@dataclass(frozen=True)
class DiscussionPrompt:
    """A ``### Prompt`` of the guide: its title, question, model-answer notes, counter-argument."""

    title: str
    prompt: str
    model_answer: str
    counter_argument: str


@dataclass(frozen=True)
class Guide:
    """A parsed facilitator guide (see the module docstring for the structure)."""

    title: str
    sections: dict[str, str]
    plan: tuple[PlanRow, ...]
    stated_total: int | None
    objectives: tuple[str, ...]
    prompts: tuple[DiscussionPrompt, ...]
    misconceptions: tuple[str, ...]
    max_slides: int | None
    speaker_notes: dict[str, str] = field(default_factory=dict)

    @property
    def plan_minutes(self) -> int:
        """Sum of the plan's segment minutes (the total row excluded)."""
        return sum(row.minutes for row in self.plan)


_MODEL = "**Model-answer notes.**"
_COUNTER = "**Strongest counter-argument.**"


def _split(text: str, level: int) -> tuple[str, dict[str, str]]:
    """Split Markdown at headings of exactly ``level`` hashes (outside code fences)."""
    marker = "#" * level + " "
    head: list[str] = []
    parts: dict[str, list[str]] = {}
    current: list[str] = head
    fenced = False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        if not fenced and line.startswith(marker):
            name = line[len(marker):].strip()
            current = parts.setdefault(name, [])
            continue
        current.append(line)
    return "\n".join(head), {k: "\n".join(v).strip() for k, v in parts.items()}


def _list_items(text: str, numbered: bool) -> list[str]:
    pattern = re.compile(r"^\s*\d+[.)]\s+(.*)$" if numbered else r"^\s*[-*]\s+(.*)$")
    items: list[str] = []
    for line in text.splitlines():
        m = pattern.match(line)
        if m:
            items.append(m.group(1).strip())
        elif items and line.startswith(" ") and line.strip():
            items[-1] += " " + line.strip()
        elif items and not line.strip():
            continue
    return items


def _table_rows(text: str) -> list[list[str]]:
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        if all(re.fullmatch(r":?-{3,}:?", c) for c in cells if c):
            continue
        rows.append(cells)
    return rows


def _int_cell(cell: str, where: str) -> int:
    value = cell.replace("*", "").strip()
    if not value.isdigit():
        raise ValueError(f"guide {where}: minutes must be a whole number, got {cell!r}")
    return int(value)


def parse_guide(source: str | Path) -> Guide:
    """Parse a facilitator guide (Markdown text or a path to an ``.md`` file).

    Recognised sections (``## ...``): ``Session plan`` (a table whose last column is minutes and
    whose first column is the start time ``h:mm``; a row whose segment says **Total** states the
    total), ``Learning objectives`` (numbered list), ``Discussion prompts`` (``### Prompt ...``
    subsections, each with a ``**Model-answer notes.**`` and a ``**Strongest counter-argument.**``
    paragraph), ``Common misconceptions`` (bullet list), ``Slide budget`` (``Maximum slides: N``)
    and ``Speaker notes`` (``### <exact slide heading>`` subsections). Missing sections give
    empty values; tests decide what is required.

    Raises
    ------
    ValueError
        When a plan row's minutes are not a whole number.

    Examples
    --------
    >>> g = parse_guide('''## Discussion prompts
    ... ### Prompt 1: Tiers
    ... Is a partnership enough?
    ...
    ... **Model-answer notes.** It depends on the threat.
    ...
    ... **Strongest counter-argument.** Partners lack guarantees.
    ... ''')
    >>> p = g.prompts[0]
    >>> p.title, p.prompt, p.model_answer, p.counter_argument
    ('Prompt 1: Tiers', 'Is a partnership enough?', 'It depends on the threat.', \
'Partners lack guarantees.')
    """
    if isinstance(source, Path) or (isinstance(source, str) and source.endswith(".md")
                                    and "\n" not in source):
        text = Path(source).read_text(encoding="utf-8")
    else:
        text = str(source)
    head, sections = _split(text, 2)
    title = next((line[2:].strip() for line in head.splitlines() if line.startswith("# ")), "")

    plan: list[PlanRow] = []
    stated_total = None
    rows = _table_rows(sections.get("Session plan", ""))
    for cells in rows[1:]:
        segment = cells[1] if len(cells) > 2 else cells[0]
        if "total" in segment.replace("*", "").strip().lower():
            stated_total = _int_cell(cells[-1], "session plan total")
            continue
        plan.append(PlanRow(tuple(cells), cells[0], segment,
                            _int_cell(cells[-1], f"session plan row {segment!r}")))

    prompts = []
    _, prompt_parts = _split(sections.get("Discussion prompts", ""), 3)
    for name, body in prompt_parts.items():
        before, _, rest = body.partition(_MODEL)
        model, _, counter = rest.partition(_COUNTER)
        prompts.append(DiscussionPrompt(name, before.strip(), model.strip(), counter.strip()))

    budget = re.search(r"Maximum slides:\s*(\d+)", sections.get("Slide budget", ""))
    _, notes = _split(sections.get("Speaker notes", ""), 3)
    return Guide(
        title=title,
        sections=sections,
        plan=tuple(plan),
        stated_total=stated_total,
        objectives=tuple(_list_items(sections.get("Learning objectives", ""), numbered=True)),
        prompts=tuple(prompts),
        misconceptions=tuple(_list_items(sections.get("Common misconceptions", ""),
                                         numbered=False)),
        max_slides=int(budget.group(1)) if budget else None,
        speaker_notes=notes,
    )


def guide_path(lesson: str | Path, guide_dir: str | Path | None = None) -> Path:
    """The guide of a lesson notebook: ``instructor/<lesson stem>.md``.

    Examples
    --------
    >>> guide_path("notebooks/03_measuring_threat.ipynb").name
    '03_measuring_threat.md'
    """
    folder = Path(guide_dir) if guide_dir is not None else _REPO / "instructor"
    return folder / f"{Path(lesson).stem}.md"


# --------------------------------------------------------------------------------------------
# lessons
# --------------------------------------------------------------------------------------------


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
    folder = Path(notebooks_dir) if notebooks_dir is not None else _REPO / "notebooks"
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


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def _slide_type(cell: dict) -> str:
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-") or "-"


def _heading(cell: dict) -> str | None:
    if cell.get("cell_type") != "markdown":
        return None
    for line in _source(cell).splitlines():
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
            if _slide_type(c) in ("slide", "subslide") and (h := _heading(c)) is not None]


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
    shown = [c for c in nb.get("cells", []) if _slide_type(c) not in ("skip", "notes")]
    if not shown:
        return 0
    starts = sum(_slide_type(c) in ("slide", "subslide") for c in shown)
    return starts + (0 if _slide_type(shown[0]) in ("slide", "subslide") else 1)


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
        if _heading(cell) == "Learning objectives":
            return _list_items(_source(cell), numbered=True)
    return []


def _quiz_call(cell: dict) -> ast.Call | None:
    if cell.get("cell_type") != "code":
        return None
    try:
        tree = ast.parse(_source(cell))
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name)
                and getattr(node.func, "attr", getattr(node.func, "id", None)) == "quiz"
                and node.args):
            return node
    return None


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
    found: list[dict] = []
    for cell in nb.get("cells", []):
        call = _quiz_call(cell)
        if call is None:
            continue
        try:
            questions = ast.literal_eval(call.args[0])
        except ValueError:
            continue
        found.extend(q for q in questions if isinstance(q, dict))
    return found


# --------------------------------------------------------------------------------------------
# deck notebook and rendering
# --------------------------------------------------------------------------------------------


def _live_widget_html(lesson_file: str) -> str:
    return (
        '<div class="course-live-widget" role="note"><strong>Live widget.</strong> '
        f"Switch to JupyterLab and run this cell in <code>notebooks/{html.escape(lesson_file)}"
        "</code> to use it with the room.</div>"
    )


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
    source = nbformat.from_dict(copy.deepcopy(dict(nb)))
    source.metadata.pop("widgets", None)
    cells: list = []
    for cell in source.cells:
        kind = _slide_type(cell)
        if kind == "skip":
            questions = quiz_questions({"cells": [cell]})
            if questions and cells:
                # shown on the slide the quiz belongs to (the skip cell is dropped)
                cells.append(nbformat.v4.new_markdown_cell(
                    _quiz_markdown(questions), metadata={"slideshow": {"slide_type": "-"}}))
            continue
        if cell.cell_type == "code":
            for i, out in enumerate(cell.get("outputs", [])):
                if WIDGET_MIME in out.get("data", {}):
                    cell.outputs[i] = nbformat.v4.new_output(
                        "display_data",
                        data={"text/html": _live_widget_html(lesson_file),
                              "text/plain": "Live widget: run this cell in JupyterLab."},
                    )
        cells.append(cell)
        heading = _heading(cell) if kind in ("slide", "subslide") else None
        if heading in notes:
            cells.append(nbformat.v4.new_markdown_cell(
                notes[heading], metadata={"slideshow": {"slide_type": "notes"}}))
    source.cells = cells
    return source


_TEMPLATE_NAME = "course_offline_reveal.html.j2"
_TEMPLATE = r"""{%- extends 'index.html.j2' -%}
{#- Offline variant of nbconvert's reveal template: every script and style sheet is local. -#}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{% block jupyter_widgets %}{% endblock jupyter_widgets %}
{%- block html_head_js_mathjax -%}
<link rel="stylesheet" href="katex/dist/katex.min.css">
<style type="text/css">
.course-live-widget { border: 2px dashed #0072B2; padding: 0.4em 0.8em; font-size: 0.8em; }
.reveal .slides { text-align: left; }
.reveal .slides section { top: 0 !important; }
.reveal table { font-size: 0.75em; }
.reveal .jp-OutputArea-output img { max-height: 560px; }
</style>
{%- endblock html_head_js_mathjax -%}
{% block footer_js %}
<script src="{{ reveal_url_prefix }}/dist/reveal.js"></script>
<script src="{{ reveal_url_prefix }}/plugin/notes/notes.js"></script>
<script src="katex/dist/katex.min.js"></script>
<script src="katex/dist/contrib/auto-render.min.js"></script>
<script>
(function () {
  var showNotes = /[?&]showNotes=true/.test(window.location.search);
  function fitTallSlides() {
    var limit = Reveal.getConfig().height;
    document.querySelectorAll('.reveal .slides section:not(.stack)').forEach(function (s) {
      if (s.scrollHeight > limit) {
        s.style.height = limit + 'px';
        s.style.overflowY = 'auto';
      }
    });
  }
  Reveal.initialize({
    controls: true,
    progress: true,
    hash: true,
    center: false,
    slideNumber: 'c/t',
    transition: "{{ reveal_transition }}",
    width: {{ reveal_width }},
    height: {{ reveal_height }},
    showNotes: showNotes,
    plugins: [RevealNotes]
  }).then(function () {
    renderMathInElement(document.querySelector('.reveal .slides'), {
      delimiters: [
        {left: '$$', right: '$$', display: true},
        {left: '$', right: '$', display: false}
      ],
      ignoredClasses: ['notes'],
      throwOnError: false
    });
    fitTallSlides();
    Reveal.layout();
    document.body.setAttribute('data-course-deck-ready', 'true');
  });
})();
</script>
{% endblock footer_js %}
"""


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
    from jinja2 import DictLoader
    from nbconvert import SlidesExporter

    exporter = SlidesExporter(
        extra_loaders=[DictLoader({_TEMPLATE_NAME: _TEMPLATE})],
        template_file=_TEMPLATE_NAME,
        reveal_url_prefix="reveal.js",
        reveal_theme="white",
        reveal_transition="none",
        reveal_width=str(width),
        reveal_height=str(height),
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    deck = nbformat.from_dict(copy.deepcopy(dict(nb)))
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
        ``katex/`` folders the decks load.
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

    Examples
    --------
    >>> decks = build_decks("00", "/tmp/course-doctest-decks")  # doctest: +SKIP
    >>> [d.name for d in decks]  # doctest: +SKIP
    ['00_start_here.slides.html']
    """
    paths = lesson_paths(lessons, notebooks_dir)
    if not paths:
        raise ValueError(f"lessons must select at least one notebook, got {lessons!r}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for package in PINNED_PACKAGES:
        _install_package(package, fetch_package(package, cache_dir), out)
    written: list[Path] = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
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
        target.write_text(render_deck(deck, title=title), encoding="utf-8")
        written.append(target)
    entries = sorted((p.name, p.stem.removesuffix(".slides"))
                     for p in out.glob("[0-9][0-9]_*.slides.html"))
    (out / "index.html").write_text(_index_html(entries), encoding="utf-8")
    return written
