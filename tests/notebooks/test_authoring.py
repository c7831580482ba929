"""Authoring mistakes in check calls stop `course build-exercises`, naming notebook and cell."""

from __future__ import annotations

import io
import tokenize
from pathlib import Path

import nbformat
import pytest

from classroom.cli import main
from classroom.errors import CourseError
from classroom.notebooks.authoring import authoring_problems
from classroom.notebooks.model import (
    CellRole,
    cell_role,
    cell_source,
    grade_id,
    mark_cell,
    parse_check_calls,
    read_notebook,
)
from classroom.notebooks.transform import build_exercises

ROOT = Path(__file__).resolve().parents[2]


#: A prompt for the answer variable ``x`` listing four options of similar length.
PROMPT = ("## Q1\n\nSet `x` to the letter.\n\n- **a** the first option\n- **b** the second one"
          "\n- **c** a third option\n- **d** and a fourth")


def _source(test_cell: str, exercise: str = "09_demo_exercises",
            prompt: str = PROMPT) -> nbformat.NotebookNode:
    """A minimal valid exercise source whose test cell ``q1_test`` holds ``test_cell``."""
    nb = nbformat.v4.new_notebook(metadata={"course": {"exercise": exercise, "lesson": "09",
                                                       "title": "Demo"}})
    nb.cells = [
        mark_cell(nbformat.v4.new_markdown_cell(prompt), CellRole.PROMPT, "q1_prompt"),
        mark_cell(nbformat.v4.new_code_cell("### BEGIN SOLUTION\nx = 1\n### END SOLUTION"),
                  CellRole.SOLUTION, "q1"),
        mark_cell(nbformat.v4.new_code_cell(test_cell), CellRole.TEST, "q1_test", 4),
    ]
    return nb


GOOD = 'self_check("x", type=int);\n### BEGIN HIDDEN TESTS\n{call};\n### END HIDDEN TESTS'

MISTAKES = {
    "close_to infinite": ('check_answer("x", close_to=1e999, tol=0.1)',
                          "close_to must be a finite number, got inf"),
    "close_to text": ('check_answer("x", close_to="0.5", tol=0.1)',
                      "close_to must be a finite number, got '0.5'"),
    "close_to bool": ('check_answer("x", close_to=True)', "close_to must be a finite number"),
    "tol negative": ('check_answer("x", close_to=0.5, tol=-0.01)', "tol must be a finite"),
    "tol infinite": ('check_answer("x", close_to=0.5, tol=1e999)', "tol must be a finite"),
    "tol without close_to": ('check_answer("x", equals=1, tol=0.1)', "tol only applies"),
    "equals None": ('check_answer("x", equals=None)', "equals must be a value"),
    "equals infinite": ('check_answer("x", equals=[1, -1e999])', "finite numbers only"),
    "empty items": ('check_answer("x", items=[])', "items must be a non-empty list"),
    "empty one_of": ('check_answer("x", one_of=[])', "one_of must be a non-empty list"),
    "sequence text": ('check_answer("x", sequence="abc")', "sequence must be a non-empty list"),
    "ignore_case text": ('check_answer("x", equals="a", ignore_case="no")', "ignore_case must"),
    "hint number": ('check_answer("x", equals=1, hint=3)', "hint must be text"),
    "unknown keyword": ('check_answer("x", close_to=1.0, tolerance=0.1)',
                        "takes no argument 'tolerance'"),
    "type string": ('check_answer("x", equals=1, type="integer")', "type must be one of"),
    "answer-less choice": ('check_choice("x", "e", options="abcd")',
                           "the answer 'e' is not one of the options"),
    "empty answer": ('check_choice("x", "()", options="abcd")', "must be an option letter"),
    "empty options": ('check_choice("x", "a", options="")', "options must be non-empty"),
    "options numbers": ('check_choice("x", "a", options=[1, 2])', "options must be non-empty"),
    "answer number": ('check_choice("x", 2, options="abcd")', "must be an option letter"),
    "recompute text": ('check_answer("x", equals=1, recompute="yes")', "recompute must be True"),
    "recompute one_of": ('check_answer("x", one_of=[1, 2], recompute=True)',
                         "recompute needs one expected value"),
    "fewer options than shown": ('check_choice("x", "a", options="ab")',
                                 "the prompt shows the options ['a', 'b', 'c', 'd']"),
}

