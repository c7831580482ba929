"""The ``course`` command: lab, build-exercises, grade, release, slides.

Every sub-command is a thin layer over a library function that tests call
directly.  ``main`` returns the exit status instead of exiting.

Examples
--------
>>> main(["--help"])  # doctest: +SKIP
>>> build_parser().parse_args(["grade", "subs", "--out", "o", "--jobs", "2"]).jobs
2
>>> build_parser().parse_args(["slides", "03", "05_israel_case"]).lessons
['03', '05_israel_case']
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from course_lib.grading.batch import grade_batch
from course_lib.grading.runner import Limits
from course_lib.notebooks.release import build_release
from course_lib.notebooks.transform import build_exercises
from course_lib.slides import build_decks

__all__ = ["build_parser", "main", "repo_root"]


def repo_root() -> Path:
    """The folder holding ``course_lib/`` (the repository root in a development install).

    Examples
    --------
    >>> (repo_root() / "course_lib").is_dir()
    True
    """
    return Path(__file__).resolve().parents[1]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``course`` command."""
    parser = argparse.ArgumentParser(prog="course", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("lab", help="open JupyterLab on notebooks/00_start_here.ipynb")

    b = sub.add_parser("build-exercises", help="generate exercises/ from solutions/")
    b.add_argument("--check", action="store_true",
                   help="do not write; exit 1 when exercises/ is stale")
    b.add_argument("--solutions", type=Path, default=None, help="default: <repo>/solutions")
    b.add_argument("--exercises", type=Path, default=None, help="default: <repo>/exercises")

    g = sub.add_parser("grade", help="grade submissions (files or <student>/<exercise>.ipynb)")
    g.add_argument("paths", nargs="+", type=Path)
    g.add_argument("--out", type=Path, required=True, help="folder for reports and gradebook.csv")
    g.add_argument("--solutions", type=Path, default=None, help="default: <repo>/solutions")
    g.add_argument("--jobs", type=int, default=None, help="submissions at once (default: CPUs + 1)")
    g.add_argument("--timeout-cell", type=float, default=30.0, metavar="S")
    g.add_argument("--timeout-notebook", type=float, default=300.0, metavar="S")
    g.add_argument("--memory-mb", type=int, default=2048, metavar="M", help="0 = no limit")
    g.add_argument("--max-output-bytes", type=int, default=200_000, metavar="B")
    g.add_argument("--isolate", choices=("auto", "require", "off"), default="auto",
                   help="hide instructor folders from kernels (mount namespace)")

    r = sub.add_parser("release", help="write the student bundle (no solutions) into DIR")
    r.add_argument("dir", type=Path)
    r.add_argument("--overwrite", action="store_true")

    s = sub.add_parser("slides", help="build offline reveal.js decks (speaker notes from "
                       "instructor/)")
    s.add_argument("lessons", nargs="*", metavar="LESSON",
                   help="lessons to build, e.g. 03 or 03_measuring_threat (default: all)")
    s.add_argument("--out", type=Path, default=None, help="default: <repo>/_build/slides")
    s.add_argument("--no-notes", action="store_true",
                   help="leave out the speaker notes (no instructor guide needed)")
    return parser


def _cmd_lab(args: argparse.Namespace) -> int:
    root = repo_root()
    command = [sys.executable, "-m", "jupyter", "lab", "notebooks/00_start_here.ipynb"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Containers (Docker, CI images) often run as root; Jupyter refuses unless told.
        command.append("--allow-root")
    return subprocess.call(command, cwd=root)


def _cmd_build(args: argparse.Namespace) -> int:
    root = repo_root()
    sol = args.solutions or root / "solutions"
    ex = args.exercises or root / "exercises"
    result = build_exercises(sol, ex, check=args.check)
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


def _cmd_grade(args: argparse.Namespace) -> int:
    limits = Limits(timeout_cell=args.timeout_cell, timeout_notebook=args.timeout_notebook,
                    memory_mb=args.memory_mb, max_output_bytes=args.max_output_bytes)
    batch = grade_batch(args.paths, args.out, solutions_dir=args.solutions or
                        repo_root() / "solutions", limits=limits, jobs=args.jobs,
                        isolate=args.isolate)
    errors = sum(r["status"] == "error" for r in batch.results)
    print(f"graded {len(batch.results)} submission(s) in {batch.seconds:.1f} s "
          f"({errors} could not be graded); gradebook: {batch.gradebook}")
    return 0


def _cmd_release(args: argparse.Namespace) -> int:
    result = build_release(repo_root(), args.dir, overwrite=args.overwrite)
    print(f"wrote {len(result.files)} files to {args.dir} (no solutions, no hidden tests)")
    return 0


def _cmd_slides(args: argparse.Namespace) -> int:
    out = args.out or repo_root() / "_build" / "slides"
    written = build_decks(args.lessons or None, out_dir=out, notes=not args.no_notes)
    for deck in written:
        print(f"wrote {deck}")
    print(f"{len(written)} deck(s) in {out}; open {out / 'index.html'} in a browser "
          "(works offline; press s for the speaker notes)")
    return 0


_COMMANDS = {"lab": _cmd_lab, "build-exercises": _cmd_build, "grade": _cmd_grade,
             "release": _cmd_release, "slides": _cmd_slides}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``course`` command; returns the exit status (2 for usage errors)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        return _COMMANDS[args.command](args)
    except ValueError as exc:
        print(f"course {args.command}: error: {exc}", file=sys.stderr)
        return 2
