"""Offline reveal.js decks (classroom.slides, `course slides`): built once per session, checked
as files (no remote resources, no answers, notes from the guide, embedded figures) and in a real
browser (Chromium via Playwright, every non-file request aborted, Reveal's own slide count)."""

from __future__ import annotations

import base64
import hashlib
import html.parser
import json
import os
import re
import stat
import tarfile
import time
from pathlib import Path

import nbformat
import pytest

from classroom.cli import main
from classroom.errors import CourseError
from classroom.notebooks.model import read_notebook
from classroom.notebooks.transform import solution_lines
from classroom.slides import (
    PINNED_PACKAGES,
    SLIDES_MARKER,
    NpmPackage,
    build_decks,
    deck_notebook,
    expected_slide_count,
    fetch_package,
    guide_path,
    lesson_paths,
    parse_guide,
    quiz_questions,
    slide_headings,
)

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
LESSONS = lesson_paths()
IDS = [p.stem for p in LESSONS]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
BUILD_SECONDS: dict[str, float] = {}


def _tokens(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


class _Page(html.parser.HTMLParser):
    """Visible text, notes text, and every URL the page would load."""

    LOADS = {"script": ("src",), "link": ("href",), "img": ("src", "srcset"),
             "iframe": ("src",), "embed": ("src",), "source": ("src", "srcset"),
             "video": ("src", "poster"), "audio": ("src",), "object": ("data",),
             "track": ("src",)}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.notes: list[str] = []
        self.loads: list[tuple[str, str]] = []
        self.styles: list[str] = []
        self.scripts: list[str] = []
        self._stack: list[str] = []
        self._in_notes = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in self.LOADS.get(tag, ()):
            if attrs.get(name):
                self.loads.append((tag, attrs[name]))
        if tag == "aside" and "notes" in (attrs.get("class") or "").split():
            self._in_notes += 1
            self.notes.append("")
        if tag not in ("meta", "link", "img", "br", "hr", "input"):
            self._stack.append(tag)

    def handle_endtag(self, tag):
        if tag == "aside" and self._in_notes:
            self._in_notes -= 1
        while self._stack:
            if self._stack.pop() == tag:
                break

    def handle_data(self, data):
        where = self._stack[-1] if self._stack else ""
        if where == "style":
            self.styles.append(data)
        elif where == "script":
            self.scripts.append(data)
        else:
            self.text.append(data)
            if self._in_notes:
                self.notes[-1] += data


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _remote_css_urls(css: str) -> list[str]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", css)
    urls += re.findall(r"@import\s+['\"]([^'\"]+)", css)
    return [u for u in urls if re.match(r"(?i)(https?:)?//", u.strip())]


@pytest.fixture(scope="session")
def decks(tmp_path_factory) -> dict[str, Path]:
    """Every lesson's deck, built once into a temporary folder."""
    out = tmp_path_factory.mktemp("slides")
    start = time.monotonic()
    written = build_decks(out_dir=out)
    BUILD_SECONDS["all decks"] = time.monotonic() - start
    return {p.name.removesuffix(".slides.html"): p for p in written}


def test_every_lesson_builds_a_deck(decks):
    assert sorted(decks) == IDS
    out = next(iter(decks.values())).parent
    assert (out / "index.html").is_file()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{p.name}"' in index for p in decks.values())
    assert (out / "reveal.js" / "dist" / "reveal.js").is_file()
    assert (out / "reveal.js" / "plugin" / "notes" / "notes.js").is_file()
    assert (out / "katex" / "dist" / "katex.min.js").is_file()
    assert BUILD_SECONDS["all decks"] < 60


@pytest.mark.parametrize("stem", IDS)
def test_deck_loads_only_local_files(decks, stem):
    deck = decks[stem]
    page = _parse(deck)
    assert page.loads, "a deck must load reveal.js"
    remote = [(tag, url) for tag, url in page.loads
              if re.match(r"(?i)\s*(https?:)?//", url)]
    assert not remote, f"{stem}: loads remote URLs {remote}"
    for tag, url in page.loads:
        if url.startswith("data:"):
            continue
        target = (deck.parent / url.split("?")[0].split("#")[0]).resolve()
        assert target.is_file(), f"{stem}: <{tag}> refers to a missing local file {url}"
        if target.suffix == ".css":
            assert not _remote_css_urls(target.read_text(encoding="utf-8")), target
    assert not _remote_css_urls("\n".join(page.styles))
    scripts = "\n".join(page.scripts)
    remote_js = r"""(import\s[^;]*?from\s*|import\(\s*|fetch\(\s*|require\(\s*\[?\s*)["']https?:"""
    assert not re.search(remote_js, scripts)
    raw = deck.read_text(encoding="utf-8")
    assert "widget-state+json" not in raw and "cdn.jsdelivr" not in raw and "unpkg.com" not in raw


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_deck_content_no_answers_but_notes_and_figures(decks, lesson):
    nb = nbformat.read(lesson, as_version=4)
    page = _parse(decks[lesson.stem])
    text = "\n".join(page.text)
    flat = _tokens(text)
    # the lesson is there: every slide heading
    missing = [h for h in slide_headings(nb) if _tokens(h) not in flat]
    assert not missing, f"{lesson.stem}: headings missing from the deck: {missing}"
    # quiz: prompts shown, answers' explanations never
    questions = quiz_questions(nb)
    assert questions, f"{lesson.stem}: no quiz found in the lesson"
    for q in questions:
        assert _tokens(q["prompt"]) in flat, f"quiz prompt not shown: {q['prompt'][:60]}"
        assert _tokens(q["explanation"]) not in flat, f"quiz explanation leaked: {q['explanation']}"
    # nothing from solutions/ (solution and hidden-test lines, markers)
    lines = {line.strip() for line in text.splitlines()}
    joined = "\n".join(lines)
    for source in sorted((ROOT / "solutions").glob("*.ipynb")):
        leaked = sorted(s for s in solution_lines(read_notebook(source)) if s in joined)
        assert not leaked, f"{lesson.stem}: lines from {source.name} in the deck: {leaked}"
    assert "### BEGIN SOLUTION" not in joined and "### BEGIN HIDDEN TESTS" not in joined
    # no facilitator model answers or counter-arguments (those stay in the guide)
    guide = parse_guide(guide_path(lesson))
    for prompt in guide.prompts:
        for chunk in (prompt.model_answer, prompt.counter_argument):
            for sentence in re.split(r"(?<=[.!?])\s+", " ".join(chunk.split())):
                if len(sentence.split()) >= 8:
                    assert _tokens(sentence) not in flat, f"model answer in deck: {sentence}"
    # speaker notes: one aside per annotated slide, holding the guide's text
    assert len(page.notes) == len(guide.speaker_notes) == len(slide_headings(nb))
    notes = _tokens("\n".join(page.notes))
    for heading, body in guide.speaker_notes.items():
        assert _tokens(body) in notes, f"{lesson.stem}: notes for {heading!r} missing"
    # figures: every lesson figure is embedded as a data: image
    figures = sum('<img src="data:image/png;base64,' in "".join(out.get("data", {}).get(
        "text/html", "")) for cell in nb.cells if cell.cell_type == "code"
        and cell.metadata.get("slideshow", {}).get("slide_type") != "skip"
        for out in cell.get("outputs", []))
    images = [url for tag, url in page.loads if tag == "img" and url.startswith("data:image/")]
    assert figures >= 1 and len(images) >= figures


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_slide_count_within_the_guide_budget(lesson):
    nb = nbformat.read(lesson, as_version=4)
    budget = parse_guide(guide_path(lesson)).max_slides
    assert budget is not None
    assert 0 < expected_slide_count(nb) <= budget, (
        f"{lesson.stem}: {expected_slide_count(nb)} slides, budget {budget}")


def test_deck_notebook_drops_skip_cells_widgets_and_rejects_stale_notes():
    show = {"slideshow": {"slide_type": "slide"}}
    skip = {"slideshow": {"slide_type": "skip"}}
    widget = nbformat.v4.new_code_cell("widgets.thing()", metadata={"slideshow": {
        "slide_type": "-"}})
    widget.outputs = [nbformat.v4.new_output("display_data", data={
        "application/vnd.jupyter.widget-view+json": {"model_id": "abc"}, "text/plain": "VBox()"})]
    quiz = nbformat.v4.new_code_cell(
        'widgets.quiz([{"prompt": "Which?", "options": ["x", "y"], "answer": 1, '
        '"explanation": "Secret reason."}])', metadata=skip)
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Title", metadata=show), widget,
        nbformat.v4.new_markdown_cell("## Quiz", metadata=show), quiz,
        nbformat.v4.new_code_cell("answer = 42", metadata=skip),
    ], metadata={"widgets": {"state": {}}})
    deck = deck_notebook(nb, {"Quiz": "Count hands."}, lesson_file="07_demo.ipynb")
    sources = "\n".join(c.source for c in deck.cells)
    assert "answer = 42" not in sources and "Secret reason" not in sources
    assert "Which?" in sources and "   - (b) y" in sources
    assert "widgets" not in deck.metadata
    assert "07_demo.ipynb" in deck.cells[1].outputs[0]["data"]["text/html"]
    assert [c.metadata.slideshow.slide_type for c in deck.cells] == [
        "slide", "-", "slide", "notes", "-"]
    assert "widgets" in nb.metadata and len(nb.cells) == 5  # the input is untouched
    with pytest.raises(ValueError, match="'Gone'"):
        deck_notebook(nb, {"Gone": "stale"})


