"""A user id of their own for every student, when the hub runs as root.

The ids are numbers only (no line in ``/etc/passwd``, nothing added to the machine's accounts),
taken from :data:`FIRST_UID` up, skipping any id the machine already knows, and kept in the
hub's folder (``uids.json``) so a student keeps their id, and so their files, across restarts.
Two students never share an id; one lock serialises the hub's concurrent spawns.

Examples
--------
>>> import tempfile
>>> table = Path(tempfile.mkdtemp()) / "uids.json"
>>> a, b = student_uid(table, "ann"), student_uid(table, "bob")
>>> FIRST_UID <= a < b <= LAST_UID, student_uid(table, "ann") == a
(True, True)
"""

from __future__ import annotations

import json
import pwd
import threading
from pathlib import Path

from classroom.errors import CourseError
from course_lib.files import atomic_write_text

__all__ = ["FIRST_UID", "LAST_UID", "student_uid"]

#: The range students' ids come from: above the ids Debian gives people (1000-59999) and
#: below ``nobody`` (65534).
FIRST_UID = 61000
LAST_UID = 65000
_LOCK = threading.Lock()


def _known_to_machine(uid: int) -> bool:
    try:
        pwd.getpwuid(uid)
    except KeyError:
        return False
    return True


def student_uid(table: Path, name: str) -> int:
    """The user id of ``name``, allocated on first use and kept in ``table``.

    Raises
    ------
    CourseError
        When the range is used up, or ``table`` is not a table of ids.
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
        taken = set(ids.values())
        for uid in range(FIRST_UID, LAST_UID + 1):
            if uid not in taken and not _known_to_machine(uid):
                ids[name] = uid
                atomic_write_text(table, json.dumps(ids, indent=1, sort_keys=True) + "\n")
                return uid
    raise CourseError(f"no free user id left in {FIRST_UID}-{LAST_UID} for {name}")
