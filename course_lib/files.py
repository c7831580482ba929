"""Writing files safely: atomic replacement, permissions from the umask, plain tree copies.

The one atomic writer of the course and its platform: a temporary file in the same folder,
flushed to disk (:func:`os.fsync`), then renamed over the target (:func:`os.replace`) and the
folder's entry flushed too, so after a crash or a power cut a reader finds the old content or
the new one, never an empty or half-written file.

:func:`tempfile.mkstemp` creates files readable by their owner only (0600).  A course folder on a
shared hub must be readable by the class, so every file written here gets the mode an ordinary
``open(path, "w")`` would give it: ``0o666`` minus the process umask.

Examples
--------
>>> import os, tempfile
>>> path = os.path.join(tempfile.mkdtemp(), "sub", "note.txt")
>>> atomic_write_text(path, "hello")
>>> Path(path).read_text(), oct(os.stat(path).st_mode & 0o777) == oct(file_mode())
('hello', True)
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

__all__ = ["atomic_write_bytes", "atomic_write_text", "copy_tree", "current_umask", "file_mode"]


_PROC_STATUS = Path("/proc/self/status")


def current_umask() -> int:
    """The process umask.

    Read from ``/proc/self/status`` where Linux offers it (no change to the process, so safe
    while other threads create files); elsewhere by setting and at once restoring it.

    Examples
    --------
    >>> 0 <= current_umask() <= 0o777
    True
    """
    try:
        for line in _PROC_STATUS.read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def file_mode(executable: bool = False) -> int:
    """The mode a new file gets under the current umask (``0o666``, or ``0o777`` if executable).

    Examples
    --------
    >>> file_mode() == 0o666 & ~current_umask()
    True
    """
    return (0o777 if executable else 0o666) & ~current_umask()


def _fsync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename) to disk; a no-op where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse fsync on a folder; the file itself is on disk
    finally:
        os.close(fd)


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temporary file, fsync, :func:`os.replace`).

    The parent folders are created; the file gets :func:`file_mode`, never ``0600``.  A reader
    sees the old content or the new one, never a half-written file, even after a crash: the
    data is flushed to disk before the rename, and the rename before the function returns.
    On any error the temporary file is removed and the old file is left as it was.

    Examples
    --------
    >>> import os, tempfile
    >>> p = os.path.join(tempfile.mkdtemp(), "b.bin")
    >>> atomic_write_bytes(p, b"\\x00\\x01")
    >>> Path(p).read_bytes()
    b'\\x00\\x01'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, file_mode())
        os.replace(tmp, path)
    except BaseException:
        if os.path.lexists(tmp):
            os.unlink(tmp)
        raise
    _fsync_folder(path.parent)


def atomic_write_text(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8, ``\\n`` line ends) atomically; see :func:`atomic_write_bytes`.

    Examples
    --------
    >>> import os, tempfile
    >>> p = os.path.join(tempfile.mkdtemp(), "a", "b.txt")
    >>> atomic_write_text(p, "hi")
    >>> Path(p).read_text()
    'hi'
    """
    atomic_write_bytes(path, text.encode("utf-8"))


def copy_tree(src: str | Path, dst: str | Path,
              skip: Callable[[str, list[str]], Iterable[str]] | None = None) -> list[Path]:
    """Copy the regular files under ``src`` to ``dst``; modes come from the umask.

    Unlike :func:`shutil.copytree` no permission bits are copied from the source (a private
    ``0600`` source file becomes readable by the class), and symbolic links are not followed
    or copied.  ``skip`` works like :func:`shutil.ignore_patterns`.

    Returns
    -------
    list of Path
        The files written.

    Examples
    --------
    >>> import os, tempfile
    >>> src, dst = Path(tempfile.mkdtemp()), Path(tempfile.mkdtemp()) / "copy"
    >>> _ = (src / "a.txt").write_text("x"); os.chmod(src / "a.txt", 0o600)
    >>> [p.name for p in copy_tree(src, dst)], (dst / "a.txt").stat().st_mode & 0o777 == file_mode()
    (['a.txt'], True)
    """
    src, dst = Path(src), Path(dst)
    written: list[Path] = []
    for folder, dirs, files in os.walk(src):
        here = Path(folder)
        ignored = set(skip(folder, [*dirs, *files])) if skip else set()
        dirs[:] = sorted(d for d in dirs if d not in ignored and not (here / d).is_symlink())
        target_dir = dst / here.relative_to(src)
        target_dir.mkdir(parents=True, exist_ok=True)
        for name in sorted(files):
            source = here / name
            if name in ignored or source.is_symlink() or not source.is_file():
                continue
            target = target_dir / name
            shutil.copyfile(source, target)
            os.chmod(target, file_mode(executable=os.access(source, os.X_OK)))
            written.append(target)
    return written