def test_deck_reads_cells_through_the_notebook_model():
    """A raw dict from disk (sources as lists of lines) gives the same deck as a NotebookNode."""
    show = {"slideshow": {"slide_type": "slide"}}
    node = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Opening\nWelcome.", metadata=show),
        nbformat.v4.new_markdown_cell("## Next\nMore.", metadata=show)])
    raw = nbformat.from_dict(node)
    as_dict = {**dict(raw), "cells": [{**dict(c), "source": c.source.splitlines(True)}
                                      for c in raw.cells]}
    assert slide_headings(as_dict) == ["Opening", "Next"]
    deck = deck_notebook(as_dict, {"Next": "Ask."})
    assert [(c.cell_type, c.metadata.slideshow.slide_type) for c in deck.cells] == [
        ("markdown", "slide"), ("markdown", "slide"), ("markdown", "notes")]
    same = deck_notebook(node, {"Next": "Ask."})
    assert [c.source for c in same.cells] == [c.source for c in deck.cells] == [
        "# Opening\nWelcome.", "## Next\nMore.", "Ask."]


def test_offline_template_is_a_package_file():
    package = ROOT / "teaching-platform" / "classroom"
    template = package / "templates" / "course_offline_reveal.html.j2"
    text = template.read_text(encoding="utf-8")
    assert text.startswith("{%- extends 'index.html.j2' -%}")
    assert "data-course-deck-ready" in text
    assert not re.search(r"https?://", text), "the offline template must load no URL"
    assert "_TEMPLATE = r" not in (package / "slides" / "deck.py").read_text()


