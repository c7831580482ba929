"""What the hub tests share besides fixtures: the class, its limits, the proxy check."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from classroom.hub.client import HubClient
from classroom.hub.process import find_proxy
from classroom.hub.sandbox import StudentLimits

ROOT = Path(__file__).resolve().parents[2]
STUDENTS = ("ann", "bob", "cy", "dee")
#: Seconds a locked login name waits in the test hub (60 in a real one).
LOCK_SECONDS = 3
#: The ``connect`` fixture: makes a hub client that is closed after the test.
Connect = Callable[..., HubClient]
#: Per-student limits of the test hub: half the default memory, to keep the limit tests light.
LIMITS = StudentLimits(memory_mb=1024)


def proxy_problem() -> str | None:
    """Why configurable-http-proxy cannot be used here, or ``None`` when it can."""
    try:
        find_proxy(ROOT)
    except Exception as exc:  # noqa: BLE001 - reported as the reason
        return str(exc)
    return None
