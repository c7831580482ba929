"""``course progress [DIR]``: which exercises' self-checks and ``course check`` verdicts pass.

Reads what is on disk (saved self-check outputs, recorded ``course check`` verdicts); runs
nothing.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from classroom.course import Course
from classroom.errors import CourseError
from course_lib.progress import progress_lines


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``course progress``."""
    p = sub.add_parser("progress", help="your exercises: self-checks as saved and the last "
                       "`course check` verdict of each")
    p.add_argument("dir", nargs="?", type=Path, default=None,
                   help="folder of exercise notebooks (default: <repo>/exercises)")
    p.set_defaults(run=run_progress)


def run_progress(args: argparse.Namespace) -> int:
    """Print one line per exercise notebook."""
    folder = args.dir or Course.find().root / "exercises"
    if not folder.is_dir():
        raise CourseError(f"{folder} is not a folder of exercise notebooks")
    for line in progress_lines(folder):
        print(line)
    return 0
