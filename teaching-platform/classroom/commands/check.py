"""``course check NOTEBOOK``: a practice verdict, right or wrong per question.

Judged against the instructor source when the repository holds ``solutions/`` (the grader
itself), else against the practice key of a bundle made with ``course release --practice``.
Exit status 0 when every autograded question is right, 1 otherwise (2 for usage errors).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from classroom.course import Course
from classroom.practice.verdict import check_notebook, report_lines


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``course check``."""
    c = sub.add_parser("check", help="practice verdict on one exercise notebook: right or "
                       "wrong per question, with the grader's feedback")
    c.add_argument("notebook", type=Path, help="e.g. exercises/03_measuring_threat_exercises"
                   ".ipynb (save it first: the saved file is judged)")
    c.add_argument("--solutions", type=Path, default=None,
                   help="instructor sources (default: <repo>/solutions when it exists)")
    c.add_argument("--isolate", choices=("auto", "require", "off"), default="auto",
                   help="kernel isolation when grading against the instructor source")
    c.set_defaults(run=run_check)


def run_check(args: argparse.Namespace) -> int:
    """Print the verdict; 0 if all autograded questions are right, else 1."""
    report = check_notebook(args.notebook, solutions_dir=args.solutions or
                            Course.find().root / "solutions", isolate=args.isolate)
    for line in report_lines(report):
        print(line)
    return 0 if report.right() and all(report.right().values()) else 1
