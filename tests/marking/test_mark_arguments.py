"""Marks and the second-marking sample take their arguments by the package's one set of rules
(course_lib._validate): a bool is never a number, so ``True`` is neither one point nor the
whole class."""

from __future__ import annotations

import math

import numpy as np
import pytest

from classroom.errors import CourseError
from classroom.gradebook.marks import add_mark, latest_marks
from classroom.gradebook.store import open_gradebook
from classroom.marking.second import second_sample

CLASS = [f"s{i:02d}" for i in range(20)]


@pytest.mark.parametrize("fraction", [True, np.bool_(True), "0.5", math.nan, 0, 1.5, None])
def test_a_sample_that_is_not_a_fraction_is_refused(fraction):
    with pytest.raises(ValueError, match=r"^sample must be a finite number in \(0, 1\], got "):
        second_sample(CLASS, fraction, seed=1)


def test_a_seed_must_be_an_integer():
    with pytest.raises(ValueError, match=r"^seed must be an integer, got True"):
        second_sample(CLASS, 0.2, seed=True)
    assert len(second_sample(CLASS, 0.2, seed=np.int64(3))) == 4


@pytest.fixture
def book(tmp_path):
    book = open_gradebook(tmp_path)
    book.sync_exercise("01_x", "X", "h", [("q6", "manual", 6.0)], 0.0, 6.0)
    yield book
    book.close()


@pytest.mark.parametrize("points", [True, False, "5", math.nan, math.inf, -1, 6.5])
def test_points_that_are_not_a_number_in_range_are_refused(book, points):
    with pytest.raises(CourseError, match=r"^points for q6 must be a finite number in \[0, 6\]"):
        add_mark(book, "ann", "01_x", "q6", points, marker="kb")
    assert latest_marks(book, "ann", "01_x") == {}


@pytest.mark.parametrize("line", [
    {"criterion": "Claim", "points": True, "max_points": 2},
    {"criterion": "Claim", "points": None, "max_points": 2},
    {"criterion": "Claim", "points": 3, "max_points": 2},
    {"criterion": "Claim", "points": 1, "max_points": True},
    {"criterion": "Claim", "points": "1"},
])
def test_rubric_lines_follow_the_same_rules(book, line):
    with pytest.raises(CourseError, match=r"^rubric (points|maximum) for 'Claim' must be a "):
        add_mark(book, "ann", "01_x", "q6", 1, marker="kb", rubric=[line])
    assert latest_marks(book, "ann", "01_x") == {}


def test_a_good_mark_is_kept_as_a_float(book):
    add_mark(book, "ann", "01_x", "q6", np.int64(5), marker="kb",
             rubric=[{"criterion": "Claim", "points": 2, "max_points": 2}])
    assert latest_marks(book, "ann", "01_x")["q6"]["points"] == 5.0
