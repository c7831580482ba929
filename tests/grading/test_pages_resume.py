"""Pages come after the kernels, and a stopped batch still ends with every page (issue 24, 3).

The instructor's graded notebook is made from the executed notebook the gradebook keeps with
each result, once the batch's kernels are done.  A batch stopped while it grades, or while it
makes those pages, and run again, ends with every file of an uninterrupted batch, byte for
byte; what was made before the stop is kept.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from classroom.gradebook.store import open_gradebook
from classroom.grading import batch as batch_module
from classroom.grading import report
from classroom.grading.batch import GradingInterrupted, grade_batch
from classroom.grading.runner import Limits
from tests.grading.submissions_kit import SOLUTIONS, make_submission

pytestmark = pytest.mark.kernel

LIMITS = Limits(timeout_cell=20, timeout_notebook=60)
ANSWERS = [{}, {"q1": 'q1_core_tasks = "a"\nq1_south_tasks = "d"'},
           {"q2": "raise ValueError('not yet')"}, {"q5": "q5_share = 0.5\nq5_judgement = 'c'"},
           {"q3": "print('<b>bold</b> ' * 3)"}]


@pytest.fixture(scope="module")
def submissions(tmp_path_factory):
    subs = tmp_path_factory.mktemp("subs")
    for i, changes in enumerate(ANSWERS):
        make_submission(subs, f"student {i}", changes)
    return subs


@pytest.fixture(scope="module")
def clean(submissions, tmp_path_factory):
    out = tmp_path_factory.mktemp("clean")
    grade_batch([submissions], out, solutions_dir=SOLUTIONS, jobs=2, isolate="off",
                limits=LIMITS)
    return _files(out)


def _files(out: Path) -> dict[str, bytes]:
    """Every export (the database and its journal aside), by relative path."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not p.name.startswith("gradebook.sqlite")}


def _stop_on_call(monkeypatch, module, name: str, after: int) -> list[int]:
    """Make ``module.name`` raise KeyboardInterrupt (Ctrl-C) on call number ``after + 1``."""
    real, calls = getattr(module, name), []

    def stopping(*args, **kwargs):
        calls.append(1)
        if len(calls) > after:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, stopping)
    return calls


def _pages_kept(out: Path) -> int:
    with open_gradebook(out) as book:
        return book.conn.execute("SELECT COUNT(*) FROM graded_pages WHERE page IS NOT NULL"
                                 ).fetchone()[0]


def test_graded_notebooks_are_made_after_every_kernel_is_done(submissions, tmp_path,
                                                                monkeypatch):
    made: list[int] = []
    real_record, real_page = batch_module._record, report.instructor_page
    monkeypatch.setattr(batch_module, "_record",
                        lambda *a, **k: (made.append(len(made)), real_record(*a, **k)))
    pages = []
    monkeypatch.setattr(report, "instructor_page",
                        lambda *a: (pages.append(len(made)), real_page(*a))[1])
    grade_batch([submissions], tmp_path / "out", solutions_dir=SOLUTIONS, jobs=2,
                isolate="off", limits=LIMITS)
    assert pages == [len(ANSWERS)] * len(ANSWERS)  # every page after the last result


@pytest.mark.parametrize("stop", ["grading", "pages"])
def test_a_stopped_batch_run_again_ends_with_every_page(submissions, clean, tmp_path,
                                                        monkeypatch, stop):
    out = tmp_path / "out"
    with monkeypatch.context() as patch:
        if stop == "grading":  # Ctrl-C while the third result is being recorded
            _stop_on_call(patch, batch_module, "_record", after=2)
        else:  # Ctrl-C while the fourth page is being made, three kept
            real = report.make_pages
            patch.setattr(report, "make_pages", lambda book, **k: real(book, **{**k,
                                                                              "chunk": 1}))
            _stop_on_call(patch, report, "instructor_page", after=3)
        with pytest.raises(GradingInterrupted):
            grade_batch([submissions], out, solutions_dir=SOLUTIONS, jobs=1, isolate="off",
                        limits=LIMITS)
    assert _pages_kept(out) == (0 if stop == "grading" else 3)
    again = grade_batch([submissions], out, solutions_dir=SOLUTIONS, jobs=2, isolate="off",
                        limits=LIMITS)
    assert again.graded == (len(ANSWERS) - 2 if stop == "grading" else 0)
    files = _files(out)
    assert sorted(files) == sorted(clean)
    assert [p for p in files if p.startswith("instructor/")] == \
        [f"instructor/s-student%20{i}/01_southern_direction_exercises.graded.html"
         for i in range(len(ANSWERS))]
    assert {p: b for p, b in files.items() if files[p] != clean[p]} == {}
    assert _pages_kept(out) == len(ANSWERS)
    with open_gradebook(out) as book:  # a made page no longer needs its notebook
        assert book.conn.execute("SELECT COUNT(*) FROM graded_pages WHERE notebook_json IS "
                                 "NOT NULL").fetchone()[0] == 0
