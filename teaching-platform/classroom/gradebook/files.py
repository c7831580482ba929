"""Export files: written atomically with the umask, recorded, never read back as truth.

Files are written by the course's one atomic writer (:func:`course_lib.files.atomic_write_bytes`:
fsync, rename, mode ``0o666`` minus the umask).

Every file the tool writes into the grading folder is recorded (path and hash) in the
``exports`` table.  A file at that path that the tool did not write, or that was changed since,
is left alone: :func:`write_export` returns ``False`` and the caller says so.

Examples
--------
>>> import tempfile, os
>>> from classroom.gradebook.store import open_gradebook
>>> d = tempfile.mkdtemp()
>>> book = open_gradebook(d)
>>> write_export(book, "a/b.txt", "hi"), write_export(book, "a/b.txt", "ho")
(True, True)
>>> _ = Path(d, "mine.csv").write_text("my own notes")
>>> write_export(book, "mine.csv", "x")
False
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from classroom.gradebook.store import Gradebook, now_iso
from course_lib.files import atomic_write_bytes

__all__ = ["write_export", "write_exports"]


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _disk_sha(path: Path) -> str:
    """Hash of the file at ``path`` (a link or other non-file hashes to ``"?"``)."""
    if path.is_symlink() or not path.is_file():
        return "?"
    return _sha(path.read_bytes())


def write_exports(book: Gradebook, files: list[tuple[str, str]]) -> list[str]:
    """Write each ``(relative path, text)`` under ``book.folder``; return the paths left alone.

    A path is left alone when a file is there that the tool did not write (it is not even
    read) or that was changed since the tool wrote it.  Unchanged files are not rewritten.
    Two transactions in all: the hashes about to be written are recorded first, so a crash in
    between leaves every file recognisably the tool's.
    """
    known = dict(book.conn.execute(
        "SELECT path, IFNULL(sha256, '') || ' ' || IFNULL(pending_sha256, '') FROM exports"
    ).fetchall())
    left, todo = [], []
    for relative, text in files:
        data = text.encode("utf-8")
        new = _sha(data)
        path = book.folder / relative
        if os.path.lexists(path):
            if relative not in known:
                left.append(relative)  # not ours: never read, changed or deleted
                continue
            on_disk = _disk_sha(path)
            if on_disk not in known[relative].split():
                left.append(relative)  # ours once, but changed by someone since: leave it
                continue
            if on_disk == new:
                continue
        todo.append((relative, path, data, new))
    if not todo:
        return left
    with book.transaction() as c:
        c.executemany("INSERT INTO exports (path, sha256, pending_sha256, written_at) "
                      "VALUES (?, NULL, ?, ?) ON CONFLICT(path) DO UPDATE SET "
                      "pending_sha256=excluded.pending_sha256",
                      [(rel, new, now_iso()) for rel, _, _, new in todo])
    for _, path, data, _ in todo:
        atomic_write_bytes(path, data)
    with book.transaction() as c:
        c.executemany("UPDATE exports SET sha256 = ?, pending_sha256 = NULL, written_at = ? "
                      "WHERE path = ?", [(new, now_iso(), rel) for rel, _, _, new in todo])
    return left


def write_export(book: Gradebook, relative: str, text: str) -> bool:
    """Write one export (see :func:`write_exports`); ``False`` when the file was left alone."""
    return not write_exports(book, [(relative, text)])