def test_fetch_package_verifies_the_pinned_integrity(tmp_path):
    payload = tmp_path / "src" / "package"
    payload.mkdir(parents=True)
    (payload / "a.txt").write_text("hello", encoding="utf-8")
    tgz = tmp_path / "demo-1.0.0.tgz"
    with tarfile.open(tgz, "w:gz") as archive:
        archive.add(payload, arcname="package")
    data = tgz.read_bytes()
    good = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "demo-1.0.0.tgz").write_bytes(data)
    bad = NpmPackage("demo", "1.0.0", "sha512-" + base64.b64encode(b"x" * 64).decode(),
                     ("a.txt",), "demo")
    with pytest.raises(ValueError, match="does not match"):
        fetch_package(bad, cache)
    assert not (cache / "demo-1.0.0").exists()
    ok = NpmPackage("demo", "1.0.0", good, ("a.txt",), "demo")
    folder = fetch_package(ok, cache)
    assert (folder / "a.txt").read_text(encoding="utf-8") == "hello"
    (cache / "demo-1.0.0.tgz").unlink()
    assert fetch_package(ok, cache) == folder  # cached: no download attempted
    assert [p.version for p in PINNED_PACKAGES] == ["5.2.1", "0.16.22"]


def test_cli_builds_one_lesson_and_rejects_unknown(tmp_path, capsys):
    assert main(["slides", "06", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "06_blueprint.slides.html" in out and "1 deck(s)" in out
    assert sorted(p.name for p in tmp_path.glob("*.slides.html")) == ["06_blueprint.slides.html"]
    assert main(["slides", "99", "--out", str(tmp_path)]) == 2
    assert "lessons must name lessons" in capsys.readouterr().err


def test_slides_out_never_replaces_what_it_did_not_write(tmp_path, capsys):
    """`course slides --out DIR` replaces only entries listed in its marker (issue 8, item 4)."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("my homepage\n", encoding="utf-8")
    (site / "reveal.js").mkdir()
    (site / "reveal.js" / "my-plugin.js").write_text("keep\n", encoding="utf-8")
    assert main(["slides", "06", "--no-notes", "--out", str(site)]) == 2
    err = capsys.readouterr().err.strip()
    assert "did not write" in err and "index.html" in err and len(err.splitlines()) == 1
    with pytest.raises(CourseError, match="reveal.js"):
        build_decks("06", site, notes=False)
    assert (site / "index.html").read_text(encoding="utf-8") == "my homepage\n"
    assert (site / "reveal.js" / "my-plugin.js").read_text(encoding="utf-8") == "keep\n"
    assert not (site / SLIDES_MARKER).exists()
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(CourseError, match="is a file"):
        build_decks("06", tmp_path / "file", notes=False)


def test_slides_out_replaces_its_own_build_and_leaves_the_rest(tmp_path):
    out = tmp_path / "decks"
    out.mkdir()
    (out / "my_notes.txt").write_text("mine\n", encoding="utf-8")
    old = os.umask(0o022)
    try:
        [deck] = build_decks("06", out, notes=False)
        listed = set(json.loads((out / SLIDES_MARKER).read_text(encoding="utf-8"))["files"])
        assert listed == {"06_blueprint.slides.html", "index.html", "reveal.js", "katex"}
        deck.write_text("stale", encoding="utf-8")
        [again] = build_decks("06", out, notes=False)  # its own files: replaced
    finally:
        os.umask(old)
    assert again == deck and again.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (out / "my_notes.txt").read_text(encoding="utf-8") == "mine\n"
    assert {stat.S_IMODE(p.stat().st_mode) for p in (deck, out / "index.html")} == {0o644}


# ---------------------------------------------------------------------------------------------
# real browser: Chromium from disk, with the network cut off
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium(require_or_skip) -> Path:
    """Debian's /usr/bin/chromium; skip when it is missing, or fail under CI=true."""
    require_or_skip(CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK),
                    f"{CHROMIUM} not found: the deck browser test needs the Debian package "
                    "'chromium' (run `bash tools/ensure_chromium.sh` as root)")
    return CHROMIUM


_STATE_JS = """() => ({
    total: Reveal.getTotalSlides(),
    firstNotes: (() => {
        const box = document.createElement('div');
        box.innerHTML = Reveal.getSlideNotes(Reveal.getSlides()[0]) || '';
        return box.textContent;
    })(),
    notes: document.querySelectorAll('aside.notes').length,
    images: [...document.images].map(i => i.complete && i.naturalWidth > 0),
    katex: document.querySelectorAll('.katex').length,
    katexErrors: document.querySelectorAll('.katex-error').length,
    font: getComputedStyle(document.querySelector('.reveal')).fontFamily,
})"""


def _open_decks(executable: Path, pages: dict[str, Path]) -> tuple[dict, list[str], list[str]]:
    """Open each deck from disk in Chromium with every non-file request aborted.

    Runs Playwright's sync API; the caller runs it in a worker thread so that it never meets
    another Playwright instance (the JupyterLab browser tests keep one open for the session).
    """
    from playwright.sync_api import sync_playwright

    states: dict[str, dict] = {}
    blocked: list[str] = []
    requested: list[str] = []

    def route(request_route):
        url = request_route.request.url
        requested.append(url)
        if url.startswith("file://"):
            request_route.continue_()
        else:
            blocked.append(url)
            request_route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(executable),
                                             args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            context.route("**/*", route)
            for stem, deck in pages.items():
                page = context.new_page()
                errors: list[str] = []
                page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
                page.goto(deck.as_uri())
                page.wait_for_function(
                    "() => window.Reveal && Reveal.isReady() && "
                    "document.body.dataset.courseDeckReady === 'true'", timeout=20_000)
                states[stem] = dict(page.evaluate(_STATE_JS), errors=errors)
                page.close()
            context.close()
        finally:
            browser.close()
    return states, blocked, requested


@pytest.mark.browser
@pytest.mark.browser
def test_decks_open_offline_in_chromium(chromium, decks):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        states, blocked, requested = pool.submit(_open_decks, chromium, decks).result(
            timeout=120)
    assert not blocked, f"decks tried to reach the network: {sorted(set(blocked))}"
    assert any(u.endswith("reveal.js/dist/reveal.js") for u in requested)
    problems: list[str] = []
    for lesson in LESSONS:
        nb = nbformat.read(lesson, as_version=4)
        state = states[lesson.stem]
        notes = parse_guide(guide_path(lesson)).speaker_notes
        title = slide_headings(nb)[0]
        has_math = any(cell.cell_type == "markdown" and re.search(r"\$[^$\n]+\$", cell.source)
                       for cell in nb.cells)
        if state["total"] != expected_slide_count(nb):
            problems.append(f"{lesson.stem}: Reveal counts {state['total']} slides, "
                            f"expected {expected_slide_count(nb)}")
        if _tokens(state["firstNotes"]) != _tokens(notes[title]):
            problems.append(f"{lesson.stem}: first slide notes {state['firstNotes']!r}")
        if state["notes"] != len(notes):
            problems.append(f"{lesson.stem}: {state['notes']} note asides, {len(notes)} notes")
        if not state["images"] or not all(state["images"]):
            problems.append(f"{lesson.stem}: images not rendered {state['images']}")
        if has_math and (state["katex"] == 0 or state["katexErrors"]):
            problems.append(f"{lesson.stem}: math not typeset ({state})")
        if "Source Sans Pro" not in state["font"]:
            problems.append(f"{lesson.stem}: theme not applied ({state['font']})")
        if state["errors"]:
            problems.append(f"{lesson.stem}: page errors {state['errors']}")
    assert not problems, "\n".join(problems)
