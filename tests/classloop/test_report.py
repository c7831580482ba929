"""``course report``: offline, with alt text, listing the near-identical pair (issue 10, item 5)."""

from __future__ import annotations

import re

from class_kit import NEAR_IDENTICAL
from conftest import GradedClass, run_cli
from submissions_kit import EXERCISE

from course_lib.classreport.build import build_report
from course_lib.classreport.stats import discrimination


def test_report_builds_offline_and_lists_the_near_identical_pair(graded_class: GradedClass,
                                                                  tmp_path):
    out = tmp_path / "report.html"
    status, printed = run_cli(["report", str(graded_class.out), "--out", str(out)])
    assert status == 0 and printed.strip().endswith(str(out))
    html = out.read_text(encoding="utf-8")
    assert not re.search(r"https?://", html)              # nothing to fetch, no citation URL
    assert not re.search(r"""(src|href)=["'](?!data:)""", html)  # images are data: URIs
    images = re.findall(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]+" alt="([^"]+)"', html)
    assert len(images) == 3 and all(len(alt) > 40 for alt in images)
    assert "Score distribution" not in images[0] and "Histogram of the totals of 31" in images[0]
    first, second = NEAR_IDENTICAL
    assert f"<td>{first} and {second}</td>" in html
    assert html.count(" and s") == 1                        # no other pair is listed
    assert "q2 (100%)" in html and "never" not in html.split("Similar submissions")[0]
    assert "Kelley" in html and "Okabe" in html


def test_report_statistics_and_the_pair_score(graded_class: GradedClass, tmp_path):
    report = build_report(graded_class.out, out=tmp_path / "r.html")
    assert [(ex, p.first, p.second) for ex, p in report.pairs] == [
        (EXERCISE, *NEAR_IDENTICAL)]
    assert report.pairs[0][1].score > 0.9 and report.notes == []
    html = report.path.read_text(encoding="utf-8")
    # the rounding mistake of s04 and the string answer of s03 are among the reasons shown
    assert "should be a number, but it is text (str)" in html
    assert "3 of 31 marked" in html


def test_discrimination_index_upper_lower_27_percent():
    # 10 students: groups of 3; the question is earned by the top 3 and by nobody below
    fractions = [1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
    totals = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]
    assert discrimination(fractions, totals) == 1.0
    assert discrimination(list(reversed(fractions)), totals) == -1.0
    assert discrimination([1, 1, 1], [3, 2, 1]) is None
