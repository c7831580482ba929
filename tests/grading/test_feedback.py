"""Feedback a student can act on, judged without a kernel (fast): titles, matched hints, values.

Results are built with :func:`~classroom.grading.judge.grade_result` from the real exercise 01
source, answer values encoded as the grader's probe would bring them back, and the cell errors a
run would report; the gradebook round trip (manual marks, exports) uses a temporary folder.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from classroom.gradebook.history import latest_results
from classroom.gradebook.marks import add_mark, set_question_rubric
from classroom.gradebook.store import open_gradebook
from classroom.grading.exercise import assemble_submission, load_exercise
from classroom.grading.judge import grade_result
from classroom.grading.limits import CellError, RunResult
from classroom.grading.report import export_all, instructor_path, render_feedback
from classroom.grading.results import SubmissionResult
from classroom.notebooks.model import CellRole, cell_role, grade_id, read_notebook
from course_lib.checks import FORM_ONLY_NOTE, encode_value

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "solutions" / "01_southern_direction_exercises.ipynb"


@pytest.fixture(scope="module")
def spec():
    return load_exercise(read_notebook(SOURCE))


def right_values(spec) -> dict[str, object]:
    """The expected answers, read from the hidden checks (what a model answer holds)."""
    values = {}
    for q in spec.questions:
        for c in q.checks:
            if c.graded:
                a = c.args
                values[c.name] = a.get("answer", a.get("equals", a.get("close_to",
                                                                        a.get("sequence"))))
    return values


def expected_texts(spec) -> list[str]:
    """Expected values as they could appear in text (texts of 3+ characters, numbers)."""
    found = []
    for value in right_values(spec).values():
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, str) and len(v) >= 3 or isinstance(v, float):
                found.append(str(v))
    return found


def result_for(spec, changes: dict[str, object], *, errors=(), executed=None, manual=""):
    values = {**right_values(spec), **changes}
    encoded = {k: encode_value(v) for k, v in values.items() if v is not _MISSING}
    run = RunResult(values=encoded, cell_errors=list(errors))
    return grade_result(spec, run, student="ann", source="ann/01.ipynb", notes=[],
                        manual_answers={"q6": manual}, executed=executed)


_MISSING = object()


def check_messages(result: SubmissionResult) -> str:
    return " ".join(c.message for q in result.questions.values() for c in q.checks)


def test_model_answers_score_full_and_questions_carry_notebook_titles(spec):
    r = result_for(spec, {})
    assert r.score == 20.0
    text = render_feedback(r)
    for title in ("Question 1: the core tasks",
                  "Question 4: Russia's wars, Russia in the south, and a missile in 2026",
                  "Question 5: how southern is the recent agenda?"):
        assert f"## {title}: 4 of 4 points" in text
    assert "## Question 6: reflection (graded by a person, up to 6 points)" in text
    assert not re.search(r"\bq\d_\w*test\b", text), "test cell ids are not shown to students"


def test_form_only_sentence_appears_once(spec):
    text = render_feedback(result_for(spec, {"q1_core_tasks": "a", "q2_post_cold_war_members": 3,
                                             "q5_share": 0.9}))
    assert text.count("not whether it is correct") == 1
    assert FORM_ONLY_NOTE not in text  # nor the self-checks' own wording, once per check


def test_rounding_says_how_many_decimals_were_asked(spec):
    r = result_for(spec, {"q5_share": 0.3})
    (cell,) = [q for q in r.questions.values() if q.grade_id == "q5_share_test"]
    assert cell.points == 0
    message = cell.checks[-1].message
    assert "rounded to 1 decimal" in message and "at least 2 decimals" in message
    assert "counted" not in message  # not the generic "which rows you counted" hint
    far = result_for(spec, {"q5_share": 0.9})
    assert "outside the accepted range" in check_messages(far)


def test_wrong_type_names_the_expected_type_and_shows_the_students_value(spec):
    r = result_for(spec, {"q2_post_cold_war_members": "sixteen"})
    (check,) = [c for c in r.questions["q2_post_cold_war_members_test"].checks
                if c.graded]
    assert check.message.endswith("should be a number, but it is text (str).")
    assert check.your_value == "'sixteen'"
    assert "(your value: 'sixteen')" in render_feedback(r)


def test_students_value_is_hidden_when_it_would_show_the_expected_one(spec):
    r = result_for(spec, {"q2_post_cold_war_members": "16",
                          "q3_frameworks": ["Mediterranean Dialogue", "Partnership for Peace",
                                            "Istanbul Cooperation Initiative"]})
    checks = [c for q in r.questions.values() for c in q.checks if not c.passed]
    assert len(checks) >= 2 and not any(c.your_value is not None for c in checks)
    text = render_feedback(r)
    assert "Partnership for Peace" not in text and "1982" not in text


def _executed(spec, sources: dict[str, str]) -> nbformat.NotebookNode:
    student = nbformat.from_dict(spec.student_nb)
    for cell in student.cells:
        if grade_id(cell) in sources:
            cell.source = sources[grade_id(cell)]
    nb, _ = assemble_submission(spec, student)
    return nb


def _index(nb, gid: str) -> int:
    return next(i for i, c in enumerate(nb.cells) if grade_id(c) == gid)


def test_a_name_defined_only_in_a_later_cell_is_named(spec):
    nb = _executed(spec, {"q4": "q4_war_years = war_years()\nq4_south_count = 3\nq4_link = 'a'"
                                "\nq4_missile = 'd'",
                          "q5": "def war_years():\n    return [2008, 2014, 2022]\nq5_share = 0.278"
                                "\nq5_judgement = 'c'"})
    error = CellError(_index(nb, "q4"), "q4", "NameError", "name 'war_years' is not defined")
    r = result_for(spec, {"q4_war_years": _MISSING, "q4_south_count": _MISSING,
                          "q4_link": _MISSING, "q4_missile": _MISSING}, errors=[error],
                   executed=nb)
    text = render_feedback(r)
    later = _index(nb, "q5") + 1
    assert (f"war_years is defined only in a later cell (cell {later}); the notebook runs from "
            "top to bottom, so move that definition above this answer cell") in text
    assert "keep the name exactly" not in text
    assert text.count("war_years is defined only in a later cell") == 1  # once per question


def test_an_earlier_failed_cell_is_named_with_its_error(spec):
    nb = _executed(spec, {"q2": "years = states['accession']\nq2_post_cold_war_members = 1",
                          "q3": "q3_frameworks = sorted(years)\nq3_concept_partners = 'b'"})
    errors = [CellError(_index(nb, "q2"), "q2", "KeyError", "'accession'\nTraceback line"),
              CellError(_index(nb, "q3"), "q3", "NameError", "name 'years' is not defined")]
    r = result_for(spec, {"q2_post_cold_war_members": _MISSING,
                          "q2_last_cold_war_accession": _MISSING, "q3_frameworks": _MISSING,
                          "q3_concept_partners": _MISSING}, errors=errors, executed=nb)
    text = render_feedback(r)
    q3 = text[text.index("## Question 3"):text.index("## Question 4")]
    assert (f"An earlier cell failed: cell {_index(nb, 'q2') + 1} (the answer cell of Question 2:"
            " enlargement before and after the Cold War) stopped with KeyError: 'accession'") in q3
    assert "Traceback line" not in text
    assert "q3_frameworks: no value to check, because your answer cell stopped" in q3


@pytest.mark.parametrize("answer, state", [
    ("", "no answer written yet"),
    ("Russia links both flanks.", "too short (4 words; asked: 200-300 words for undergraduates, "
                                  "350-500 for master's students)"),
    (" ".join(["word"] * 250), "answered (250 words; asked: 200-300 words for undergraduates, "
                               "350-500 for master's students)"),
    (" ".join(["word"] * 320), "answered (320 words; asked: 200-300 words for undergraduates, "
                               "350-500 for master's students)"),
    (" ".join(["word"] * 600), "too long (600 words; asked: 200-300 words for undergraduates, "
                               "350-500 for master's students)"),
])
def test_reflection_word_count_against_the_range(spec, answer, state):
    text = render_feedback(result_for(spec, {}, manual=answer))
    assert f"Not marked yet; your answer is {state}." in text


def _graded_book(tmp_path, spec, result, executed=None):
    """A gradebook holding ``result`` (and its executed notebook, as the batch keeps it)."""
    book = open_gradebook(tmp_path)
    book.sync_exercise(spec.exercise, spec.title, "h",
                       [(q.grade_id, "auto", q.points) for q in spec.questions]
                       + [(m.grade_id, "manual", m.points) for m in spec.manual],
                       spec.max_auto, spec.max_manual)
    run = book.start_run("test")
    book.record_result(run, result.to_json(), {"sha256": "x", "source_path": "ann/01.ipynb"}, "h",
                       None if executed is None else json.dumps(executed))
    return book


def test_manual_marks_show_rubric_lines_comment_and_totals(tmp_path, spec):
    result = result_for(spec, {"q1_core_tasks": "a"}, manual="An answer.")
    book = _graded_book(tmp_path, spec, result)
    rubric = [{"criterion": "Explains the link between the two directions", "points": 2,
               "max_points": 2}, {"criterion": "One argument for and one against",
                                  "points": 1.5, "max_points": 3}]
    add_mark(book, "ann", spec.exercise, "q6", 3.5, comment="Good link; weigh the argument.",
             marker="kb", rubric=rubric)
    (merged,) = latest_results(book)
    text = render_feedback(SubmissionResult.from_json(merged))
    assert "## Question 6: reflection: 3.5 of 6 points (marked by a person)" in text
    assert "- Explains the link between the two directions: 2 of 2" in text
    assert "- One argument for and one against: 1.5 of 3" in text
    assert "Comment: Good link; weigh the argument." in text
    assert "| Question 1: the core tasks | 2 of 4 |" in text
    assert "| **Total** | **21.5 of 26** |" in text  # 18 autograded + 3.5 marked
    assert export_all(book) == []
    exported = (tmp_path / "s-ann" / f"{spec.exercise}.feedback.md").read_text()
    assert "- One argument for and one against: 1.5 of 3" in exported
    assert "Comment: Good link; weigh the argument." in exported
    book.close()


def test_exports_keep_the_graded_notebook_for_the_instructor_only(tmp_path, spec):
    nb = _executed(spec, {"q1": "q1_core_tasks = '<script>alert(1)</script>'"})
    nb.cells[_index(nb, "q1")].outputs = [nbformat.v4.new_output(
        "display_data", data={"text/html": "<script>alert(2)</script><b>hi</b>"})]
    result = result_for(spec, {"q1_core_tasks": "<script>alert(1)</script>"}, executed=nb)
    book = _graded_book(tmp_path, spec, result, executed=nb)
    assert export_all(book) == []
    student = tmp_path / "s-ann"
    names = sorted(p.name for p in student.iterdir())
    assert names == [f"{spec.exercise}.{s}" for s in ("feedback.html", "feedback.md", "json")]
    assert "graded_notebook_html" not in json.loads((student / f"{spec.exercise}.json")
                                                    .read_text())
    graded = (tmp_path / instructor_path(result)).read_text()
    assert "Test cell q1_core_tasks_test" in graded and "<b>hi</b>" in graded
    page = (student / f"{spec.exercise}.feedback.html").read_text()
    for html_page in (graded, page):
        assert "<script" not in html_page and "http://" not in html_page \
            and "https://" not in html_page
    assert "&lt;script&gt;" in page
    book.close()


def test_feedback_never_shows_hidden_test_code_or_expected_values(tmp_path, spec):
    wrong = {"q1_core_tasks": "a", "q1_south_tasks": "c", "q2_post_cold_war_members": 3,
             "q2_last_cold_war_accession": 1950, "q3_frameworks": ["a", "b", "c"],
             "q3_concept_partners": "d", "q2_membership": "a", "q4_war_years": [1],
             "q4_south_count": "x", "q4_link": "d", "q4_missile": "a", "q5_share": 0.9,
             "q5_judgement": "a"}
    result = result_for(spec, wrong)
    assert result.score == 0
    book = _graded_book(tmp_path, spec, result)
    export_all(book)
    texts = [p.read_text() for p in (tmp_path / "s-ann").iterdir()]
    hidden = [c.source for c in read_notebook(SOURCE).cells if cell_role(c) is CellRole.TEST]
    assert len(texts) == 3
    for text in texts:
        assert "check_answer" not in text and "check_choice" not in text
        assert "HIDDEN" not in text
        for value in expected_texts(spec):
            assert value not in text, value
        assert not any(line.strip() in text for src in hidden for line in src.splitlines()
                       if "check_" in line)
    book.close()


def test_marked_rubric_lines_say_what_earned_their_level(tmp_path, spec):
    result = result_for(spec, {"q1_core_tasks": "a"}, manual="An answer.")
    book = _graded_book(tmp_path, spec, result)
    levels = {"full": "Names the mechanism and a dated example.",
              "partial": "A link asserted without its mechanism.", "none": "No link."}
    set_question_rubric(book, spec.exercise, "q6", "Question 6: reflection", [
        {"criterion": "Explains the link", "points": 2, "levels": levels},
        {"criterion": "Weighs the approach", "points": 2, "levels": {
            "full": "Both sides argued.", "partial": "One side only.", "none": "Neither."}},
        {"criterion": "Uses evidence", "points": 2}])
    add_mark(book, "ann", spec.exercise, "q6", 3, marker="kb", rubric=[
        {"criterion": "Explains the link", "points": 2, "max_points": 2},
        {"criterion": "Weighs the approach", "points": 1, "max_points": 2},
        {"criterion": "Uses evidence", "points": 0, "max_points": 2}])
    assert export_all(book) == []
    text = (tmp_path / "s-ann" / f"{spec.exercise}.feedback.md").read_text()
    assert "- Explains the link: 2 of 2 (full marks: Names the mechanism and a dated " \
           "example.)" in text
    assert "- Weighs the approach: 1 of 2 (partial marks: One side only.)" in text
    assert "- Uses evidence: 0 of 2\n" in text  # a line without descriptors says only points
    book.close()


def test_an_unmarked_reflection_states_the_ranges_of_both_levels_of_study(spec):
    result = result_for(spec, {}, manual="Four words only here.")
    assert result.manual["q6"].words == {"undergraduate": [200, 300], "master's": [350, 500]}
    text = render_feedback(result)
    assert ("your answer is too short (4 words; asked: 200-300 words for undergraduates, "
            "350-500 for master's students)") in text
