"""Loaders of the packaged tables: one function per table, validated on first load.

Frames are cached after the first load; every call returns a fresh copy, so changing a returned
frame never affects later calls. :func:`load_table` validates any CSV file (a user's own, or a
test fixture) against a packaged schema, with the packaged state codes by default.

Examples
--------
>>> len(load_states()), len(state_codes())
(55, 55)
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from course_lib import _validate
from course_lib.datasets.codings import intentions_as_of
from course_lib.datasets.reader import Readable, check_sources_cover, read_table
from course_lib.datasets.schema import DEFAULT_INTENTION_CODING, SCHEMAS, Schema

__all__ = [
    "MENA_REGIONAL_POWERS",
    "check_state_code",
    "load_borders",
    "load_intentions",
    "load_sources",
    "load_states",
    "load_table",
    "load_timeline",
    "neighbours",
    "state_codes",
]

#: The five regional great powers of the Middle East named in Csepregi (2023):
#: Turkey, Iran, Israel, Saudi Arabia and Egypt.
MENA_REGIONAL_POWERS: tuple[str, ...] = ("TUR", "IRN", "ISR", "SAU", "EGY")


def _data_file(name: str) -> Any:
    return resources.files("course_lib") / "data" / name


def load_table(
    source: Readable | str | Path,
    schema: Schema,
    *,
    codes: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Read ``source`` and validate it against ``schema`` (see :func:`reader.read_table`).

    Parameters
    ----------
    source : path-like or importlib Traversable
        The CSV file.
    schema : Schema
        One of :data:`course_lib.datasets.schema.SCHEMAS`.
    codes : iterable of str, optional
        Allowed state codes; defaults to the codes of the packaged ``states.csv``.

    Raises
    ------
    DataValidationError
        Naming the file, the 1-based data row and the column of the first problem.

    Examples
    --------
    >>> frame = load_table(_data_file("borders.csv"), SCHEMAS["borders.csv"])
    >>> list(frame.columns)
    ['iso3_a', 'iso3_b', 'source']
    """
    if not isinstance(schema, Schema):
        raise ValueError(
            f"schema must be one of course_lib.datasets.SCHEMAS ({sorted(SCHEMAS)}), "
            f"got {_validate.shown(schema)}"
        )
    if not isinstance(source, str | Path) and not hasattr(source, "open"):
        raise ValueError(f"source must be a path to a CSV file, got {_validate.shown(source)}")
    if isinstance(source, str | Path) and not Path(source).is_file():
        raise ValueError(f"source must be an existing CSV file, got {_validate.shown(source)}")
    if codes is None and any(c.state_code for c in schema.columns):
        codes = state_codes()
    elif codes is not None:
        if isinstance(codes, str | bytes) or not isinstance(codes, Iterable):
            raise ValueError(f"codes must be a list of ISO3 codes, got {_validate.shown(codes)}")
        codes = [str(c) for c in codes]
    return read_table(source, schema, codes=codes)


@functools.lru_cache(maxsize=8)
def _cached(name: str) -> pd.DataFrame:
    return load_table(_data_file(name), SCHEMAS[name])


