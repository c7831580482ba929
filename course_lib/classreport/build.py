"""Build ``class_report.html`` from a grading folder (placeholder while the report is written)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from course_lib.errors import CourseError

__all__ = ["REPORT_FILE", "Report", "build_report"]

REPORT_FILE = "class_report.html"


@dataclass
class Report:
    """Where the report went and what it could not include."""

    path: Path
    notes: list[str] = field(default_factory=list)


def build_report(folder: str | Path, *, out: str | Path | None = None,
                 overwrite: bool = False) -> Report:
    """Not written yet."""
    raise CourseError("course report is not available yet")
