"""``course gradebook export`` and ``course gradebook show`` (actions of ``course gradebook``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from classroom.errors import CourseError
from classroom.gradebook.export import FORMATS, export_gradebook, unmarked_count, write_owned_file
from classroom.gradebook.lms import LMS_FORMATS, MATCH_COLUMNS, LmsFile, lms_files
from classroom.gradebook.store import Gradebook, open_gradebook
from classroom.gradebook.summary import summary_text
from classroom.gradebook.totals import class_totals


def register_actions(actions: argparse._SubParsersAction) -> None:
    """Add ``export`` and ``show`` to the sub-parsers of ``course gradebook``."""
    e = actions.add_parser("export", help="write CSV for Canvas or Moodle (one file per "
                           "exercise) or a spreadsheet (wide, long)")
    e.add_argument("--format", choices=sorted([*FORMATS, *LMS_FORMATS]), required=True)
    e.add_argument("--out", type=Path, required=True,
                   help="the CSV file to write; for canvas and moodle with several exercises "
                        "and no --exercise, a folder (one <exercise>.<format>.csv each)")
    e.add_argument("--exercise", default=None,
                   help="canvas, moodle: only this exercise (then --out is a file)")
    e.add_argument("--match", choices=sorted(MATCH_COLUMNS), default="email",
                   help="moodle: the key Moodle matches students on (default: email; map "
                        "'Email address' or 'ID number' on import)")
    e.add_argument("--dir", type=Path, default=Path("."), help="grading folder (default: .)")
    e.add_argument("--overwrite", action="store_true",
                   help="replace a file at --out that course did not write")
    e.set_defaults(run=run_export)
    s = actions.add_parser("show", help="print a short summary of the class")
    s.add_argument("--dir", type=Path, default=Path("."), help="grading folder (default: .)")
    s.set_defaults(run=run_show)


def _targets(files: list[LmsFile], args: argparse.Namespace) -> list[tuple[LmsFile, Path]]:
    """Where each exercise's file goes: ``--out`` itself, or one file each in that folder."""
    out: Path = args.out
    if args.exercise is not None or (len(files) == 1 and not out.is_dir()):
        return [(files[0], out)]
    if out.suffix.lower() == ".csv" or (out.exists() and not out.is_dir()):
        raise CourseError(f"{args.format} files hold one exercise each (a blank cell would "
                          f"erase a grade in the LMS) and {len(files)} were graded: give "
                          "--exercise ID, or a folder as --out")
    out.mkdir(parents=True, exist_ok=True)
    return [(f, out / f"{f.exercise}.{args.format}.csv") for f in files]


def _run_lms(book: Gradebook, args: argparse.Namespace) -> int:
    files = lms_files(book, args.format, match=args.match, exercise=args.exercise)
    if not files:
        raise CourseError("no exercise has been graded in this gradebook: nothing to export")
    for file, path in _targets(files, args):
        for line in file.left_out:
            print(f"left out of {path}: {line}", file=sys.stderr)
        if file.absent:
            print(f"not in {path}: {file.absent} roster student(s) without graded work for "
                  f"{file.exercise} (the LMS keeps what it has for them)", file=sys.stderr)
        if not file.rows:
            print(f"warning: {path} holds no student of {file.exercise} (importing it "
                  "changes nothing)", file=sys.stderr)
        write_owned_file(book, path, file.text, overwrite=args.overwrite)
        print(f"wrote {args.format} export {path} ({file.rows} student(s) of {file.exercise})")
    return 0


def run_export(args: argparse.Namespace) -> int:
    """Write one export (or one LMS file per exercise); warn when totals lack manual marks."""
    with open_gradebook(args.dir, create=False) as book:
        missing = unmarked_count(class_totals(book)[1])
        if missing:
            print(f"warning: {missing} exercise total(s) still lack manual marks (exported "
                  "without them)", file=sys.stderr)
        if args.format in LMS_FORMATS:
            return _run_lms(book, args)
        path = export_gradebook(book, args.format, args.out, overwrite=args.overwrite)
        print(f"wrote {args.format} export {path}")
        return 0


def run_show(args: argparse.Namespace) -> int:
    """Print the class summary."""
    with open_gradebook(args.dir, create=False) as book:
        print(summary_text(book))
        return 0
