"""Reading and writing notebook files: every way a file can be broken is one clear error.

Examples
--------
>>> write_notebook(nbformat.v4.new_notebook()).endswith("}\\n")
True
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat

from course_lib.exercise_format.cells import exercise_info

__all__ = ["MAX_DEPTH", "NotebookFormatError", "exercise_sources", "read_notebook",
           "write_notebook"]

#: The deepest nesting of JSON arrays and objects a notebook may have.  Real notebooks stay
#: far below it (cell metadata and widget state run to about ten levels); the grader copies
#: and validates notebooks with recursive code, which a deeper file could crash.
MAX_DEPTH = 64


class NotebookFormatError(ValueError):
    """A file is not a readable Jupyter notebook (corrupt JSON, wrong format)."""


def read_notebook(path: str | Path) -> nbformat.NotebookNode:
    """Read a notebook, turning every way it can be broken into :class:`NotebookFormatError`.

    Besides damaged or foreign files this covers valid JSON that a Python reader cannot
    digest: nesting deeper than :data:`MAX_DEPTH` levels (or than the recursion limit) and
    integers longer than ``sys.get_int_max_str_digits()``.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "bad.ipynb")
    >>> _ = Path(p).write_text("{not json")
    >>> read_notebook(p)
    Traceback (most recent call last):
    ...
    course_lib.exercise_format.notebook_io.NotebookFormatError: bad.ipynb is not valid JSON ...
    >>> _ = Path(p).write_text('{"cells": [], "x": ' + "[" * 2000 + "]" * 2000 + "}")
    >>> read_notebook(p)
    Traceback (most recent call last):
    ...
    course_lib.exercise_format.notebook_io.NotebookFormatError: bad.ipynb nests JSON ...
    """
    path = Path(path)
    name = path.name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise NotebookFormatError(f"{name} cannot be read: {exc.strerror}") from exc
    data = _parse_json(raw, name)
    if not isinstance(data, dict) or "cells" not in data or "nbformat" not in data:
        raise NotebookFormatError(
            f"{name} is JSON but not a Jupyter notebook (no 'cells'/'nbformat')"
        )
    if data.get("nbformat") != 4:
        raise NotebookFormatError(
            f"{name} uses notebook format {data.get('nbformat')!r}; format 4 is required"
        )
    try:
        nb = nbformat.reads(json.dumps(data), as_version=4)
        nbformat.validate(nb)
    except Exception as exc:  # nbformat raises several exception types
        reason = " ".join(str(exc).split())[:300]
        raise NotebookFormatError(f"{name} is not a valid notebook: {reason}") from exc
    return nb


def exercise_sources(folder: str | Path | None) -> dict[str, nbformat.NotebookNode]:
    """The readable exercise notebooks of ``folder`` by exercise id, in file-name order.

    A file that cannot be read as a notebook, or that names no exercise, is left out (the
    build reports those); when two files name one exercise the first wins. A folder that is
    ``None`` or does not exist gives no sources.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "01_x.ipynb").write_text(write_notebook(nbformat.v4.new_notebook()))
    >>> _ = (folder / "broken.ipynb").write_text("{not json")
    >>> sorted(exercise_sources(folder)), exercise_sources(folder / "missing")
    (['01_x'], {})
    """
    found: dict[str, nbformat.NotebookNode] = {}
    if folder is None or not Path(folder).is_dir():
        return found
    for path in sorted(Path(folder).glob("*.ipynb")):
        try:
            nb = read_notebook(path)
        except NotebookFormatError:
            continue
        info = exercise_info(nb, path)
        if info is not None:
            found.setdefault(info.exercise, nb)
    return found


def _parse_json(raw: bytes, name: str) -> object:
    """The JSON value of ``raw``, or one :class:`NotebookFormatError` saying why not."""
    too_deep = NotebookFormatError(
        f"{name} nests JSON more than {MAX_DEPTH} levels deep; no notebook does: the file "
        "was made by hand or damaged"
    )
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise NotebookFormatError(f"{name} is not UTF-8 text (binary file?)") from exc
    except json.JSONDecodeError as exc:
        raise NotebookFormatError(
            f"{name} is not valid JSON (line {exc.lineno}, column {exc.colno}): "
            "the file is damaged; re-download or re-save it from Jupyter"
        ) from exc
    except RecursionError:
        raise too_deep from None
    except ValueError as exc:  # an integer longer than sys.get_int_max_str_digits()
        raise NotebookFormatError(
            f"{name} holds a number with more than {sys.get_int_max_str_digits()} digits; "
            "no notebook does: the file was made by hand or damaged"
        ) from exc
    if _depth(data) > MAX_DEPTH:
        raise too_deep
    return data


def _depth(data: object) -> int:
    """Nesting depth of a JSON value, walked without recursion.

    Examples
    --------
    >>> _depth({"a": [1, {"b": []}]}), _depth(3)
    (4, 0)
    """
    deepest = 0
    stack = [(data, 1)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children
                     if isinstance(child, dict | list))
    return deepest


def write_notebook(nb: dict) -> str:
    """Serialise a notebook deterministically (sorted keys, one-space indent, final newline).

    Examples
    --------
    >>> write_notebook(nbformat.v4.new_notebook()).endswith("}\\n")
    True
    """
    return nbformat.writes(nbformat.from_dict(nb)) + "\n"
