"""The gradebook is a database (issue 8, item 3): exact identities, resumable, marks never lost."""

from __future__ import annotations

import csv
import json
import os
import re
import signal
import sqlite3
import stat
import subprocess
import sys
import time
import unicodedata

import pytest

from classroom import cli
from classroom.errors import CourseError
from classroom.gradebook.files import write_export
from classroom.gradebook.history import format_history, latest_results, student_history
from classroom.gradebook.marks import add_mark, latest_marks
from classroom.gradebook.store import open_gradebook
from classroom.grading.batch import grade_batch
from classroom.grading.discovery import decode_id, encode_id
from classroom.grading.report import INSTRUCTOR_FOLDER
from classroom.grading.runner import Limits
from classroom.notebooks.model import grade_id
from course_lib.files import atomic_write_bytes, current_umask
from tests.grading.submissions_kit import (
    EXERCISE,
    ROOT,
    SOLUTIONS,
    make_submission,
    student_notebook,
)

pytestmark = pytest.mark.kernel

COLLISION_CLASS = ["ann lee", "ann_lee", "Ann Lee", "ann-lee", "josé", "jos", "joséx", "josex",
                   "日本", "中国", "a.b", "a%2Eb"]
LIMITS = Limits(timeout_cell=20, timeout_notebook=60)
STRAY = {"stray.json": "{not json at all", "s-ann%20lee/mine.json": '{"student": "x"}',
         "gradebook.csv": "student,points\nann lee,6 (typed by hand)\n"}


