"""Build the course's packaged tables in ``course_lib/data/`` from ``data-raw/``.

Run from the repository root::

    .venv/bin/python tools/build_data.py                   # data-raw/ -> course_lib/data/
    .venv/bin/python tools/build_data.py --out DIR         # write somewhere else (tests do this)
    .venv/bin/python tools/build_data.py --raw DIR         # another copy of data-raw/
    .venv/bin/python tools/build_data.py --check-reference DIR   # compare with reference facts

Every input lives in the repository, in ``data-raw/`` (plain CSV files a reviewer can read and
change; see ``data-raw/README.md``):

- ``states.csv``        the figures per state (columns of the packaged ``states.csv`` without the
                        derived ``group``); each column's original publisher and vintage is in
                        ``sources.csv``
- ``timeline*.csv``     every file matching is read: the wording, source, source type and note
                        of each milestone; ``timeline.csv`` holds the milestones of the reference
                        compilation and the three the paper dates, and every milestone the course
                        adds goes into another ``timeline*.csv``; columns are those of the
                        packaged ``timeline.csv`` without the derived ``year`` and
                        ``date_precision``; rows dated 2023 or later must cite a primary document
                        or a wire service
- ``content.toml``      the date the course's content runs to (``content_date = YYYY-MM-DD``);
                        it may not be earlier than the newest milestone
- ``borders.csv``       land borders, one pair per row, alphabetical order
- ``intentions.csv``    the offensive-intention codings (``2023`` and ``2026-12``), with a
                        citation per row
- ``sources.csv``       publisher, vintage, year, units and notes per (table, column)
- ``SOURCES.template.md``  the prose of ``SOURCES.md``; the builder fills in row counts and the
                        column-by-column table

Column lists come from the packaged schemas (:func:`course_lib.datasets.table_columns`).

Outputs: ``states.csv``, ``borders.csv``, ``timeline.csv``, ``intentions.csv``, ``sources.csv``,
``content.toml`` and ``SOURCES.md``. The build is deterministic: the same inputs give
byte-identical files (fixed row order, ``\\n`` line endings, numbers copied as written).

``--check-reference DIR`` compares ``data-raw/`` with the course authors' compiled reference
facts in ``DIR`` (four files: ``states_reference.csv``, ``states_reference_provenance.csv``,
``nato_membership_partnerships.csv``, ``timeline_nato_south_israel.csv``; nothing under
``raw/`` is opened) and prints every disagreement (:mod:`reference_check`); the tests run it
where ``COURSE_REFERENCE_DATA`` names that folder.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

# Runnable as `python tools/build_data.py` from a checkout, installed or not.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from reference_check import ReferenceError, reference_problems  # noqa: E402 (beside this file)

from course_lib.datasets import (  # noqa: E402
    INTENTION_CODINGS,
    PARTNERSHIP_FRAMEWORKS,
    SOURCE_TYPES,
    table_columns,
    unsourced_recent_rows,
)
from course_lib.datasets.currency import format_date, parse_content_toml  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEFAULT_RAW = REPO / "data-raw"
DEFAULT_OUT = REPO / "course_lib" / "data"

STATES_COLUMNS = table_columns("states.csv")
STATES_RAW_COLUMNS = tuple(c for c in STATES_COLUMNS if c != "group")
TIMELINE_COLUMNS = table_columns("timeline.csv")
#: Columns of ``data-raw/timeline*.csv``: the packaged ones without those the builder derives.
TIMELINE_RAW_COLUMNS = tuple(c for c in TIMELINE_COLUMNS if c not in ("year", "date_precision"))
#: Source of the milestones the paper itself dates (not in the reference compilation).
PAPER_SOURCE = "Csepregi (2023)"
#: The four states outside NATO and outside MENA that the course needs.
OTHER_STATES = ("RUS", "CHN", "UKR", "GEO")
#: How many states of each group the table holds (32 NATO members with Sweden).
GROUP_SIZES = {"NATO": 32, "MENA": 19, "Other": 4}


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


class BuildError(RuntimeError):
    """An input file does not have the shape or content the build expects."""


def read_raw(path: Path, columns: Sequence[str]) -> list[list[str]]:
    """Return the data rows of one ``data-raw`` CSV file whose header must be ``columns``.

    Raises
    ------
    BuildError
        Naming the file (and the 1-based data row) if it is missing, has another header or a
        row with the wrong number of fields.
    """
    if not path.is_file():
        raise BuildError(f"course data file not found: {path}")
    with path.open(encoding="utf-8", newline="") as fh:
        records = list(csv.reader(fh))
    if not records or tuple(records[0]) != tuple(columns):
        got = records[0] if records else []
        raise BuildError(f"{path.name}, header row: expected columns {list(columns)}, got {got}")
    for row_no, row in enumerate(records[1:], start=1):
        if len(row) != len(columns):
            raise BuildError(f"{path.name}, data row {row_no}: expected {len(columns)} fields, "
                             f"got {len(row)}")
    return records[1:]


def _csv_text(columns: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        if len(row) != len(columns):
            raise BuildError(f"row has {len(row)} fields, expected {len(columns)}: {row!r}")
        writer.writerow(row)
    return buf.getvalue()


def _precision(date: str) -> str:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        return "day"
    if re.fullmatch(r"\d{4}-\d{2}", date):
        return "month"
    if re.fullmatch(r"\d{4}", date):
        return "year"
    raise BuildError(f"unrecognised date {date!r}")


def _group(code: str, accession_year: str) -> str:
    if accession_year:
        return "NATO"
    return "Other" if code in OTHER_STATES else "MENA"


def build_states(raw: Path) -> list[list[str]]:
    """Check ``data-raw/states.csv`` and return the packaged rows (with the derived group)."""
    rows = []
    seen: set[str] = set()
    for record in read_raw(raw / "states.csv", STATES_RAW_COLUMNS):
        row = dict(zip(STATES_RAW_COLUMNS, record, strict=True))
        code = row["iso3"]
        if code in seen:
            raise BuildError(f"states.csv: {code} is listed twice")
        seen.add(code)
        date, year = row["nato_accession_date"], row["nato_accession_year"]
        if date and date[:4] != year:
            raise BuildError(f"states.csv: {code}: accession date {date} and year {year!r} "
                             "disagree")
        if row["partnership_framework"] not in PARTNERSHIP_FRAMEWORKS:
            raise BuildError(f"states.csv: {code}: unknown partnership framework "
                             f"{row['partnership_framework']!r} (one of "
                             f"{list(PARTNERSHIP_FRAMEWORKS)})")
        row["group"] = _group(code, year)
        rows.append([row[c] for c in STATES_COLUMNS])
    group = STATES_COLUMNS.index("group")
    counts = {g: sum(row[group] == g for row in rows) for g in GROUP_SIZES}
    if counts != GROUP_SIZES:
        raise BuildError(f"states.csv: group sizes {counts}, expected {GROUP_SIZES}")
    return rows


def build_borders(raw: Path, codes: set[str]) -> list[list[str]]:
    """Check ``data-raw/borders.csv`` and return its pairs sorted alphabetically."""
    rows = read_raw(raw / "borders.csv", table_columns("borders.csv"))
    pairs = set()
    for a, b, _source in rows:
        if not (a < b):
            raise BuildError(f"border {a}-{b} is not in alphabetical order")
        if a not in codes or b not in codes:
            raise BuildError(f"border {a}-{b} names a state outside the table")
        if (a, b) in pairs:
            raise BuildError(f"duplicate border pair {a}-{b}")
        pairs.add((a, b))
    return sorted(rows)


def timeline_files(raw: Path) -> list[Path]:
    """Return every ``timeline*.csv`` file of ``raw``, in name order."""
    files = sorted(raw.glob("timeline*.csv"))
    if not files:
        raise BuildError(f"no timeline*.csv file in {raw}")
    return files


def build_timeline(raw: Path) -> list[list[str]]:
    """Join every ``data-raw/timeline*.csv`` into the packaged timeline, sorted by date.

    Rows of the same date keep their file order (a stable sort); a (date, event) pair may appear
    once. ``timeline.csv`` holds the compiled milestones and those the paper dates; the course's
    own milestones sit in the other files (``--check-reference`` checks the compiled ones).
    """
    coded: list[list[str]] = []
    for path in timeline_files(raw):
        coded.extend(read_raw(path, TIMELINE_RAW_COLUMNS))
    seen = set()
    rows = []
    for record in coded:
        row = dict(zip(TIMELINE_RAW_COLUMNS, record, strict=True))
        date, event = row["date"], row["event"]
        if (date, event) in seen:
            raise BuildError(f"timeline {date}: event listed twice")
        if row["source_type"] not in SOURCE_TYPES:
            raise BuildError(f"timeline {date}: source_type {row['source_type']!r} is not one "
                             f"of {list(SOURCE_TYPES)} (see data-raw/README.md)")
        if (row["source"] == PAPER_SOURCE) != (row["source_type"] == "paper"):
            raise BuildError(f"timeline {date}: source_type 'paper' goes with source "
                             f"{PAPER_SOURCE!r} and only with it")
        seen.add((date, event))
        row.update(year=date[:4], date_precision=_precision(date))
        rows.append([row[c] for c in TIMELINE_COLUMNS])
    unsourced = unsourced_recent_rows(dict(zip(TIMELINE_COLUMNS, r, strict=True)) for r in rows)
    if unsourced:
        raise BuildError("timeline rows from 2023 on must cite a primary document or a wire "
                         f"service (source_type 'primary' or 'wire'): {unsourced[0]}"
                         + (f" and {len(unsourced) - 1} more" if len(unsourced) > 1 else ""))
    rows.sort(key=lambda row: row[0])
    return rows


def added_milestones(raw: Path) -> int:
    """How many milestones the course adds: the rows of every ``timeline*.csv`` but
    ``timeline.csv`` (which holds the compiled milestones and those the paper dates)."""
    return sum(len(read_raw(path, TIMELINE_RAW_COLUMNS)) for path in timeline_files(raw)
               if path.name != "timeline.csv")


def read_content_date(raw: Path, timeline: Sequence[Sequence[str]]) -> datetime.date:
    """Return the date of ``data-raw/content.toml``, checked against the timeline.

    The content date may not be earlier than the newest milestone (the date would be stale).
    How far the timeline may lag behind it is a test's concern (six months), not the build's.
    """
    path = raw / "content.toml"
    if not path.is_file():
        raise BuildError(f"course coding file not found: {path}")
    try:
        day = parse_content_toml(path.read_text(encoding="utf-8"), path.name)
    except ValueError as exc:
        raise BuildError(str(exc)) from None
    newest = max(row[0] for row in timeline)
    if newest[:len(day.isoformat())] > day.isoformat()[:len(newest)]:
        raise BuildError(f"content.toml: content_date {day.isoformat()} is earlier than the "
                         f"newest milestone {newest}; move the date forward")
    return day


def content_toml(day: datetime.date) -> str:
    """The text of the packaged ``content.toml`` for ``day``."""
    return ("# Generated by tools/build_data.py from data-raw/content.toml; do not edit by hand.\n"
            f"# The course's content runs to {format_date(day)}.\n"
            f"content_date = {day.isoformat()}\n")


def build_intentions(raw: Path, codes: set[str]) -> list[list[str]]:
    """Check ``data-raw/intentions.csv`` and return its rows in file order.

    Every row names a dated coding (:data:`course_lib.datasets.INTENTION_CODINGS`); a dyad is
    coded at most once per coding, and every dyad of a later coding that the first coding also
    codes must say what changed (its reason differs from the first coding's).
    """
    rows = read_raw(raw / "intentions.csv", table_columns("intentions.csv"))
    seen: dict[tuple[str, str, str], list[str]] = {}
    for row in rows:
        observer, source, coding, score, reason, _cite = row
        if observer not in codes or source not in codes:
            raise BuildError(f"intention {observer}->{source} names a state outside the table")
        if coding not in INTENTION_CODINGS:
            raise BuildError(f"intention {observer}->{source}: coding {coding!r} is not one of "
                             f"{list(INTENTION_CODINGS)}")
        if observer == source or (observer, source, coding) in seen:
            raise BuildError(f"intention {observer}->{source} is self-referential or repeated "
                             f"in coding {coding}")
        try:
            value = float(score)
        except ValueError:
            raise BuildError(f"intention {observer}->{source}: score {score!r} is not a number"
                             ) from None
        if not 0.0 <= value <= 1.0:
            raise BuildError(f"intention {observer}->{source} score out of [0, 1]")
        seen[(observer, source, coding)] = row
    first = INTENTION_CODINGS[0]
    for (observer, source, coding), row in seen.items():
        base = seen.get((observer, source, first))
        if coding != first and base is not None and base[4] == row[4]:
            raise BuildError(f"intention {observer}->{source} in coding {coding} repeats the "
                             f"{first} reason: say what changed, or leave the dyad out")
    return rows


def build_sources(raw: Path) -> list[list[str]]:
    """Return the rows of ``data-raw/sources.csv``, each (table, column) listed once."""
    rows = read_raw(raw / "sources.csv", table_columns("sources.csv"))
    keys = [(row[0], row[1]) for row in rows]
    if len(set(keys)) != len(keys):
        raise BuildError("sources.csv lists a (table, column) twice")
    return rows


def sources_markdown(raw: Path, counts: dict[str, int], sources: Sequence[Sequence[str]],
                     extra_milestones: int = 0, content: datetime.date | None = None) -> str:
    """Return SOURCES.md: ``data-raw/SOURCES.template.md`` with counts and the column table.

    ``counts`` maps each CSV file name to its number of data rows; ``extra_milestones`` is the
    number of timeline rows that are neither reference milestones nor dated by the paper;
    ``content`` is the content date.
    """
    path = raw / "SOURCES.template.md"
    if not path.is_file():
        raise BuildError(f"course coding file not found: {path}")
    extra = (f" {extra_milestones} further milestones are added by the course, each with "
             "its source." if extra_milestones else "")
    text = path.read_text(encoding="utf-8").format(
        n_states=counts["states.csv"], n_borders=counts["borders.csv"],
        n_timeline=counts["timeline.csv"], n_intentions=counts["intentions.csv"],
        n_sources=counts["sources.csv"], timeline_extra=extra,
        content_date=format_date(content) if content is not None else "not set")
    rows = [f"| {table} | `{column}` | {publisher} | {edition} | {year} | {units} |\n"
            for table, column, publisher, edition, year, units, _notes in sources]
    return text + "".join(rows)


def build_all(raw: Path = DEFAULT_RAW) -> dict[str, str]:
    """Return ``{file name: text}`` for every packaged file."""
    states = build_states(raw)
    codes = {row[0] for row in states}
    timeline = build_timeline(raw)
    sources = build_sources(raw)
    tables = {
        "states.csv": (STATES_COLUMNS, states),
        "borders.csv": (table_columns("borders.csv"), build_borders(raw, codes)),
        "timeline.csv": (TIMELINE_COLUMNS, timeline),
        "intentions.csv": (table_columns("intentions.csv"), build_intentions(raw, codes)),
        "sources.csv": (table_columns("sources.csv"), sources),
    }
    files = {name: _csv_text(cols, rows) for name, (cols, rows) in tables.items()}
    counts = {name: len(rows) for name, (_, rows) in tables.items()}
    day = read_content_date(raw, timeline)
    files["content.toml"] = content_toml(day)
    files["SOURCES.md"] = sources_markdown(raw, counts, sources, added_milestones(raw), day)
    return files


def write_all(out: Path, raw: Path = DEFAULT_RAW) -> list[Path]:
    """Build every file and write it under ``out``; return the paths written."""
    files = build_all(raw)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files.items():
        path = out / name
        path.write_bytes(text.encode("utf-8"))
        written.append(path)
    return written


def check_reference(folder: Path, raw: Path) -> int:
    """Print every disagreement of ``raw`` with the reference facts in ``folder``; 0 if none."""
    try:
        problems = reference_problems(folder, raw)
    except ReferenceError as exc:
        print(f"build_data: {exc}", file=sys.stderr)
        return 1
    for problem in problems:
        print(f"build_data: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"data-raw agrees with the reference facts in {folder}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, default=DEFAULT_RAW,
                        help="folder with the course's data (default: data-raw/)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="output folder (default: course_lib/data)")
    parser.add_argument("--check-reference", type=Path, metavar="DIR",
                        help="compare data-raw/ with the reference facts in DIR; build nothing")
    args = parser.parse_args(argv)
    if args.check_reference is not None:
        return check_reference(args.check_reference, args.raw)
    try:
        written = write_all(args.out, args.raw)
    except BuildError as exc:
        print(f"build_data: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
