"""Assessment on understanding: objective maps, item kinds, new cases, rubrics, no revealed answers.

Each exercise source in ``solutions/`` records, in ``metadata.course.objectives``, which items
assess each learning objective of its lesson (read from the lesson's objectives cell); each test
cell records in ``metadata.course.kinds`` whether each graded check tests the paper's argument,
alliance theory, the course's models or operating the software (``skill``, at most 20 % of the
points); at least one test cell per exercise applies the argument to a case the lessons did not
work through (``metadata.course.case``); each reflection carries a rubric whose lines say what
earns full, partial and no marks, and a word range per level of study.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from classroom.notebooks.model import (
    CellRole,
    cell_role,
    cell_source,
    grade_id,
    parse_check_calls,
    points,
    read_notebook,
)
from course_lib.quizzes.giveaways import (
    ChoiceItem,
    giveaway_report,
    option_problems,
    prompt_options,
)

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "solutions").glob("0[1-9]_*_exercises.ipynb"))
KINDS = {"argument", "theory", "model", "skill"}
UNDERSTANDING = {"argument", "theory", "model"}
#: At most this share of an exercise's autograded points may reward operating the software.
MAX_SKILL_SHARE = 0.20
LEVELS = ("undergraduate", "master's")
EXACT = ("equals", "sequence", "items", "one_of", "close_to")


def lesson_objectives(lesson: str) -> set[str]:
    """The numbers of the learning objectives in the lesson's objectives cell."""
    (path,) = sorted((ROOT / "notebooks").glob(f"{lesson}_*.ipynb"))
    for cell in read_notebook(path).cells:
        text = cell_source(cell)
        if cell.cell_type == "markdown" and "learning objectives" in text.lower():
            return set(re.findall(r"^\s*(\d+)\.\s", text, flags=re.M))
    raise AssertionError(f"{path.name} has no learning-objectives cell")


def graded_points(nb) -> list[tuple[str, str, float]]:
    """(grade_id, variable, points) for every graded check, points split by weight."""
    rows = []
    for cell in nb.cells:
        if cell_role(cell) is not CellRole.TEST:
            continue
        checks = [c for c in parse_check_calls(cell_source(cell)) if c.graded]
        total = sum(c.weight for c in checks)
        rows += [(grade_id(cell), c.name, points(cell) * c.weight / total) for c in checks]
    return rows


def test_there_are_seven_exercise_sources():
    assert len(SOURCES) >= 7


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_every_objective_is_assessed_by_existing_items(path):
    nb = read_notebook(path)
    course = nb.metadata["course"]
    mapping = course.get("objectives")
    assert mapping, f"{path.name}: metadata.course.objectives is missing"
    assert set(mapping) == lesson_objectives(course["lesson"])
    ids = {grade_id(c) for c in nb.cells}
    for objective, items in mapping.items():
        assert items, f"{path.name}: objective {objective} has no item"
        missing = [i for i in items if i not in ids]
        assert not missing, f"{path.name}: objective {objective} names unknown items {missing}"


