"""``course build-exercises``: generate ``exercises/`` from ``solutions/``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from classroom.course import Course
from classroom.notebooks.transform import BuildResult, build_exercises
from course_lib.quizzes import quiz_lessons, quiz_report


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``course build-exercises``."""
    b = sub.add_parser("build-exercises", help="generate exercises/ from solutions/")
    b.add_argument("--check", action="store_true",
                   help="do not write; exit 1 when exercises/ is stale")
    b.add_argument("--solutions", type=Path, default=None, help="default: <repo>/solutions")
    b.add_argument("--exercises", type=Path, default=None, help="default: <repo>/exercises")
    b.set_defaults(run=run_build)


def run_build(args: argparse.Namespace) -> int:
    """Write (or, with ``--check``, compare) the student exercises."""
    root = Course.find().root
    sol = args.solutions or root / "solutions"
    ex = args.exercises or root / "exercises"
    result = build_exercises(sol, ex, check=args.check)
    _print_audit(result)
    if args.check:
        if result.up_to_date:
            print(f"exercises/ is up to date ({len(result.unchanged)} notebook(s))")
            return 0
        for name in result.stale:
            print(f"stale: {ex / name} differs from what {sol / name} generates",
                  file=sys.stderr)
        for name in result.extra:
            print(f"extra: {ex / name} has no source in {sol}", file=sys.stderr)
        print("exercises/ is stale: run `course build-exercises`", file=sys.stderr)
        return 1
    for name in result.written:
        print(f"wrote {ex / name}")
    for name in result.extra:
        print(f"warning: {ex / name} has no source in {sol}", file=sys.stderr)
    print(f"{len(result.written)} written, {len(result.unchanged)} unchanged")
    return 0


def _print_audit(result: BuildResult) -> None:
    """What each exercise's points measure and how far its choice questions reward picking the
    longest option; the same for the lessons' quizzes."""
    for audit in result.audits:
        for line in audit.lines():
            print(line)
    for lesson in quiz_lessons():
        print(quiz_report(lesson).line(f"lesson {lesson} quiz"))
