"""What a command may replace: marker files, solution sources, generated exercises.

A command that replaces a folder (``course release DIR --overwrite``, ``course slides --out``)
first writes a small JSON marker into it listing the files it wrote; later runs replace only a
folder whose marker is there and whose every file is listed.  ``course build-exercises`` never
writes into a folder holding solution sources and only replaces notebooks that are student
copies it generated.  Every refusal is a one-line :class:`~classroom.errors.CourseError`.

Examples
--------
>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> write_marker(folder, ".course-demo.json", "course demo", ["a.txt"])
>>> sorted(read_marker(folder, ".course-demo.json", "course demo"))
['a.txt']
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from classroom.errors import CourseError
from course_lib.files import atomic_write_text
from course_lib.exercise_format.cells import BEGIN_HIDDEN, BEGIN_SOLUTION, exercise_info
from course_lib.exercise_format.notebook_io import NotebookFormatError, read_notebook

__all__ = [
    "check_replaceable",
    "is_generated_exercise",
    "is_inside",
    "read_marker",
    "solution_sources_in",
    "write_marker",
]


def is_inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or lies below it (both resolved).

    Examples
    --------
    >>> is_inside(Path("/a/b/c"), Path("/a/b")), is_inside(Path("/a"), Path("/a/b"))
    (True, False)
    """
    path, folder = path.resolve(), folder.resolve()
    return path == folder or folder in path.parents


def read_marker(folder: Path, name: str, tool: str) -> set[str] | None:
    """The files listed in ``folder/name`` if ``tool`` wrote it, else ``None``.

    Examples
    --------
    >>> import tempfile
    >>> read_marker(Path(tempfile.mkdtemp()), ".course-release.json", "course release") is None
    True
    """
    try:
        data = json.loads((Path(folder) / name).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    files = data.get("files") if isinstance(data, dict) else None
    if data.get("written_by") != tool or not isinstance(files, list):
        return None
    return {f for f in files if isinstance(f, str)}


def write_marker(folder: Path, name: str, tool: str, files: Iterable[str]) -> None:
    """Record in ``folder/name`` that ``tool`` wrote ``files`` (paths relative to ``folder``)."""
    data = {"written_by": tool, "files": sorted(set(files)),
            "note": f"written by `{tool}`; it replaces this folder only while every file in "
                    "it is listed here"}
    atomic_write_text(Path(folder) / name, json.dumps(data, indent=1) + "\n")


def _relative_files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")
            if p.is_file() or p.is_symlink()}


def check_replaceable(folder: Path, marker: str, tool: str) -> None:
    """Raise :class:`CourseError` unless ``tool`` wrote every file now in ``folder``.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "thesis.md").write_text("mine")
    >>> check_replaceable(folder, ".course-release.json", "course release")
    Traceback (most recent call last):
    ...
    classroom.errors.CourseError: ... was not written by `course release` (no ...
    """
    listed = read_marker(folder, marker, tool)
    if listed is None:
        raise CourseError(f"{folder} was not written by `{tool}` (no {marker} in it); "
                          "refusing to replace it: choose another folder or delete it yourself")
    unknown = sorted(_relative_files(folder) - listed - {marker})
    if unknown:
        shown = ", ".join(unknown[:3]) + (", ..." if len(unknown) > 3 else "")
        raise CourseError(f"{folder} holds {len(unknown)} file(s) `{tool}` did not write "
                          f"({shown}); refusing to replace it: move them away first")


def _has_markers(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return BEGIN_SOLUTION in text or BEGIN_HIDDEN in text


def solution_sources_in(folder: Path) -> list[str]:
    """Names of the notebooks in ``folder`` that hold solution or hidden-test regions.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.ipynb").write_text('{"cells": ["### BEGIN SOLUTION"]}')
    >>> solution_sources_in(folder)
    ['a.ipynb']
    """
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.glob("*.ipynb") if p.is_file() and _has_markers(p))


def is_generated_exercise(path: Path) -> bool:
    """Whether ``path`` is a student copy ``course build-exercises`` could have written.

    That is: a readable notebook, without solution or hidden-test markers, whose
    ``metadata.course.exercise`` names the file.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "01_x.ipynb"
    >>> _ = p.write_text("my notes")
    >>> is_generated_exercise(p)
    False
    """
    path = Path(path)
    if path.is_symlink() or not path.is_file() or _has_markers(path):
        return False
    try:
        nb = read_notebook(path)
    except NotebookFormatError:
        return False
    info = exercise_info(nb)
    return info is not None and info.exercise == path.stem
