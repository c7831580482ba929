"""Tests for course_lib.checks: encoding, one judging function per answer mode, the public API."""

from __future__ import annotations

import inspect
import math
import textwrap

import numpy as np
import pandas as pd
import pytest

from course_lib import checks
from course_lib.checks import encoding, judging
from course_lib.checks.encoding import decode_value, encode_value


def test_public_names_unchanged() -> None:
    for name in ("CHECK_FUNCTIONS", "FORM_ONLY_NOTE", "TYPE_NAMES", "Outcome", "check_answer",
                 "check_choice", "encode_value", "judge", "self_check"):
        assert name in checks.__all__ and hasattr(checks, name), name
    assert checks.CHECK_FUNCTIONS == {"check_answer": True, "check_choice": True,
                                      "self_check": False}


@pytest.mark.parametrize("value", [3, 2.5, True, None, "text", [1, "a"], (1, 2), {"k": [1.5]}])
def test_encoding_round_trip(value: object) -> None:
    plain = decode_value(encode_value(value))
    expected = list(value) if isinstance(value, tuple) else value
    assert plain == expected


def test_encoding_unwraps_numpy_and_pandas_and_marks_non_finite() -> None:
    assert encode_value(np.int64(4)) == {"kind": "int", "value": 4, "pytype": "int64"}
    assert decode_value(encode_value(pd.Series([1, 2]))) == [1, 2]
    enc = encode_value(float("nan"))
    assert enc["kind"] == "float" and enc["value"] is None
    assert math.isnan(decode_value(enc))
    assert decode_value(encode_value(-math.inf)) == -math.inf
    assert encode_value(object())["kind"] == "other"
    assert encode_value(10**30)["value"] is None


def test_encode_value_is_self_contained() -> None:
    """The grader ships its source into a kernel: it must run with no module globals."""
    source = textwrap.dedent(inspect.getsource(encode_value))
    namespace: dict = {}
    exec(compile(source, "<probe>", "exec"), namespace)  # noqa: S102 - the point of the test
    fresh = namespace["encode_value"]
    for value in (1, 2.5, float("inf"), "a", [1, {2: (3,)}], {1, 2}, None):
        assert fresh(value) == encode_value(value)
    assert "import" not in source.split('"""')[-1]


@pytest.mark.parametrize(
    ("mode", "args", "good", "bad", "bad_words"),
    [
        (judging.judge_choice, {"answer": "b"}, "(B)", "c", "not the right option"),
        (judging.judge_close_to, {"close_to": 0.5, "tol": 0.01}, 0.505, 0.6, "outside"),
        (judging.judge_sequence, {"sequence": ["a", "b"]}, ["A", "b"], ["b", "a"], "order"),
        (judging.judge_sequence, {"items": ["a", "b"]}, ["b", "a"], ["a", "c"], "not right"),
        (judging.judge_one_of, {"one_of": ["Egypt", "Jordan"]}, "jordan", "Iran",
         "not an accepted"),
        (judging.judge_equals, {"equals": 2022}, 2022, 2014, "not right"),
        (judging.judge_form, {"type": "int", "between": (1, 5)}, 3, 9, "between 1 and 5"),
    ],
)
def test_each_answer_mode_passes_and_fails(mode, args, good, bad, bad_words) -> None:
    assert mode("q", args, encode_value(good)).passed is True
    outcome = mode("q", args, encode_value(bad))
    assert outcome.passed is False
    assert bad_words in outcome.message


def test_messages_never_reveal_the_expected_value() -> None:
    secret = "Mediterranean Dialogue"
    for function, args in (("check_answer", {"equals": secret}),
                           ("check_answer", {"one_of": [secret]}),
                           ("check_answer", {"items": [secret, "x"]})):
        outcome = checks.judge(function, "q", args, encode_value("Partnership for Peace"))
        assert not outcome.passed and secret not in outcome.message


def test_judge_dispatches_type_check_before_the_mode() -> None:
    outcome = checks.judge("check_answer", "y", {"type": "int", "equals": 2022},
                           encode_value(2022.0))
    assert not outcome.passed and "whole number" in outcome.message
    assert not checks.judge("check_answer", "y", {"equals": 1}, None).passed
    with pytest.raises(ValueError, match="function must be one of"):
        checks.judge("check_everything", "y", {}, encode_value(1))
    with pytest.raises(ValueError, match="check_answer needs one of"):
        checks.judge("check_answer", "y", {}, encode_value(1))


