"""The facilitator guide (instructor/): one guide per lesson, timings that add up, prompts with
model answers and counter-arguments, speaker notes for every slide, and no facilitator answer
text in anything a learner receives (lessons, exercises, the release bundle)."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import nbformat
import pytest

from classroom.cli import build_parser
from classroom.notebooks.release import build_release
from classroom.slides import (
    expected_slide_count,
    guide_path,
    lesson_objectives,
    lesson_paths,
    parse_guide,
    slide_headings,
)

ROOT = Path(__file__).resolve().parents[1]
GUIDES = ROOT / "instructor"
LESSONS = lesson_paths()
IDS = [p.stem for p in LESSONS]
#: Lessons whose minutes the issue fixes (metadata.course.minutes).
STATED_MINUTES = {"00": 20, "01": 45, "02": 50, "03": 60, "04": 50, "05": 50, "06": 70, "07": 90}
MIN_SENTENCE_WORDS = 8


def _guide(lesson: Path):
    return parse_guide(guide_path(lesson, GUIDES))


def _tokens(text: str) -> str:
    """Lower-case words and numbers joined by single spaces (markup and punctuation dropped)."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z(\"'*])", " ".join(text.split()))
    return [p for p in parts if len(_tokens(p).split()) >= MIN_SENTENCE_WORDS]


def facilitator_sentences() -> dict[str, list[str]]:
    """Distinctive sentences of every model-answer note and counter-argument, per guide."""
    found: dict[str, list[str]] = {}
    for lesson in LESSONS:
        for prompt in _guide(lesson).prompts:
            for text in (prompt.model_answer, prompt.counter_argument):
                found.setdefault(lesson.stem, []).extend(_sentences(text))
    return found


