"""One simulated class, graded once per test session (tests/grading/class_kit.py).

Grading 31 notebooks is the slow part (isolate="off", three at once), so every class-loop test
reads the same grading folder; tests that write do so into files of their own.
"""

from __future__ import annotations

import pytest

from classroom.gradebook.marks import add_mark
from classroom.gradebook.store import open_gradebook
from tests.classloop.classloop_helpers import MARKS, GradedClass, run_cli
from tests.grading.class_kit import build_class
from tests.grading.submissions_kit import EXERCISE, SOLUTIONS


@pytest.fixture(scope="session")
def graded_class(tmp_path_factory: pytest.TempPathFactory) -> GradedClass:
    """Build the class, grade it with ``--config``, import the roster, mark three reflections."""
    root = tmp_path_factory.mktemp("class")
    kit = build_class(root)
    out = root / "grading"
    status, _ = run_cli(["grade", str(kit.submissions), "--out", str(out), "--solutions",
                         str(SOLUTIONS), "--isolate", "off", "--jobs", "3", "--config",
                         str(kit.config)])
    assert status == 0
    status, printed = run_cli(["roster", "import", str(kit.roster), "--dir", str(out),
                               "--submissions", str(kit.submissions)])
    assert status == 0
    book = open_gradebook(out, create=False)
    try:
        for student, points in MARKS.items():
            add_mark(book, student, EXERCISE, "q6", points, comment="ok", marker="t")
    finally:
        book.close()
    return GradedClass(kit, out, printed)
