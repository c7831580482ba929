"""Packaged tables of the course, validated every time they are loaded.

Five CSV files ship inside the package (``course_lib/data/``, built by ``tools/build_data.py``
from the reference facts and the course's codings in ``data-raw/``; see
``course_lib/data/SOURCES.md`` for every source, vintage and caveat):

========================  =====================================================================
:func:`load_states`       55 states: 32 NATO members, 19 MENA non-members, Russia, China,
                          Ukraine and Georgia, with capitals, 2022 figures, CINC (2016), NATO
                          accession and partnership framework.
:func:`load_borders`      land borders among them (the course's own coding).
:func:`load_timeline`     dated milestones with their original sources.
:func:`load_intentions`   offensive intentions, observer -> source, in [0, 1] (a course coding
                          for teaching, not a measurement), as of one dated coding:
                          ``"2023"`` (the paper's view) or ``"2026-12"``.
:func:`load_sources`      publisher, vintage, year, units and notes for every column.
:func:`content_date`      the date the course's content runs to (one place; lesson 07, the
                          README and the guides state it, tests check they agree and that the
                          timeline reaches within six months of it).
========================  =====================================================================

Modules: :mod:`~course_lib.datasets.schema` (the table schemas), :mod:`~.reader` (reading and
validating one CSV file against its schema), :mod:`~.loaders` (one function per table),
:mod:`~.codings` (one dated coding of the intentions table),
:mod:`~.currency` (the content date and its check against the timeline). A
problem raises :class:`DataValidationError` naming the file, the 1-based data row and the
column. Missing figures come back as ``NaN`` (floats, text) or ``<NA>`` (years): gaps stay gaps.

Examples
--------
>>> from course_lib.datasets import load_states
>>> load_states().loc["ISR", "group"]
'MENA'
"""

from course_lib.datasets.codings import intentions_as_of
from course_lib.datasets.currency import content_date, format_date
from course_lib.datasets.loaders import (
    MENA_REGIONAL_POWERS,
    check_state_code,
    load_borders,
    load_intentions,
    load_sources,
    load_states,
    load_table,
    load_timeline,
    neighbours,
    state_codes,
)
from course_lib.datasets.schema import (
    DEFAULT_INTENTION_CODING,
    INTENTION_CODINGS,
    PARTNERSHIP_FRAMEWORKS,
    RECENT_SOURCE_TYPES,
    SCHEMAS,
    SOURCE_TYPES,
    SOURCING_YEAR,
    DataValidationError,
    table_columns,
    unsourced_recent_rows,
)

__all__ = [
    "DEFAULT_INTENTION_CODING",
    "INTENTION_CODINGS",
    "MENA_REGIONAL_POWERS",
    "PARTNERSHIP_FRAMEWORKS",
    "RECENT_SOURCE_TYPES",
    "SCHEMAS",
    "SOURCE_TYPES",
    "SOURCING_YEAR",
    "DataValidationError",
    "check_state_code",
    "intentions_as_of",
    "content_date",
    "format_date",
    "load_borders",
    "load_intentions",
    "load_sources",
    "load_states",
    "load_table",
    "load_timeline",
    "neighbours",
    "state_codes",
    "table_columns",
    "unsourced_recent_rows",
]
