"""``course hub --prestart``: every student's server ready before the class logs in.

For each student, a few at a time (starting a server is CPU-bound), the instructor's service
starts the server (``servers!group=students``) and, with a token of that student that opens
their server only (:class:`classroom.hub.client.HubClient`), pulls the course into it
(nbgitpuller's own API, run inside the student's sandbox as the student) and opens a kernel
for lesson 00 (a Jupyter session on that notebook's path). JupyterLab attaches to an existing
session when it opens a notebook, so a student who logs in finds the course pulled and lesson
00's kernel running: the wait from login to the first executed cell is what the cell itself
costs.

Examples
--------
>>> start_session_body("course")["path"]
'course/notebooks/00_start_here.ipynb'
"""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from classroom.hub.client import HubClient, HubError
from classroom.hub.links import START_PATH

__all__ = ["Prestarted", "open_lesson_kernel", "prestart_class", "pull_course",
           "start_session_body"]


@dataclass
class Prestarted:
    """One student's outcome: ready, or the one-line reason it is not."""

    student: str
    problem: str | None = None


def start_session_body(folder: str) -> dict:
    """The ``POST /api/sessions`` body of lesson 00's kernel in ``folder``."""
    path = f"{folder}/{START_PATH}"
    return {"path": path, "name": path.rsplit("/", 1)[-1], "type": "notebook",
            "kernel": {"name": "python3"}}


def pull_course(client: HubClient, name: str, repo: str, folder: str = "course") -> None:
    """Pull ``repo`` into ``folder`` of ``name``'s server with nbgitpuller; ``HubError`` if not."""
    reply = client.server_request(name, "GET", "git-pull/api", stream=True,
                                  params={"repo": repo, "branch": "main", "targetpath": folder})
    phases = [json.loads(line[5:]) for line in reply.iter_lines(decode_unicode=True)
              if line and line.startswith("data:")]
    last = phases[-1] if phases else {}
    if last.get("phase") != "finished":
        detail = str(last.get("message") or last.get("output") or "no answer")
        raise HubError(f"pulling the course for {name} failed: {detail.strip()[:200]}")


def open_lesson_kernel(client: HubClient, name: str, folder: str = "course") -> str:
    """Open lesson 00's session in ``name``'s server, unless one is open; its kernel's id.

    The kernel loads the course's modules as it starts (:mod:`classroom.hub.kernelspec`),
    which takes a second or two after this returns.
    """
    body = start_session_body(folder)
    sessions = client.server_request(name, "GET", "api/sessions").json()
    found = next((s for s in sessions if s.get("path") == body["path"]), None)
    if found is None:
        found = client.server_request(name, "POST", "api/sessions", json=body).json()
    return found["kernel"]["id"]


def _prepare(client: HubClient, name: str, repo: str, folder: str) -> Prestarted:
    try:
        client.start_server(name, wait=300)
        pull_course(client, name, repo, folder)
        open_lesson_kernel(client, name, folder)
    except HubError as exc:
        return Prestarted(name, str(exc))
    return Prestarted(name)


def prestart_class(hub_url: str, token: str, users: list[str], repo: str, *,
                   folder: str = "course", workers: int = 2,
                   say: Callable[[str], None] = print) -> list[Prestarted]:
    """Start, pull and open lesson 00 for every student, ``workers`` at a time.

    ``token`` is the instructor service's. Says one line per student as each becomes ready (or
    not) and returns every outcome; one student's failure never stops the others.
    """
    done: list[Prestarted] = []

    def one(name: str) -> Prestarted:
        with HubClient(hub_url, token, timeout=120, per_student_tokens=True) as client:
            outcome = _prepare(client, name, repo, folder)
        done.append(outcome)
        say(f"prestart: {name} " + ("ready" if outcome.problem is None else
                                    f"not ready: {outcome.problem}") +
            f" ({len(done)} of {len(users)})")
        return outcome

    with ThreadPoolExecutor(max(1, workers)) as pool:
        return list(pool.map(one, users))
