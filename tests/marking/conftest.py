"""A small graded folder for the marking tests: four submissions of exercise 01, graded once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from classroom.grading.batch import grade_batch
from classroom.grading.runner import Limits
from tests.grading.submissions_kit import SOLUTIONS, make_submission
from tests.marking.marking_kit import ANSWERS


@pytest.fixture(scope="session")
def graded_master(tmp_path_factory) -> Path:
    """Grade the four submissions once (isolation off: the sandbox is tested elsewhere)."""
    subs = tmp_path_factory.mktemp("subs")
    for student, changes in ANSWERS.items():
        make_submission(subs, student, changes, fresh=changes is None)
    out = tmp_path_factory.mktemp("graded")
    batch = grade_batch([subs], out, solutions_dir=SOLUTIONS, jobs=2, isolate="off",
                        limits=Limits(timeout_cell=30, timeout_notebook=90))
    assert batch.graded == 4 and all(r.graded for r in batch.results)
    return out


@pytest.fixture
def graded(graded_master, tmp_path) -> Path:
    """A fresh copy of the graded folder for one test (marks of other tests do not leak)."""
    folder = tmp_path / "graded"
    shutil.copytree(graded_master, folder)
    return folder