FORM_MISTAKES = {
    "reversed range": ('self_check("x", between=(2024, 1949))', "between is reversed"),
    "range of text": ('self_check("x", between=("a", "b"))', "between must be (low, high)"),
    "range of three": ('self_check("x", between=(1, 2, 3))', "between must be (low, high)"),
    "infinite range": ('self_check("x", between=(0, 1e999))', "between must be (low, high)"),
    "negative length": ('self_check("x", length=-1)', "length must be a whole number"),
    "fractional length": ('self_check("x", length=2.5)', "length must be a whole number"),
    "empty choices": ('self_check("x", choices=[])', "choices must be non-empty"),
    "nonempty text": ('self_check("x", nonempty="yes")', "nonempty must be True or False"),
    "choice outside self-check": ('self_check("x", choices="abc");\ncheck_choice("x", "d")',
                                  "is not among the self_check choices"),
    "value outside self-check": ('self_check("x", between=(0, 10));\n'
                                 'check_answer("x", equals=11)', "inside the self_check range"),
    "tolerance beyond self-check": ('self_check("x", between=(0, 1));\n'
                                    'check_answer("x", close_to=0.999, tol=0.005)',
                                    "a right answer would fail its self-check"),
}


@pytest.mark.parametrize("call, message", MISTAKES.values(), ids=MISTAKES)
def test_graded_check_mistakes_are_found(call: str, message: str) -> None:
    problems = authoring_problems(_source(GOOD.format(call=call)))
    assert len(problems) == 1, problems
    assert problems[0].startswith("cell q1_test: ") and message in problems[0]


@pytest.mark.parametrize("cell, message", FORM_MISTAKES.values(), ids=FORM_MISTAKES)
def test_self_check_mistakes_are_found(cell: str, message: str) -> None:
    source = cell + ';\n### BEGIN HIDDEN TESTS\ncheck_answer("y", equals=1);\n### END HIDDEN TESTS'
    problems = authoring_problems(_source(source))
    assert any(message in p for p in problems), problems
    assert all(p.startswith("cell q1_test: ") for p in problems)


@pytest.mark.parametrize("call", [
    'check_answer("x", close_to=0.5, tol=0.01)', 'check_answer("x", equals="Rome")',
    'check_answer("x", one_of=["a", "b"], hint="see table 2")', 'check_choice("x", "(B)")',
    'check_choice("x", "b", options=["a", "b", "c", "d"], weight=2)',
    'check_answer("x", items=[1, 2])', 'check_answer("x", equals=3, recompute=True)',
])
def test_correct_calls_pass(call: str) -> None:
    assert authoring_problems(_source(GOOD.format(call=call))) == []


@pytest.mark.parametrize("path", sorted((ROOT / "solutions").glob("*.ipynb")),
                         ids=lambda p: p.stem)
def test_the_course_sources_are_clean(path: Path) -> None:
    assert authoring_problems(read_notebook(path)) == []


def test_build_refuses_naming_notebook_and_cell(tmp_path: Path, capsys) -> None:
    solutions, exercises = tmp_path / "solutions", tmp_path / "exercises"
    solutions.mkdir()
    nbformat.write(_source(GOOD.format(call='check_answer("x", close_to=1e999)')),
                   solutions / "09_demo_exercises.ipynb")
    nbformat.write(_source(GOOD.format(call='check_answer("x", equals=1)'), "08_ok_exercises"),
                   solutions / "08_ok_exercises.ipynb")
    with pytest.raises(CourseError) as info:
        build_exercises(solutions, exercises)
    message = str(info.value)
    assert "09_demo_exercises.ipynb" in message and "cell q1_test" in message
    assert "close_to must be a finite number" in message and "\n" not in message
    assert not exercises.exists(), "nothing is written when a source is refused"
    argv = ["build-exercises", "--solutions", str(solutions), "--exercises", str(exercises)]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "cell q1_test" in err and "Traceback" not in err


def test_check_calls_are_parsed_never_run(tmp_path: Path) -> None:
    """A call with code in its arguments is refused, and the code does not run."""
    canary = tmp_path / "ran"
    call = f'check_answer("x", equals=open({str(canary)!r}, "w").write("x"))'
    solutions = tmp_path / "solutions"
    solutions.mkdir()
    nbformat.write(_source(GOOD.format(call=call)), solutions / "09_demo_exercises.ipynb")
    with pytest.raises(CourseError, match="arguments must be literals"):
        build_exercises(solutions, tmp_path / "exercises")
    assert not canary.exists()


# ----------------------------------------------------------------------------- nbgrader parity
def test_two_graded_checks_in_one_test_cell_are_refused() -> None:
    cell = ('self_check("x", type=int);\n### BEGIN HIDDEN TESTS\ncheck_answer("x", equals=1);\n'
            'check_answer("y", equals=2);\n### END HIDDEN TESTS')
    problems = authoring_problems(_source(cell))
    assert problems == ["cell q1_test: holds 2 graded checks (x, y); nbgrader scores a test "
                        "cell all-or-nothing, so give each graded check a test cell of its own "
                        "with its own points"]


