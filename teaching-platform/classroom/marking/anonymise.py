"""Anonymous codes for students: stable per grading folder, never derived from names alone.

Each grading folder gets a random key once (``.course-marking-key``, created beside the
gradebook and never replaced); a student's code is an HMAC of the exact student id under that
key, so the same student keeps the same code in every marking session of that folder, the
codes differ between folders, and they cannot be worked out from the roster without the key.

Examples
--------
>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> codes = anonymous_codes(folder, ["ann lee", "bo"])
>>> codes == anonymous_codes(folder, ["bo", "ann lee"]), sorted(len(c) for c in codes.values())
(True, [7, 7])
>>> codes["bo"].startswith("S-")
True
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import tempfile
from collections.abc import Iterable
from pathlib import Path

from course_lib.files import file_mode

__all__ = ["KEY_FILE", "anonymous_codes", "marking_key"]

KEY_FILE = ".course-marking-key"
_SHORTEST = 5


def marking_key(folder: str | Path) -> bytes:
    """The folder's key, created on first use (two sessions at once agree on one key).

    Raises
    ------
    ValueError
        When the key file exists but is not a key this tool wrote.
    """
    path = Path(folder) / KEY_FILE
    if not path.exists():
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".course-key-")
        try:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(secrets.token_hex(32) + "\n")
            os.chmod(tmp, file_mode())
            try:
                os.link(tmp, path)  # never replaces a key that appeared meanwhile
            except FileExistsError:
                pass
        finally:
            os.unlink(tmp)
    text = path.read_text(encoding="ascii", errors="replace").strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != 32:
        raise ValueError(f"{path} is not a marking key written by `course mark`; move it away")
    return key


def _code(key: bytes, student: str, length: int) -> str:
    digest = hmac.new(key, student.encode("utf-8"), hashlib.sha256).digest()
    return "S-" + base64.b32encode(digest).decode("ascii")[:length]


def anonymous_codes(folder: str | Path, students: Iterable[str]) -> dict[str, str]:
    """A distinct code per student (lengthened for everyone only if two would collide)."""
    key = marking_key(folder)
    unique = sorted(set(students))
    for length in range(_SHORTEST, 53):
        codes = {s: _code(key, s, length) for s in unique}
        if len(set(codes.values())) == len(codes):
            return codes
    raise AssertionError("HMAC-SHA256 codes collided over 256 bits")  # pragma: no cover
