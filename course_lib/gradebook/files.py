"""Export files: written atomically with the umask, recorded, never read back as truth.

Every file the tool writes into the grading folder is recorded (path and hash) in the
``exports`` table.  A file at that path that the tool did not write, or that was changed since,
is left alone: :func:`write_export` returns ``False`` and the caller says so.

Examples
--------
>>> import tempfile, os
>>> from course_lib.gradebook.store import open_gradebook
>>> d = tempfile.mkdtemp()
>>> book = open_gradebook(d)
>>> write_export(book, "a/b.txt", "hi"), write_export(book, "a/b.txt", "ho")
(True, True)
>>> _ = open(os.path.join(d, "mine.csv"), "w").write("my own notes")
>>> write_export(book, "mine.csv", "x")
False
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from course_lib.gradebook.store import Gradebook, now_iso

__all__ = ["atomic_write", "current_umask", "write_export"]


def current_umask() -> int:
    """The process umask (read from ``/proc`` on Linux, else by setting it back at once)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` by a temporary file and :func:`os.replace`, mode 0o666 & ~umask.

    Examples
    --------
    >>> import tempfile, os, stat
    >>> p = Path(tempfile.mkdtemp()) / "x.txt"
    >>> atomic_write(p, b"hi")
    >>> stat.S_IMODE(p.stat().st_mode) == 0o666 & ~current_umask()
    True
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~current_umask())
        os.replace(tmp, path)
    except BaseException:
        if os.path.lexists(tmp):
            os.unlink(tmp)
        raise


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _disk_sha(path: Path) -> str:
    """Hash of the file at ``path`` (a link or other non-file hashes to ``"?"``)."""
    if path.is_symlink() or not path.is_file():
        return "?"
    return _sha(path.read_bytes())


def write_export(book: Gradebook, relative: str, text: str) -> bool:
    """Write ``text`` to ``book.folder / relative`` unless a file the tool did not write is there.

    Returns ``True`` when the file now holds ``text``; ``False`` when it was left alone (a
    file the tool never wrote is not even read).
    """
    data = text.encode("utf-8")
    new = _sha(data)
    path = book.folder / relative
    row = book.conn.execute("SELECT sha256, pending_sha256 FROM exports WHERE path = ?",
                            (relative,)).fetchone()
    if os.path.lexists(path):
        if row is None:
            return False  # not ours: never read, changed or deleted
        on_disk = _disk_sha(path)
        if on_disk not in row:
            return False  # ours once, but changed by someone since: leave it
        if on_disk == new:
            return True
    with book.transaction() as c:
        c.execute("INSERT INTO exports (path, sha256, pending_sha256, written_at) "
                  "VALUES (?, NULL, ?, ?) ON CONFLICT(path) DO UPDATE SET "
                  "pending_sha256=excluded.pending_sha256", (relative, new, now_iso()))
    atomic_write(path, data)
    with book.transaction() as c:
        c.execute("UPDATE exports SET sha256 = ?, pending_sha256 = NULL, written_at = ? "
                  "WHERE path = ?", (new, now_iso(), relative))
    return True
