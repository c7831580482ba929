"""Read one CSV file and validate it against its :class:`~course_lib.datasets.schema.Schema`.

:func:`read_table` checks the exact column order, parses each cell into its type and checks
ranges, codes, dates, row rules and uniqueness. The first problem raises
:class:`~course_lib.datasets.schema.DataValidationError` naming the file, the 1-based data row
(the first row after the header is row 1) and the column. Empty cells become ``NaN`` (floats,
text) or ``<NA>`` (whole numbers): gaps stay gaps.

Examples
--------
>>> import tempfile, pathlib
>>> from course_lib.datasets.schema import SCHEMAS
>>> tmp = pathlib.Path(tempfile.mkdtemp()) / "borders.csv"
>>> _ = tmp.write_text("iso3_a,iso3_b,source\\nISR,JOR,test\\n", encoding="utf-8")
>>> read_table(tmp, SCHEMAS["borders.csv"], codes=["ISR", "JOR"])[["iso3_a", "iso3_b"]]
  iso3_a iso3_b
0    ISR    JOR
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import math
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd

from course_lib.datasets.schema import SCHEMAS, Column, DataValidationError, Schema

__all__ = ["Readable", "check_sources_cover", "read_table"]

_STR_DTYPE: Any = "str" if int(pd.__version__.split(".")[0]) >= 3 else object
_CODE_RE = re.compile(r"[A-Z]{3}")
_INT_RE = re.compile(r"[+-]?\d+")
_PARTIAL_DATE_RE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


class Readable(Protocol):
    """Anything with ``name`` and ``read_bytes()``: a Path or an importlib Traversable."""

    name: str

    def read_bytes(self) -> bytes: ...  # pragma: no cover - protocol


def _range_text(col: Column) -> str:
    lo = "-inf" if col.lo is None else f"{col.lo:g}"
    hi = "inf" if col.hi is None else f"{col.hi:g}"
    return f"[{lo}, {hi}]"


def _parse_cell(col: Column, raw: str) -> Any:
    """Return the parsed value of one non-empty cell; raise ValueError with the problem."""
    if col.kind == "code":
        if not _CODE_RE.fullmatch(raw):
            raise ValueError(f"must be three upper-case letters, got {raw!r}")
        return raw
    if col.kind == "text":
        if col.choices is not None and raw not in col.choices:
            raise ValueError(f"must be one of {list(col.choices)}, got {raw!r}")
        return raw
    if col.kind == "float":
        try:
            value = float(raw)
        except ValueError:
            raise ValueError(f"must be a number, got {raw!r}") from None
        if not math.isfinite(value):
            raise ValueError(f"must be a finite number, got {raw!r}")
    elif col.kind == "int":
        if not _INT_RE.fullmatch(raw):
            raise ValueError(f"must be a whole number, got {raw!r}")
        value = int(raw)
    elif col.kind == "date":
        try:
            if len(raw) != 10:
                raise ValueError
            _dt.date.fromisoformat(raw)
        except ValueError:
            raise ValueError(f"must be an ISO date YYYY-MM-DD, got {raw!r}") from None
        return raw
    elif col.kind == "partial_date":
        match = _PARTIAL_DATE_RE.fullmatch(raw)
        try:
            if match is None:
                raise ValueError
            year, month, day = (int(g) if g else 1 for g in match.groups())
            _dt.date(year, month, day)
        except ValueError:
            raise ValueError(f"must be a date YYYY, YYYY-MM or YYYY-MM-DD, got {raw!r}") from None
        return raw
    else:  # pragma: no cover - schema error
        raise AssertionError(f"unknown column kind {col.kind!r}")
    if (col.lo is not None and value < col.lo) or (col.hi is not None and value > col.hi):
        raise ValueError(f"must be in {_range_text(col)}, got {raw!r}")
    return value


def _records(readable: Readable) -> list[list[str]]:
    """Return the CSV records of ``readable`` (header first), or raise for bad bytes."""
    name = readable.name
    try:
        text = readable.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataValidationError(name, None, None, f"is not valid UTF-8 ({exc})") from None
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise DataValidationError(name, None, None, f"is not valid CSV ({exc})") from None
    if not records:
        raise DataValidationError(name, None, None, "is empty (no header row)")
    return records


def _check_header(name: str, header: list[str], expected: tuple[str, ...]) -> None:
    """Raise unless ``header`` is exactly ``expected``, naming the first wrong column."""
    if tuple(header) == expected:
        return
    for col in expected:
        if col not in header:
            raise DataValidationError(
                name, None, col, f"column is missing; expected columns {list(expected)}")
    for col in header:
        if col not in expected or header.count(col) > 1:
            raise DataValidationError(
                name, None, col, f"unexpected or repeated column; expected {list(expected)}")
    raise DataValidationError(
        name, None, header[0], f"columns are out of order; expected {list(expected)}")


def _parse_row(name: str, row_no: int, record: list[str], schema: Schema,
               allowed_codes: frozenset[str] | None) -> dict[str, Any]:
    """Return one data row parsed into values (``None`` for gaps), checked cell by cell."""
    expected = schema.names
    if len(record) != len(expected):
        column = expected[len(record)] if len(record) < len(expected) else expected[-1]
        raise DataValidationError(
            name, row_no, column, f"expected {len(expected)} fields, got {len(record)}")
    values: dict[str, Any] = {}
    for col, raw in zip(schema.columns, record, strict=True):
        if raw == "":
            if col.required:
                raise DataValidationError(name, row_no, col.name, "must not be empty")
            values[col.name] = None
            continue
        try:
            values[col.name] = _parse_cell(col, raw)
        except ValueError as exc:
            raise DataValidationError(name, row_no, col.name, str(exc)) from None
        if col.state_code and allowed_codes is not None and raw not in allowed_codes:
            raise DataValidationError(
                name, row_no, col.name,
                f"must be one of the {len(allowed_codes)} ISO3 codes in states.csv, "
                f"got {raw!r}")
    for check in schema.row_checks:
        for column, problem in check(values):
            raise DataValidationError(name, row_no, column, problem)
    return values


def _frame(schema: Schema, rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Return the parsed rows as a typed frame (float64, Int64, strings), indexed if asked."""
    data: dict[str, Any] = {}
    for col in schema.columns:
        values = [row[col.name] for row in rows]
        if col.kind == "float":
            data[col.name] = np.array(
                [np.nan if v is None else v for v in values], dtype="float64")
        elif col.kind == "int":
            data[col.name] = pd.array(values, dtype="Int64")
        else:
            data[col.name] = pd.Series(values, dtype=_STR_DTYPE)
    frame = pd.DataFrame(data, columns=list(schema.names))
    if schema.index is not None:
        frame = frame.set_index(schema.index)
    return frame