@pytest.mark.parametrize("cell", [
    'self_check("x", type=int)\n### BEGIN HIDDEN TESTS\ncheck_answer("x", equals=1);\n'
    '### END HIDDEN TESTS',
    'self_check("x", type=int);\n### BEGIN HIDDEN TESTS\ncheck_answer("x", equals=1)\n'
    '### END HIDDEN TESTS',
], ids=["student version shows True", "instructor version shows True"])
def test_a_check_call_without_semicolon_is_refused(cell: str) -> None:
    problems = authoring_problems(_source(cell))
    assert len(problems) == 1 and "must end with ';'" in problems[0], problems


@pytest.mark.parametrize("path", sorted((ROOT / "solutions").glob("*.ipynb")),
                         ids=lambda p: p.stem)
def test_every_course_test_cell_holds_exactly_one_quiet_graded_check(path: Path) -> None:
    nb = read_notebook(path)
    cells = [c for c in nb.cells if cell_role(c) is CellRole.TEST]
    assert cells
    for cell in cells:
        calls = parse_check_calls(cell_source(cell))
        graded = [c for c in calls if c.graded]
        assert len(graded) == 1, f"{grade_id(cell)}: {[c.name for c in graded]}"
        assert all(c.quiet for c in calls), grade_id(cell)
        assert all(c.name == graded[0].name for c in calls), grade_id(cell)
        meta = cell.metadata["nbgrader"]
        assert meta["grade"] is True and meta["locked"] is True and meta["points"] > 0
        assert meta["solution"] is False and meta["schema_version"] == 3


def _ends_quietly(source: str) -> bool:
    """IPython's rule: a cell whose last token (comments aside) is ``;`` displays no value."""
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(source).readline)
              if t.type not in (tokenize.ENDMARKER, tokenize.NL, tokenize.NEWLINE,
                                tokenize.COMMENT)]
    return bool(tokens) and tokens[-1].type == tokenize.OP and tokens[-1].string == ";"


@pytest.mark.parametrize("path", sorted((ROOT / "exercises").glob("*.ipynb")),
                         ids=lambda p: p.stem)
def test_student_and_instructor_test_cells_display_nothing(path: Path) -> None:
    source = read_notebook(ROOT / "solutions" / path.name)
    for nb in (read_notebook(path), source):
        cells = [c for c in nb.cells if cell_role(c) is CellRole.TEST]
        assert cells and all(_ends_quietly(cell_source(c)) for c in cells), \
            [grade_id(c) for c in cells if not _ends_quietly(cell_source(c))]


def test_quiet_rule_can_fail() -> None:
    assert not _ends_quietly('self_check("x", type=int)\n# a comment')
    assert _ends_quietly('self_check("x", type=int);\n### END HIDDEN TESTS')


# ----------------------------------------------------------------------------- giveaway keys
HEDGED = ("## Q1\n\nSet `x` to the letter.\n\n- **a** it proves the paper right\n"
          "- **b** the match is circular: the rule restates the description, so it is no test\n"
          "- **c** it proves offensive realism")


@pytest.mark.parametrize("prompt, message", [
    (HEDGED, "the key is the longest option by a clear margin (74 characters against at most "
             "27"),
    (PROMPT.replace("the second one", "the first option"), "options repeat"),
    ("## Q1\n\nSet `x` to the letter: a, b, c or d.", "the prompt lists no options after"),
], ids=["hedged key", "repeated option", "options not listed"])
def test_a_choice_question_that_gives_its_key_away_is_refused(prompt: str, message: str) -> None:
    letters = "abc" if prompt is HEDGED else "abcd"
    cell = (f'self_check("x", type=str, choices="{letters}");\n### BEGIN HIDDEN TESTS\n'
            f'check_choice("x", "b", options="{letters}");\n### END HIDDEN TESTS')
    problems = authoring_problems(_source(cell, prompt=prompt))
    assert len(problems) == 1 and problems[0].startswith("cell q1_test: check_choice('x'): ")
    assert message in problems[0], problems


def test_build_prints_the_points_audit_and_the_giveaway_report(tmp_path: Path, capsys) -> None:
    solutions, exercises = tmp_path / "solutions", tmp_path / "exercises"
    solutions.mkdir()
    cell = ('self_check("x", type=str, choices="abcd");\n### BEGIN HIDDEN TESTS\n'
            'check_choice("x", "b", options="abcd");\n### END HIDDEN TESTS')
    nb = _source(cell)
    nb.cells[-1].metadata["course"] = {"kinds": {"x": "theory"}}
    nbformat.write(nb, solutions / "09_demo_exercises.ipynb")
    argv = ["build-exercises", "--solutions", str(solutions), "--exercises", str(exercises)]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert ("09_demo_exercises: 4 autograded points: paper 0, theory 4, models 0, operating the "
            "software 0 (0%)") in out
    assert "\n  1 choice questions, key is the longest option in 0 (0%)" in out
    assert "lesson 03 quiz: 3 choice questions" in out
