"""The ``course`` command: lab, build-exercises, grade, gradebook, release, slides.

Every sub-command is a thin layer over a library function that tests call
directly.  ``main`` returns the exit status instead of exiting: 0 on success, 2 with one line
``error: ...`` on stderr for anything the user can fix (a bad argument, a missing path, a
permission or disk error; never a traceback), 130 after Ctrl-C or SIGTERM.

Examples
--------
>>> main(["--help"])  # doctest: +ELLIPSIS
usage: course [-h] ...
0
>>> build_parser().parse_args(["grade", "subs", "--out", "o", "--jobs", "2"]).jobs
2
>>> build_parser().parse_args(["slides", "03", "05_israel_case"]).lessons
['03', '05_israel_case']
>>> main(["grade", "x.ipynb", "--jobs", "two"])
2
"""

from __future__ import annotations

import argparse
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from course_lib.errors import CourseError
from course_lib.gradebook.history import format_history, student_history
from course_lib.gradebook.marks import add_mark
from course_lib.gradebook.store import open_gradebook
from course_lib.grading.batch import GradingInterrupted, grade_batch
from course_lib.grading.report import export_all
from course_lib.grading.runner import Limits
from course_lib.notebooks.release import build_release
from course_lib.notebooks.transform import build_exercises
from course_lib.slides import build_decks

#: The notebook ``course lab`` opens, relative to the course root.
START_NOTEBOOK = "notebooks/00_start_here.ipynb"

__all__ = ["build_parser", "main", "repo_root"]


def repo_root() -> Path:
    """The folder holding ``course_lib/`` (the repository root in a development install).

    Examples
    --------
    >>> (repo_root() / "course_lib").is_dir()
    True
    """
    return Path(__file__).resolve().parents[1]


class _UsageError(Exception):
    """A bad command line (argparse's message, shown as one line)."""


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of printing the usage and exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(f"{self.prog}: {message} (see {self.prog} --help)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``course`` command."""
    parser = _Parser(prog="course", description=__doc__.splitlines()[0])
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
                   help="kernel isolation: best available / fail without the sandbox / none")
    g.add_argument("--regrade", action="store_true",
                   help="grade again what the gradebook already holds (manual marks are kept)")

    gb = sub.add_parser("gradebook", help="read or mark the gradebook of a grading folder")
    gbs = gb.add_subparsers(dest="action", required=True)
    h = gbs.add_parser("history", help="list a student's grading runs")
    h.add_argument("student")
    h.add_argument("--dir", type=Path, default=Path("."), help="grading folder (default: .)")
    m = gbs.add_parser("mark", help="record a manual mark (the latest mark counts)")
    m.add_argument("student")
    m.add_argument("exercise")
    m.add_argument("question", help="grade_id of the manually graded cell, e.g. q6")
    m.add_argument("points", type=float)
    m.add_argument("--marker", required=True, help="who marked (initials)")
    m.add_argument("--comment", default="")
    m.add_argument("--dir", type=Path, default=Path("."), help="grading folder (default: .)")

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
    # Serve the whole course (lessons, exercises, feedback) and open lesson 00 in it.
    command = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={root}",
               f"--LabApp.default_url=/lab/tree/{START_NOTEBOOK}"]
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
                        isolate=args.isolate, regrade=args.regrade)
    for path in batch.ignored:
        print(f"ignored (not a notebook): {path}", file=sys.stderr)
    for warning in batch.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    errors = sum(r["status"] == "error" for r in batch.results)
    levels = ", ".join(batch.isolation) or "none (no kernel ran)"
    print(f"graded {batch.graded} submission(s) in {batch.seconds:.1f} s ({batch.skipped} "
          f"already done, {errors} could not be graded); isolation: {levels}; "
          f"gradebook: {batch.gradebook}")
    return 0


def _cmd_gradebook(args: argparse.Namespace) -> int:
    book = open_gradebook(args.dir, create=False)
    try:
        if args.action == "history":
            print(format_history(args.student, student_history(book, args.student)))
            return 0
        add_mark(book, args.student, args.exercise, args.question, args.points,
                 comment=args.comment, marker=args.marker)
        for warning in export_all(book):
            print(f"warning: {warning}", file=sys.stderr)
        print(f"marked {args.student} {args.exercise} {args.question}: {args.points:g}")
        return 0
    finally:
        book.close()


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
             "gradebook": _cmd_gradebook, "release": _cmd_release, "slides": _cmd_slides}


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """SIGTERM stops a command like Ctrl-C does (restored afterwards; main thread only)."""
    try:
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _oserror_text(exc: OSError) -> str:
    if exc.strerror and exc.filename:
        return f"{exc.filename}: {exc.strerror}"
    return str(exc) or type(exc).__name__


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``course`` command; returns the exit status (see the module docstring)."""
    try:
        args = build_parser().parse_args(argv)
    except _UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    try:
        with _sigterm_interrupts():
            return _COMMANDS[args.command](args)
    except GradingInterrupted as exc:
        print(str(exc), file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        saved = "0 results saved; run the same command again to finish" \
            if args.command == "grade" else f"course {args.command} stopped before it finished"
        print(f"interrupted: {saved}", file=sys.stderr)
        return 130
    except (CourseError, ValueError) as exc:
        print(f"error: course {args.command}: {exc}".splitlines()[0], file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: course {args.command}: {_oserror_text(exc)}", file=sys.stderr)
        return 2
    except sqlite3.Error as exc:
        print(f"error: course {args.command}: the gradebook database failed: {exc}",
              file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - a bug still ends in one line, never a traceback
        text = str(exc).splitlines()[0] if str(exc) else ""
        print(f"error: course {args.command}: unexpected {type(exc).__name__}: {text} "
              "(a bug in course_lib: please report it)", file=sys.stderr)
        return 2
