"""One real hub for the loopback tests: ``course hub`` as it ships, three students, sandbox on.

A real JupyterHub with a real configurable-http-proxy and real single-user servers, all on
127.0.0.1 on free ports, started by :func:`classroom.hub.launcher.start_seminar_hub` (release,
login codes, sandboxed spawner) in a session of its own and stopped by its process group once
every hub test has run. A missing prerequisite (the proxy, a working bwrap) skips the tests,
or fails them under ``CI=true`` (``require_or_skip``, the repository's ``conftest.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from classroom.hub.client import HubClient
from classroom.hub.launcher import SeminarHub, start_seminar_hub
from classroom.hub.process import stop_hub
from classroom.hub.sandbox import why_no_sandbox
from tests.hub.hub_kit import LIMITS, LOCK_SECONDS, ROOT, STUDENTS, proxy_problem


@pytest.fixture(scope="session")
def proxy(require_or_skip) -> None:
    """configurable-http-proxy is installed (``tools/ensure_node_packages.sh``)."""
    problem = proxy_problem()
    require_or_skip(problem is None, problem or "")


@pytest.fixture(scope="session")
def class_hub(tmp_path_factory: pytest.TempPathFactory, proxy: None,
              require_or_skip) -> Iterator[SeminarHub]:
    """``course hub --users ann,bob,cy`` on loopback, shared by the hub tests."""
    problem = why_no_sandbox()
    require_or_skip(problem is None, problem or "")
    work = tmp_path_factory.mktemp("class-hub")
    hub = start_seminar_hub(ROOT, work, list(STUDENTS), lock_seconds=LOCK_SECONDS,
                            limits=LIMITS)
    try:
        yield hub
    finally:
        stop_hub(hub.running)


@pytest.fixture
def connect() -> Iterator[Callable[..., HubClient]]:
    """Make hub clients that are closed (and their minted tokens deleted) after the test."""
    made: list[HubClient] = []

    def make(url: str, token: str, **kwargs: object) -> HubClient:
        made.append(HubClient(url, token, **kwargs))
        return made[-1]

    yield make
    for client in made:
        client.close()
