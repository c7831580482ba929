"""The ``course`` command: parsing, dispatch to ``classroom.commands``, one-line errors.

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
import importlib
import signal
import sqlite3
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import FrameType

from classroom.commands.lab import START_NOTEBOOK
from classroom.errors import CommandInterrupted, CourseError

#: The command modules under ``classroom.commands`` whose ``register(sub)`` adds the
#: sub-commands, in ``--help`` order.
COMMAND_MODULES: tuple[str, ...] = (
    "lab", "build", "grade", "gradebook", "roster", "report", "release", "slides", "link",
    "check", "progress", "mark", "collect", "return_", "hub",
)

#: What ``course --help`` says first, to a learner or an instructor.
DESCRIPTION = ("The course's command: open the lessons, check your exercises, and, for "
               "instructors, build, grade, mark, report, release and run a class hub.")

__all__ = ["COMMAND_MODULES", "START_NOTEBOOK", "build_parser", "main"]


class _UsageError(Exception):
    """A bad command line (argparse's message, shown as one line)."""


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of printing the usage and exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(f"{self.prog}: {message} (see {self.prog} --help)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``course`` command (one sub-parser per command module).

    Examples
    --------
    >>> build_parser().parse_args(["lab"]).command
    'lab'
    """
    parser = _Parser(prog="course", description=DESCRIPTION)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser,
                                metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"classroom.commands.{name}").register(sub)
    return parser


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
            return args.run(args)
    except CommandInterrupted as exc:
        print(str(exc), file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        saved = getattr(args, "interrupted", f"course {args.command} stopped before it finished")
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
              "(a bug in the course tools: please report it)", file=sys.stderr)
        return 2
