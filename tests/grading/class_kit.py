"""A simulated class for the class-loop tests (not a test module).

:func:`build_class` writes 30 submissions of exercise 01 (the student version with the model
answers, then edited the way students go wrong), a roster, and a ``course.toml``:

- ``s03`` wrong type (a count given as a string), ``s04`` rounding (one decimal instead of
  three), ``s05`` an error in q2 that breaks q3 (a name q2 never defined), ``s06`` blank
  (nothing answered), ``s07`` late (30 hours after the due date: 2 started days), ``s08``
  late too but with an extension (so on time), ``s09`` and ``s10`` near-identical (the same
  unusual code in three answers, only spacing and comments differ, and one reflection);
- every other student makes a few seeded mistakes from a list and writes their own
  reflection;
- a folder ``visitor`` nobody on the roster owns, and a roster student ``s31`` who submitted
  nothing.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass, field
from pathlib import Path

from tests.grading.submissions_kit import EXERCISE, make_submission

DUE = "2026-11-20T23:59:00+01:00"
DUE_TS = 1795215540.0  # DUE as a POSIX timestamp
STUDENTS = [f"s{i:02d}" for i in range(1, 31)]
NEAR_IDENTICAL = ("s09", "s10")
LATE = "s07"
EXTENDED = "s08"
UNKNOWN_FOLDER = "visitor"
NO_SUBMISSION = "s31"

COURSE_TOML = f"""\
[exercises.{EXERCISE}]
due = "{DUE}"
canvas_id = "4711"

[late_penalty]
percent_per_day = 10
max_percent = 50
grace_minutes = 15

