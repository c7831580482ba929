"""The ``course`` command: parsing, dispatch to ``course_lib.commands``, one-line errors.

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
from types import FrameType, ModuleType

from course_lib.commands._paths import repo_root
from course_lib.commands.lab import START_NOTEBOOK
from course_lib.errors import CommandInterrupted, CourseError

#: The command modules under ``course_lib.commands`` whose ``register(sub)`` adds the
#: sub-commands, in ``--help`` order. A module whose package is left out of an installation
#: (a student bundle ships without ``course_lib.grading``) is skipped, so ``course`` still runs.
COMMAND_MODULES: tuple[str, ...] = (
    "lab", "build", "grade", "gradebook", "roster", "report", "release", "slides", "link",
    "check", "progress", "mark", "collect", "return_", "hub",
)

#: Packages a student bundle may lack; a command needing one of them is simply not offered.
OPTIONAL_PACKAGES = ("course_lib.grading", "course_lib.hub", "course_lib.marking",
                     "course_lib.classreport")

__all__ = ["COMMAND_MODULES", "START_NOTEBOOK", "build_parser", "main", "repo_root"]


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
    parser = _Parser(prog="course", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for module in available_commands():
        module.register(sub)
    return parser


def available_commands() -> list[ModuleType]:
    """The command modules that can be imported here, in :data:`COMMAND_MODULES` order.

    Examples
    --------
    >>> [m.__name__.rsplit(".", 1)[1] for m in available_commands()][:2]
    ['lab', 'build']
    """
    modules = []
    for name in COMMAND_MODULES:
        try:
            modules.append(importlib.import_module(f"course_lib.commands.{name}"))
        except ModuleNotFoundError as exc:
            if not (exc.name or "").startswith(OPTIONAL_PACKAGES):
                raise
    return modules


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
              "(a bug in course_lib: please report it)", file=sys.stderr)
        return 2
