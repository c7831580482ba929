"""The one exception a ``course`` command turns into a one-line message.

Library functions raise :class:`CourseError` (or ``ValueError`` for a bad argument) for a problem
the user can fix: a missing folder, a refused overwrite, an ambiguous submission.  The command
line prints ``error: <message>`` and exits with status 2; it never shows a traceback.

Examples
--------
>>> try:
...     raise CourseError("solutions/ holds solution sources; refusing to write there")
... except CourseError as err:
...     print(f"error: {err}")
error: solutions/ holds solution sources; refusing to write there
"""

from __future__ import annotations

__all__ = ["CommandInterrupted", "CourseError"]


class CourseError(Exception):
    """A problem the person running a command can fix, stated in one line."""


class CommandInterrupted(Exception):
    """A command stopped by Ctrl-C or SIGTERM after saving what it could (exit status 130).

    The message says what was kept and how to resume, e.g. ``interrupted: 12 results saved;
    run the same command again to finish``.
    """