def item_kinds(nb) -> dict[str, dict]:
    """``{test cell grade_id: metadata.course}`` of every test cell."""
    return {grade_id(c): c.metadata.get("course", {}) for c in nb.cells
            if cell_role(c) is CellRole.TEST}


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_at_most_a_fifth_of_the_points_reward_operating_the_software(path):
    nb = read_notebook(path)
    kinds = {g: meta.get("kinds", {}) for g, meta in item_kinds(nb).items()}
    rows = graded_points(nb)
    unknown = [(g, v) for g, v, _ in rows if kinds[g].get(v) not in KINDS]
    assert not unknown, f"{path.name}: checks without a kind in {sorted(KINDS)}: {unknown}"
    total = sum(p for _, _, p in rows)
    skill = sum(p for g, v, p in rows if kinds[g][v] == "skill")
    assert total >= 20 - 1e-9
    assert skill <= MAX_SKILL_SHARE * total + 1e-9, f"{path.name}: {skill}/{total} for skills"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_every_exercise_applies_the_argument_to_a_new_case(path):
    nb = read_notebook(path)
    cases = [(g, meta) for g, meta in item_kinds(nb).items() if meta.get("case")]
    assert cases, f"{path.name}: no test cell names a new case (metadata.course.case)"
    for g, meta in cases:
        assert set(meta["kinds"].values()) <= UNDERSTANDING, f"{path.name}: {g} is a skill"
        assert len(meta["case"]) >= 20, f"{path.name}: {g}: name the case and its date"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_every_reflection_has_a_rubric_with_levels_shown_to_students(path):
    nb = read_notebook(path)
    student = read_notebook(ROOT / "exercises" / path.name)
    visible = "\n".join(cell_source(c) for c in student.cells)
    manual = [c for c in nb.cells if cell_role(c) is CellRole.MANUAL]
    assert manual
    for cell in manual:
        meta = cell.metadata.get("course", {})
        rubric, words = meta.get("rubric"), meta.get("words")
        assert rubric and sum(r["points"] for r in rubric) == points(cell)
        assert all(r["criterion"].strip() and r["points"] > 0 for r in rubric)
        for r in rubric:
            assert r["criterion"] in visible, f"{path.name}: rubric line not shown to students"
            levels = r.get("levels", {})
            assert set(levels) == {"full", "partial", "none"}, f"{path.name}: {r['criterion']}"
            for level, text in levels.items():
                shortest = 8 if level == "none" else 30
                assert len(text) >= shortest and text in visible, f"{path.name}: {text!r}"
        assert set(words) == set(LEVELS), f"{path.name}: word ranges for {LEVELS}"
        ranges = [words[level] for level in LEVELS]
        assert all(len(r) == 2 and 0 < r[0] < r[1] for r in ranges)
        assert ranges[0][0] < ranges[1][0] and ranges[0][1] < ranges[1][1]
        for lo, hi in ranges:
            assert f"{lo}-{hi} words" in visible, f"{path.name}: word range not shown"
        criteria = " ".join(r["criterion"].lower() for r in rubric)
        assert "computed" not in criteria and "course_lib" not in criteria, (
            f"{path.name}: a rubric line rewards using the software")
        (kept,) = [c for c in student.cells if grade_id(c) == grade_id(cell)]
        assert kept.metadata["course"]["rubric"] == rubric
        assert "BEGIN SOLUTION" not in cell_source(kept)


def choice_items(nb) -> list[ChoiceItem]:
    """Every graded ``check_choice`` with its options as the prompt shows them."""
    prompts = "\n".join(cell_source(c) for c in nb.cells if cell_role(c) is CellRole.PROMPT)
    items = []
    for cell in nb.cells:
        if cell_role(cell) is not CellRole.TEST:
            continue
        for call in parse_check_calls(cell_source(cell)):
            if call.function != "check_choice":
                continue
            shown = prompt_options(prompts, call.name)
            assert shown, f"{grade_id(cell)}: no '- **a** ...' options after `{call.name}`"
            assert list(shown) == list(call.args["options"]), f"{call.name}: letters differ"
            letters = list(shown)
            items.append(ChoiceItem(call.name, tuple(shown.values()),
                                    letters.index(call.args["answer"]), points(cell)))
    return items


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_choice_questions_do_not_give_their_key_away(path):
    items = choice_items(read_notebook(path))
    assert len(items) >= 3
    problems = {i.name: option_problems(i.options, i.key) for i in items}
    assert not {k: v for k, v in problems.items() if v}, f"{path.name}: {problems}"
    report = giveaway_report(items)
    assert report.key_longest <= 0.5 * report.questions, report.line(path.stem)
    assert report.longest_score <= 0.5 * report.points, report.line(path.stem)
    assert len({i.key for i in items}) >= 3, f"{path.name}: keys sit in too few positions"


def test_keys_are_spread_over_the_positions():
    keys = [i.key for path in SOURCES for i in choice_items(read_notebook(path))]
    shares = [keys.count(k) / len(keys) for k in range(4)]
    assert min(shares) >= 0.15 and max(shares) <= 0.4, shares


def _number_forms(value: float) -> list[str]:
    """Forms of a number worth scanning for: integers >= 10 outside 1900-2100, decimals with two
    or more decimal places (single-decimal values and years recur in prompts by coincidence)."""
    if isinstance(value, bool):
        return []
    if float(value).is_integer():
        return [str(int(value))] if abs(value) >= 10 and not 1900 <= value <= 2100 else []
    text = f"{value:.3f}".rstrip("0")
    return [text] if len(text.split(".")[1]) >= 2 else []


def _position(text: str, token: str) -> int:
    """Where ``token`` first occurs as a whole word (case-sensitive), or -1."""
    match = re.search(r"(?<![\w.\-])" + re.escape(token) + r"(?![\w\-]|\.\d)", text)
    return match.start() if match else -1


