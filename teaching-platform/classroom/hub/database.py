"""The seminar hub's SQLite database in write-ahead mode: a login no longer waits on the disk.

JupyterHub commits to its database several times per login (the session, the user's activity,
a token) from its one event-loop thread, and SQLite's default journal syncs the disk at every
commit: measured here, about 17 ms a commit, so a class logging in at once queued behind the
disk. In write-ahead mode with ``synchronous=NORMAL`` (SQLite documentation, "Write-Ahead
Logging") a commit syncs only at checkpoints; the database stays consistent after a crash,
and at worst the last moments of activity are lost, never the file. The config of ``course
hub`` calls :func:`write_ahead_log` before JupyterHub opens its database.

Examples
--------
>>> import sqlite3, tempfile
>>> from pathlib import Path
>>> write_ahead_log()
>>> from sqlalchemy import create_engine, text
>>> engine = create_engine(f"sqlite:///{Path(tempfile.mkdtemp()) / 'hub.sqlite'}")
>>> with engine.connect() as connection:
...     connection.execute(text("PRAGMA journal_mode")).scalar()
'wal'
"""

from __future__ import annotations

import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine

__all__ = ["write_ahead_log"]


def _on_connect(dbapi_connection: object, _record: object) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def write_ahead_log() -> None:
    """Every SQLite connection this process opens from now on uses write-ahead logging."""
    if not event.contains(Engine, "connect", _on_connect):
        event.listen(Engine, "connect", _on_connect)
