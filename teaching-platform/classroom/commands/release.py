"""``course release``: write the student bundle (no solutions) into a folder.

With ``--git`` the folder is a git repository nbgitpuller can serve: the first release creates
it, every later one commits the update on top (see :mod:`classroom.hub.gitrelease`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from classroom.course import Course
from classroom.errors import CourseError
from classroom.hub.gitrelease import release_to_git
from classroom.notebooks.release import build_release


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``course release``."""
    r = sub.add_parser("release", help="write the student bundle (no solutions) into DIR")
    r.add_argument("dir", type=Path)
    r.add_argument("--overwrite", action="store_true")
    r.add_argument("--git", action="store_true",
                   help="make DIR a git repository for nbgitpuller; later releases commit on top")
    r.add_argument("--branch", default="main", help="branch of the --git repository (main)")
    r.add_argument("--practice", action="store_true",
                   help="add practice keys so `course check` gives verdicts in the bundle "
                   "(hashes of exact answers: a practice aid, never for graded work)")
    r.set_defaults(run=run_release)


def run_release(args: argparse.Namespace) -> int:
    """Write the bundle; print what was written."""
    if args.git:
        if args.overwrite:
            raise CourseError("--git commits each release on top of the last: drop --overwrite")
        if args.practice:
            raise CourseError("--practice makes a practice edition; release it without --git")
        done = release_to_git(Course.find().root, args.dir, branch=args.branch)
        state = "committed" if done.changed else "unchanged since the last release, at"
        print(f"{state} {done.commit[:12]} on branch {done.branch} in {args.dir} "
              f"({len(done.files)} files, no solutions, no hidden tests)")
        return 0
    result = build_release(Course.find().root, args.dir, overwrite=args.overwrite,
                           practice=args.practice)
    keys = " (practice edition: answer hashes for course check)" if args.practice else ""
    print(f"wrote {len(result.files)} files to {args.dir} (no solutions, no hidden tests)"
          f"{keys}")
    return 0
