"""``course roster import FILE --dir DIR``: load the class roster into the gradebook."""

from __future__ import annotations

import argparse
from pathlib import Path

from classroom.gradebook.roster import check_roster, import_roster, read_roster
from classroom.gradebook.store import open_gradebook
from classroom.grading.discovery import student_id


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``course roster import``."""
    r = sub.add_parser("roster", help="the class roster (ids, names, emails, LMS ids)")
    actions = r.add_subparsers(dest="action", required=True)
    i = actions.add_parser("import", help="import a roster CSV (id,name,email,lms_id[,folder])")
    i.add_argument("file", type=Path)
    i.add_argument("--dir", type=Path, default=Path("."), help="grading folder (default: .)")
    i.add_argument("--submissions", type=Path, default=None,
                   help="also check the student folders in this submissions folder")
    i.set_defaults(run=run_import)


def _folders(submissions: Path | None) -> set[str]:
    if submissions is None:
        return set()
    if not submissions.is_dir():
        raise ValueError(f"--submissions {submissions} is not a folder")
    # folder names as the grader names students (NFC; bytes that are not UTF-8 as /xHH)
    return {student_id(p.name) for p in submissions.iterdir()
            if p.is_dir() and not p.name.startswith(".")}


def run_import(args: argparse.Namespace) -> int:
    """Import the roster, then report unknown folders and students without a submission."""
    students = read_roster(args.file)
    folders = _folders(args.submissions)
    args.dir.mkdir(parents=True, exist_ok=True)
    with open_gradebook(args.dir) as book:
        count = import_roster(book, students)
        for line in check_roster(book, folders).lines():
            print(line)
        print(f"imported {count} student(s) into {book.path}")
        return 0