def read_table(
    source: Readable | str | Path,
    schema: Schema,
    *,
    codes: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Read one CSV file and validate it against ``schema``.

    Parameters
    ----------
    source : path-like or importlib Traversable
        The file to read (UTF-8 CSV with one header row).
    schema : Schema
        The table's schema (one of :data:`course_lib.datasets.schema.SCHEMAS`).
    codes : iterable of str, optional
        The allowed state codes for columns that refer to states; required when the schema has
        such columns (the loaders pass the codes of the packaged ``states.csv``).

    Returns
    -------
    pandas.DataFrame
        Floats as float64 with NaN for gaps, whole numbers as ``Int64``, text as strings.

    Raises
    ------
    DataValidationError
        Naming the file, the 1-based data row and the column of the first problem found.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> tmp = pathlib.Path(tempfile.mkdtemp()) / "borders.csv"
    >>> _ = tmp.write_text("iso3_a,iso3_b,source\\nISR,XXX,test\\n", encoding="utf-8")
    >>> read_table(tmp, SCHEMAS["borders.csv"], codes=["ISR", "JOR"])
    Traceback (most recent call last):
    ...
    course_lib.datasets.schema.DataValidationError: borders.csv, data row 1, column 'iso3_b': ...
    """
    readable: Readable = Path(source) if isinstance(source, str | Path) else source
    name = readable.name
    records = _records(readable)
    _check_header(name, records[0], schema.names)
    allowed = None if codes is None else frozenset(codes)
    if allowed is None and any(c.state_code for c in schema.columns):
        raise ValueError(f"codes must be given to read {name}: it refers to state codes")
    rows: list[dict[str, Any]] = []
    seen_keys: dict[tuple[Any, ...], int] = {}
    for row_no, record in enumerate(records[1:], start=1):
        values = _parse_row(name, row_no, record, schema, allowed)
        if schema.key:
            key = tuple(values[k] for k in schema.key)
            if key in seen_keys:
                raise DataValidationError(
                    name, row_no, schema.key[-1],
                    f"duplicate {'/'.join(schema.key)} {key if len(key) > 1 else key[0]!r} "
                    f"(first seen in data row {seen_keys[key]})")
            seen_keys[key] = row_no
        rows.append(values)
    return _frame(schema, rows)


def check_sources_cover(frame: pd.DataFrame, file: str = "sources.csv") -> None:
    """Raise DataValidationError unless ``frame`` lists every column of every table once.

    Examples
    --------
    >>> check_sources_cover(pd.DataFrame({"table": ["borders"], "column": ["iso3_a"]}))
    Traceback (most recent call last):
    ...
    course_lib.datasets.schema.DataValidationError: sources.csv, header row, column 'column': ...
    """
    for table in ("states", "borders", "timeline", "intentions"):
        expected = list(SCHEMAS[f"{table}.csv"].names)
        listed = frame.loc[frame["table"] == table, "column"].tolist()
        missing = [c for c in expected if c not in listed]
        extra = [c for c in listed if c not in expected]
        if missing or extra:
            raise DataValidationError(
                file, None, "column",
                f"must list every column of {table}.csv once; missing {missing}, unknown {extra}")
