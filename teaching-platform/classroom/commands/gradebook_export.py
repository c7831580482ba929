"""``course gradebook export`` and ``course gradebook show`` (actions of ``course gradebook``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from classroom.gradebook.export import FORMATS, export_gradebook, unmarked_count
from classroom.gradebook.store import open_gradebook
from classroom.gradebook.summary import summary_text
from classroom.gradebook.totals import class_totals


def register_actions(actions: argparse._SubParsersAction) -> None:
    """Add ``export`` and ``show`` to the sub-parsers of ``course gradebook``."""
    e = actions.add_parser("export", help="write a class CSV for Canvas, Moodle or a spreadsheet")
    e.add_argument("--format", choices=sorted(FORMATS), required=True)
    e.add_argument("--out", type=Path, required=True, help="the CSV file to write")
    e.add_argument("--dir", type=Path, default=Path("."), help="grading folder (default: .)")
    e.add_argument("--overwrite", action="store_true",
                   help="replace a file at --out that course did not write")
    e.set_defaults(run=run_export)
    s = actions.add_parser("show", help="print a short summary of the class")
    s.add_argument("--dir", type=Path, default=Path("."), help="grading folder (default: .)")
    s.set_defaults(run=run_show)


def run_export(args: argparse.Namespace) -> int:
    """Write one export; warn when totals still lack manual marks."""
    with open_gradebook(args.dir, create=False) as book:
        path = export_gradebook(book, args.format, args.out, overwrite=args.overwrite)
        missing = unmarked_count(class_totals(book)[1])
        if missing:
            print(f"warning: {missing} exercise total(s) still lack manual marks (exported "
                  "without them)", file=sys.stderr)
        print(f"wrote {args.format} export {path}")
        return 0


def run_show(args: argparse.Namespace) -> int:
    """Print the class summary."""
    with open_gradebook(args.dir, create=False) as book:
        print(summary_text(book))
        return 0
