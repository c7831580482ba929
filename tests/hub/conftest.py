"""One real hub for the loopback tests: ``course hub`` as it ships, three students, sandbox on.

A real JupyterHub with a real configurable-http-proxy and real single-user servers, all on
127.0.0.1 on free ports, started by :func:`classroom.hub.launcher.start_seminar_hub` (release,
login codes, sandboxed spawner) in a session of its own and stopped by its process group once
every hub test has run. Under ``CI=true`` a missing prerequisite (the proxy, a working bwrap)
fails the tests instead of skipping them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from classroom.hub.launcher import SeminarHub, start_seminar_hub
from classroom.hub.process import find_proxy, stop_hub
from classroom.hub.sandbox import StudentLimits, why_no_sandbox

sys.path.insert(0, str(Path(__file__).parent))

ROOT = Path(__file__).resolve().parents[2]
STUDENTS = ("ann", "bob", "cy", "dee")
#: Seconds a locked login name waits in the test hub (60 in a real one).
LOCK_SECONDS = 3
#: Per-student limits of the test hub: half the default memory, to keep the limit tests light.
LIMITS = StudentLimits(memory_mb=1024)


def need(problem: str | None) -> None:
    """Fail under CI=true, else skip, when a prerequisite of a hub test is missing."""
    if problem is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"prerequisite missing under CI: {problem}")
    pytest.skip(problem)


def proxy_problem() -> str | None:
    try:
        find_proxy(ROOT)
    except Exception as exc:  # noqa: BLE001 - reported as the reason
        return str(exc)
    return None


@pytest.fixture(scope="session")
def class_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeminarHub]:
    """``course hub --users ann,bob,cy`` on loopback, shared by the hub tests."""
    need(proxy_problem())
    need(why_no_sandbox())
    work = tmp_path_factory.mktemp("class-hub")
    hub = start_seminar_hub(ROOT, work, list(STUDENTS), lock_seconds=LOCK_SECONDS,
                            limits=LIMITS)
    try:
        yield hub
    finally:
        stop_hub(hub.running)