[[extensions]]
student = "{EXTENDED}"
exercise = "{EXERCISE}"
due = "2026-11-23T23:59:00+01:00"
reason = "medical certificate"
"""

#: wrong answers students give, each a (grade_id, cell source) pair
MISTAKES = [
    ("q1", 'q1_core_tasks = "a"\nq1_south_tasks = "b"\n'),
    ("q1", 'q1_core_tasks = "b"\nq1_south_tasks = "c"\n'),
    ("q2", 'years = states["nato_accession_year"].dropna()\n'
           "q2_post_cold_war_members = int((years >= 1991).sum())\n"
           "q2_last_cold_war_accession = int(years[years <= 1991].max())\n"
           'q2_membership = "c"\n'),
    ("q3", 'q3_frameworks = ["Mediterranean Dialogue", "Partnership for Peace", '
           '"Istanbul Cooperation Initiative"]\nq3_concept_partners = "b"\n'),
    ("q4", 'q4_war_years = [2014, 2022]\nq4_south_count = 3\nq4_link = "b"\n'
           'q4_missile = "d"\n'),
    ("q4", 'q4_war_years = [2008, 2014, 2022]\nq4_south_count = 2\nq4_link = "c"\n'
           'q4_missile = "a"\n'),
    ("q5", 'q5_share = float((timeline["category"] == "Southern flank").mean())\n'
           'q5_judgement = "b"\n'),
]

SPECIAL = {
    "s03": {"q2": 'years = states["nato_accession_year"].dropna()\n'
                  'q2_post_cold_war_members = str(int((years > 1991).sum()))\n'
                  "q2_last_cold_war_accession = int(years[years <= 1991].max())\n"
                  'q2_membership = "c"\n'},
    "s04": {"q5": 'recent = timeline[(timeline["year"] >= 2014) & (timeline["year"] <= 2022)]\n'
                  'q5_share = round(float(recent["category"].isin(["Southern flank", '
                  '"NATO-Israel"]).mean()), 1)\nq5_judgement = "c"\n'},
    "s05": {"q2": 'years = states["nato_accesion_year"].dropna()\n'
                  "q2_post_cold_war_members = int((years > 1991).sum())\n"
                  "q2_last_cold_war_accession = int(years[years <= 1991].max())\n"
                  'q2_membership = "c"\n',
            "q3": "joined = years.index\n"
                  'partners = states.loc[~states.index.isin(joined)].dropna('
                  'subset=["partnership_join"])\n'
                  'q3_frameworks = partners.groupby("partnership_framework")'
                  '["partnership_join"].min().sort_values().index.tolist()\n'
                  'q3_concept_partners = "b"\n'},
}

#: the unusual code the near-identical pair shares (s10 re-spaced with a comment added)
_PAIR = {
    "q2": 'yrs=states["nato_accession_year"]\nq2_post_cold_war_members=int(yrs.gt(1991).sum())'
          "\nq2_last_cold_war_accession=int(yrs[yrs.le(1991)].max())\nq2_membership='c'\n",
    "q3": 'q3_frameworks = list(states.query("partnership_framework != \'none\'")'
          '.sort_values("partnership_join")["partnership_framework"].unique()[:3])\n'
          'q3_concept_partners = "d"\n',
    "q5": 'sub = timeline.query("2014 <= year <= 2022")\n'
          'q5_share = float(sub.category.isin(["Southern flank"]).sum() / len(timeline))\n'
          'q5_judgement = "a"\n',
}

_SENTENCES = [
    "Russia's bases in Tartus gave it a naval foothold in the eastern Mediterranean.",
    "The Black Sea links the two theatres because the same fleet operates in both.",
    "Wagner's presence in Libya and the Sahel let Moscow press Europe from the south.",
    "A southern ally like Italy worries more about migration than about tanks.",
    "For Poland every euro spent in the south is a euro missing on the eastern border.",
    "The 360-degree approach keeps the alliance from splitting into rival camps.",
    "Treating every direction at once risks diluting scarce forces and attention.",
    "The 2014 annexation of Crimea was the turning point for the eastern direction.",
    "The 2015 intervention in Syria showed that Russia could project force southwards.",
    "Energy supplies through the Mediterranean make the south a lever against Europe.",
    "Terrorism and state fragility are not mainly military problems.",
    "A single threat picture helps allies agree on budgets and exercises.",
    "Spain has argued that the southern neighbourhood is part of collective security.",
    "The Madrid concept names Russia as the most significant and direct threat.",
    "Partnerships with Mediterranean Dialogue states lack a binding security guarantee.",
    "Eastern allies fear that a wider agenda lets others free-ride on their effort.",
]


@dataclass
class ClassKit:
    """The files of a simulated class and what a test should find in them."""

    root: Path
    submissions: Path
    roster: Path
    config: Path
    students: list[str] = field(default_factory=lambda: list(STUDENTS))


def _reflection(rng: random.Random, words: int = 8) -> str:
    return " ".join(rng.sample(_SENTENCES, words))


def _changes(student: str, rng: random.Random) -> dict[str, str] | None:
    """The answer cells this student changed from the model answers (``None``: blank)."""
    if student == "s06":
        return None
    if student in NEAR_IDENTICAL:
        changes = dict(_PAIR)
        changes["q6"] = " ".join(_SENTENCES[:9])
        if student == NEAR_IDENTICAL[1]:
            changes = {k: "# my answer\n" + v.replace("\n", "  # done\n", 1)
                       .replace("sub", "part") for k, v in changes.items() if k != "q6"}
            changes["q6"] = " ".join(_SENTENCES[:9]).replace("Tartus", "Tartous")
        return changes
    changes = dict(SPECIAL.get(student, {}))
    for gid, source in rng.sample(MISTAKES, rng.randint(0, 3)):
        changes.setdefault(gid, source)
    changes["q6"] = _reflection(rng, rng.randint(6, 10))
    return changes


def build_class(root: Path, seed: int = 2026) -> ClassKit:
    """Write the simulated class under ``root`` (submissions, roster.csv, course.toml)."""
    rng = random.Random(seed)
    subs = root / "submissions"
    for student in STUDENTS:
        changes = _changes(student, rng)
        path = make_submission(subs, student, changes, fresh=changes is None)
        hours = 30 if student in (LATE, EXTENDED) else -rng.randint(1, 72)
        stamp = DUE_TS + hours * 3600
        os.utime(path, (stamp, stamp))
    visitor = make_submission(subs, UNKNOWN_FOLDER, {})
    os.utime(visitor, (DUE_TS - 3600, DUE_TS - 3600))
    roster = root / "roster.csv"
    lines = ["id,name,email,lms_id"]
    lines += [f"{s},Student {s.upper()},{s}@example.edu,{1000 + int(s[1:])}"
              for s in [*STUDENTS, NO_SUBMISSION]]
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = root / "course.toml"
    config.write_text(COURSE_TOML, encoding="utf-8")
    return ClassKit(root, subs, roster, config)
