"""``course gradebook``: read or mark the gradebook of a grading folder.

Actions are sub-parsers of ``gradebook``; each sets its own ``run``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from classroom.commands import gradebook_export
from classroom.gradebook.history import format_history, student_history
from classroom.gradebook.marks import add_mark
from classroom.gradebook.store import open_gradebook
from classroom.grading.report import export_all


def register(sub: argparse._SubParsersAction) -> argparse._SubParsersAction:
    """Add ``course gradebook history|mark``; returns the actions' sub-parsers for more."""
    gb = sub.add_parser("gradebook", help="read or mark the gradebook of a grading folder")
    actions = gb.add_subparsers(dest="action", required=True)
    h = actions.add_parser("history", help="list a student's grading runs")
    h.add_argument("student")
    h.add_argument("--dir", type=Path, default=Path("."), help="grading folder (default: .)")
    h.set_defaults(run=run_history)
    m = actions.add_parser("mark", help="record a manual mark (the latest mark counts)")
    m.add_argument("student")
    m.add_argument("exercise")
    m.add_argument("question", help="grade_id of the manually graded cell, e.g. q6")
    m.add_argument("points", type=float)
    m.add_argument("--marker", required=True, help="who marked (initials)")
    m.add_argument("--comment", default="")
    m.add_argument("--dir", type=Path, default=Path("."), help="grading folder (default: .)")
    m.set_defaults(run=run_mark)
    gradebook_export.register_actions(actions)
    return actions


def run_history(args: argparse.Namespace) -> int:
    """Print one student's grading runs."""
    with open_gradebook(args.dir, create=False) as book:
        print(format_history(args.student, student_history(book, args.student)))
        return 0


def run_mark(args: argparse.Namespace) -> int:
    """Record one manual mark and refresh the exported files."""
    with open_gradebook(args.dir, create=False) as book:
        add_mark(book, args.student, args.exercise, args.question, args.points,
                 comment=args.comment, marker=args.marker)
        for warning in export_all(book):
            print(f"warning: {warning}", file=sys.stderr)
        print(f"marked {args.student} {args.exercise} {args.question}: {args.points:g}")
        return 0
