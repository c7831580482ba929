"""The simulated class makes the mistakes it claims to (so the other tests mean something)."""

from __future__ import annotations

import json

import pytest

from tests.classloop.classloop_helpers import GradedClass
from tests.grading.class_kit import NEAR_IDENTICAL, STUDENTS
from tests.grading.submissions_kit import EXERCISE

pytestmark = pytest.mark.kernel


def _result(graded: GradedClass, student: str) -> dict:
    return json.loads((graded.out / f"s-{student}" / f"{EXERCISE}.json").read_text())


def _failed(result: dict, question: str) -> list[str]:
    q = result["questions"][question]
    return [c["message"] for c in q["checks"] if not c["passed"]] + q["errors"]


def test_the_class_has_its_realistic_mistakes(graded_class: GradedClass):
    assert len(STUDENTS) >= 30
    results = {s: _result(graded_class, s) for s in STUDENTS}
    assert all(r["status"] == "graded" for r in results.values())
    full = results["s01"]["score"]
    assert any("text (str)" in m for m in _failed(results["s03"],
                                                  "q2_post_cold_war_members_test"))
    assert results["s04"]["questions"]["q5_share_test"]["points"] == 0     # rounded to 0.3
    assert any("NameError" in m for m in _failed(results["s05"], "q3_frameworks_test"))
    assert any("KeyError" in m for m in _failed(results["s05"],
                                                "q2_post_cold_war_members_test"))
    assert results["s06"]["score"] == 0                                     # blank
    first, second = (results[s] for s in NEAR_IDENTICAL)
    assert first["score"] == second["score"] < full
    assert len({r["score"] for r in results.values()}) >= 6                 # a spread of marks
