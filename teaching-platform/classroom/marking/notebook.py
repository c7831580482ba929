"""The marking notebook ``course mark`` writes into the grading folder.

One code cell calls :func:`classroom.marking.widget.marking_widget` for the folder.  The
notebook carries ``metadata.course.written_by = "course mark"``; a ``marking.ipynb`` without
it (the instructor's own notebook, or anything else) is never overwritten.

Examples
--------
>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> path = write_marking_notebook(folder, marker="kb")
>>> path.name, "marker='kb'" in path.read_text()
('marking.ipynb', True)
>>> _ = path.write_text('{"cells": []}')
>>> write_marking_notebook(folder)
Traceback (most recent call last):
...
classroom.errors.CourseError: ... was not written by `course mark`; refusing to overwrite it ...
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from classroom.errors import CourseError
from classroom.notebooks.model import NotebookFormatError, read_notebook, write_notebook
from course_lib.files import atomic_write_text

__all__ = ["TOOL", "marking_notebook", "notebook_name", "write_marking_notebook"]

TOOL = "course mark"


def notebook_name(second: bool = False) -> str:
    """``marking.ipynb``, or ``marking-second.ipynb`` for the second marker.

    Examples
    --------
    >>> notebook_name(), notebook_name(second=True)
    ('marking.ipynb', 'marking-second.ipynb')
    """
    return "marking-second.ipynb" if second else "marking.ipynb"


def marking_notebook(folder: Path, *, marker: str = "", names: bool = False,
                     second: bool = False, sample: float = 0.2, seed: int | None = None,
                     solutions: Path | None = None) -> nbformat.NotebookNode:
    """The notebook: a title cell and the one code cell that shows the widget."""
    args = [repr(str(folder)), f"marker={marker!r}", f"names={names!r}", f"second={second!r}"]
    if second:
        args += [f"sample={sample!r}", f"seed={seed!r}"]
    if solutions is not None:
        args.append(f"solutions={str(solutions)!r}")
    code = ("from classroom.marking.widget import marking_widget\n\n"
            "marking_widget(" + ",\n               ".join(args) + ")")
    title = "Second marking" if second else "Marking"
    intro = (f"# {title}: {folder.name}\n\nRun the cell below (Shift+Enter). Tab moves between "
             "the controls, Enter or Space presses a button; every change is saved to the "
             "gradebook (`gradebook.sqlite`) at once. Written by `course mark`: run that "
             "command again rather than editing this notebook.")
    nb = nbformat.v4.new_notebook(metadata={
        "course": {"written_by": TOOL},
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nb.cells = [nbformat.v4.new_markdown_cell(intro), nbformat.v4.new_code_cell(code)]
    return nb


def _written_by_us(path: Path) -> bool:
    if path.is_symlink() or not path.is_file():
        return False
    try:
        nb = read_notebook(path)
    except NotebookFormatError:
        return False
    course = nb.get("metadata", {}).get("course")
    return isinstance(course, dict) and course.get("written_by") == TOOL


def write_marking_notebook(folder: str | Path, *, marker: str = "", names: bool = False,
                           second: bool = False, sample: float = 0.2, seed: int | None = None,
                           solutions: Path | None = None) -> Path:
    """Write ``folder/marking.ipynb`` (options as :func:`marking_notebook`); returns its path.

    The second marker's notebook is ``marking-second.ipynb``, so both can mark at once.

    Raises
    ------
    CourseError
        When a notebook of that name exists that ``course mark`` did not write.
    """
    folder = Path(folder).resolve()
    path = folder / notebook_name(second)
    if (path.exists() or path.is_symlink()) and not _written_by_us(path):
        raise CourseError(f"{path} was not written by `{TOOL}`; refusing to overwrite it "
                          "(move it away or rename it)")
    nb = marking_notebook(folder, marker=marker, names=names, second=second, sample=sample,
                          seed=seed, solutions=solutions)
    atomic_write_text(path, write_notebook(nb))
    return path
