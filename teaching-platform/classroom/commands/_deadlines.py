"""The deadlines step of ``course grade --config``: read ``course.toml`` first, apply it after.

The file is read and checked before grading starts (a typo fails in a second, not after the
batch); after grading it is stored in the gradebook, late submissions are flagged and the
exports (feedback with the lateness line) are written again.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from classroom.gradebook.deadlines import (
    CONFIG_FILE,
    CourseConfig,
    apply_config,
    find_config,
    flag_late_submissions,
    load_config,
)
from classroom.gradebook.store import open_gradebook
from classroom.grading.report import export_all

__all__ = ["add_config_argument", "apply_after_grading", "read_course_config"]


def add_config_argument(parser: argparse.ArgumentParser) -> None:
    """Add ``--config``."""
    parser.add_argument("--config", type=Path, default=None,
                        help=f"course configuration with due dates and the late-penalty rule "
                        f"(default: OUT/{CONFIG_FILE} when it exists)")


def read_course_config(explicit: Path | None, out: Path) -> CourseConfig | None:
    """The checked configuration, or ``None`` when there is none."""
    path = find_config(explicit, out)
    return load_config(path) if path is not None else None


def apply_after_grading(out: Path, config: CourseConfig | None) -> list[str]:
    """Store ``config``, flag late work, rewrite the exports; returns their warnings."""
    if config is None:
        return []
    with open_gradebook(out, create=False) as book:
        apply_config(book, config)
        flag_late_submissions(book)
        return export_all(book)