def _emphasised(text: str, token: str) -> bool:
    """Whether ``token`` is shown as a value: quoted, in backticks or in bold."""
    return re.search(r"([\"'`]|\*\*)" + re.escape(token) + r"([\"'`]|\*\*)", text) is not None


def _enumerated(text: str, item: str, choices: list) -> bool:
    """Whether ``item`` appears only in a list of alternatives (all choices, or >= 3 codes)."""
    others = [o for o in choices if o != item and len(o) > 1]
    if others and all(_position(text, o) >= 0 for o in others):
        return True
    codes = set(re.findall(r"`([A-Z]{3})`", text))
    return bool(re.fullmatch(r"[A-Z]{3}", item)) and len(codes) >= 3


def exact_answers(nb) -> list[tuple[str, object, list]]:
    """(variable, expected value, the self-check's choices) of every exact-answer check."""
    out = []
    for cell in nb.cells:
        if cell_role(cell) is not CellRole.TEST:
            continue
        calls = parse_check_calls(cell_source(cell))
        choices = {c.name: list(c.args.get("choices", [])) for c in calls if not c.graded}
        for c in calls:
            for key in EXACT:
                if c.graded and key in c.args:
                    out.append((c.name, c.args[key], choices.get(c.name, [])))
    return out


def leaks(text: str, value: object, choices: list) -> list[str]:
    """Forms of ``value`` that ``text`` gives away.

    A text or number is given away when it is shown as a value (strings: quoted, in backticks or
    bold, and not one of an enumeration of alternatives); a list when all of its items appear (in
    order, for a sequence of two or more).
    """
    if isinstance(value, list | tuple):
        if len(value) < 2:
            return leaks(text, value[0], choices) if value else []
        positions = [_position(text, str(v)) for v in value]
        if min(positions) >= 0 and positions == sorted(positions):
            return [str(v) for v in value]
        return []
    if isinstance(value, str):
        if len(value) >= 3 and _emphasised(text, value) and not _enumerated(text, value, choices):
            return [value]
        return []
    if isinstance(value, int | float):
        return [f for f in _number_forms(value) if _position(text, f) >= 0]
    return []


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_no_prompt_or_given_code_reveals_an_exact_answer(path):
    nb = read_notebook(path)
    student = read_notebook(ROOT / "exercises" / path.name)
    shown = [c for c in student.cells
             if cell_role(c) in (CellRole.PROMPT, CellRole.SETUP, CellRole.TEST, CellRole.FREE)]
    problems = []
    for name, value, choices in exact_answers(nb):
        for cell in shown:
            found = leaks(cell_source(cell), value, choices)
            if found:
                problems.append(f"{grade_id(cell)} shows {found} (expected for {name})")
    assert not problems, f"{path.name}: " + "; ".join(problems)


def test_leak_scan_can_fail():
    assert leaks("the model puts Jordan in an **alliance**", "alliance",
                 ["none", "ad_hoc", "partnership", "alliance"]) == ["alliance"]
    assert leaks("keys: none, ad_hoc, partnership, alliance", "alliance",
                 ["none", "ad_hoc", "partnership", "alliance"]) == []
    assert leaks("a share of 0.375 here", 0.375, []) == ["0.375"]
    assert leaks("ratios between 1.0 and 1.2", 1.25, []) == []
    assert leaks("the turning points of 2008, 2014 and 2022", [2008, 2014, 2022], []) == [
        "2008", "2014", "2022"]
    assert leaks("Egypt (`EGY`), Libya (`LBY`), Tunisia (`TUN`)", "EGY", []) == []


def test_policy_memo_has_word_ranges_per_level_and_a_rubric_with_levels_summing_to_20():
    text = (ROOT / "solutions" / "memo_policy_brief.md").read_text(encoding="utf-8")
    assert "## Student prompt" in text
    assert "800-1,200 words for undergraduates" in text
    assert "1,200-1,800 words for master's students" in text
    rubric = text.split("## Rubric", 1)[1].split("\n## ", 1)[0]
    rows = [[c.strip() for c in line.strip("|").split("|")]
            for line in rubric.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert len(rows) >= 5 and sum(int(r[1]) for r in rows) == 20
    assert all(len(r) == 5 and all(len(c) >= 10 for c in (r[2], r[3], r[4])) for r in rows)
    assert "course_lib" not in rubric and "computed" not in rubric
