"""Packaged tables of the course, validated every time they are loaded.

Five CSV files ship inside the package (``course_lib/data/``, built by ``tools/build_data.py``;
see ``course_lib/data/SOURCES.md`` for every source, vintage and caveat):

========================  =====================================================================
:func:`load_states`       55 states: 32 NATO members, 19 MENA non-members, Russia, China,
                          Ukraine and Georgia, with capitals, 2022 figures, CINC (2016), NATO
                          accession and partnership framework.
:func:`load_borders`      land borders among them (the course's own coding).
:func:`load_timeline`     dated milestones 1949-2024 with their original sources.
:func:`load_intentions`   offensive intentions, observer -> source, in [0, 1] (a course coding
                          for teaching, not a measurement).
:func:`load_sources`      publisher, vintage, year, units and notes for every column.
========================  =====================================================================

Every load checks the exact column order, parses each cell into its type and checks ranges,
codes, dates and uniqueness. A problem raises :class:`DataValidationError` naming the file, the
1-based data row (the first row after the header is row 1) and the column. Missing figures are
empty cells in the files and come back as ``NaN`` (floats, text) or ``<NA>`` (years): gaps stay
gaps. Frames are cached after the first load; every call returns a fresh copy, so changing a
returned frame never affects later calls.
"""

from __future__ import annotations

import csv
import datetime as _dt
import functools
import io
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd

__all__ = [
    "MENA_REGIONAL_POWERS",
    "PARTNERSHIP_FRAMEWORKS",
    "DataValidationError",
    "check_state_code",
    "load_borders",
    "load_intentions",
    "load_sources",
    "load_states",
    "load_timeline",
    "neighbours",
    "state_codes",
    "table_columns",
]

#: The five regional great powers of the Middle East named in Csepregi (2023):
#: Turkey, Iran, Israel, Saudi Arabia and Egypt.
MENA_REGIONAL_POWERS: tuple[str, ...] = ("TUR", "IRN", "ISR", "SAU", "EGY")

_STR_DTYPE: Any = "str" if int(pd.__version__.split(".")[0]) >= 3 else object


class DataValidationError(ValueError):
    """A packaged (or test) CSV file breaks its schema.

    The message names the file, the 1-based data row (``None`` for the header or a whole-table
    problem) and the column; the same facts are available as attributes.

    Examples
    --------
    >>> err = DataValidationError("states.csv", 3, "lat", "must be in [-90, 90], got '95'")
    >>> str(err)
    "states.csv, data row 3, column 'lat': must be in [-90, 90], got '95'"
    >>> isinstance(err, ValueError), err.row, err.column
    (True, 3, 'lat')
    """

    def __init__(self, file: str, row: int | None, column: str | None, problem: str) -> None:
        self.file = file
        self.row = row
        self.column = column
        self.problem = problem
        where = [file]
        where.append(f"data row {row}" if row is not None else "header row" if column else "table")
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__(f"{', '.join(where)}: {problem}")


class _Readable(Protocol):
    """Anything with ``name`` and ``read_bytes()``: a Path or an importlib Traversable."""

    name: str

    def read_bytes(self) -> bytes: ...  # pragma: no cover - protocol


# ---------------------------------------------------------------------------------------------
# schemas
# ---------------------------------------------------------------------------------------------

_CODE_RE = re.compile(r"[A-Z]{3}")
_INT_RE = re.compile(r"[+-]?\d+")
_PARTIAL_DATE_RE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True)
class _Column:
    """One column: its kind, whether it may be empty, and its allowed values."""

    name: str
    kind: str  # "code", "text", "float", "int", "date", "partial_date"
    required: bool = True
    lo: float | None = None
    hi: float | None = None
    choices: tuple[str, ...] | None = None
    state_code: bool = False  # must be one of the codes in states.csv


RowCheck = Callable[[Mapping[str, Any]], Iterable[tuple[str, str]]]


