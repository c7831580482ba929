"""Choice questions must not give their key away: the authoring check and its report.

The check (:mod:`course_lib.quizzes.giveaways`) refuses a key that is the longest option by a
clear margin and options that repeat; the report gives the share of keys that are the longest
option and the score of always picking the longest. Lesson quizzes are checked when a bank is
read (:func:`course_lib.quizzes.load_quiz`).
"""

from __future__ import annotations

import pytest

from course_lib import quizzes
from course_lib.quizzes.giveaways import (
    KEY_LENGTH_MIN_EXCESS,
    KEY_LENGTH_RATIO,
    ChoiceItem,
    giveaway_report,
    option_problems,
    prompt_options,
)

HEDGED_KEY = ["it proves the paper right",
              "the match is circular: the rule restates the description, so it is no test of it",
              "it proves offensive realism"]


def test_a_hedged_key_that_stands_out_is_refused():
    (problem,) = option_problems(HEDGED_KEY, key=1)
    assert "longest option by a clear margin" in problem


def test_the_margin_needs_both_the_ratio_and_the_characters():
    base = "x" * 60
    just_inside = "y" * int(60 * KEY_LENGTH_RATIO)
    assert option_problems([base, just_inside], key=1) == []
    assert option_problems([base, "y" * (int(60 * KEY_LENGTH_RATIO) + 1)], key=1)
    # one-word options: a ratio above 1.25 but only a few letters more is no giveaway
    assert option_problems(["Balancing", "Buck-passing"], key=1) == []
    short = "z" * 20
    assert option_problems([short, "k" * (20 + KEY_LENGTH_MIN_EXCESS)], key=1)
    assert option_problems([short, "k" * (20 + KEY_LENGTH_MIN_EXCESS - 1)], key=1) == []


def test_a_long_distractor_is_not_a_giveaway():
    assert option_problems(list(reversed(HEDGED_KEY)), key=0) == []


def test_repeated_options_are_refused_whatever_the_case_or_emphasis():
    problems = option_problems(["**Entrapment**", "entrapment.", "Abandonment"], key=2)
    assert problems == ["options repeat: '**Entrapment**' and 'entrapment.'"]


@pytest.mark.parametrize("options, key", [(["only one"], 0), (["a", "b"], 2), (["a", "b"], True)])
def test_malformed_questions_are_errors(options, key):
    with pytest.raises(ValueError):
        option_problems(options, key)


def test_report_counts_longest_keys_and_splits_ties():
    items = [ChoiceItem("q1", ("a short one", "the longest option here"), 1, 3.0),
             ChoiceItem("q2", ("same", "size", "here"), 2, 1.0),
             ChoiceItem("q3", ("a long distractor text", "key"), 1, 2.0)]
    report = giveaway_report(items)
    assert report.questions == 3 and report.key_longest == 2
    assert report.longest_score == pytest.approx(3.0 + 1.0 / 3)
    assert report.points == 6.0 and report.guess_score == pytest.approx(1.5 + 1 / 3 + 1.0)
    line = report.line("exercise 09")
    assert "key is the longest option in 2 (67%)" in line and "3.33/6 points (56%)" in line


def test_a_quiz_bank_with_a_giveaway_does_not_load(monkeypatch):
    bad = {"prompt": "p?", "options": HEDGED_KEY, "answer": 1, "hint": "h", "explanation": "e"}
    with pytest.raises(ValueError, match=r"02.toml: question 3: the key is the longest"):
        quizzes._check_question("02", 2, bad)
    bad = {**bad, "options": ["Entrapment", "entrapment", "Abandonment"], "answer": 2}
    with pytest.raises(ValueError, match="options repeat"):
        quizzes._check_question("02", 2, bad)


def test_the_lesson_quizzes_do_not_reward_picking_the_longest_option():
    reports = [quizzes.quiz_report(lesson) for lesson in quizzes.quiz_lessons()]
    questions = sum(r.questions for r in reports)
    assert questions >= 24
    # below a blind guess over all banks: the longest option is no better than chance
    assert sum(r.longest_score for r in reports) <= sum(r.guess_score for r in reports)
    assert sum(r.key_longest for r in reports) <= 0.4 * questions


NESTED = """1. First part. Set `q2_veto` to the letter (a `str`).

   - **a** consensus gives every ally a veto,
     so the most reluctant ally sets the pace
   - **b** bandwagoning
2. Second part. Set `q2_other` to the letter.
   - **a** one
   - **b** two
"""


def test_prompt_options_read_nested_lists_and_stop_at_the_next_item():
    assert prompt_options(NESTED, "q2_veto") == {
        "a": "consensus gives every ally a veto, so the most reluctant ally sets the pace",
        "b": "bandwagoning"}
    assert prompt_options(NESTED, "q2_other") == {"a": "one", "b": "two"}


def test_prompt_options_need_the_variable_and_a_list_after_it():
    assert prompt_options(NESTED, "q9") is None
    assert prompt_options("- **a** before\n\nSet `q1` to the letter.\n\nNo list.", "q1") is None
    # the options of the next question are not this question's
    later = "Set `q1` first.\n\nNow a second question: set `q2`.\n\n- **a** one\n- **b** two"
    assert prompt_options(later, "q1") is None and prompt_options(later, "q2")