def _is_model(i: int) -> bool:
    return i % 2 == 0


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Twelve names a lossy 'safe name' folded into eight: model answers and blanks alternate."""
    subs = tmp_path_factory.mktemp("subs")
    for i, name in enumerate(COLLISION_CLASS):
        make_submission(subs, name, fresh=not _is_model(i))
    out = tmp_path_factory.mktemp("out")
    for rel, text in STRAY.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(text)
    before = {rel: (out / rel).stat().st_mtime_ns for rel in STRAY}
    batch = grade_batch([subs], out, solutions_dir=SOLUTIONS, jobs=2, limits=LIMITS)
    return subs, out, batch, before


def test_twelve_students_give_twelve_distinct_results(graded):
    _, out, batch, _ = graded
    assert len(batch.results) == 12 and batch.graded == 12
    for i, name in enumerate(COLLISION_CLASS):
        r = batch.by_student(name, EXERCISE)
        assert r.source_file.endswith(f"/{name}/{EXERCISE}.ipynb")
        if _is_model(i):
            assert r.score >= 19, name  # the model answers (all but a data-dependent check)
        else:
            assert r.score == 0, name  # a blank never inherits a neighbour's marks
        exported = json.loads((out / encode_id(name) / f"{EXERCISE}.json").read_text())
        assert exported["student"] == name and exported["score"] == r.score
    folders = [p.name for p in out.iterdir() if p.is_dir() and p.name != INSTRUCTOR_FOLDER]
    assert sorted(decode_id(f) for f in folders) == sorted(COLLISION_CLASS)
    book = open_gradebook(out, create=False)
    names = [row[0] for row in book.conn.execute("SELECT id FROM students ORDER BY id")]
    assert names == sorted(unicodedata.normalize("NFC", n) for n in COLLISION_CLASS)


def test_files_the_tool_did_not_write_are_untouched(graded):
    _, out, batch, before = graded
    for rel, text in STRAY.items():
        assert (out / rel).read_text() == text
        assert (out / rel).stat().st_mtime_ns == before[rel]
    assert any("gradebook.csv was not written by course grade" in w for w in batch.warnings)


def test_rerun_grades_nothing_that_is_done(graded):
    subs, out, _, _ = graded
    again = grade_batch([subs], out, solutions_dir=SOLUTIONS, jobs=2, limits=LIMITS)
    assert (again.graded, again.skipped) == (0, 12)
    book = open_gradebook(out, create=False)
    assert book.conn.execute("SELECT COUNT(*) FROM results").fetchone()[0] == 12
    assert book.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_new_bytes_or_version_are_graded_again(graded):
    subs, out, _, _ = graded
    make_submission(subs, "jos")  # the blank is resubmitted with the model answers
    again = grade_batch([subs], out, solutions_dir=SOLUTIONS, jobs=2, limits=LIMITS)
    assert (again.graded, again.skipped) == (1, 11)
    assert again.by_student("jos", EXERCISE).score >= 19
    newer = grade_batch([subs / "日本"], out, solutions_dir=SOLUTIONS, limits=LIMITS,
                        version="99.0")
    assert newer.graded == 1
    history = student_history(open_gradebook(out, create=False), "jos")
    assert [h["score"] for h in history][0] == 0 and len(history) == 2


def test_manual_marks_survive_a_regrade(graded):
    subs, out, _, _ = graded
    book = open_gradebook(out, create=False)
    add_mark(book, "ann lee", EXERCISE, "q6", 5, comment="Links both directions.", marker="KB")
    add_mark(book, "Ann Lee", EXERCISE, "q6", 2, comment="Too short.", marker="KB")
    book.close()
    regraded = grade_batch([subs / "ann lee"], out, solutions_dir=SOLUTIONS, limits=LIMITS,
                           regrade=True)
    assert regraded.graded == 1
    book = open_gradebook(out, create=False)
    assert latest_marks(book, "ann lee", EXERCISE)["q6"]["points"] == 5
    assert latest_marks(book, "Ann Lee", EXERCISE)["q6"]["comment"] == "Too short."
    runs = student_history(book, "ann lee")
    assert len(runs) == 2 and runs[0]["run"] != runs[1]["run"]
    assert "isolation" in format_history("ann lee", runs)
    merged = {r["student"]: r for r in latest_results(book)}
    assert merged["ann lee"]["manual"]["q6"]["points"] == 5
    feedback = (out / encode_id("ann lee") / f"{EXERCISE}.feedback.md").read_text()
    assert "5 of 6 points (marked by a person)" in feedback
    assert "Links both directions." in feedback
    with pytest.raises(CourseError, match=r"points for q6 must be a finite number in \[0, 6\]"):
        add_mark(book, "ann lee", EXERCISE, "q6", 7, marker="KB")
    with pytest.raises(CourseError, match="no manually graded question"):
        add_mark(book, "ann lee", EXERCISE, "q1_test", 1, marker="KB")


def test_a_failing_result_leaves_no_partial_rows(tmp_path):
    book = open_gradebook(tmp_path)
    run = book.start_run("test")
    broken = {"student": "ann", "exercise": "01_x", "status": "graded", "score": 1.0,
              "questions": {"q1_test": {"checks": []}}}  # no points: fails mid-transaction
    with pytest.raises(KeyError):
        book.record_result(run, broken, {"sha256": "a", "source_path": "p"}, "h")
    for table in ("results", "submissions", "students", "question_results"):
        assert book.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0


@pytest.mark.parametrize("mask", [0o002, 0o022, 0o077])
def test_written_files_honour_the_umask(tmp_path, mask):
    old = os.umask(mask)
    try:
        assert current_umask() == mask
        atomic_write_bytes(tmp_path / "a.txt", b"x")
        book = open_gradebook(tmp_path)
        assert write_export(book, "s-ann/01_x.json", "{}")
    finally:
        os.umask(old)
    for path in (tmp_path / "a.txt", tmp_path / "s-ann" / "01_x.json"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask


def test_graded_exports_are_readable_by_the_class(graded):
    _, out, _, _ = graded
    mode = stat.S_IMODE((out / encode_id("jos") / f"{EXERCISE}.json").stat().st_mode)
    assert mode == 0o666 & ~current_umask()


# ----------------------------------------------------------------------------- real signals
def _course(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "classroom", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _saved(db) -> int:
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT COUNT(*) FROM results").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:
        return 0


def _wait_for(db, count: int, proc: subprocess.Popen, timeout: float = 120) -> None:
    end = time.monotonic() + timeout
    while _saved(db) < count:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < end, "no result was committed in time"
        time.sleep(0.05)


def _cell_source(nb, grade: str) -> str:
    return next(c.source for c in nb.cells if grade_id(c) == grade)


def test_interrupt_and_kill_9_then_rerun_finishes_without_regrading(tmp_path):
    subs, out = tmp_path / "subs", tmp_path / "out"
    total = 6
    for i in range(total):  # each takes a second: the batch is still running when stopped
        q1 = _cell_source(student_notebook(fresh=i % 2 == 1), "q1")
        make_submission(subs, f"student {i}", {"q1": f"import time\ntime.sleep(1)\n{q1}"},
                        fresh=i % 2 == 1)
    db = out / "gradebook.sqlite"
    args = ("grade", str(subs), "--out", str(out), "--jobs", "1", "--timeout-cell", "20")

    proc = _course(*args)
    _wait_for(db, 1, proc)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    first = _saved(db)
    assert err.strip().splitlines()[-1] == (f"interrupted: {first} results saved; run the same "
                                            "command again to finish")
    assert "Traceback" not in err and 1 <= first < total

    proc = _course(*args)
    _wait_for(db, first + 1, proc)
    proc.kill()  # kill -9: no chance to clean up
    proc.communicate(timeout=30)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    second = conn.execute("SELECT COUNT(*) FROM results").fetchone()[0]
    keys = conn.execute("SELECT COUNT(DISTINCT student) FROM results").fetchone()[0]
    conn.close()
    assert second == keys  # nothing was graded twice
    assert first < second <= total

    proc = _course(*args)
    outs, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    m = re.search(r"graded (\d+) submission\(s\) .*\((\d+) already done", outs)
    assert m and (int(m[1]), int(m[2])) == (total - second, second), outs
    assert "isolation: " in outs
    conn = sqlite3.connect(db)
    per_student = conn.execute("SELECT student, COUNT(*) FROM results GROUP BY student").fetchall()
    assert len(per_student) == total and all(n == 1 for _, n in per_student)
    rows = list(csv.DictReader((out / "gradebook.csv").read_text().splitlines()))
    assert {r["student"] for r in rows} == {f"student {i}" for i in range(total)}


def test_done_means_same_bytes_source_and_version(tmp_path):
    book = open_gradebook(tmp_path, version="1.0")
    run = book.start_run("test")
    result = {"student": "ann", "exercise": "01_x", "status": "graded", "score": 1.0,
              "questions": {}}
    book.record_result(run, result, {"sha256": "bytes", "source_path": "p"}, "source")
    assert book.is_done("ann", "01_x", "bytes", "source")
    assert not book.is_done("ann", "01_x", "other bytes", "source")
    assert not book.is_done("ann", "01_x", "bytes", "edited source")
    assert not open_gradebook(tmp_path, version="1.1").is_done("ann", "01_x", "bytes", "source")
    book.record_result(run, {**result, "retry": True}, {"sha256": "b2", "source_path": "p"}, "s")
    assert not book.is_done("ann", "01_x", "b2", "s")  # a kernel that never started: again


def test_history_command_lists_the_runs(graded, capsys):
    _, out, _, _ = graded
    assert cli.main(["gradebook", "history", "josé", "--dir", str(out)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) >= 1 and all(line.startswith("run ") for line in lines)
    assert EXERCISE in lines[0] and "isolation" in lines[0]
    assert cli.main(["gradebook", "mark", "josé", EXERCISE, "q6", "3", "--marker", "KB",
                     "--comment", "Good start.", "--dir", str(out)]) == 0
    assert "Good start." in (out / encode_id("josé") / f"{EXERCISE}.feedback.md").read_text()
