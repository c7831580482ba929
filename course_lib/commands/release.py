"""``course release``: write the student bundle (no solutions) into a folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from course_lib.commands._paths import repo_root
from course_lib.notebooks.release import build_release


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``course release``."""
    r = sub.add_parser("release", help="write the student bundle (no solutions) into DIR")
    r.add_argument("dir", type=Path)
    r.add_argument("--overwrite", action="store_true")
    r.set_defaults(run=run_release)


def run_release(args: argparse.Namespace) -> int:
    """Write the bundle; print what was written."""
    result = build_release(repo_root(), args.dir, overwrite=args.overwrite)
    print(f"wrote {len(result.files)} files to {args.dir} (no solutions, no hidden tests)")
    return 0
