"""Compare ``data-raw/`` with the course authors' compiled reference facts (outside the repository).

The reference folder holds four compiled files (and the publishers' raw files under ``raw/``,
which are never opened here):

- ``states_reference.csv``              figures per state, with their caveats
- ``states_reference_provenance.csv``   per-figure provenance (CINC is cross-checked with it)
- ``nato_membership_partnerships.csv``  accession dates, partnership frameworks, Abraham Accords
- ``timeline_nato_south_israel.csv``    49 dated milestones, 1949-2024

:func:`reference_states` joins the first three into the rows of ``data-raw/states.csv`` (the
same join the course's table was first made with); :func:`reference_problems` lists every place
where ``data-raw/`` disagrees with the reference: a figure, a note, a state missing or added, a
reference milestone not worded exactly once in ``data-raw/timeline.csv`` or filed under another
category. Run it through ``tools/build_data.py --check-reference DIR``.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from course_lib.datasets import table_columns

#: The only files of the reference folder that are read.
REFERENCE_FILES = (
    "states_reference.csv",
    "states_reference_provenance.csv",
    "nato_membership_partnerships.csv",
    "timeline_nato_south_israel.csv",
)
#: Columns of ``data-raw/states.csv``: the packaged ones without the derived ``group``.
STATES_RAW_COLUMNS = tuple(c for c in table_columns("states.csv") if c != "group")
#: Source of the milestones the paper itself dates (not in the reference compilation).
PAPER_SOURCE = "Csepregi (2023)"

#: data-raw states.csv column -> states_reference.csv column, for columns copied unchanged.
FROM_REFERENCE = {
    "iso3": "iso3",
    "name": "name",
    "capital": "capital",
    "lat": "lat",
    "lon": "lon",
    "milex_usd_2022": "milex_usd_2022",
    "milex_share_gdp_2022_pct": "milex_share_gdp_2022",
    "gdp_usd_2022": "gdp_usd_2022",
    "population_2022": "population_2022",
    "armed_forces_personnel": "armed_forces_personnel",
    "armed_forces_year": "armed_forces_year",
    "cinc": "cinc_latest",
    "cinc_year": "cinc_year",
    "nuclear_status": "nuclear_status",
    "nato_accession_year": "nato_member_since",
    "abraham_accords_signed": "abraham_accords_signed",
}


class ReferenceError(ValueError):
    """A reference file is missing or its files contradict one another."""


def read_reference(folder: Path, name: str) -> list[dict[str, str]]:
    """The rows of one reference file (only the four of :data:`REFERENCE_FILES`)."""
    if name not in REFERENCE_FILES:
        raise ReferenceError(f"{name} is not one of the reference files that may be read")
    path = Path(folder) / name
    if not path.is_file():
        raise ReferenceError(f"reference file not found: {path}")
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _split_framework(text: str) -> tuple[str, str]:
    """Split 'none (invited to ICI 2004, not joined)' into ('none', 'invited to ...')."""
    match = re.fullmatch(r"(.*?) \((.*)\)", text)
    if match:
        return match.group(1), match.group(2)
    return text, ""


def _consistent(code: str, ref: dict[str, str], member: dict[str, str],
                cinc: dict[str, str]) -> None:
    """Raise :class:`ReferenceError` where the three reference files disagree on a state."""
    if member["name"] != ref["name"]:
        raise ReferenceError(f"{code}: names differ between reference files")
    if member["nato_accession_year"] != ref["nato_member_since"]:
        raise ReferenceError(f"{code}: accession years differ between reference files")
    if member["abraham_accords_signed"] != ref["abraham_accords_signed"]:
        raise ReferenceError(f"{code}: Abraham Accords dates differ between reference files")
    if cinc.get(code, "") != ref["cinc_latest"]:
        raise ReferenceError(f"{code}: CINC differs from its provenance record")


def _notes(ref: dict[str, str], member: dict[str, str], framework_detail: str) -> str:
    notes = [part.strip() for part in ref["notes"].split(" | ") if part.strip()]
    extra = []
    if framework_detail:
        extra.append(f"Partnership: {framework_detail}")
    former = re.search(r"\((former [^)]*)\)", ref["partnership_framework"])
    if former:
        extra.append(former.group(1)[0].upper() + former.group(1)[1:])
    if member["notes"] and member["notes"] not in ref["notes"]:
        extra.append(member["notes"])
    if member["abraham_accords_detail"] and "abraham" not in ref["notes"].lower():
        extra.append(f"Abraham Accords: {member['abraham_accords_detail']}")
    notes.extend(e for e in extra if e not in notes)
    return " | ".join(notes)


def reference_states(folder: Path) -> list[list[str]]:
    """The rows of ``data-raw/states.csv`` as the reference files give them, in their order.

    Raises
    ------
    ReferenceError
        When a file is missing or the three files disagree on a state.
    """
    ref = read_reference(folder, "states_reference.csv")
    membership = {r["iso3"]: r for r in read_reference(folder,
                                                       "nato_membership_partnerships.csv")}
    provenance = read_reference(folder, "states_reference_provenance.csv")
    if {r["iso3"] for r in ref} != set(membership) or \
            {r["iso3"] for r in provenance} != set(membership):
        raise ReferenceError("the reference files disagree on the set of states")
    cinc = {r["iso3"]: r["value"] for r in provenance if r["field"] == "cinc_latest"}
    rows = []
    for r in ref:
        code = r["iso3"]
        member = membership[code]
        _consistent(code, r, member, cinc)
        framework, detail = _split_framework(member["framework"])
        out = {col: r[src] for col, src in FROM_REFERENCE.items()}
        out.update(nato_accession_date=member["nato_accession_date"],
                   partnership_framework=framework, partnership_join=member["framework_join"],
                   individual_programmes=member["individual_programmes_and_milestones"],
                   notes=_notes(r, member, detail))
        rows.append([out[c] for c in STATES_RAW_COLUMNS])
    return rows


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _state_problems(folder: Path, raw: Path) -> list[str]:
    expected = {row[0]: dict(zip(STATES_RAW_COLUMNS, row, strict=True))
                for row in reference_states(folder)}
    ours = {row["iso3"]: row for row in _read_csv(raw / "states.csv")}
    problems = [f"states.csv: {code} is in the reference but not in data-raw"
                for code in expected if code not in ours]
    problems += [f"states.csv: {code} is in data-raw but not in the reference"
                 for code in ours if code not in expected]
    for code in (c for c in expected if c in ours):
        problems += [f"states.csv: {code} {column} is {ours[code].get(column)!r} in data-raw, "
                     f"{value!r} in the reference"
                     for column, value in expected[code].items()
                     if ours[code].get(column) != value]
    return problems


def _timeline_problems(folder: Path, raw: Path) -> list[str]:
    reference = {r["date"]: r["category"]
                 for r in read_reference(folder, "timeline_nato_south_israel.csv")}
    compiled = [r for r in _read_csv(raw / "timeline.csv") if r["source"] != PAPER_SOURCE]
    worded = [r["date"] for r in compiled]
    problems = [f"timeline.csv: reference milestone {d} is not worded"
                for d in sorted(set(reference) - set(worded))]
    problems += [f"timeline.csv: {d} is worded {worded.count(d)} times"
                 for d in sorted({d for d in worded if worded.count(d) > 1})]
    problems += [f"timeline.csv: {d} is not a reference milestone (the course's own milestones "
                 "go into another timeline*.csv file)" for d in worded if d not in reference]
    problems += [f"timeline.csv: {r['date']} is filed under {r['category']!r}, the reference "
                 f"says {reference[r['date']]!r}"
                 for r in compiled if r["date"] in reference
                 and r["category"] != reference[r["date"]]]
    return problems


def reference_problems(folder: Path, raw: Path) -> list[str]:
    """Every disagreement between ``raw`` (``data-raw/``) and the reference folder ``folder``.

    Raises
    ------
    ReferenceError
        When a reference file is missing or the reference files contradict one another.
    """
    return _state_problems(Path(folder), Path(raw)) + _timeline_problems(Path(folder), Path(raw))
