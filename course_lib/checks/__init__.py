"""Answer checks for exercise notebooks: visible self-checks and graded checks.

Modules: :mod:`~course_lib.checks.api` (``check_answer``, ``check_choice``, ``self_check``, the
calls exercise cells make), :mod:`~course_lib.checks.encoding` (answers as JSON-ready data, the
same in the kernel and in the grader), :mod:`~course_lib.checks.forms` (the form rules of the
visible self-check, and the kinds of value) and :mod:`~course_lib.checks.judging` (one function
per answer mode). Every judgement goes through :func:`encode_value` and :func:`judge`, so the
kernel-side asserts and the grader agree exactly. Failure messages never contain the expected
value.

Examples
--------
>>> q1_year = 2022
>>> check_answer("q1_year", equals=2022, namespace={"q1_year": q1_year})
True
>>> judge("check_answer", "q1_year", {"equals": 2022}, encode_value(2014)).passed
False
"""

from course_lib.checks.api import FormError, check_answer, check_choice, self_check
from course_lib.checks.encoding import decode_value, encode_value
from course_lib.checks.judging import CHECK_FUNCTIONS, FORM_ONLY_NOTE, TYPE_NAMES, Outcome, judge

__all__ = [
    "CHECK_FUNCTIONS",
    "FORM_ONLY_NOTE",
    "FormError",
    "TYPE_NAMES",
    "Outcome",
    "check_answer",
    "check_choice",
    "decode_value",
    "encode_value",
    "judge",
    "self_check",
]
