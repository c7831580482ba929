"""Marking with the keyboard alone in a real JupyterLab (issue 10, item 1: keyboard-driven).

`course mark DIR --print-only` writes the marking notebook; JupyterLab (started as `course mark`
starts it, with the course's extension) serves the grading folder; Chromium runs the cell, and
from then on only keys are pressed: initials, Tab to "Start marking", Enter, Tab through the four
rubric drop-downs (arrow keys choose a score), the comment box and the buttons, Space on "Next
unmarked". The gradebook must then hold the mark, its rubric lines and the comment.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import sqlite3
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from classroom import cli
from tests.browser.lab_driver import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    LabServer,
    run_all_cells,
    wait_for_kernel_idle,
)
from tests.grading.submissions_kit import SOLUTIONS

pytestmark = [pytest.mark.browser, pytest.mark.kernel]

TIMEOUT_MS = 90_000




def _marks(folder: Path) -> list[tuple]:
    with sqlite3.connect(folder / "gradebook.sqlite") as conn:
        return conn.execute("SELECT points, comment, marker, rubric_json FROM manual_marks "
                            "ORDER BY id").fetchall()


def _focused(page) -> str:
    return page.evaluate("() => { const e = document.activeElement; return e.tagName + ':' + "
                         "(e.textContent || e.value || '').trim().slice(0, 30); }")


def _press(page, key: str, times: int = 1) -> None:
    for _ in range(times):
        page.keyboard.press(key)


def _mark_with_keys(chromium: Path, url: str) -> None:
    """Drive the marking notebook with keys only (Playwright's sync API, own thread)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium),
                                             args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(url, wait_until="domcontentloaded")
        page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=TIMEOUT_MS)
        wait_for_kernel_idle(page, TIMEOUT_MS)
        run_all_cells(page, TIMEOUT_MS)
        initials = page.locator(".widget-text input")
        initials.wait_for(timeout=TIMEOUT_MS)
        initials.focus()
        page.keyboard.type("KB", delay=150)  # as a person types; each key is synced
        _press(page, "Tab")
        assert _focused(page) == "BUTTON:Start marking"
        _press(page, "Enter")
        selects = page.locator(".widget-dropdown select")
        expect(selects.first).to_be_enabled(timeout=TIMEOUT_MS)
        for downs in (2, 3, 2, 1):  # options: not scored, 0, 1, (2): scores 1, 2, 1, 0
            _press(page, "Tab")
            assert _focused(page).startswith("SELECT"), _focused(page)
            _press(page, "ArrowDown", downs)
        expect(page.locator(".widget-label", has_text="Total:")).to_have_text(
            "Total: 4/6", timeout=10_000)
        _press(page, "Tab")
        assert _focused(page).startswith("TEXTAREA")
        page.keyboard.type("Name the ally.")
        _press(page, "Tab", 3)  # leaving the box saves the comment; Previous, Next
        assert _focused(page) == "BUTTON:Next unmarked"
        _press(page, "Space")
        expect(page.get_by_text("1/4 marked", exact=True)).to_be_visible(timeout=10_000)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.locator(".course-marking").screenshot(path=ARTIFACTS / "marking_widget.png")
        browser.close()


def test_a_marker_marks_an_answer_with_the_keyboard_alone(graded, tmp_path, require_or_skip):
    require_or_skip(CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK),
                    f"{CHROMIUM} not found (Debian package 'chromium'; tools/ensure_chromium.sh)")
    chromium = CHROMIUM
    assert cli.main(["mark", str(graded), "--print-only", "--solutions", str(SOLUTIONS)]) == 0
    server = LabServer(root_dir=graded, base=tmp_path / "home")
    server.base.mkdir()
    server.start()
    try:
        # a session fixture of the other browser tests may keep an asyncio loop running in
        # this thread, where Playwright's sync API refuses to start: drive it from a worker
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            pool.submit(_mark_with_keys, chromium, server.lesson_url("marking.ipynb")).result()
    finally:
        server.shutdown_sessions()
        server.stop()
    points, comment, marker, rubric = _marks(graded)[-1]
    assert (points, comment, marker) == (4.0, "Name the ally.", "KB")
    assert [line["points"] for line in json.loads(rubric)] == [1.0, 2.0, 1.0, 0.0]
