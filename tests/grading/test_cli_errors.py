"""Clean failures (issue 8, item 5): every course command ends a problem in one line, exit 2;
Ctrl-C and SIGTERM end a batch with exit 130 and say how many results were saved."""

from __future__ import annotations

import errno
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from classroom import cli
from classroom.commands import slides as slides_command
from classroom.gradebook import files
from classroom.gradebook.store import open_gradebook
from classroom.grading import batch as batch_module
from tests.grading.submissions_kit import EXERCISE, ROOT, SOLUTIONS, make_submission

pytestmark = pytest.mark.kernel


def _one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ") and "Traceback" not in err
    return lines[0]


def _run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "classroom", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


CASES = {
    "unknown command": (["bogus"], "invalid choice"),
    "grade: no paths": (["grade", "--out", "{tmp}/o"], "required: paths"),
    "grade: missing path": (["grade", "{tmp}/missing", "--out", "{tmp}/o"], "paths must exist"),
    "grade: bad int": (["grade", "{sub}", "--out", "{tmp}/o", "--jobs", "two"],
                       "invalid int value"),
    "grade: zero jobs": (["grade", "{sub}", "--out", "{tmp}/o", "--jobs", "0"], "jobs must be"),
    "grade: bad limit": (["grade", "{sub}", "--out", "{tmp}/o", "--memory-mb", "5"],
                         "memory_mb must be"),
    "grade: out is a file": (["grade", "{sub}", "--out", "{sub}"], "not a folder"),
    "grade: out under a file": (["grade", "{sub}", "--out", "{sub}/x"], "Not a directory"),
    "grade: out inside submissions": (["grade", "{tmp}/subs", "--out", "{tmp}/subs/ann/o"],
                                      "inside the submissions folder"),
    "grade: solutions missing": (["grade", "{sub}", "--out", "{tmp}/o", "--solutions",
                                  "{tmp}/nope"], "solutions_dir must be an existing folder"),
    "grade: solutions is a file": (["grade", "{sub}", "--out", "{tmp}/o", "--solutions",
                                    "{sub}"], "solutions_dir must be an existing folder"),
    "gradebook: none there": (["gradebook", "history", "ann", "--dir", "{tmp}"],
                              "gradebook.sqlite is missing"),
    "gradebook: not a database": (["gradebook", "history", "ann", "--dir", "{tmp}/fake"],
                                  "not a usable gradebook"),
    "gradebook: bad points": (["gradebook", "mark", "ann", EXERCISE, "q6", "x", "--marker", "k",
                               "--dir", "{tmp}"], "invalid float value"),
    "build-exercises: missing": (["build-exercises", "--solutions", "{tmp}/nope"], "solutions"),
    "release: under a file": (["release", "{sub}/bundle"], ""),
    "slides: unknown lesson": (["slides", "99", "--out", "{tmp}/s"], "99"),
    "slides: out under a file": (["slides", "01", "--out", "{sub}/s"], ""),
}


@pytest.fixture(scope="module")
def place(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cli")
    sub = make_submission(tmp / "subs", "ann")
    (tmp / "fake").mkdir()
    (tmp / "fake" / "gradebook.sqlite").write_text("this is not sqlite " * 100)
    return {"tmp": str(tmp), "sub": str(sub)}


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_command_fails_in_one_line(place, case, capsys):
    argv, needle = CASES[case]
    argv = [a.format(**place) for a in argv]
    assert cli.main(argv) == 2
    line = _one_error_line(capsys.readouterr().err)
    assert needle in line


def test_real_process_prints_no_traceback(place):
    done = _run("grade", place["sub"], "--out", place["sub"] + "/x")
    assert done.returncode == 2 and done.stdout == ""
    assert "Not a directory" in _one_error_line(done.stderr)


def test_permission_and_disk_errors_are_one_line(place, monkeypatch, capsys):
    def denied(self, *a, **k):
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "mkdir", denied)
    assert cli.main(["grade", place["sub"], "--out", place["tmp"] + "/locked"]) == 2
    assert "Permission denied" in _one_error_line(capsys.readouterr().err)
    monkeypatch.undo()

    def full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(files, "atomic_write_bytes", full)
    symlink = Path(place["tmp"]) / "subs" / "linked.ipynb"  # an error row: no kernel needed
    symlink.symlink_to(place["sub"])
    out = Path(place["tmp"]) / "full"
    assert cli.main(["grade", str(symlink), "--out", str(out)]) == 2
    assert "No space left on device" in _one_error_line(capsys.readouterr().err)
    book = open_gradebook(out, create=False)  # the result itself was committed first
    assert book.conn.execute("SELECT COUNT(*) FROM results").fetchone()[0] == 1


def test_database_errors_are_one_line(place, monkeypatch, capsys):
    def locked(*a, **k):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(batch_module, "open_gradebook", locked)
    assert cli.main(["grade", place["sub"], "--out", place["tmp"] + "/db"]) == 2
    assert "database is locked" in _one_error_line(capsys.readouterr().err)


def test_an_unexpected_bug_is_still_one_line(monkeypatch, capsys):
    def boom(args):
        raise RuntimeError("something broke\nsecond line")

    monkeypatch.setattr(slides_command, "run_slides", boom)
    assert cli.main(["slides"]) == 2
    assert "unexpected RuntimeError: something broke" in _one_error_line(capsys.readouterr().err)


def test_ctrl_c_during_grading_exits_130(tmp_path):
    subs, out = tmp_path / "subs", tmp_path / "out"
    for i in range(4):
        make_submission(subs, f"s{i}", fresh=True)
    proc = subprocess.Popen([sys.executable, "-m", "classroom", "grade", str(subs), "--out",
                             str(out), "--jobs", "1"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    end = time.monotonic() + 120
    db = out / "gradebook.sqlite"
    while True:  # wait for the first committed result
        assert proc.poll() is None and time.monotonic() < end
        if db.exists():
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            try:
                if conn.execute("SELECT COUNT(*) FROM results").fetchone()[0]:
                    break
            except sqlite3.OperationalError:
                pass
            finally:
                conn.close()
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "Traceback" not in err
    last = err.strip().splitlines()[-1]
    assert last.startswith("interrupted: ") and last.endswith(
        " results saved; run the same command again to finish")
    saved = int(last.split()[1])
    assert 1 <= saved < 4
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT COUNT(*) FROM results").fetchone()[0] == saved


def test_summary_names_the_isolation_level(tmp_path, capsys):
    sub = make_submission(tmp_path / "subs", "ann", fresh=True)
    assert cli.main(["grade", str(sub), "--out", str(tmp_path / "out"), "--solutions",
                     str(SOLUTIONS)]) == 0
    line = capsys.readouterr().out.strip().splitlines()[-1]
    assert line.startswith("graded 1 submission(s)")
    level = line.split("isolation: ")[1].split(";")[0]
    assert level in {"sandbox", "mount-namespace", "none"}
