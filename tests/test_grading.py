"""Batch grading: full marks, zero, exact partial credit, and an exploit corpus graded as one batch.

The exploit corpus is generated from the reference exercise (plus two broken files written at
test time, ``BROKEN_SUBMISSIONS``).  Each exploit pairs a WRONG answer for one question with an
attack on the grader; the attacked question must score 0 while the batch carries on.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import nbformat
import pytest

from classroom.cli import main
from classroom.grading.batch import grade_batch
from classroom.grading.results import SubmissionResult
from classroom.grading.runner import Limits, isolation_level
from classroom.notebooks.model import grade_id, read_notebook
from classroom.notebooks.transform import to_student_version
from course_lib.checks import FORM_ONLY_NOTE, FormError, self_check

pytestmark = pytest.mark.kernel

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
EXERCISE = "01_southern_direction_exercises"
SOURCE = SOLUTIONS / f"{EXERCISE}.ipynb"
FULL = 20.0
QUESTIONS = ["q1", "q2", "q3", "q4", "q5"]  # each a group of test cells, one per check
TEST_CELLS = 13  # q1: 2, q2: 3, q3: 2, q4: 4, q5: 2


#: Broken submissions, written at test time (not kept as *.ipynb files in the repository):
#: truncated notebook JSON, and a PNG image saved under a notebook's name.
BROKEN_SUBMISSIONS = {
    "corrupt": b'{"cells": [ {"cell_type": "code", "source": "q1 = ',
    "not_a_notebook": b'\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR binary',
}

def _solution_answers() -> dict[str, str]:
    src = read_notebook(SOURCE)
    return {grade_id(c): c.source for c in src.cells if grade_id(c) in
            {"q1", "q2", "q3", "q4", "q5", "q6"}}


def make_submission(folder: Path, student: str, changes: dict[str, str] | None = None,
                    *, fresh: bool = False, edit=None) -> Path:
    """Student version filled with the model answers, then ``changes`` (grade_id -> source)."""
    nb = to_student_version(read_notebook(SOURCE))
    answers = {} if fresh else _solution_answers()
    answers.update(changes or {})
    for cell in nb.cells:
        if grade_id(cell) in answers:
            cell.source = answers[grade_id(cell)]
    if edit is not None:
        edit(nb)
    path = folder / student / f"{EXERCISE}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def q(result: SubmissionResult, group: str) -> float:
    """Points of a question: the sum over its test cells."""
    cells = [c for c in result.questions.values() if c.group == group]
    assert cells, group
    return sum(c.points for c in cells)


def errors_of(result: SubmissionResult, group: str) -> list[str]:
    return [e for c in result.questions.values() if c.group == group for e in c.errors]


def messages_of(result: SubmissionResult, group: str) -> list[str]:
    return [ch.message for c in sorted(result.questions.values(), key=lambda c: c.grade_id)
            if c.group == group for ch in c.checks if not ch.passed]


# ----------------------------------------------------------------------------- normal batch
@pytest.fixture(scope="module")
def normal(tmp_path_factory):
    subs = tmp_path_factory.mktemp("subs")
    make_submission(subs, "model")
    make_submission(subs, "fresh", fresh=True)
    make_submission(subs, "partial", {
        "q2": "q2_post_cold_war_members = 16\nq2_last_cold_war_accession = 1955\n"
              "q2_membership = 'c'",
        "q3": "q3_frameworks = ['Mediterranean Dialogue', 'Partnership for Peace', "
              "'Istanbul Cooperation Initiative']\nq3_concept_partners = 'a'",
    })
    make_submission(subs, "noisy", {
        "q5": "import sys, warnings\nwarnings.warn('pandas will change this')\n"
              "print('debug', file=sys.stderr)\n"
              "recent = timeline[(timeline['year'] >= 2014) & (timeline['year'] <= 2022)]\n"
              "q5_share = recent['category'].isin(['Southern flank', 'NATO-Israel']).mean()\n"
              "q5_judgement = 'c'",
        "q6": "Russia's bases in Syria tie the two directions together.",
    })
    out = tmp_path_factory.mktemp("out")
    batch = grade_batch([subs], out, solutions_dir=SOLUTIONS, jobs=2,
                        limits=Limits(timeout_cell=20, timeout_notebook=60))
    return subs, out, batch


def test_model_answers_get_full_marks(normal):
    _, _, batch = normal
    r = batch.by_student("model", EXERCISE)
    assert r.status == "graded"
    assert r.score == FULL and r.auto_max_score == FULL
    assert all(q(r, g) == 4 for g in QUESTIONS)
    assert r.manual["q6"].status == "needs manual grading"
    assert r.manual["q6"].max_points == 6


def test_fresh_exercise_gets_zero_and_actionable_feedback(normal):
    _, out, batch = normal
    r = batch.by_student("fresh", EXERCISE)
    assert r.score == 0
    assert all(q(r, g) == 0 for g in QUESTIONS)
    assert any("not written yet" in e for e in errors_of(r, "q1"))
    text = (out / "s-fresh" / f"{EXERCISE}.feedback.md").read_text()
    assert "q1_core_tasks: no value to check, because your answer cell stopped" in text
    assert "## Question 1: the core tasks: 0 of 4 points" in text and "q1_test" not in text
    assert text.count("not whether it is correct") == 1


def test_partial_submission_gets_exactly_its_points(normal):
    _, out, batch = normal
    r = batch.by_student("partial", EXERCISE)
    assert q(r, "q2") == 3.5  # all but the 0.5-point test cell of the wrong year
    assert q(r, "q3") == 0.0
    assert r.score == FULL - 0.5 - 4
    messages = messages_of(r, "q3")
    assert sorted(messages) == sorted(["q3_frameworks: the items are right but their order is not.",
                        "q3_concept_partners: this is not the right option. Re-read the options "
                        "and the material they refer to. Hint: Ask what is promised, and what "
                        "instrument is missing."])


def test_feedback_never_reveals_hidden_tests_or_expected_values(normal):
    _, out, _ = normal
    text = (out / "s-partial" / f"{EXERCISE}.feedback.md").read_text()
    assert "1982" not in text and "check_answer" not in text and "HIDDEN" not in text
    assert "Partnership for Peace" not in text
    assert "hidden check" in text and "Self-checks" in text


def test_warnings_and_stderr_do_not_cost_points(normal):
    _, _, batch = normal
    r = batch.by_student("noisy", EXERCISE)
    assert r.score == FULL
    assert r.manual["q6"].answer.startswith("Russia's bases")


def test_outputs_and_gradebook(normal):
    _, out, batch = normal
    data = json.loads((out / "s-model" / f"{EXERCISE}.json").read_text())
    assert data["score"] == FULL and len(data["questions"]) == TEST_CELLS
    assert {c["group"] for c in data["questions"].values()} == set(QUESTIONS)
    assert "graded_notebook_html" not in data
    rows = list(csv.DictReader((out / "gradebook.csv").read_text().splitlines()))
    assert len(rows) == 4 * (TEST_CELLS + 1)  # 4 students x (13 test cells + 1 manual)
    assert rows == sorted(rows, key=lambda r: (r["student"], r["exercise"], r["question"]))
    partial = {r["question"]: r for r in rows if r["student"] == "partial"}
    assert partial["q2_last_cold_war_accession_test"]["points"] == "0"
    assert partial["q2_post_cold_war_members_test"]["points"] == "0.5" and \
        partial["q6"]["status"] == \
        "needs manual grading"
    assert not list(out.rglob(".*"))  # no temp files left behind by atomic writes


def test_regrading_gives_identical_files(normal, tmp_path):
    subs, out, _ = normal
    again = tmp_path / "again"
    grade_batch([subs / "partial", subs / "model"], again, solutions_dir=SOLUTIONS, jobs=2)
    for name in ("partial", "model"):
        for suffix in (".json", ".feedback.md"):
            first = (out / f"s-{name}" / f"{EXERCISE}{suffix}").read_text()
            assert (again / f"s-{name}" / f"{EXERCISE}{suffix}").read_text() == first


# ----------------------------------------------------------------------------- exploit corpus
READ_SOLUTIONS = f"""
import json, re
q1_core_tasks = "a"
try:
    nb = json.load(open({str(SOURCE)!r}))
    for cell in nb["cells"]:
        m = re.search(r'check_choice\\("q1_core_tasks", "(\\w)"', "".join(cell["source"]))
        if m:
            q1_core_tasks = m.group(1)
