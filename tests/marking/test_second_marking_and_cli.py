"""Second marking of a sample, disagreements, and `course mark DIR` (issue 10, item 1)."""

from __future__ import annotations

import nbformat
import pytest

from classroom import cli
from classroom.gradebook.marks import latest_marks
from classroom.gradebook.store import open_gradebook
from classroom.marking.second import disagreements, second_sample
from classroom.marking.widget import NOT_SCORED, marking_widget
from tests.grading.submissions_kit import EXERCISE, SOLUTIONS

pytestmark = pytest.mark.kernel


def _mark_all(w, scores_for):
    """Mark every item of the widget's queue with ``scores_for(student)``."""
    for _ in range(len(w.session.queue)):
        for control, score in zip(w.criteria, scores_for(w.session.current.student),
                                  strict=True):
            control.value = score
        w.unmarked_button.click()


def test_second_marks_a_seeded_sample_apart_from_the_first_marks(graded):
    first = marking_widget(graded, marker="KB", solutions=SOLUTIONS)
    _mark_all(first, lambda s: [2.0, 2.0, 1.0, 1.0])
    second = marking_widget(graded, marker="JD", second=True, sample=0.5, seed=3,
                            solutions=SOLUTIONS)
    sampled = {i.student for i in second.session.queue.items}
    assert sampled == second_sample(["ann lee", "bo", "chen", "dara"], 0.5, seed=3)
    assert len(sampled) == 2
    assert second.progress_text() == "0/2 marked", "second marking is blind to first marks"
    assert second.criteria[0].value == NOT_SCORED
    _mark_all(second, lambda s: [1.0, 1.0, 1.0, 1.0] if s == min(sampled) else
              [2.0, 1.0, 1.0, 1.0])
    assert second.progress_text() == "2/2 marked"
    book = open_gradebook(graded, create=False)
    for student in sampled:
        assert latest_marks(book, student, EXERCISE)["q6"]["points"] == 6.0
        assert latest_marks(book, student, EXERCISE, second=True)["q6"]["marker"] == "JD"
    found = disagreements(book)
    assert [(d.student, d.first, d.second) for d in found] == [(min(sampled), 6.0, 4.0)]
    second._load()
    assert "Disagreements (more than 1 point apart): 1" in second.disagreement_html.value
    assert min(sampled) not in second.disagreement_html.value, "codes, not names"


def test_disagreements_are_listed_by_the_command(graded, capsys):
    w = marking_widget(graded, marker="KB", solutions=SOLUTIONS)
    _mark_all(w, lambda s: [2.0, 2.0, 1.0, 1.0])
    s = marking_widget(graded, marker="JD", second=True, sample=1.0, solutions=SOLUTIONS)
    _mark_all(s, lambda st: [0.0, 2.0, 1.0, 1.0] if st == "bo" else [2.0, 1.0, 1.0, 1.0])
    assert cli.main(["mark", str(graded), "--disagreements", "--names"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "1 disagreement(s) of more than 1 point"
    assert out[0].startswith("bo  ") and "first 6 (KB)  second 4 (JD)  difference 2" in out[0]
    assert cli.main(["mark", str(graded), "--disagreements"]) == 0
    assert "bo" not in capsys.readouterr().out.split("  ")[0]


def test_the_command_writes_the_marking_notebook_and_its_cell_builds_the_widget(graded,
                                                                               capsys):
    assert cli.main(["mark", str(graded), "--marker", "KB", "--print-only",
                     "--solutions", str(SOLUTIONS)]) == 0
    out = capsys.readouterr().out
    path = graded / "marking.ipynb"
    assert "0/4 marked" in out and str(path) in out
    nb = nbformat.read(path, as_version=4)
    (code,) = [c for c in nb.cells if c.cell_type == "code"]
    namespace: dict = {}
    exec(compile(code.source, str(path), "exec"), namespace)  # what the notebook runs
    w = namespace["marking_widget"](graded, marker="KB", solutions=SOLUTIONS)
    assert w.session.marker == "KB" and "marker='KB'" in code.source
    assert cli.main(["mark", str(graded), "--print-only", "--marker", "JD"]) == 0, \
        "rewrites its own notebook"
    assert "marker='JD'" in path.read_text()
    assert cli.main(["mark", str(graded), "--second", "--no-browser"]) == 0
    assert (graded / "marking-second.ipynb").is_file()


def test_the_command_refuses_to_overwrite_a_marking_notebook_it_did_not_write(graded,
                                                                              capsys):
    mine = graded / "marking.ipynb"
    mine.write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    before = mine.read_bytes()
    assert cli.main(["mark", str(graded), "--print-only"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: course mark:") and "refusing to overwrite" in err
    assert len(err.splitlines()) == 1 and mine.read_bytes() == before


def test_the_command_needs_a_grading_folder(tmp_path, capsys):
    assert cli.main(["mark", str(tmp_path / "nowhere"), "--print-only"]) == 2
    assert cli.main(["mark", str(tmp_path), "--print-only"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert "is not a folder" in err[0] and "gradebook.sqlite is missing" in err[1]
    assert not (tmp_path / "marking.ipynb").exists()