def test_api_asserts_and_validates_arguments() -> None:
    assert checks.check_answer("x", close_to=1.0, tol=0.1, namespace={"x": 1.05})
    with pytest.raises(AssertionError, match="outside the accepted range"):
        checks.check_answer("x", close_to=1.0, tol=0.01, namespace={"x": 2})
    with pytest.raises(ValueError, match="exactly one of"):
        checks.check_answer("x", equals=1, one_of=[1], namespace={"x": 1})
    with pytest.raises(ValueError, match="tol must be"):
        checks.check_answer("x", close_to=1.0, tol=-1, namespace={"x": 1})
    # a bool is not a number: tol=True is not a tolerance of 1, weight=True not a weight of 1
    with pytest.raises(ValueError, match=r"^tol must be a finite number in \[0, inf\], got True"):
        checks.check_answer("x", close_to=1.0, tol=True, namespace={"x": 1.5})
    with pytest.raises(ValueError, match=r"^weight must be a finite number in \(0, inf\)"):
        checks.check_answer("x", equals=1, weight=True, namespace={"x": 1})
    with pytest.raises(ValueError, match="type must be one of"):
        checks.self_check("x", type=complex, namespace={"x": 1})
    with pytest.raises(AssertionError, match="not one of the offered options"):
        checks.check_choice("q", "a", options="abc", namespace={"q": "z"})


def test_api_reads_the_callers_globals() -> None:
    global answer_for_lookup
    answer_for_lookup = 7
    assert checks.check_answer("answer_for_lookup", equals=7)
    with pytest.raises(AssertionError, match="no variable called"):
        checks.check_answer("no_such_variable_here", equals=7)


def test_module_roles() -> None:
    assert encoding.__all__ == ["decode_value", "encode_value"]
    assert {"judge", "judge_equals", "judge_form"} <= set(judging.__all__)


def test_self_check_prints_one_line_when_right_and_raises_one_line_when_wrong(capsys) -> None:
    assert checks.self_check("n", type=int, between=(0, 5), namespace={"n": 3}) is True
    good = capsys.readouterr().out
    with pytest.raises(checks.FormError) as wrong:
        checks.self_check("n", type=int, between=(0, 5), namespace={"n": 9})
    assert capsys.readouterr().out == ""
    bad = wrong.value._render_traceback_()
    assert good.count("\n") == 1 and len(bad) == 1 and "\n" not in bad[0]
    assert good.startswith("✓ n: the form is right") and "course check" in good
    assert bad[0].startswith("✗ n: should be a number between 0 and 5")
    assert isinstance(wrong.value, AssertionError)


def test_self_check_names_the_notebook_in_the_verdict_command(capsys) -> None:
    space = {"x": "a", "__session__": "exercises/03_measuring_threat_exercises.ipynb"}
    checks.self_check("x", type=str, choices="abcd", namespace=space)
    assert "`course check exercises/03_measuring_threat_exercises.ipynb`" in capsys.readouterr().out


@pytest.mark.parametrize("value", ["Iran", " iran ", ["RUS", "Iran", "CHN"]])
def test_country_names_are_rejected_where_codes_are_asked(value) -> None:
    kind, length = (list, 3) if isinstance(value, list) else (str, None)
    with pytest.raises(checks.FormError) as wrong:
        checks.self_check("top", type=kind, length=length, namespace={"top": value})
    message = str(wrong.value)
    assert "is a country name; give its ISO3 code, 'IRN'" in message
    assert message.startswith("✗ top:")
    assert checks.self_check("top", type=str, namespace={"top": "IRN"}) is True


def test_self_check_of_a_missing_variable_says_so() -> None:
    with pytest.raises(checks.FormError, match="no variable called absent"):
        checks.self_check("absent", type=int, namespace={})


# An answer a graded check accepts must never fail the self-check beside it: nbgrader scores a
# test cell whose self-check raises as 0, while ``course grade`` would give the points.
ACCEPTED_BOTH_WAYS = [
    ({"type": "int", "between": (0, 32)}, {"equals": 16}, 16.0),
    ({"type": "str", "length": 3}, {"equals": "EGY"}, "  egy "),
    ({"type": "str", "choices": ["none", "ad_hoc", "partnership", "alliance"]},
     {"equals": "alliance"}, " Alliance "),
    ({"type": "list", "length": 4}, {"items": ["ARE", "QAT", "KWT", "BHR"]},
     {"ARE", "QAT", "KWT", "BHR"}),
    ({"type": "list", "length": 3}, {"sequence": [2008, 2014, 2022]}, (2008, 2014, 2022)),
    ({"type": "float", "between": (0, 1)}, {"close_to": 0.278, "tol": 0.005}, 0.28),
    ({"type": "str", "nonempty": True}, {"equals": "buck-pass"}, "Buck-Pass"),
    ({"type": "str", "choices": "abcd"}, None, "(B) "),
]


@pytest.mark.parametrize("form, graded, value", ACCEPTED_BOTH_WAYS)
def test_an_answer_the_graded_check_accepts_has_the_right_form(form, graded, value) -> None:
    encoded = checks.encode_value(value)
    if graded is None:
        assert checks.judge("check_choice", "x", {"answer": "b"}, encoded).passed
    else:
        assert checks.judge("check_answer", "x", graded, encoded).passed
    assert checks.judge("self_check", "x", form, encoded).passed
