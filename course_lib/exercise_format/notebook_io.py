"""Reading and writing notebook files: every way a file can be broken is one clear error.

Examples
--------
>>> write_notebook(nbformat.v4.new_notebook()).endswith("}\\n")
True
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat

__all__ = ["NotebookFormatError", "read_notebook", "write_notebook"]


class NotebookFormatError(ValueError):
    """A file is not a readable Jupyter notebook (corrupt JSON, wrong format)."""


def read_notebook(path: str | Path) -> nbformat.NotebookNode:
    """Read a notebook, turning every way it can be broken into :class:`NotebookFormatError`.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "bad.ipynb")
    >>> _ = open(p, "w").write("{not json")
    >>> read_notebook(p)
    Traceback (most recent call last):
    ...
    course_lib.exercise_format.notebook_io.NotebookFormatError: bad.ipynb is not valid JSON ...
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise NotebookFormatError(f"{path.name} cannot be read: {exc.strerror}") from exc
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise NotebookFormatError(f"{path.name} is not UTF-8 text (binary file?)") from exc
    except json.JSONDecodeError as exc:
        raise NotebookFormatError(
            f"{path.name} is not valid JSON (line {exc.lineno}, column {exc.colno}): "
            "the file is damaged; re-download or re-save it from Jupyter"
        ) from exc
    if not isinstance(data, dict) or "cells" not in data or "nbformat" not in data:
        raise NotebookFormatError(
            f"{path.name} is JSON but not a Jupyter notebook (no 'cells'/'nbformat')"
        )
    if data.get("nbformat") != 4:
        raise NotebookFormatError(
            f"{path.name} uses notebook format {data.get('nbformat')!r}; format 4 is required"
        )
    try:
        nb = nbformat.reads(json.dumps(data), as_version=4)
        nbformat.validate(nb)
    except Exception as exc:  # nbformat raises several exception types
        raise NotebookFormatError(f"{path.name} is not a valid notebook: {exc}") from exc
    return nb


def write_notebook(nb: dict) -> str:
    """Serialise a notebook deterministically (sorted keys, one-space indent, final newline).

    Examples
    --------
    >>> write_notebook(nbformat.v4.new_notebook()).endswith("}\\n")
    True
    """
    return nbformat.writes(nbformat.from_dict(nb)) + "\n"