def _notebook_text(path: Path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    chunks: list[str] = []
    for cell in nb.get("cells", []):
        src = cell.get("source", "")
        chunks.append("".join(src) if isinstance(src, list) else src)
        for out in cell.get("outputs", []) or []:
            text = out.get("text", "")
            chunks.append("".join(text) if isinstance(text, list) else text)
            for value in (out.get("data") or {}).values():
                if isinstance(value, list | str):
                    chunks.append("".join(value) if isinstance(value, list) else value)
    chunks.append(json.dumps(nb.get("metadata", {})))
    return "\n".join(chunks)


def _leaks(corpus: str, sentences: dict[str, list[str]]) -> list[str]:
    haystack = _tokens(corpus)
    return [f"{guide}: {s[:80]}" for guide, items in sentences.items() for s in items
            if _tokens(s) in haystack]


# ---------------------------------------------------------------------------------------------
# structure of each guide
# ---------------------------------------------------------------------------------------------


def test_every_lesson_has_a_guide_and_every_guide_a_lesson():
    assert [p.stem[:2] for p in LESSONS] == sorted(STATED_MINUTES), "lessons 00..07 expected"
    missing = [p.stem for p in LESSONS if not guide_path(p, GUIDES).is_file()]
    assert not missing, f"lessons without instructor/<lesson>.md: {missing}"
    orphans = sorted(g.name for g in GUIDES.glob("[0-9][0-9]_*.md")
                     if g.stem not in {p.stem for p in LESSONS})
    assert not orphans, f"guides without a lesson: {orphans}"


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_session_plan_adds_up_to_the_lesson_minutes(lesson):
    nb = nbformat.read(lesson, as_version=4)
    minutes = nb.metadata["course"]["minutes"]
    assert minutes == STATED_MINUTES[lesson.stem[:2]]
    guide = _guide(lesson)
    assert len(guide.plan) >= 4, "a session plan needs at least four segments"
    assert all(row.minutes > 0 for row in guide.plan)
    assert guide.plan_minutes == minutes, (
        f"{lesson.stem}: segments add up to {guide.plan_minutes} min, lesson says {minutes}")
    assert guide.stated_total == minutes, "the **Total** row must state the lesson's minutes"
    elapsed = 0
    for row in guide.plan:
        hours, mins = row.start.split(":")
        assert int(hours) * 60 + int(mins) == elapsed, (
            f"{lesson.stem}: segment {row.segment!r} starts at {row.start}, expected {elapsed} min")
        elapsed += row.minutes


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_objectives_match_the_lesson(lesson):
    nb = nbformat.read(lesson, as_version=4)
    expected = [" ".join(o.split()) for o in lesson_objectives(nb)]
    assert len(expected) >= 4, f"{lesson.stem}: could not read the lesson's objectives"
    got = [" ".join(o.split()) for o in _guide(lesson).objectives]
    assert got == expected, f"{lesson.stem}: guide objectives differ from the lesson's"


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_prompts_have_model_answers_and_counter_arguments(lesson):
    prompts = _guide(lesson).prompts
    assert len(prompts) >= (2 if lesson.stem.startswith("00") else 3)
    for p in prompts:
        assert p.title.startswith("Prompt")
        assert len(p.model_answer.split()) >= 40, f"{p.title}: model-answer notes too thin"
        assert len(p.counter_argument.split()) >= 25, f"{p.title}: counter-argument too thin"
        assert "**" not in p.model_answer and "**" not in p.counter_argument, (
            f"{p.title}: model answer and counter-argument must be separate paragraphs")


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_misconceptions_and_live_widget_instructions(lesson):
    guide = _guide(lesson)
    assert len(guide.misconceptions) >= 4
    live = guide.sections.get("Running the widgets live", "")
    assert "Ask the room" in live and re.search(r"drives?\b", live)
    nb = nbformat.read(lesson, as_version=4)
    used = {name for cell in nb.cells if cell.cell_type == "code"
            for name in re.findall(r"widgets\.(\w+)\(", cell.source) if name != "quiz"}
    assert used, f"{lesson.stem}: lesson has no live widget?"
    missing = sorted(n for n in used if f"widgets.{n}(" not in live)
    assert not missing, f"{lesson.stem}: widgets not covered in the guide: {missing}"


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_speaker_notes_cover_every_slide_and_budget_fits(lesson):
    nb = nbformat.read(lesson, as_version=4)
    guide = _guide(lesson)
    headings = slide_headings(nb)
    notes = guide.speaker_notes
    missing = [h for h in headings if h not in notes]
    stale = [h for h in notes if h not in headings]
    assert not missing, f"{lesson.stem}: slides without speaker notes: {missing}"
    assert not stale, f"{lesson.stem}: notes for headings the lesson does not have: {stale}"
    assert all(len(text.split()) >= 6 for text in notes.values())
    assert guide.max_slides is not None, "## Slide budget needs 'Maximum slides: N'"
    assert expected_slide_count(nb) <= guide.max_slides


def test_facilitator_sentences_are_found_when_planted(tmp_path):
    """The leak check itself can fail: a sentence copied into a notebook is detected."""
    sentences = facilitator_sentences()
    assert all(len(items) >= 5 for items in sentences.values()), sentences.keys()
    guide, items = next(iter(sentences.items()))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "Some text. " + items[0].upper().replace(" ", "  ") + " More text.")])
    path = tmp_path / "planted.ipynb"
    nbformat.write(nb, path)
    assert _leaks(_notebook_text(path), {guide: items[:1]})


# ---------------------------------------------------------------------------------------------
# one source: nothing a learner receives holds facilitator answers
# ---------------------------------------------------------------------------------------------


def test_no_model_answer_text_in_lessons_or_exercises():
    sentences = facilitator_sentences()
    files = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted(
        (ROOT / "exercises").glob("*.ipynb"))
    assert len(files) >= len(LESSONS) + 1
    leaks = [f"{f.name} <- {leak}" for f in files
             for leak in _leaks(_notebook_text(f), sentences)]
    assert not leaks, "facilitator notes found in learner material:\n" + "\n".join(leaks)


@pytest.fixture(scope="module")
def release_bundle(tmp_path_factory):
    dest = tmp_path_factory.mktemp("release") / "bundle"
    build_release(ROOT, dest)
    return dest


