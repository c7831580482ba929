"""Opening ``gradebook.sqlite`` and recording runs and results, one transaction each.

Write-ahead logging (``journal_mode=WAL``) and ``synchronous=FULL`` make every committed
result durable, and an interrupted one (SIGINT, SIGTERM, ``kill -9``, power loss) vanish
whole: the database is consistent at any moment, and the next run grades what is missing.

Examples
--------
>>> import tempfile
>>> book = open_gradebook(tempfile.mkdtemp())
>>> run = book.start_run("course grade demo")
>>> book.is_done("ann", "01_x", "abc", "def")
False
>>> book.close()
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import course_lib
from classroom.errors import CourseError
from classroom.gradebook.schema import create_schema

__all__ = ["GRADEBOOK_FILE", "Gradebook", "now_iso", "open_gradebook"]

GRADEBOOK_FILE = "gradebook.sqlite"
#: The latest result of every (student, exercise).
_LATEST = "SELECT MAX(id) FROM results GROUP BY student, exercise"


def now_iso() -> str:
    """The current time, ISO 8601 in UTC, to the second.

    Examples
    --------
    >>> now_iso().endswith("+00:00")
    True
    """
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Gradebook:
    """An open gradebook (use :func:`open_gradebook`)."""

    def __init__(self, conn: sqlite3.Connection, folder: Path, version: str) -> None:
        self.conn = conn
        self.folder = folder
        self.version = version

    @property
    def path(self) -> Path:
        """The database file."""
        return self.folder / GRADEBOOK_FILE

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` ... ``COMMIT`` (``ROLLBACK`` on any exception)."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def close(self) -> None:
        """Close the connection (the WAL is checkpointed by SQLite)."""
        self.conn.close()

    def __enter__(self) -> Gradebook:
        """``with open_gradebook(folder) as book:`` closes the book however the block ends."""
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def start_run(self, command: str) -> int:
        """Record a grading run; returns its id."""
        with self.transaction() as c:
            cur = c.execute("INSERT INTO runs (started_at, course_lib_version, command) "
                            "VALUES (?, ?, ?)", (now_iso(), self.version, command))
        return int(cur.lastrowid)

    def finish_run(self, run_id: int, isolation: Iterable[str], limits: Iterable[str] = ()) -> None:
        """Record the end of a run, and the isolation and limit levels its results used."""
        with self.transaction() as c:
            c.execute("UPDATE runs SET finished_at = ?, isolation = ?, limits = ? WHERE id = ?",
                      (now_iso(), ",".join(sorted(set(isolation))),
                       ",".join(sorted(set(limits))), run_id))

    def sync_exercise(self, exercise: str, title: str, source_sha256: str,
                      questions: list[tuple[str, str, float]], max_auto: float,
                      max_manual: float) -> None:
        """Insert or update an exercise and its questions (``(grade_id, kind, points)``)."""
        with self.transaction() as c:
            c.execute("INSERT INTO exercises (id, title, source_sha256, max_auto, max_manual) "
                      "VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET title=excluded.title,"
                      " source_sha256=excluded.source_sha256, max_auto=excluded.max_auto, "
                      "max_manual=excluded.max_manual",
                      (exercise, title, source_sha256, max_auto, max_manual))
            for pos, (gid, kind, pts) in enumerate(questions):
                c.execute("INSERT INTO questions (exercise, grade_id, kind, max_points, position)"
                          " VALUES (?, ?, ?, ?, ?) ON CONFLICT(exercise, grade_id) DO UPDATE SET"
                          " kind=excluded.kind, max_points=excluded.max_points, "
                          "position=excluded.position", (exercise, gid, kind, pts, pos))

    def is_done(self, student: str, exercise: str, sha256: str, exercise_sha256: str) -> bool:
        """Whether the latest result of these bytes, source and version is final."""
        row = self.conn.execute(
            "SELECT r.final FROM results r JOIN submissions s ON s.id = r.submission_id "
            "WHERE r.student = ? AND r.exercise = ? AND s.sha256 = ? AND r.exercise_sha256 = ? "
            "AND r.course_lib_version = ? ORDER BY r.id DESC LIMIT 1",
            (student, exercise, sha256, exercise_sha256, self.version)).fetchone()
        return bool(row and row[0])

    def record_result(self, run_id: int, result: dict, submission: dict,
                      exercise_sha256: str, executed: str | None = None) -> int:
        """Store one submission's result and its questions in one transaction; returns its id.

        ``submission`` holds ``sha256``, ``source_path``, ``submitted_at``, ``time_source``,
        ``late``, ``lms_id`` and ``lms_submission_id``.  ``executed`` is the executed notebook
        (JSON text), kept with the result until its instructor page is made
        (:meth:`pending_pages`): a batch stopped at any moment leaves every page makeable.
        """
        s = submission
        with self.transaction() as c:
            c.execute("INSERT OR IGNORE INTO students (id, lms_id, added_at) VALUES (?, ?, ?)",
                      (result["student"], s.get("lms_id"), now_iso()))
            c.execute("INSERT OR IGNORE INTO submissions (student, exercise, sha256, "
                      "source_path, submitted_at, time_source, late, lms_id, lms_submission_id)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      (result["student"], result["exercise"], s["sha256"], s["source_path"],
                       s.get("submitted_at"), s.get("time_source"), int(bool(s.get("late"))),
                       s.get("lms_id"), s.get("lms_submission_id")))
            sub_id = c.execute("SELECT id FROM submissions WHERE student = ? AND exercise = ? "
                               "AND sha256 = ? AND source_path = ?",
                               (result["student"], result["exercise"], s["sha256"],
                                s["source_path"])).fetchone()[0]
            cur = c.execute(
                "INSERT INTO results (run_id, submission_id, student, exercise, exercise_sha256,"
                " course_lib_version, isolation, limits, status, final, score, max_score, "
                "graded_at, result_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (run_id, sub_id, result["student"], result["exercise"], exercise_sha256,
                 self.version, result.get("isolation") or "none", result.get("limits"),
                 result["status"],
                 int(not result.get("retry", False)), result.get("score"),
                 result.get("max_score"), now_iso(),
                 json.dumps(result, sort_keys=True, ensure_ascii=False)))
            rid = int(cur.lastrowid)
            for gid, q in result.get("questions", {}).items():
                failed = [ch["message"] for ch in q.get("checks", [])
                          if not ch["passed"] and ch["max_points"]]
                c.execute("INSERT INTO question_results (result_id, grade_id, points, "
                          "max_points, status, message) VALUES (?, ?, ?, ?, ?, ?)",
                          (rid, gid, q["points"], q["max_points"], q["status"],
                           "; ".join(dict.fromkeys(failed + q.get("errors", [])))))
            if executed is not None:
                c.execute("INSERT INTO graded_pages (result_id, notebook_json) VALUES (?, ?)",
                          (rid, executed))
        return rid

    def pending_pages(self) -> list[tuple[int, str, str]]:
        """``(result id, result JSON, executed notebook JSON)`` of each latest result whose
        instructor page is still to be made (older results' notebooks are dropped)."""
        with self.transaction() as c:
            c.execute("UPDATE graded_pages SET notebook_json = NULL WHERE notebook_json IS NOT "
                      f"NULL AND result_id NOT IN ({_LATEST})")
        return self.conn.execute(
            "SELECT p.result_id, r.result_json, p.notebook_json FROM graded_pages p JOIN "
            "results r ON r.id = p.result_id WHERE p.page IS NULL AND p.notebook_json IS NOT "
            f"NULL AND p.result_id IN ({_LATEST}) ORDER BY p.result_id").fetchall()

    def store_pages(self, pages: Iterable[tuple[int, str]]) -> None:
        """Keep made pages (``(result id, HTML)``) in one transaction; their notebooks go."""
        with self.transaction() as c:
            c.executemany("UPDATE graded_pages SET page = ?, notebook_json = NULL "
                          "WHERE result_id = ?", [(page, rid) for rid, page in pages])

    def latest_graded(self) -> list[tuple[str, str, dict]]:
        """``(student, exercise, result)`` of every latest result that was graded (a latest
        result that is an error is left out)."""
        rows = self.conn.execute(
            "SELECT student, exercise, result_json FROM results WHERE id IN "
            f"({_LATEST}) AND status = 'graded'").fetchall()
        return [(student, exercise, json.loads(text)) for student, exercise, text in rows]

    def latest_pages(self) -> dict[tuple[str, str], str]:
        """``{(student, exercise): instructor page}`` of the latest results that have one."""
        rows = self.conn.execute(
            "SELECT r.student, r.exercise, p.page FROM graded_pages p JOIN results r ON "
            f"r.id = p.result_id WHERE p.page IS NOT NULL AND p.result_id IN ({_LATEST})")
        return {(student, exercise): page for student, exercise, page in rows}


def open_gradebook(folder: str | Path, *, create: bool = True,
                   version: str | None = None) -> Gradebook:
    """Open (or create) ``folder/gradebook.sqlite`` in WAL mode.

    ``version`` (default ``course_lib.__version__``) is recorded with every result; a result
    counts as done only for the same version.

    Raises
    ------
    CourseError
        When the file is missing (``create=False``) or is not a gradebook database.
    """
    folder = Path(folder)
    path = folder / GRADEBOOK_FILE
    if not create and not path.is_file():
        raise CourseError(f"no gradebook in {folder}: {GRADEBOOK_FILE} is missing "
                          "(run `course grade ... --out DIR` first)")
    try:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False,
                               timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        create_schema(conn)
    except sqlite3.DatabaseError as exc:
        raise CourseError(f"{path} is not a usable gradebook database: {exc}") from exc
    return Gradebook(conn, folder, version or course_lib.__version__)
