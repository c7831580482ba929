"""The records write the JSON the judge wrote before them (issue 23, item 2).

``tests/fixtures/grading/results_before_records.json`` holds what the judge returned, as JSON,
before results became records (commit 066c2a3), for the inputs built here: a model answer; wrong
answers of each kind with a truncated output; missing values after a cell error; a run whose
answers could not be read; a file that could not be graded.  The records made from the same
inputs now write exactly that JSON, and read it back unchanged.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from classroom.grading.exercise import load_exercise
from classroom.grading.judge import error_result, grade_result
from classroom.grading.limits import CellError, RunResult
from classroom.grading.results import SubmissionResult
from classroom.notebooks.model import read_notebook
from course_lib.checks import encode_value
from tests.grading.test_feedback import SOURCE, right_values

BEFORE = Path(__file__).resolve().parents[1] / "fixtures" / "grading" / \
    "results_before_records.json"
CASES = {
    "model": ({}, [], []),
    "wrong": ({"q1_core_tasks": "a", "q2_post_cold_war_members": "sixteen",
               "q3_frameworks": ["x"], "q5_share": 0.9}, [],
              ["your notebook printed more than 200000 bytes; the rest of the output was cut"]),
    "missing": ({"q4_war_years": None, "q4_south_count": None},
                [CellError(9, "q4", "NameError", "name 'war_years' is not defined")], []),
}


@pytest.fixture(scope="module")
def made() -> dict[str, SubmissionResult]:
    spec = load_exercise(read_notebook(SOURCE))
    right = right_values(spec)
    out = {}
    for name, (changes, errors, events) in CASES.items():
        values = {k: encode_value(v) for k, v in {**right, **changes}.items()}
        values.update({k: {"defined": False} for k, v in changes.items() if v is None})
        run = RunResult(values=values, cell_errors=errors, events=events, isolation="sandbox",
                        limits="cgroup-v1", output_truncated=bool(events))
        out[name] = grade_result(spec, run, student="ann", source="ann/01.ipynb",
                                 notes=["a note"], manual_answers={"q6": "An answer of five "
                                                                         "words."},
                                 manual_attachments={"q6": {"a.png": {
                                     "image/png": "iVBORw0KGgo="}}})
    out["unread"] = grade_result(spec, RunResult(values=None, events=["the kernel died"],
                                                 isolation="none"),
                                 student="bo", source="bo/01.ipynb", notes=[])
    out["error"] = error_result("cy", "01_x", "cy/01.ipynb", "not a notebook")
    return out


@pytest.mark.parametrize("case", [*CASES, "unread", "error"])
def test_a_record_writes_the_json_of_before(made, case):
    before = json.loads(BEFORE.read_text(encoding="utf-8"))[case]
    assert made[case].to_json() == before
    assert SubmissionResult.from_json(before).to_json() == before