@pytest.mark.slow
def test_release_bundle_has_no_instructor_folder_or_answers(release_bundle):
    files = [p for p in release_bundle.rglob("*") if p.is_file()]
    rel = [p.relative_to(release_bundle).as_posix() for p in files]
    assert any(r.startswith("notebooks/") for r in rel)
    assert any(r.startswith("exercises/") for r in rel)
    assert not [r for r in rel if r.split("/")[0] == "instructor"]
    assert not [r for r in rel if r.endswith(".md") and Path(r).stem in
                {g.stem for g in GUIDES.glob("*.md")} and Path(r).name != "README.md"]
    sentences = facilitator_sentences()
    leaks = []
    for path, name in zip(files, rel, strict=True):
        try:
            text = (_notebook_text(path) if path.suffix == ".ipynb"
                    else path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, ValueError):
            continue
        leaks += [f"{name} <- {leak}" for leak in _leaks(text, sentences)]
    assert not leaks, "facilitator notes found in the release bundle:\n" + "\n".join(leaks)


# ---------------------------------------------------------------------------------------------
# README and game: real commands, runnable examples, a timed plan
# ---------------------------------------------------------------------------------------------


def _code_blocks(path: Path, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", path.read_text(encoding="utf-8"), re.S)


def test_readme_course_commands_are_real():
    lines = [line.split("#")[0].strip() for block in _code_blocks(GUIDES / "README.md", "bash")
             for line in block.splitlines()]
    commands = [line for line in lines if line.startswith("course ")]
    assert {c.split()[1] for c in commands} >= {"release", "grade", "slides"}
    parser = build_parser()
    for command in commands:
        parser.parse_args(shlex.split(command)[1:])  # SystemExit on unknown options
    text = (GUIDES / "README.md").read_text(encoding="utf-8")
    for needed in ("<student>/<exercise>.ipynb", ".feedback.md", "gradebook.csv",
                   "jupyterlab-rise"):
        assert needed in text


@pytest.mark.parametrize("name", ["README.md", "power_politics_game.md"])
def test_python_examples_run(name, capsys):
    blocks = _code_blocks(GUIDES / name, "python")
    assert len(blocks) >= 2
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, f"instructor/{name}", "exec"), namespace)
    printed = capsys.readouterr().out
    if name == "README.md":
        assert "IRN" in printed and "partnership" in printed
    else:
        assert "EST fears AQU 0.808" in printed
        assert "EST -> bandwagon" in printed


def test_power_politics_game_plan_and_debrief():
    game = parse_guide(GUIDES / "power_politics_game.md")
    assert game.plan_minutes == game.stated_total == 45
    assert "Reilly (2003)" in (GUIDES / "power_politics_game.md").read_text(encoding="utf-8")
    debrief = game.sections["Debrief plan"]
    for needed in ("threat.threat_to", "tiers.choose_strategy", "tiers.choose_tier",
                   "balancing", "bandwagoning", "buck-passing"):
        assert needed in debrief
    two = (GUIDES / "02_alliance_theory.md").read_text(encoding="utf-8")
    assert "power_politics_game.md" in two


def test_guide_07_milestone_counts_are_the_timeline_s() -> None:
    """Issue 21, slip 12: the counts guide 07 quotes are recomputed from the packaged timeline."""
    from course_lib.datasets import content_date, load_timeline

    text = (GUIDES / "07_after_the_paper.md").read_text(encoding="utf-8")
    last = content_date().year
    row = re.search(rf"\| Milestones 2023-{last} in the packaged timeline \| (\d+) \(([^)]*)\)",
                    text)
    assert row, f"guide 07 must state the milestones 2023-{last} with counts per category"
    timeline = load_timeline()
    recent = timeline[timeline["year"].between(2023, last)]
    stated = {cat.strip(): int(n) for n, cat in re.findall(r"(\d+) ([^,]+)", row.group(2))}
    assert int(row.group(1)) == len(recent) == sum(stated.values())
    assert stated == recent["category"].value_counts().to_dict()
