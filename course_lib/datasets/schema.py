"""Table schemas of the packaged CSV files: columns, kinds, ranges, keys and row checks.

A :class:`Column` says what one column holds; a :class:`Schema` lists a table's columns in order
with its unique key and row-level checks. :data:`SCHEMAS` maps each packaged file name to its
schema; :func:`table_columns` gives the column names (``tools/build_data.py`` uses it for the
files in ``data-raw/``). Problems are reported as :class:`DataValidationError`, which names the
file, the 1-based data row and the column.

Examples
--------
>>> SCHEMAS["intentions.csv"].key
('observer', 'source', 'coding')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "DEFAULT_INTENTION_CODING",
    "INTENTION_CODINGS",
    "PARTNERSHIP_FRAMEWORKS",
    "RECENT_SOURCE_TYPES",
    "SCHEMAS",
    "SOURCE_TYPES",
    "SOURCING_YEAR",
    "Column",
    "DataValidationError",
    "RowCheck",
    "Schema",
    "table_columns",
    "unsourced_recent_rows",
]


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


@dataclass(frozen=True)
class Column:
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
class Schema:
    """A table: file name, columns in order, unique key, index and row-level checks."""

    filename: str
    columns: tuple[Column, ...]
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

#: The dated codings of ``intentions.csv``, oldest first: ``"2023"`` is the paper's view (the
#: course's coding of Csepregi 2023), ``"2026-12"`` the course's coding as of December 2026,
#: after the events since the paper. A later coding lists only the dyads it recodes and keeps
#: every other dyad of the earlier codings (see :func:`course_lib.datasets.intentions_as_of`).
INTENTION_CODINGS: tuple[str, ...] = ("2023", "2026-12")

#: The coding every course function uses unless told otherwise: the paper's view.
DEFAULT_INTENTION_CODING = "2023"

STATES = Schema(
    filename="states.csv",
    columns=(
        Column("iso3", "code"),
        Column("name", "text"),
        Column("group", "text", choices=("NATO", "MENA", "Other")),
        Column("capital", "text"),
        Column("lat", "float", lo=-90, hi=90),
        Column("lon", "float", lo=-180, hi=180),
        Column("milex_usd_2022", "float", required=False, lo=0),
        Column("milex_share_gdp_2022_pct", "float", required=False, lo=0, hi=100),
        Column("gdp_usd_2022", "float", required=False, lo=0),
        Column("population_2022", "float", required=False, lo=0),
        Column("armed_forces_personnel", "float", required=False, lo=0),
        Column("armed_forces_year", "int", required=False, lo=1900, hi=2100),
        Column("cinc", "float", required=False, lo=0, hi=1),
        Column("cinc_year", "int", required=False, lo=1816, hi=2100),
        Column("nuclear_status", "text"),
        Column("nato_accession_date", "date", required=False),
        Column("nato_accession_year", "int", required=False, lo=1949, hi=2100),
        Column("partnership_framework", "text", choices=PARTNERSHIP_FRAMEWORKS),
        Column("partnership_join", "partial_date", required=False),
        Column("individual_programmes", "text", required=False),
        Column("abraham_accords_signed", "date", required=False),
        Column("notes", "text", required=False),
    ),
    key=("iso3",),
    index="iso3",
    row_checks=(_check_states_row,),
)

BORDERS = Schema(
    filename="borders.csv",
    columns=(
        Column("iso3_a", "code", state_code=True),
        Column("iso3_b", "code", state_code=True),
        Column("source", "text"),
    ),
    key=("iso3_a", "iso3_b"),
    row_checks=(_check_border_row,),
)

#: Kinds of source a timeline row can cite (defined in ``data-raw/README.md``): a document of
#: the body that acted or decided, an independent news agency, peer-reviewed scholarship, the
#: course's paper, a newspaper or broadcaster, a government-controlled outlet, a site that
#: reposts or summarises others' reporting.
SOURCE_TYPES = ("primary", "wire", "academic", "paper", "newspaper", "state media", "aggregator")
#: From this year on, every timeline row must cite one of :data:`RECENT_SOURCE_TYPES`.
SOURCING_YEAR = 2023
#: The kinds of source a timeline row dated :data:`SOURCING_YEAR` or later may rest on.
RECENT_SOURCE_TYPES = ("primary", "wire")

TIMELINE = Schema(
    filename="timeline.csv",
    columns=(
        Column("date", "partial_date"),
        Column("year", "int", lo=1900, hi=2100),
        Column("date_precision", "text", choices=("day", "month", "year")),
        Column("event", "text"),
        Column("category", "text"),
        Column("source", "text"),
        Column("source_type", "text", choices=SOURCE_TYPES),
        Column("source_note", "text", required=False),
    ),
    key=("date", "event"),
    row_checks=(_check_timeline_row,),
)

INTENTIONS = Schema(
    filename="intentions.csv",
    columns=(
        Column("observer", "code", state_code=True),
        Column("source", "code", state_code=True),
        Column("coding", "text", choices=INTENTION_CODINGS),
        Column("score", "float", lo=0, hi=1),
        Column("reason", "text"),
        Column("citation", "text"),
    ),
    key=("observer", "source", "coding"),
    row_checks=(_check_intention_row,),
)

SOURCES = Schema(
    filename="sources.csv",
    columns=(
        Column("table", "text", choices=("states", "borders", "timeline", "intentions")),
        Column("column", "text"),
        Column("publisher", "text"),
        Column("edition_or_vintage", "text", required=False),
        Column("data_year", "text", required=False),
        Column("units", "text", required=False),
        Column("notes", "text", required=False),
    ),
    key=("table", "column"),
)

#: Packaged file name -> its schema.
SCHEMAS = {s.filename: s for s in (STATES, BORDERS, TIMELINE, INTENTIONS, SOURCES)}


def unsourced_recent_rows(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    """Return ``"date: event"`` for each timeline row that breaks the course's sourcing rule.

    A row dated :data:`SOURCING_YEAR` or later must cite a primary document or a wire service
    (``source_type`` in :data:`RECENT_SOURCE_TYPES`); newspapers, aggregators and state media
    may appear in the lessons only as attributed voices.

    Parameters
    ----------
    rows : iterable of mappings
        Timeline rows with at least ``date``, ``event`` and ``source_type``.

    Examples
    --------
    >>> unsourced_recent_rows([
    ...     {"date": "2022-02-24", "event": "A", "source_type": "paper"},
    ...     {"date": "2024-01", "event": "B", "source_type": "newspaper"},
    ...     {"date": "2025", "event": "C", "source_type": "wire"}])
    ['2024-01: B']
    """
    if isinstance(rows, str | bytes | Mapping) or not isinstance(rows, Iterable):
        raise ValueError(f"rows must be a list of timeline rows (mappings), got {rows!r:.60}")
    found = []
    for row in rows:
        if not isinstance(row, Mapping) or not {"date", "event", "source_type"} <= set(row):
            raise ValueError("rows must hold mappings with 'date', 'event' and 'source_type', "
                             f"got {row!r:.60}")
        year = str(row["date"])[:4]
        if not year.isdigit():
            raise ValueError(f"rows must have dates starting with a year, got {row['date']!r:.30}")
        if int(year) >= SOURCING_YEAR and row["source_type"] not in RECENT_SOURCE_TYPES:
            found.append(f"{row['date']}: {row['event']}")
    return found


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
    if not isinstance(filename, str) or filename not in SCHEMAS:
        raise ValueError(f"filename must be one of {sorted(SCHEMAS)}, got {filename!r}")
    return SCHEMAS[filename].names
