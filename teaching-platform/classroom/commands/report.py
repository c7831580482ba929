"""``course report DIR``: write the class report (one self-contained HTML file) from a gradebook."""

from __future__ import annotations

import argparse
from pathlib import Path

from classroom.classreport.build import REPORT_FILE, build_report


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``course report``."""
    r = sub.add_parser("report", help="write an offline HTML report of how the class did")
    r.add_argument("dir", type=Path, help="the grading folder (holds gradebook.sqlite)")
    r.add_argument("--out", type=Path, default=None,
                   help=f"the HTML file to write (default: DIR/{REPORT_FILE})")
    r.add_argument("--overwrite", action="store_true",
                   help="replace a file at --out that course did not write")
    r.set_defaults(run=run_report)


def run_report(args: argparse.Namespace) -> int:
    """Build the report and say where it is."""
    report = build_report(args.dir, out=args.out, overwrite=args.overwrite)
    for note in report.notes:
        print(f"note: {note}")
    print(f"wrote class report {report.path}")
    return 0
