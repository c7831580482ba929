"""``course mark DIR``: mark reflections in JupyterLab (a marking notebook in the folder).

``--print-only`` (or ``--no-browser``) writes the notebook and prints its path without
starting JupyterLab; ``--disagreements`` prints where first and second marks differ by more
than a point.

Examples
--------
>>> from classroom.cli import build_parser
>>> args = build_parser().parse_args(["mark", "out", "--second", "--sample", "0.3"])
>>> args.second, args.sample, args.marker
(True, 0.3, '')
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from classroom.commands.lab import APP_SETTINGS_DIR, lab_command
from classroom.course import Course
from classroom.errors import CourseError
from classroom.gradebook.store import open_gradebook
from classroom.labextension.settings import write_app_settings
from classroom.marking.anonymise import anonymous_codes
from classroom.marking.notebook import write_marking_notebook
from classroom.marking.queue import build_queue
from classroom.marking.second import disagreements
from course_lib import _validate

__all__ = ["register"]


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``course mark``."""
    p = sub.add_parser("mark", help="mark reflections in JupyterLab (grading folder DIR)")
    p.add_argument("dir", type=Path, help="the grading folder (course grade --out)")
    p.add_argument("--marker", default="", help="your initials (else the widget asks)")
    p.add_argument("--names", action="store_true", help="show names, not anonymous codes")
    p.add_argument("--second", action="store_true", help="second-mark a sample of students")
    p.add_argument("--sample", type=float, default=0.2, help="second-marking fraction (0.2)")
    p.add_argument("--seed", type=int, default=None, help="second-marking sample seed")
    p.add_argument("--solutions", type=Path, default=None, help="default: <repo>/solutions")
    p.add_argument("--print-only", "--no-browser", dest="print_only", action="store_true",
                   help="write the marking notebook and print its path; do not start Lab")
    p.add_argument("--disagreements", action="store_true",
                   help="list questions whose two marks differ by more than a point")
    p.set_defaults(run=run_mark)


def _print_disagreements(args: argparse.Namespace) -> int:
    with open_gradebook(args.dir, create=False) as book:
        found = disagreements(book)
        codes = anonymous_codes(args.dir, {d.student for d in found})
        for d in found:
            who = d.student if args.names else codes[d.student]
            print(f"{who}  {d.exercise}  {d.grade_id}  first {d.first:g} ({d.first_marker})  "
                  f"second {d.second:g} ({d.second_marker})  difference {d.difference:g}")
        print(f"{len(found)} disagreement(s) of more than 1 point")
        return 0


def run_mark(args: argparse.Namespace) -> int:
    """Write the marking notebook (and start JupyterLab on it unless ``--print-only``)."""
    if not args.dir.is_dir():
        raise CourseError(f"{args.dir} is not a folder (give the grading folder, the --out "
                          "of course grade)")
    try:
        _validate.finite_in(args.sample, "--sample", 0.0, 1.0, low_open=True)
    except ValueError as exc:
        raise CourseError(str(exc)) from None
    if args.disagreements:
        return _print_disagreements(args)
    solutions = (args.solutions or Course.find().root / "solutions").resolve()
    with open_gradebook(args.dir, create=False) as book:
        queue = build_queue(book, solutions)
    if not queue.items:
        print(f"warning: nothing to mark in {args.dir}: no graded answers to manually "
              "graded questions", file=sys.stderr)
    path = write_marking_notebook(args.dir, marker=args.marker, names=args.names,
                                  second=args.second, sample=args.sample, seed=args.seed,
                                  solutions=solutions)
    print(f"{queue.progress()} (first marking); marking notebook: {path}")
    if args.print_only:
        return 0
    euid = os.geteuid() if hasattr(os, "geteuid") else None
    settings = write_app_settings(Course.find().root / APP_SETTINGS_DIR)
    return subprocess.call(lab_command(path.parent, euid, settings, open_path=path.name,
                                       ip="127.0.0.1"),
                           cwd=path.parent)
