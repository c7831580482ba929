"""``course report``: offline, with alt text, listing the near-identical pair (issue 10, item 5)."""

from __future__ import annotations

import re

import pytest

from classroom.classreport.build import class_sections
from classroom.classreport.stats import discrimination
from classroom.gradebook.store import open_gradebook
from tests.classloop.classloop_helpers import GradedClass, run_cli
from tests.grading.class_kit import NEAR_IDENTICAL

pytestmark = pytest.mark.kernel


@pytest.fixture(scope="module")
def report_html(graded_class: GradedClass, tmp_path_factory: pytest.TempPathFactory) -> str:
    """``course report DIR --out FILE`` run once; the HTML it wrote."""
    out = tmp_path_factory.mktemp("report") / "report.html"
    status, printed = run_cli(["report", str(graded_class.out), "--out", str(out)])
    assert status == 0 and printed.strip().endswith(str(out))
    return out.read_text(encoding="utf-8")


def test_report_builds_offline_and_lists_the_near_identical_pair(report_html: str):
    html = report_html
    assert not re.search(r"https?://", html)              # nothing to fetch, no citation URL
    assert not re.search(r"""(src|href)=["'](?!data:)""", html)  # images are data: URIs
    images = re.findall(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]+" alt="([^"]+)"', html)
    assert len(images) == 3 and all(len(alt) > 40 for alt in images)
    assert images[0].startswith("Histogram of the totals of 31 students")
    first, second = NEAR_IDENTICAL
    assert f"<td>{first} and {second}</td>" in html
    assert html.count(" and s") == 1                        # no other pair is listed
    assert "q2 (100%)" in html and "nothing here changes a grade" in html
    assert "Kelley" in html and "Okabe" in html


def test_report_statistics_and_the_pair_score(graded_class: GradedClass, report_html: str):
    book = open_gradebook(graded_class.out, create=False)
    try:
        notes: list[str] = []
        sections = class_sections(book, notes)
    finally:
        book.close()
    assert notes == [] and len(sections) == 1
    pairs = sections[0].pairs
    assert [(p.first, p.second) for p in pairs] == [NEAR_IDENTICAL] and pairs[0].score > 0.9
    stats = {q.grade_id: q for q in sections[0].stats.questions}
    q6 = stats["q6"]
    assert (q6.marked, q6.answered, q6.kind) == (3, 31, "manual")
    assert all(0 <= q.facility <= 1 for q in stats.values() if q.facility is not None)
    # the string answer of s03 is among the reasons shown for its question
    assert "should be a number, but it is text (str)" in report_html
    assert "3 of 31 marked" in report_html


def test_discrimination_index_upper_lower_27_percent():
    # 10 students: groups of 3; the question is earned by the top 3 and by nobody below
    fractions = [1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
    totals = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]
    assert discrimination(fractions, totals) == 1.0
    assert discrimination(list(reversed(fractions)), totals) == -1.0
    assert discrimination([1, 1, 1], [3, 2, 1]) is None


def test_item_analysis_counts_choices_and_flags_unused_distractors(graded_class: GradedClass,
                                                                   report_html: str):
    book = open_gradebook(graded_class.out, create=False)
    try:
        (section,) = class_sections(book, [])
    finally:
        book.close()
    stats = {q.grade_id: q for q in section.stats.questions}
    core = stats["q1_core_tasks_test"].choices
    south = stats["q1_south_tasks_test"].choices
    # the kit's mistakes answer "c" for the south tasks (6 students); s06 answered nothing
    assert core is not None and core.key == "b" and set(core.counts) == {"a", "b", "c", "d"}
    assert core.counts == {"a": 0, "b": 30, "c": 0, "d": 0} and core.other == 1
    assert south.key == "d" and south.counts == {"a": 0, "b": 0, "c": 6, "d": 24}
    assert "nobody chose a, c, d: they do not work as distractors" in stats[
        "q1_core_tasks_test"].flags
    assert "nobody chose a, b: they do not work as distractors" in stats[
        "q1_south_tasks_test"].flags
    assert stats["q2_post_cold_war_members_test"].choices is None  # not a choice question
    assert "<h2>Items to review</h2>" in report_html and "Haladyna" in report_html
    assert "nobody chose a, c, d" in report_html
    # the key is starred in the choices column
    assert "a 0 · b* 30 · c 0 · d 0 · none 1" in report_html