@dataclass(frozen=True)
class _Schema:
    """A table: file name, columns in order, unique key, index and row-level checks."""

    filename: str
    columns: tuple[_Column, ...]
    key: tuple[str, ...] = ()
    index: str | None = None
    row_checks: tuple[RowCheck, ...] = field(default_factory=tuple)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _check_states_row(row: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    year, date, group = row["nato_accession_year"], row["nato_accession_date"], row["group"]
    if (group == "NATO") != (year is not None):
        yield ("nato_accession_year",
               f"must be filled exactly for group 'NATO' (group is {group!r}, year is {year!r})")
    if (date is None) != (year is None) or (date is not None and int(date[:4]) != year):
        yield ("nato_accession_date",
               f"must match nato_accession_year {year!r}, got {date!r}")
    if (row["partnership_framework"] == "NATO member") != (group == "NATO"):
        yield ("partnership_framework",
               f"'NATO member' must go with group 'NATO', got {row['partnership_framework']!r} "
               f"for group {group!r}")


def _check_border_row(row: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    if not row["iso3_a"] < row["iso3_b"]:
        yield ("iso3_b", f"must sort after iso3_a {row['iso3_a']!r}, got {row['iso3_b']!r}")


def _check_timeline_row(row: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    date = row["date"]
    if int(date[:4]) != row["year"]:
        yield ("year", f"must equal the year of date {date!r}, got {row['year']!r}")
    precision = {10: "day", 7: "month", 4: "year"}[len(date)]
    if row["date_precision"] != precision:
        yield ("date_precision",
               f"must be {precision!r} for date {date!r}, got {row['date_precision']!r}")


def _check_intention_row(row: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    if row["observer"] == row["source"]:
        yield ("source", f"must differ from observer, got {row['source']!r} twice")


#: Allowed values of ``partnership_framework`` (shared with ``tools/build_data.py``).
PARTNERSHIP_FRAMEWORKS = (
    "NATO member",
    "Mediterranean Dialogue",
    "Istanbul Cooperation Initiative",
    "Partnership for Peace",
    "Partners across the globe",
    "none",
)

_STATES = _Schema(
    filename="states.csv",
    columns=(
        _Column("iso3", "code"),
        _Column("name", "text"),
        _Column("group", "text", choices=("NATO", "MENA", "Other")),
        _Column("capital", "text"),
        _Column("lat", "float", lo=-90, hi=90),
        _Column("lon", "float", lo=-180, hi=180),
        _Column("milex_usd_2022", "float", required=False, lo=0),
        _Column("milex_share_gdp_2022_pct", "float", required=False, lo=0, hi=100),
        _Column("gdp_usd_2022", "float", required=False, lo=0),
        _Column("population_2022", "float", required=False, lo=0),
        _Column("armed_forces_personnel", "float", required=False, lo=0),
        _Column("armed_forces_year", "int", required=False, lo=1900, hi=2100),
        _Column("cinc", "float", required=False, lo=0, hi=1),
        _Column("cinc_year", "int", required=False, lo=1816, hi=2100),
        _Column("nuclear_status", "text"),
        _Column("nato_accession_date", "date", required=False),
        _Column("nato_accession_year", "int", required=False, lo=1949, hi=2100),
        _Column("partnership_framework", "text", choices=PARTNERSHIP_FRAMEWORKS),
        _Column("partnership_join", "partial_date", required=False),
        _Column("individual_programmes", "text", required=False),
        _Column("abraham_accords_signed", "date", required=False),
        _Column("notes", "text", required=False),
    ),
    key=("iso3",),
    index="iso3",
    row_checks=(_check_states_row,),
)

_BORDERS = _Schema(
    filename="borders.csv",
    columns=(
        _Column("iso3_a", "code", state_code=True),
        _Column("iso3_b", "code", state_code=True),
        _Column("source", "text"),
    ),
    key=("iso3_a", "iso3_b"),
    row_checks=(_check_border_row,),
)

_TIMELINE = _Schema(
    filename="timeline.csv",
    columns=(
        _Column("date", "partial_date"),
        _Column("year", "int", lo=1900, hi=2100),
        _Column("date_precision", "text", choices=("day", "month", "year")),
        _Column("event", "text"),
        _Column("category", "text"),
        _Column("source", "text"),
        _Column("source_note", "text", required=False),
    ),
    key=("date", "event"),
    row_checks=(_check_timeline_row,),
)

_INTENTIONS = _Schema(
    filename="intentions.csv",
    columns=(
        _Column("observer", "code", state_code=True),
        _Column("source", "code", state_code=True),
        _Column("score", "float", lo=0, hi=1),
        _Column("reason", "text"),
        _Column("citation", "text"),
    ),
    key=("observer", "source"),
    row_checks=(_check_intention_row,),
)

_SOURCES = _Schema(
    filename="sources.csv",
    columns=(
        _Column("table", "text", choices=("states", "borders", "timeline", "intentions")),
        _Column("column", "text"),
        _Column("publisher", "text"),
        _Column("edition_or_vintage", "text", required=False),
        _Column("data_year", "text", required=False),
        _Column("units", "text", required=False),
        _Column("notes", "text", required=False),
    ),
    key=("table", "column"),
)

_SCHEMAS = {s.filename: s for s in (_STATES, _BORDERS, _TIMELINE, _INTENTIONS, _SOURCES)}


def table_columns(filename: str) -> tuple[str, ...]:
    """Return the column names, in order, of one packaged table.

    Parameters
    ----------
    filename : str
        One of ``states.csv``, ``borders.csv``, ``timeline.csv``, ``intentions.csv``,
        ``sources.csv``.

    Raises
    ------
    ValueError
        If ``filename`` is not one of the packaged tables.

    Examples
    --------
    >>> table_columns("borders.csv")
    ('iso3_a', 'iso3_b', 'source')
    """
    if filename not in _SCHEMAS:
        raise ValueError(f"filename must be one of {sorted(_SCHEMAS)}, got {filename!r}")
    return _SCHEMAS[filename].names


# ---------------------------------------------------------------------------------------------
# parsing and validation
# ---------------------------------------------------------------------------------------------


def _range_text(col: _Column) -> str:
    lo = "-inf" if col.lo is None else f"{col.lo:g}"
    hi = "inf" if col.hi is None else f"{col.hi:g}"
    return f"[{lo}, {hi}]"


def _parse_cell(col: _Column, raw: str) -> Any:
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


def _as_readable(source: _Readable | str | Path) -> _Readable:
    if isinstance(source, str | Path):
        return Path(source)
    return source


def _load_table(
    source: _Readable | str | Path,
    schema: _Schema,
    *,
    codes: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Read one CSV file and validate it against ``schema``.

    Parameters
    ----------
    source : path-like or importlib Traversable
        The file to read (UTF-8 CSV with one header row).
    schema : _Schema
        The table's schema (one of the module's private schemas).
    codes : iterable of str, optional
        The allowed state codes for columns that refer to states; defaults to the codes in the
        packaged ``states.csv``.

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
    >>> _load_table(tmp, _BORDERS)
    Traceback (most recent call last):
    ...
    course_lib.datasets.DataValidationError: borders.csv, data row 1, column 'iso3_b': ...
    """
    readable = _as_readable(source)
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

    header, body = records[0], records[1:]
    expected = schema.names
    if tuple(header) != expected:
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

    allowed_codes: frozenset[str] | None = None
    if any(c.state_code for c in schema.columns):
        allowed_codes = frozenset(state_codes() if codes is None else codes)

    parsed: dict[str, list[Any]] = {c.name: [] for c in schema.columns}
    seen_keys: dict[tuple[Any, ...], int] = {}
    for row_no, record in enumerate(body, start=1):
        if len(record) != len(expected):
            column = expected[len(record)] if len(record) < len(expected) else expected[-1]
            raise DataValidationError(
                name, row_no, column,
                f"expected {len(expected)} fields, got {len(record)}")
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
        if schema.key:
            key = tuple(values[k] for k in schema.key)
            if key in seen_keys:
                raise DataValidationError(
                    name, row_no, schema.key[-1],
                    f"duplicate {'/'.join(schema.key)} {key if len(key) > 1 else key[0]!r} "
                    f"(first seen in data row {seen_keys[key]})")
            seen_keys[key] = row_no
        for col_name, value in values.items():
            parsed[col_name].append(value)

    data: dict[str, Any] = {}
    for col in schema.columns:
        values = parsed[col.name]
        if col.kind == "float":
            data[col.name] = np.array(
                [np.nan if v is None else v for v in values], dtype="float64")
        elif col.kind == "int":
            data[col.name] = pd.array(values, dtype="Int64")
        else:
            data[col.name] = pd.Series(values, dtype=_STR_DTYPE)
    frame = pd.DataFrame(data, columns=list(expected))
    if schema.index is not None:
        frame = frame.set_index(schema.index)
    return frame


def _check_sources_cover(frame: pd.DataFrame, file: str = "sources.csv") -> None:
    """Raise DataValidationError unless ``frame`` lists every column of every table once."""
    for table in ("states", "borders", "timeline", "intentions"):
        expected = list(_SCHEMAS[f"{table}.csv"].names)
        listed = frame.loc[frame["table"] == table, "column"].tolist()
        missing = [c for c in expected if c not in listed]
        extra = [c for c in listed if c not in expected]
        if missing or extra:
            raise DataValidationError(
                file, None, "column",
                f"must list every column of {table}.csv once; missing {missing}, unknown {extra}")


def _data_file(name: str) -> Any:
    return resources.files("course_lib") / "data" / name


@functools.lru_cache(maxsize=8)
def _cached(name: str) -> pd.DataFrame:
    return _load_table(_data_file(name), _SCHEMAS[name])


@functools.lru_cache(maxsize=1)
def _adjacency() -> dict[str, frozenset[str]]:
    borders = _cached("borders.csv")
    links: dict[str, set[str]] = {code: set() for code in state_codes()}
    for a, b in zip(borders["iso3_a"], borders["iso3_b"], strict=True):
        links[a].add(b)
        links[b].add(a)
    return {code: frozenset(n) for code, n in links.items()}


# ---------------------------------------------------------------------------------------------
# public loaders
# ---------------------------------------------------------------------------------------------


def load_states() -> pd.DataFrame:
    """Load the 55-state table, indexed by ISO3 code.

    Returns
    -------
    pandas.DataFrame
        Index ``iso3``; columns ``name, group, capital, lat, lon, milex_usd_2022,
        milex_share_gdp_2022_pct, gdp_usd_2022, population_2022, armed_forces_personnel,
        armed_forces_year, cinc, cinc_year, nuclear_status, nato_accession_date,
        nato_accession_year, partnership_framework, partnership_join, individual_programmes,
        abraham_accords_signed, notes``. Figures are float64 (NaN where no sourced figure
        exists), years are ``Int64``, dates are ISO strings. Military expenditure is SIPRI
        (April 2023 release, current US$), GDP and population World Bank WDI, armed forces
        2020 (includes paramilitary), CINC COW NMC v6.0 for 2016: see :func:`load_sources`.

    Raises
    ------
    DataValidationError
        If the packaged file breaks its schema.

    Examples
    --------
    >>> states = load_states()
    >>> len(states), states.index.name
    (55, 'iso3')
    >>> states["group"].value_counts().to_dict()
    {'NATO': 32, 'MENA': 19, 'Other': 4}
    >>> states.loc["ISR", ["partnership_framework", "partnership_join"]].tolist()
    ['Mediterranean Dialogue', '1995-02']
    >>> int((states["nato_accession_year"] < 2024).sum())   # the 31 members of 2023
    31
    """
    return _cached("states.csv").copy(deep=True)


def load_borders() -> pd.DataFrame:
    """Load the land borders among the 55 states (the course's own coding).

    One row per pair with ``iso3_a < iso3_b``; land boundaries of home territory only (no
    maritime neighbours, no overseas territories). Check against COW Direct Contiguity v3.2,
    type 1 (Stinnett et al. 2002).

    Returns
    -------
    pandas.DataFrame
        Columns ``iso3_a, iso3_b, source``.

    Examples
    --------
    >>> borders = load_borders()
    >>> list(borders.columns)
    ['iso3_a', 'iso3_b', 'source']
    >>> sorted(borders.loc[borders["iso3_b"] == "ISR", "iso3_a"])
    ['EGY']
    >>> bool((borders["iso3_a"] < borders["iso3_b"]).all())
    True
    """
    return _cached("borders.csv").copy(deep=True)


def load_timeline() -> pd.DataFrame:
    """Load the dated milestones of NATO, its southern partnerships and NATO-Israel relations.

    Dates keep the precision of their source (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``, see
    ``date_precision``). ``source`` names the original publisher or document; ``source_note``
    says where a date rests on a secondary compilation and should be re-checked.

    Returns
    -------
    pandas.DataFrame
        Columns ``date, year, date_precision, event, category, source, source_note``, sorted by
        date; ``year`` is ``Int64``.

    Examples
    --------
    >>> timeline = load_timeline()
    >>> int(timeline["year"].min()), int(timeline["year"].max())
    (1949, 2024)
    >>> timeline.loc[timeline["date"] == "2022-02-24", "category"].item()
    'Russia-Ukraine war'
    """
    return _cached("timeline.csv").copy(deep=True)


def load_intentions() -> pd.DataFrame:
    """Load the course's hand-coded offensive-intention table.

    **A course coding for teaching, not a measurement.** Each row is one observer's view of one
    source state: ``score`` in [0, 1], a one-line ``reason`` and a ``citation`` (author-year
    from the bibliography of Csepregi 2023, a named document, or "Course coding"). Scores for
    LBN and YEM are proxies for non-state groups (Hezbollah, the Houthis). Every course function
    that uses this table accepts the user's own scores instead; argue with it.

    Returns
    -------
    pandas.DataFrame
        Columns ``observer, source, score, reason, citation``; ``score`` is float64.

    Examples
    --------
    >>> intentions = load_intentions()
    >>> row = intentions[(intentions["observer"] == "ISR") & (intentions["source"] == "IRN")]
    >>> float(row["score"].item()), row["citation"].item()
    (0.9, 'Csepregi 2023')
    >>> bool(intentions["score"].between(0, 1).all())
    True
    """
    return _cached("intentions.csv").copy(deep=True)


def load_sources() -> pd.DataFrame:
    """Load the per-column source table: publisher, edition or vintage, year, units, notes.

    Every column of the states, borders, timeline and intentions tables has exactly one row.

    Returns
    -------
    pandas.DataFrame
        Columns ``table, column, publisher, edition_or_vintage, data_year, units, notes``.

    Raises
    ------
    DataValidationError
        If the packaged file breaks its schema or misses or invents a column.

    Examples
    --------
    >>> sources = load_sources()
    >>> row = sources[(sources["table"] == "states") & (sources["column"] == "milex_usd_2022")]
    >>> row["publisher"].item(), row["edition_or_vintage"].item()
    ('SIPRI Military Expenditure Database', 'April 2023 release')
    """
    frame = _cached("sources.csv")
    _check_sources_cover(frame)
    return frame.copy(deep=True)


def state_codes() -> tuple[str, ...]:
    """Return the 55 ISO3 codes of the states table, in table order.

    Examples
    --------
    >>> codes = state_codes()
    >>> len(codes), codes[0], "ISR" in codes
    (55, 'USA', True)
    """
    return tuple(_cached("states.csv").index)


def check_state_code(code: object, argument: str = "observer") -> str:
    """Return ``code`` upper-cased if it is one of the 55 state codes, else raise ValueError.

    Parameters
    ----------
    code : str
        An ISO3 code, any case (surrounding spaces are ignored).
    argument : str, default "observer"
        The caller's argument name, used in the error message.

    Returns
    -------
    str
        The upper-case code.

    Raises
    ------
    ValueError
        Naming ``argument``, the allowed codes (with an example) and the bad value.

    Examples
    --------
    >>> check_state_code("isr")
    'ISR'
    >>> check_state_code("XXX", argument="source")
    Traceback (most recent call last):
    ...
    ValueError: source must be one of the 55 ISO3 codes in the states table (e.g. 'ISR'), got 'XXX'
    """
    codes = state_codes()
    if isinstance(code, str):
        candidate = code.strip().upper()
        if candidate in codes:
            return candidate
    raise ValueError(
        f"{argument} must be one of the {len(codes)} ISO3 codes in the states table "
        f"(e.g. 'ISR'), got {code!r}")


def neighbours(iso3: str) -> frozenset[str]:
    """Return the states that share a land border with ``iso3`` (from :func:`load_borders`).

    Parameters
    ----------
    iso3 : str
        A state code (any case).

    Raises
    ------
    ValueError
        If ``iso3`` is not one of the 55 state codes.

    Examples
    --------
    >>> sorted(neighbours("ISR"))
    ['EGY', 'JOR', 'LBN', 'SYR']
    >>> neighbours("ISL")
    frozenset()
    """
    return _adjacency()[check_state_code(iso3, argument="iso3")]
