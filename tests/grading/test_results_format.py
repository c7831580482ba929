"""Typed results inside, the same JSON at the edges (issue 23, item 2).

The grader works with :class:`~classroom.grading.results.SubmissionResult` records; the
gradebook row and the exported ``.json`` file are made from them.  For a class holding a model
answer, a wrong answer with an error, a file that is no notebook, text that is not valid
Unicode and a marked reflection: every stored row reads back into a record that writes the
same JSON, and every exported file is exactly what the gradebook's JSON gives (the format the
exports had before the records: the stored result, with the submission's time, late flag, LMS
id and marks).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from classroom.gradebook.history import latest_results
from classroom.gradebook.marks import add_mark
from classroom.gradebook.store import open_gradebook
from classroom.grading.batch import grade_batch
from classroom.grading.report import export_all, result_paths
from classroom.grading.results import LEGACY_PAGE, SubmissionResult
from classroom.grading.runner import Limits
from tests.grading.submissions_kit import EXERCISE, SOLUTIONS, make_submission

pytestmark = pytest.mark.kernel


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    subs = tmp_path_factory.mktemp("subs")
    make_submission(subs, "model")
    make_submission(subs, "wrong", {"q2": "raise ValueError('no')",
                                    "q1": 'q1_core_tasks = "a"\nq1_south_tasks = "d"'})
    odd = make_submission(subs, "odd text", {"q6": "Russia's bases LONE tie the two sides."})
    odd.write_text(odd.read_text().replace("LONE", "\\ud800"))  # a lone surrogate, as JSON
    (subs / "broken").mkdir()
    (subs / "broken" / f"{EXERCISE}.ipynb").write_text("{not json")
    out = tmp_path_factory.mktemp("out")
    limits = Limits(timeout_cell=20, timeout_notebook=60)
    grade_batch([subs], out, solutions_dir=SOLUTIONS, jobs=2, isolate="off", limits=limits)
    with open_gradebook(out) as book:
        add_mark(book, "model", EXERCISE, "q6", 4.5, comment="Good link.", marker="kb",
                 rubric=[{"criterion": "Explains the link", "points": 2.5, "max_points": 3}])
        assert export_all(book) == []
    return out


def test_every_stored_row_reads_back_and_writes_the_same_json(graded):
    rows = sqlite3.connect(graded / "gradebook.sqlite").execute(
        "SELECT result_json FROM results").fetchall()
    assert len(rows) == 4
    for (text,) in rows:
        stored = json.loads(text)
        assert SubmissionResult.from_json(stored).to_json() == stored


def test_every_export_is_the_gradebooks_json(graded):
    with open_gradebook(graded) as book:
        latest = latest_results(book)
    assert {r["status"] for r in latest} == {"graded", "error"}
    assert any(m.get("status") == "marked" for r in latest for m in r["manual"].values())
    for r in latest:
        r.pop(LEGACY_PAGE, None)
        path = graded / result_paths(SubmissionResult.from_json(r))[0]
        assert path.read_text(encoding="utf-8") == json.dumps(
            r, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        assert SubmissionResult.from_json(r).to_json() == r


def test_keys_the_format_leaves_out_stay_out(graded):
    broken = json.loads((graded / "s-broken" / f"{EXERCISE}.json").read_text())
    assert not {"auto_max_score", "isolation", "limits", "retry"} & set(broken)
    model = json.loads((graded / "s-model" / f"{EXERCISE}.json").read_text())
    checks = [c for q in model["questions"].values() for c in q["checks"]]
    assert not any("your_value" in c for c in checks)  # every check passed
    assert all(("options" in c) == ("choice" in c) for c in checks)
    reflection = model["manual"]["q6"]
    assert reflection["status"] == "marked" and reflection["comment"] == "Good link."
    assert "\ufffd" in json.loads(Path(graded / "s-odd%20text" / f"{EXERCISE}.json")
                                  .read_text())["manual"]["q6"]["answer"]
