"""Helpers shared by the class-loop tests and their conftest (not a test module)."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from pathlib import Path

from classroom import cli
from tests.grading.class_kit import ClassKit

#: reflections marked in the session (student -> points of q6)
MARKS = {"s01": 5.0, "s07": 6.0, "s09": 2.0}


@dataclass
class GradedClass:
    """The kit, its grading folder and what ``course roster import`` printed."""

    kit: ClassKit
    out: Path
    roster_output: str


def run_cli(argv: list[str]) -> tuple[int, str]:
    """``course ARGV``: exit status and standard output."""
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        status = cli.main(argv)
    return status, buf.getvalue()
