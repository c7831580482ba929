"""A batch always finishes (issue 19, item 1): one student's file never stops the class.

One batch grades the hostile class of :mod:`hostile_kit` through the ``course`` command, with
two jobs (so results are recorded while other kernels run): every hostile file becomes that
student's row (an error with a one-line reason, or a grade), everyone else is graded, and the
feedback, instructor pages, JSON, ``gradebook.csv`` and every LMS export are written for all.
"""

from __future__ import annotations

import csv
import json
import os
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classroom import cli
from classroom.gradebook.store import open_gradebook
from classroom.grading.discovery import (
    MAX_ENCODED_BYTES,
    decode_id,
    discover_submissions,
    encode_id,
    fs_name,
    student_id,
)
from classroom.grading.report import instructor_path, result_paths, student_folders
from classroom.grading.results import SubmissionResult
from classroom.hub.give_back import feedback_files
from tests.grading.hostile_kit import (
    EXPECT,
    LATIN1,
    LATIN1_TWIN,
    LONG_ACCENTED,
    LONG_TWIN,
    build_hostile_class,
)
from tests.grading.submissions_kit import EXERCISE, SOLUTIONS

pytestmark = pytest.mark.kernel


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    subs = build_hostile_class(root)
    out = root / "out"
    args = ["grade", str(subs), "--out", str(out), "--solutions", str(SOLUTIONS), "--jobs", "2",
            "--timeout-cell", "20", "--timeout-notebook", "90"]
    code = cli.main(args)
    return subs, out, code, args


@pytest.fixture(scope="module")
def results(hostile):
    _, out, _, _ = hostile
    with open_gradebook(out, create=False) as book:
        rows = book.conn.execute(
            "SELECT student, exercise, status, result_json FROM results WHERE id IN "
            "(SELECT MAX(id) FROM results GROUP BY student, exercise)").fetchall()
    return {(s, e): json.loads(text) for s, e, _, text in rows}


def _by_student(results: dict) -> dict[str, dict]:
    return {student: r for (student, _), r in results.items()}


def test_the_batch_finishes_and_every_student_has_a_row(hostile, results):
    _, _, code, _ = hostile
    assert code == 0
    by_student = _by_student(results)
    assert sorted(by_student) == sorted(EXPECT)
    for student, expect in EXPECT.items():
        r = by_student[student]
        assert r["status"] == expect.status, (student, r["errors"], r["messages"])
        if expect.status == "graded":
            assert r["score"] == expect.score, (student, r["errors"], r["messages"])
        else:
            assert r["score"] == 0 and len(r["errors"]) == 1
            reason = r["errors"][0]
            assert expect.reason in reason and "\n" not in reason and len(reason) < 400, reason


def test_every_export_is_written_for_everyone(hostile, results):
    _, out, _, _ = hostile
    for r in results.values():
        json_path, md_path = result_paths(SubmissionResult.from_json(r))
        exported = json.loads((out / json_path).read_text(encoding="utf-8"))
        assert exported["student"] == r["student"] and exported["score"] == r["score"]
        assert (out / md_path).read_text(encoding="utf-8").startswith("# Feedback")
        assert (out / md_path.replace(".md", ".html")).read_text(encoding="utf-8")
        if r["status"] == "graded":
            page = (out / instructor_path(SubmissionResult.from_json(r))).read_text(
                encoding="utf-8")
            assert "Graded notebook" in page
    with (out / "gradebook.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {row["student"] for row in rows} == set(EXPECT)
    for fmt in ("canvas", "moodle", "wide", "long"):
        target = out.parent / f"export-{fmt}.csv"
        assert cli.main(["gradebook", "export", "--format", fmt, "--out", str(target),
                         "--dir", str(out)]) == 0, fmt
        assert target.read_text(encoding="utf-8")


def test_stored_text_is_valid_unicode_and_bounded(hostile, results):
    _, out, _, _ = hostile
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".json", ".md", ".html", ".csv"):
            path.read_bytes().decode("utf-8")  # strict: no surrogate slipped through
    by_student = _by_student(results)
    reflection = by_student["surrogate_reflection"]["manual"]["q6"]["answer"]
    assert "\ufffd" in reflection and reflection.startswith("Russia's bases")
    assert any("not valid Unicode" in m for m in by_student["surrogate_reflection"]["messages"])
    large = by_student["large_reflection"]
    assert len(large["manual"]["q6"]["answer"]) <= 100_000
    assert any("was cut" in m for m in large["messages"])
    assert (out / result_paths(SubmissionResult.from_json(large))[0]).stat().st_size \
        < 1_000_000


def test_file_names_are_short_distinct_and_map_back_to_exact_ids(hostile, results):
    _, out, _, _ = hostile
    folders = [p for p in out.iterdir() if p.is_dir() and p.name.startswith("s-")]
    assert len(folders) == len(EXPECT)
    assert all(len(os.fsencode(p.name)) <= MAX_ENCODED_BYTES for p in folders)
    with open_gradebook(out, create=False) as book:
        owners = student_folders(book)
        ids = {row[0] for row in book.conn.execute("SELECT id FROM students")}
    assert ids == set(EXPECT)  # the exact ids, however long, are in the gradebook
    assert {owners[p.name] for p in folders} == set(EXPECT)
    assert "Jos/xE9" in ids and LATIN1_TWIN in ids  # the Latin-1 and UTF-8 José stay two
    assert encode_id(LONG_ACCENTED) != encode_id(LONG_TWIN)
    # course return finds every student's feedback, shortened folder names included
    returned = {student for student, _, _ in feedback_files(out)}
    assert returned == set(EXPECT)


def test_a_rerun_grades_nothing_again(hostile):
    _, out, _, args = hostile
    with open_gradebook(out, create=False) as book:
        before = book.conn.execute("SELECT COUNT(*) FROM results").fetchone()[0]
    assert cli.main(args) == 0
    with open_gradebook(out, create=False) as book:
        assert book.conn.execute("SELECT COUNT(*) FROM results").fetchone()[0] == before


def test_non_utf8_names_give_reversible_ids(tmp_path):
    folder = Path(os.fsdecode(os.fsencode(tmp_path) + b"/" + LATIN1))
    folder.mkdir()
    (folder / f"{EXERCISE}.ipynb").write_text("{}")
    found = discover_submissions([tmp_path], [EXERCISE])
    assert [s.student for s in found.submissions] == ["Jos/xE9"]
    assert os.fsencode(fs_name("Jos/xE9")) == LATIN1
    assert student_id(os.fsdecode(LATIN1)) == "Jos/xE9"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=300), min_size=2, max_size=6, unique_by=lambda t:
                unicodedata.normalize("NFC", student_id(t))))
def test_any_id_maps_to_a_valid_distinct_file_name(names):
    encoded = [encode_id(student_id(n)) for n in names]
    assert len({e.casefold() for e in encoded}) == len(names)
    for name, enc in zip(names, encoded, strict=True):
        raw = enc.encode("utf-8")  # strict: always valid text
        assert len(raw) <= MAX_ENCODED_BYTES and b"/" not in raw and b"\0" not in raw
        assert enc.startswith("s-")
        if "~" not in enc:
            assert decode_id(enc) == unicodedata.normalize("NFC", student_id(name))
