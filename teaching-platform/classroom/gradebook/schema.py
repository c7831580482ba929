"""The tables of ``gradebook.sqlite``.

The schema holds what the whole class loop needs: a roster (``students``: name, email, LMS id,
submission folder), exercises with due dates, per-student deadline extensions, questions with
their rubric, grading runs, submissions with their time and late flag, autograded results per
question, manual marks (append-only: a new mark supersedes, nothing is erased), the executed
notebook of each result until its instructor page is made (then the page), the export
files the tool wrote, and ``settings`` (the deadlines and late-penalty rule of the course
configuration last applied).  New tables are added with ``CREATE TABLE IF NOT EXISTS``, so an
older gradebook gains them when it is next opened (that is the migration).

Examples
--------
>>> import sqlite3
>>> conn = sqlite3.connect(":memory:")
>>> create_schema(conn)
>>> sorted(r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'"))[:4]
['exercises', 'exports', 'extensions', 'graded_pages']
>>> conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
True
"""

from __future__ import annotations

import sqlite3

__all__ = ["ADDED_COLUMNS", "SCHEMA", "SCHEMA_VERSION", "create_schema"]

SCHEMA_VERSION = 2

#: Columns added after version 1, ``(table, column, type)``: an older file gains them on open.
ADDED_COLUMNS = (("runs", "limits", "TEXT"), ("results", "limits", "TEXT"))

SCHEMA = """
CREATE TABLE IF NOT EXISTS students (
    id TEXT PRIMARY KEY,            -- exact (NFC) student id, as in the submission folder
    name TEXT, email TEXT, lms_id TEXT, folder TEXT,
    added_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS exercises (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    source_sha256 TEXT NOT NULL,    -- hash of the instructor source last graded against
    max_auto REAL NOT NULL, max_manual REAL NOT NULL,
    due_at TEXT                     -- ISO 8601 UTC, from the course configuration
);
CREATE TABLE IF NOT EXISTS questions (
    exercise TEXT NOT NULL REFERENCES exercises(id),
    grade_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('auto', 'manual')),
    max_points REAL NOT NULL,
    position INTEGER NOT NULL,
    title TEXT,
    rubric_json TEXT,               -- [{"criterion": ..., "points": ...}, ...]
    PRIMARY KEY (exercise, grade_id)
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL, finished_at TEXT,
    course_lib_version TEXT NOT NULL,
    command TEXT NOT NULL,
    isolation TEXT,                 -- levels used, comma-separated (sandbox, mount-namespace, none)
    limits TEXT                     -- how limits held: cgroup-v2, cgroup-v1, rlimit
);
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY,
    student TEXT NOT NULL, exercise TEXT NOT NULL,
    sha256 TEXT NOT NULL,           -- of the submitted bytes
    source_path TEXT NOT NULL,
    submitted_at TEXT, time_source TEXT,
    late INTEGER NOT NULL DEFAULT 0,
    lms_id TEXT, lms_submission_id TEXT,
    UNIQUE (student, exercise, sha256, source_path)
);
CREATE TABLE IF NOT EXISTS results (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    student TEXT NOT NULL, exercise TEXT NOT NULL,
    exercise_sha256 TEXT NOT NULL, course_lib_version TEXT NOT NULL,
    isolation TEXT NOT NULL,
    limits TEXT,                    -- cgroup-v2, cgroup-v1 or rlimit (NULL: no kernel ran)
    status TEXT NOT NULL CHECK (status IN ('graded', 'error')),
    final INTEGER NOT NULL,         -- 0: a passing failure (kernel did not start): grade again
    score REAL, max_score REAL,
    graded_at TEXT NOT NULL,
    result_json TEXT NOT NULL       -- the full result, the source of every export
);
CREATE INDEX IF NOT EXISTS results_by_key ON results (student, exercise, id);
CREATE TABLE IF NOT EXISTS question_results (
    result_id INTEGER NOT NULL REFERENCES results(id),
    grade_id TEXT NOT NULL,
    points REAL, max_points REAL, status TEXT, message TEXT,
    PRIMARY KEY (result_id, grade_id)
);
CREATE TABLE IF NOT EXISTS manual_marks (
    id INTEGER PRIMARY KEY,
    student TEXT NOT NULL, exercise TEXT NOT NULL, grade_id TEXT NOT NULL,
    points REAL NOT NULL, comment TEXT NOT NULL DEFAULT '',
    marker TEXT NOT NULL,
    rubric_json TEXT,               -- criteria ticked, for feedback with rubric lines
    marked_at TEXT NOT NULL,
    second_marking INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS marks_by_key ON manual_marks (student, exercise, grade_id, id);
CREATE TABLE IF NOT EXISTS extensions (
    student TEXT NOT NULL, exercise TEXT NOT NULL,
    due_at TEXT NOT NULL,           -- a per-student deadline replacing exercises.due_at
    reason TEXT,
    PRIMARY KEY (student, exercise)
);
CREATE TABLE IF NOT EXISTS exports (
    path TEXT PRIMARY KEY,          -- relative to the grading folder
    sha256 TEXT,                    -- of what the tool wrote last
    pending_sha256 TEXT,            -- of what it is writing now (a crash leaves either)
    written_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS graded_pages (
    result_id INTEGER PRIMARY KEY REFERENCES results(id),
    notebook_json TEXT,             -- the executed notebook, kept until its page is made
    page TEXT                       -- the instructor's graded notebook (HTML), made after grading
);
CREATE TABLE IF NOT EXISTS settings (
    key TEXT PRIMARY KEY,           -- e.g. 'deadlines': the course configuration last applied
    value_json TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
"""


def create_schema(conn: sqlite3.Connection) -> None:
    """Create the tables (idempotent) and record :data:`SCHEMA_VERSION`.

    Raises
    ------
    ValueError
        When the file was written by a newer schema.
    """
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise ValueError(f"gradebook schema {version} is newer than this course_lib understands "
                         f"({SCHEMA_VERSION}); upgrade course_lib")
    added = []
    for table, column, kind in ADDED_COLUMNS:
        have = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        if have and column not in have:
            added.append(f"ALTER TABLE {table} ADD COLUMN {column} {kind};")
    conn.executescript("BEGIN;" + SCHEMA + "".join(added)
                       + f"PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;")
