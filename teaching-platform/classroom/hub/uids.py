"""A user id of their own for every student, when the hub runs as root.

The ids are numbers only (no line in ``/etc/passwd``, nothing added to the machine's accounts),
kept in the hub's folder (``uids.json``) so a student keeps their id, and so their files, across
restarts. Two students of one hub never share an id, and students of two hubs on one machine
(two classes, each with its ``--dir``) almost surely do not either: each id starts from a hash
of the hub's folder and the student's name in a range of 500 million ids far above the ones
people and container user namespaces are given, and steps on past any id the machine's
accounts or this hub already use. One lock serialises the hub's concurrent spawns.

Examples
--------
>>> import tempfile
>>> table = Path(tempfile.mkdtemp()) / "uids.json"
>>> a, b = student_uid(table, "ann"), student_uid(table, "bob")
>>> FIRST_UID <= a < FIRST_UID + SPAN and a != b and student_uid(table, "ann") == a
True
>>> other = Path(tempfile.mkdtemp()) / "uids.json"  # another hub's ann
>>> student_uid(other, "ann") != a
True
"""

from __future__ import annotations

import hashlib
import json
import pwd
import threading
from pathlib import Path

from classroom.errors import CourseError
from course_lib.files import atomic_write_text

__all__ = ["FIRST_UID", "SPAN", "student_uid"]

#: The range students' ids come from: [FIRST_UID, FIRST_UID + SPAN), below 2**31 (some tools
#: read an id as a signed 32-bit number) and above the 100000-165535 ranges that container
#: tools hand to user namespaces by default.
FIRST_UID = 1_500_000_000
SPAN = 500_000_000
_LOCK = threading.Lock()


def _known_to_machine(uid: int) -> bool:
    try:
        pwd.getpwuid(uid)
    except KeyError:
        return False
    return True


def _start(table: Path, name: str) -> int:
    """Where ``name``'s id is first looked for: a hash of the hub's folder and the name."""
    digest = hashlib.sha256(f"{table.resolve().parent}\0{name}".encode()).digest()
    return FIRST_UID + int.from_bytes(digest[:8], "big") % SPAN


def student_uid(table: Path, name: str) -> int:
    """The user id of ``name``, allocated on first use and kept in ``table``.

    Raises
    ------
    CourseError
        When ``table`` is not a table of ids.
    """
    table = Path(table)
    with _LOCK:
        try:
            ids = json.loads(table.read_text(encoding="utf-8")) if table.exists() else {}
        except (OSError, ValueError) as exc:
            raise CourseError(f"{table} is not a table of student user ids: {exc}") from exc
        if not isinstance(ids, dict) or not all(isinstance(v, int) for v in ids.values()):
            raise CourseError(f"{table} is not a table of student user ids")
        if name in ids:
            return ids[name]
        taken, uid = set(ids.values()), _start(table, name)
        while uid in taken or _known_to_machine(uid):
            uid = FIRST_UID + (uid - FIRST_UID + 1) % SPAN
        ids[name] = uid
        atomic_write_text(table, json.dumps(ids, indent=1, sort_keys=True) + "\n")
        return uid