@functools.lru_cache(maxsize=1)
def _adjacency() -> dict[str, frozenset[str]]:
    borders = _cached("borders.csv")
    links: dict[str, set[str]] = {code: set() for code in state_codes()}
    for a, b in zip(borders["iso3_a"], borders["iso3_b"], strict=True):
        links[a].add(b)
        links[b].add(a)
    return {code: frozenset(n) for code, n in links.items()}


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
    ``date_precision``). ``source`` names the original publisher or document and
    ``source_type`` what kind of source it is (:data:`~course_lib.datasets.SOURCE_TYPES`;
    rows from 2023 on rest on a primary document or a wire service); ``source_note`` says where
    a date rests on a secondary compilation and should be re-checked, and what the source does
    not settle.

    Returns
    -------
    pandas.DataFrame
        Columns ``date, year, date_precision, event, category, source, source_type,
        source_note``, sorted by date; ``year`` is ``Int64``.

    Examples
    --------
    >>> timeline = load_timeline()
    >>> int(timeline["year"].min()), bool(timeline["year"].max() >= 2026)
    (1949, True)
    >>> timeline.loc[timeline["date"] == "2022-02-24", ["category", "source_type"]].values.tolist()
    [["Russia's wars", 'paper']]
    """
    return _cached("timeline.csv").copy(deep=True)


def load_intentions(coding: str | None = DEFAULT_INTENTION_CODING) -> pd.DataFrame:
    """Load the course's hand-coded offensive-intention table, as of one dated coding.

    **A course coding for teaching, not a measurement.** Each row is one observer's view of one
    source state: ``score`` in [0, 1], a one-line ``reason`` and a ``citation`` (author-year
    from the bibliography of Csepregi 2023, a named document or report, or "Course coding").
    Scores for LBN and YEM are proxies for non-state groups (Hezbollah, the Houthis). Every
    course function that uses this table accepts the user's own scores instead; argue with it.

    The table holds two dated codings (:data:`~course_lib.datasets.INTENTION_CODINGS`):
    ``"2023"``, the paper's view, and ``"2026-12"``, the course's coding as of December 2026,
    which recodes the dyads that the events since the paper changed (Turkey-Israel after
    2025, Syria after Assad, Iran after the 2026 war, ...) and keeps the 2023 row of every
    other dyad.

    Parameters
    ----------
    coding : {"2023", "2026-12"} or None, default "2023"
        Which coding to return, one row per dyad (see
        :func:`~course_lib.datasets.intentions_as_of`); ``None``
        returns every stored row of every coding, as the packaged file holds them.

    Returns
    -------
    pandas.DataFrame
        Columns ``observer, source, coding, score, reason, citation``; ``score`` is float64.
        ``coding`` names the coding each row was written in, so a dyad that the 2026 coding
        keeps unchanged shows ``"2023"``.

    Raises
    ------
    ValueError
        If ``coding`` is not one of :data:`INTENTION_CODINGS` or None.

    Examples
    --------
    >>> intentions = load_intentions()
    >>> row = intentions[(intentions["observer"] == "ISR") & (intentions["source"] == "IRN")]
    >>> float(row["score"].item()), row["citation"].item()
    (0.9, 'Csepregi 2023')
    >>> bool(intentions["score"].between(0, 1).all()), set(intentions["coding"])
    (True, {'2023'})
    >>> later = load_intentions(coding="2026-12").set_index(["observer", "source"])
    >>> later.loc[("ISR", "SYR"), "coding"], float(later.loc[("ISR", "SYR"), "score"])
    ('2026-12', 0.3)
    >>> later.loc[("ISR", "CHN"), "coding"], float(later.loc[("ISR", "CHN"), "score"])
    ('2023', 0.15)
    """
    frame = _cached("intentions.csv")
    if coding is None:
        return frame.copy(deep=True)
    return intentions_as_of(frame, coding)


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
    check_sources_cover(frame)
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
    """Return ``code`` if it is exactly one of the 55 state codes, else raise ValueError.

    Codes are **not** normalised (see :mod:`course_lib._validate`): ``"isr"`` and ``" ISR "``
    are refused with the hint ``did you mean 'ISR'?``, so that the code a student types is the
    code that indexes every table the library returns.

    Parameters
    ----------
    code : str
        An upper-case ISO3 code, e.g. ``"ISR"``.
    argument : str, default "observer"
        The caller's argument name, used in the error message.

    Returns
    -------
    str
        The code.

    Raises
    ------
    ValueError
        Naming ``argument``, the allowed codes (with an example) and the bad value.

    Examples
    --------
    >>> check_state_code("ISR")
    'ISR'
    >>> check_state_code("XXX", argument="source")
    Traceback (most recent call last):
    ...
    ValueError: source must be one of the 55 ISO3 codes in the states table (e.g. 'ISR'), got 'XXX'
    >>> check_state_code("isr")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: observer must be one of the 55 ISO3 codes ..., got 'isr'; did you mean 'ISR'?
    """
    if not isinstance(argument, str):
        raise ValueError(f"argument must be a str (the caller's argument name), got {argument!r}")
    return _validate.state_code(code, argument, state_codes())


def neighbours(iso3: str) -> frozenset[str]:
    """Return the states that share a land border with ``iso3`` (from :func:`load_borders`).

    Parameters
    ----------
    iso3 : str
        An upper-case state code (see :func:`check_state_code`).

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
