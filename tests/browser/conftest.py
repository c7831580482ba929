"""Fixtures for the real-browser tests: one JupyterLab server, one Chromium, one page per lesson.

* ``chromium_executable``: ``/usr/bin/chromium`` (Debian package ``chromium``, installed by
  ``tools/ensure_chromium.sh``). Missing: the tests skip, or fail when ``CI=true``.

* ``lab_server``: JupyterLab on 127.0.0.1, a free port, a random token, rooted as ``course lab``
  roots it (the course root: a temporary copy of ``notebooks/`` and ``exercises/`` side by side;
  the harness fixture lessons go into ``_harness_fixture/``), loading the course's extension,
  with private config/runtime/data/IPython/settings/workspaces folders, so a test run never
  modifies a committed notebook or the user's Jupyter set-up.
* ``browser``: Playwright's sync API driving the system Chromium (never ``playwright install``).
* ``lab_page``: a fresh 1366x768 page whose uncaught page errors are collected in
  ``page.page_errors``.

The server and the browser live as long as the tests of this folder (package scope): when the
last browser test has run, JupyterLab is stopped and Playwright's event loop is closed, so no
later test (grading, hub) runs beside their processes or inside their running event loop.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.lab_driver import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    FIXTURE_LESSONS,
    FIXTURE_SUBDIR,
    NOTEBOOKS,
    REPO_ROOT,
    TIMINGS,
    VIEWPORT,
    LabServer,
)

#: What ``course lab`` serves from the course root and the tests copy: lessons and exercises.
COURSE_FOLDERS = (NOTEBOOKS, REPO_ROOT / "exercises")
#: The window of issue 12's layout checks (a common laptop screen).


@pytest.fixture(scope="session")
def chromium_executable(require_or_skip) -> Path:
    """Path of Debian's Chromium; skip (or fail under CI=true) when it is not installed."""
    require_or_skip(CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK),
                    f"{CHROMIUM} not found: the browser tests need the Debian package 'chromium' "
                    "(run `bash tools/ensure_chromium.sh` as root, or `apt-get install chromium`)")
    return CHROMIUM


@pytest.fixture(scope="package")
def lab_server(chromium_executable, tmp_path_factory) -> Iterator[LabServer]:
    """A private JupyterLab server over a temporary copy of the lessons (stopped at the end)."""
    base = tmp_path_factory.mktemp("jupyterlab")
    root = base / "root"
    root.mkdir()
    for folder in COURSE_FOLDERS:
        if folder.is_dir():
            shutil.copytree(folder, root / folder.name,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copytree(
        FIXTURE_LESSONS, root / FIXTURE_SUBDIR, ignore=shutil.ignore_patterns(".ipynb_checkpoints")
    )
    server = LabServer(root_dir=root, base=base / "home")
    server.base.mkdir()
    server.start()
    TIMINGS["server start (s)"] = server.startup_seconds
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="package")
def browser(chromium_executable):
    """One headless Chromium for the whole session (Playwright's sync API, system browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=str(chromium_executable), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def lab_page(browser, lab_server):
    """A fresh 1366x768 browser context and page; page errors go to ``page.page_errors``.

    Afterwards the page is closed and the lesson's kernel is shut down through the REST API.
    """
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.page_errors = []
    page.on("pageerror", lambda error: page.page_errors.append(str(error)))
    try:
        yield page
    finally:
        context.close()
        lab_server.shutdown_sessions()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """``test-artifacts/browser/`` in the repository (gitignored), for screenshots."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Print the measured timings (server start, each lesson) after a run with browser tests."""
    if TIMINGS:
        terminalreporter.section("browser timings")
        for name, seconds in TIMINGS.items():
            if seconds is not None:
                terminalreporter.write_line(f"{name}: {seconds:.1f}")
