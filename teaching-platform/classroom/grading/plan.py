"""Planning a batch: exercise sources, which exercise each submission is, ambiguity.

Examples
--------
>>> out_inside(Path("/c/subs/out"), [Path("/c/subs")])
PosixPath('/c/subs')
>>> out_inside(Path("/c/out"), [Path("/c/subs")]) is None
True
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from classroom.errors import CourseError
from classroom.grading.discovery import Submission
from classroom.grading.exercise import ExerciseSpec, load_exercise
from classroom.grading.text import printable, repair
from classroom.notebooks.model import NotebookFormatError, exercise_info, read_notebook

__all__ = ["INVALID_TEXT_NOTE", "Item", "identify", "load_exercises", "out_inside", "plan",
           "submission_row"]

#: Said to a learner whose notebook held lone surrogates (text no file or database can store).
INVALID_TEXT_NOTE = ("your notebook held characters that are not valid Unicode (lone "
                     "surrogates); each was replaced by \ufffd before grading")


@dataclass
class Item:
    """One planned unit: a submission (or an ambiguous group) and what is known about it."""

    sub: Submission
    exercise: str
    spec: ExerciseSpec | None = None
    nb: object | None = None
    error: str | None = None
    sources: str = ""
    notes: list[str] = field(default_factory=list)


def load_exercises(solutions_dir: str | Path) -> tuple[dict[str, ExerciseSpec], dict[str, str]]:
    """Parse every instructor source in ``solutions_dir``: specs and source hashes by id."""
    folder = Path(solutions_dir)
    if not folder.is_dir():
        raise CourseError(f"solutions_dir must be an existing folder, got {str(folder)!r}")
    specs, hashes = {}, {}
    for path in sorted(folder.glob("*.ipynb")):
        spec = load_exercise(read_notebook(path))
        specs[spec.exercise] = spec
        hashes[spec.exercise] = hashlib.sha256(path.read_bytes()).hexdigest()
    if not specs:
        raise CourseError(f"solutions_dir holds no exercise notebooks: {str(folder)!r}")
    return specs, hashes


def out_inside(out: Path, folders: Iterable[Path]) -> Path | None:
    """The submissions folder that ``out`` equals or lies inside (``None`` when none)."""
    out = Path(os.path.realpath(out))
    for folder in folders:
        real = Path(os.path.realpath(folder))
        if out == real or real in out.parents:
            return Path(folder)
    return None


def identify(sub: Submission, specs: dict[str, ExerciseSpec], scratch: Path) -> Item:
    if sub.error is not None or sub.data is None:
        return Item(sub, sub.hint, error=sub.error or "the file could not be read")
    copy = scratch / str(len(list(scratch.iterdir()))) / sub.path.name
    copy.parent.mkdir()
    copy.write_bytes(sub.data)
    try:
        nb = read_notebook(copy)
    except NotebookFormatError as exc:
        return Item(sub, sub.hint, error=str(exc))
    nb, repaired = repair(nb)
    notes = [INVALID_TEXT_NOTE] if repaired else []
    info = exercise_info(nb)
    if info is not None and info.exercise in specs:
        return Item(sub, info.exercise, spec=specs[info.exercise], nb=nb, notes=notes)
    if sub.hint in specs:
        return Item(sub, sub.hint, spec=specs[sub.hint], nb=nb, notes=notes)
    named = f"metadata names exercise {info.exercise!r}" if info else \
        "metadata.course.exercise is missing"
    return Item(sub, sub.hint, error=f"cannot tell which exercise {printable(sub.path.name)} is: "
                f"{named} and the file name matches none of {', '.join(sorted(specs))}")


def plan(subs: list[Submission], specs: dict[str, ExerciseSpec]) -> list[Item]:
    with tempfile.TemporaryDirectory(prefix="course-plan-") as scratch:
        items = [identify(s, specs, Path(scratch)) for s in subs]
    groups: dict[tuple[str, str], list[Item]] = {}
    for item in items:
        groups.setdefault((item.sub.student, item.exercise), []).append(item)
    planned = []
    for (student, exercise), group in sorted(groups.items()):
        if len(group) == 1:
            planned.append(group[0])
            continue
        names = ", ".join(i.sub.display_path for i in group)
        message = (f"ambiguous: {len(group)} notebooks for exercise {exercise} of student "
                   f"{student!r} ({names}); none was graded: keep exactly one and grade again")
        first = group[0].sub
        merged = Submission(first.path, student, hint=exercise, lms_id=first.lms_id,
                            late=any(i.sub.late for i in group), error=message)
        planned.append(Item(merged, exercise, error=message, sources=names))
    return planned


def submission_row(item: Item) -> dict:
    s = item.sub
    return {"sha256": s.sha256, "source_path": item.sources or s.display_path,
            "submitted_at": s.submitted_at, "time_source": s.time_source, "late": s.late,
            "lms_id": s.lms_id, "lms_submission_id": s.lms_submission_id}