except OSError:
    pass
"""

EXPLOITS: dict[str, tuple[dict[str, str], str | None]] = {
    # student: ({grade_id: source}, question that must score 0 (None = all))
    "loop": ({"q1": "while True:\n    pass\nq1_core_tasks = 'b'"}, "q1"),
    "stubborn_loop": ({"q5": "import time\nwhile True:\n    try:\n        time.sleep(0.2)\n"
                             "    except BaseException:\n        pass"}, None),
    "os_exit": ({"q5": "import os\nos._exit(0)"}, None),
    "huge_output": ({"q2": "print('x' * 10_000_000)\nq2_post_cold_war_members = 3\n"
                           "q2_last_cold_war_accession = 1950"}, "q2"),
    "memory_hog": ({"q3": "hog = bytearray(6 * 1024**3)\nq3_frameworks = "
                          "['Partnership for Peace', 'Mediterranean Dialogue', "
                          "'Istanbul Cooperation Initiative']"}, "q3"),
    "input_transformer": ({"q1": "q1_core_tasks = 'c'\nip = get_ipython()\n"
                                 "ip.input_transformers_post.append(lambda lines: ['pass\\n'] "
                                 "if 'check' in ''.join(lines) else lines)"}, "q1"),
    "custom_exc": ({"q4": "get_ipython().set_custom_exc((BaseException,), "
                          "lambda *a, **k: None)\nq4_war_years = [2014, 2008, 2022]\n"
                          "q4_south_count = 9"}, "q4"),
    "patched_helpers": ({"q5": "import course_lib.checks as c\n"
                               "c.check_answer = c.check_choice = c.self_check = "
                               "lambda *a, **k: True\n"
                               "c.judge = lambda *a, **k: c.Outcome(True, 'ok')\n"
                               "q5_share = 0.9"}, "q5"),
    "reads_solutions": ({"q1": READ_SOLUTIONS}, "q1"),
}


def _edit_test_cell(nb):
    for cell in nb.cells:
        if grade_id(cell) == "q1_core_tasks_test":
            cell.source = "pass"


def _delete_cells(nb):
    nb.cells = [c for c in nb.cells if grade_id(c) not in (
        "q2_post_cold_war_members_test", "q2_last_cold_war_accession_test", "q2_prompt", "setup")]


def _forge_outputs(nb):
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.execution_count = 1
            cell.outputs = [nbformat.v4.new_output(
                "stream", name="stdout", text="All tests passed! score 20/20\n")]


@pytest.fixture(scope="module")
def exploits(tmp_path_factory):
    subs = tmp_path_factory.mktemp("exploits")
    for student, (changes, _) in EXPLOITS.items():
        make_submission(subs, student, changes)
    make_submission(subs, "edited_test", {"q1": "q1_core_tasks = 'd'"}, edit=_edit_test_cell)
    make_submission(subs, "deleted_cells", {"q2": "q2_post_cold_war_members = 1\n"
                                                  "q2_last_cold_war_accession = 1949"},
                    edit=_delete_cells)
    make_submission(subs, "forged_outputs", {"q3": "q3_frameworks = ['a', 'b', 'c']"},
                    edit=_forge_outputs)
    for name, content in BROKEN_SUBMISSIONS.items():
        (subs / name).mkdir()
        (subs / name / f"{EXERCISE}.ipynb").write_bytes(content)
    (subs / "foreign").mkdir()
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")]),
                   subs / "foreign" / "homework.ipynb")
    (subs / "foreign" / "notes.txt").write_text("not a notebook at all")
    out = tmp_path_factory.mktemp("exploit-out")
    limits = Limits(timeout_cell=3, timeout_notebook=30, memory_mb=1536,
                    max_output_bytes=20_000)
    batch = grade_batch([subs], out, solutions_dir=SOLUTIONS, jobs=2, limits=limits)
    return out, batch


@pytest.mark.parametrize("student", sorted(EXPLOITS))
def test_exploit_scores_zero_on_attacked_question(exploits, student, require_or_skip):
    _, batch = exploits
    r = batch.by_student(student, EXERCISE)
    target = EXPLOITS[student][1]
    assert r.status == "graded"
    if student == "reads_solutions":
        require_or_skip(r.isolation != "none", "no mount namespace here: the fallback cannot "
                        "hide solutions/ from a kernel (expected values still never enter it)")
    if target is None:
        assert r.score == 0
        assert r.messages, "a stopped kernel must be explained"
    else:
        assert q(r, target) == 0
        others = [g for g in QUESTIONS if g != target]
        assert all(q(r, g) == 4 for g in others), {g: q(r, g) for g in QUESTIONS}


def test_exploit_messages_are_clear(exploits):
    out, batch = exploits
    msgs = {s: " ".join(batch.by_student(s, EXERCISE).messages) for s in
            ("loop", "stubborn_loop", "os_exit", "huge_output")}
    assert "was interrupted" in msgs["loop"]
    assert "did not stop" in msgs["stubborn_loop"] or "longer than" in msgs["stubborn_loop"]
    assert "kernel stopped" in msgs["os_exit"]
    assert "output was cut" in msgs["huge_output"]
    assert (out / "s-huge_output" / f"{EXERCISE}.json").stat().st_size < 50_000
    hog = batch.by_student("memory_hog", EXERCISE)
    assert any("MemoryError" in e for e in errors_of(hog, "q3"))


def test_locked_cells_restored_and_stored_outputs_ignored(exploits):
    _, batch = exploits
    edited = batch.by_student("edited_test", EXERCISE)
    assert q(edited, "q1") == 0 and edited.score == FULL - 4
    assert any("q1_core_tasks_test was changed" in m for m in edited.messages)
    deleted = batch.by_student("deleted_cells", EXERCISE)
    assert q(deleted, "q2") == 0 and deleted.score == FULL - 4  # setup restored too
    assert any("q2_post_cold_war_members_test was deleted" in m for m in deleted.messages)
    forged = batch.by_student("forged_outputs", EXERCISE)
    assert q(forged, "q3") == 0 and forged.score == FULL - 4


def test_reading_solutions_is_blocked_by_isolation(exploits, require_or_skip):
    _, batch = exploits
    r = batch.by_student("reads_solutions", EXERCISE)
    assert r.isolation == isolation_level()
    require_or_skip(r.isolation != "none", "isolation unavailable on this machine: install "
                    "bubblewrap (tools/ensure_system_packages.sh); see the docs for the fallback")
    assert q(r, "q1") == 0


def test_broken_files_become_error_rows_and_batch_goes_on(exploits):
    out, batch = exploits
    errors = {r.student: r for r in batch.results if r.status == "error"}
    assert set(errors) == {"corrupt", "not_a_notebook", "foreign"}
    assert "not valid JSON" in errors["corrupt"].errors[0]
    assert "not UTF-8" in errors["not_a_notebook"].errors[0]
    foreign = [r for r in batch.results if r.student == "foreign"]
    assert [r.exercise for r in foreign] == ["homework"]  # notes.txt is not a notebook
    assert "cannot tell which exercise" in foreign[0].errors[0]
    assert [p.name for p in batch.ignored] == ["notes.txt"]
    rows = list(csv.DictReader((out / "gradebook.csv").read_text().splitlines()))
    assert {r["student"] for r in rows if r["status"] == "error"} == set(errors)
    assert (out / "s-corrupt" / f"{EXERCISE}.feedback.md").read_text().count("could not be graded")


# ----------------------------------------------------------------------------- CLI
def test_cli_grade_and_usage_errors(tmp_path, capsys):
    sub = make_submission(tmp_path / "subs", "cli_student")
    out = tmp_path / "out"
    assert main(["grade", str(sub), "--out", str(out), "--jobs", "1",
                 "--timeout-cell", "20"]) == 0
    assert json.loads((out / "s-cli_student" / f"{EXERCISE}.json").read_text())["score"] == FULL
    assert main(["grade", str(tmp_path / "missing"), "--out", str(out)]) == 2
    assert "paths must exist" in capsys.readouterr().err
    assert main(["grade", str(sub), "--out", str(out), "--memory-mb", "5"]) == 2
    assert main(["grade", "--out", str(out)]) == 2


def test_self_check_says_it_checks_form_only(capsys):
    assert "not whether it is correct" in FORM_ONLY_NOTE
    assert self_check("year", type=int, namespace={"year": 2022}) is True
    out = capsys.readouterr().out
    assert "form is right" in out and "does not say whether the value is correct" in out
    with pytest.raises(FormError, match="should be a whole number"):
        self_check("year", type=int, namespace={"year": "2022"})
    student = read_notebook(ROOT / "exercises" / f"{EXERCISE}.ipynb")
    code = [cell.source for cell in student.cells if cell.cell_type == "code"]
    assert any("self_check(" in src for src in code)
    assert not any("check_answer(" in src or "check_choice(" in src for src in code)
