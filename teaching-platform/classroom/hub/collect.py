"""Collect one exercise from every student's server into ``<out>/<student>/<exercise>.ipynb``.

Each notebook is read through the contents API (its exact bytes) and written atomically; the
server's ``last_modified`` becomes the file's modification time, which ``course grade`` records
as the submission time (``time_source`` "file modification time"), and is also written into
the sidecar ``<out>/collected.json``::

    {"written_by": "course collect",
     "submissions": {"<student>/<exercise>.ipynb": {"student": ..., "exercise": ...,
         "last_modified": "2026-12-02T17:00:00+00:00", "collected_at": ..., "sha256": ...,
         "hub": "https://...", "path": "course/exercises/<exercise>.ipynb"}}}

A student whose server is stopped or whose file is missing is reported, never fatal; a file in
``out`` that ``course collect`` did not write is left alone.

Examples
--------
>>> parse_time("2026-12-02T17:00:00.123456Z")
'2026-12-02T17:00:00+00:00'
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from classroom.hub.client import HubClient, HubError, server_ready
from course_lib.files import atomic_write_bytes, atomic_write_text

__all__ = ["SIDECAR", "Collected", "collect_exercise", "parse_time", "read_sidecar"]

SIDECAR = "collected.json"
_TOOL = "course collect"


@dataclass
class Collected:
    """One student's outcome: the file written, or why nothing was."""

    student: str
    file: Path | None = None
    last_modified: str | None = None
    problem: str | None = None


def parse_time(stamp: str) -> str:
    """An ISO 8601 time from the contents API as UTC to the second."""
    when = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC).isoformat(timespec="seconds")


def read_sidecar(out: Path) -> dict:
    """The sidecar's ``submissions`` mapping (empty when there is none yet)."""
    try:
        data = json.loads((Path(out) / SIDECAR).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise HubError(f"{Path(out) / SIDECAR} cannot be read ({exc}); move it away") from exc
    return dict(data.get("submissions") or {}) if data.get("written_by") == _TOOL else {}


def _safe_name(name: str) -> bool:
    return bool(name) and "/" not in name and "\\" not in name and not name.startswith(".")


def _fetch(client: HubClient, user: dict, path: str) -> tuple[str, str]:
    if not server_ready(user):
        raise HubError("server stopped (the student must start it, or start it from the hub's "
                       "admin page)")
    try:
        return client.read_file(user["name"], path)
    except HubError as exc:
        if exc.status == 404:
            raise HubError(f"file missing: {path}", 404) from exc
        if exc.status == 403:
            raise HubError("the token may not reach this server (scope access:servers)",
                           403) from exc
        raise


def _collect_one(client: HubClient, user: dict, exercise: str, path: str, out: Path,
                 record: dict) -> Collected:
    student = user["name"]
    if not _safe_name(student):
        return Collected(student, problem="user name cannot be a folder name; skipped")
    rel = f"{student}/{exercise}.ipynb"
    target = out / rel
    if target.exists() and rel not in record:
        return Collected(student, problem=f"{target} exists and was not written by course "
                                          "collect; left as it is")
    try:
        text, modified = _fetch(client, user, path)
    except HubError as exc:
        return Collected(student, problem=str(exc))
    data = text.encode("utf-8")
    stamp = parse_time(modified)
    atomic_write_bytes(target, data)
    seconds = dt.datetime.fromisoformat(stamp).timestamp()
    os.utime(target, (seconds, seconds))
    record[rel] = {"student": student, "exercise": exercise, "last_modified": stamp,
                   "collected_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                   "sha256": hashlib.sha256(data).hexdigest(), "hub": client.base,
                   "path": path}
    return Collected(student, file=target, last_modified=stamp)


def collect_exercise(client: HubClient, exercise: str, out: str | Path, *,
                     course_dir: str = "course", students: list[str] | None = None
                     ) -> list[Collected]:
    """Collect ``exercise`` from each student's server (see the module docstring).

    Parameters
    ----------
    client : HubClient
        A client whose token holds the scopes listed in the README.
    exercise : str
        The exercise notebook's name without ``.ipynb``, e.g. ``03_measuring_threat_exercises``.
    out : path
        The submissions folder (``course grade out`` reads it).
    course_dir : str
        Where nbgitpuller put the course in each home folder (the link's ``targetpath``).
    students : list of str, optional
        Only these users; default every user who is not a hub admin.

    Returns
    -------
    list of Collected
        One entry per student, in name order.
    """
    if not exercise or "/" in exercise or exercise.endswith(".ipynb"):
        raise ValueError(f"exercise must be a notebook name without .ipynb, got {exercise!r}")
    out = Path(out)
    record = read_sidecar(out)
    users = sorted(client.users(), key=lambda u: u["name"])
    if students is not None:
        wanted = set(students)
        users = [u for u in users if u["name"] in wanted]
    else:
        users = [u for u in users if not u.get("admin") and u.get("kind", "user") == "user"]
    path = f"{course_dir.strip('/')}/exercises/{exercise}.ipynb"
    results = []
    for user in users:
        results.append(_collect_one(client, user, exercise, path, out, record))
        sidecar = {"written_by": _TOOL, "submissions": dict(sorted(record.items()))}
        atomic_write_text(out / SIDECAR, json.dumps(sidecar, indent=1) + "\n")
    return results
