"""Test set-up shared by every test folder (pytest reads this file first).

Two rules live here, once:

* **A missing prerequisite** (Chromium, axe-core, bubblewrap, configurable-http-proxy): the
  test is skipped with the reason on a developer's machine, and fails under ``CI=true``, where a
  skip would hide a gap. Tests ask for it through the :func:`require_or_skip` fixture.
* **External reference data** (the course authors' compiled facts and the publishers' raw
  files, never part of the repository): checks against it run only where the variable
  ``COURSE_REFERENCE_DATA`` names its folder, and are skipped with that reason everywhere else,
  CI included, so a clone with nothing beside it passes. A named folder that does not exist is
  a failure. Tests ask for it through the :func:`reference_data` fixture.

* **Scripts run by path** are not collected for doctests: the kernel parent
  (``classroom/grading/_kernel_parent.py``) imports its sibling ``_kernel_isolation`` by
  that plain name, as a script run from its folder does, and never as part of the package.

The test folders are packages (``tests/...``), so their helper modules are imported by their
full names (``from tests.grading.submissions_kit import ...``) and no test edits ``sys.path``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

#: Files pytest does not import for doctests (see the module docstring).
collect_ignore = ["teaching-platform/classroom/grading/_kernel_parent.py"]
#: The variable that names the folder of external reference data.
REFERENCE_VARIABLE = "COURSE_REFERENCE_DATA"


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def _require_or_skip(available: bool, reason: str) -> None:
    if available:
        return
    if _in_ci():
        pytest.fail(f"{reason} [CI=true: a missing prerequisite is a failure, not a skip]")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def require_or_skip() -> Callable[[bool, str], None]:
    """``require_or_skip(available, reason)``: go on, skip with ``reason``, or fail under CI.

    Examples
    --------
    ``require_or_skip(shutil.which("bwrap") is not None, "bubblewrap is not installed")``
    """
    return _require_or_skip


@pytest.fixture(scope="session")
def reference_data() -> Path:
    """The folder named by ``COURSE_REFERENCE_DATA``; skip (even on CI) when it is not set.

    A folder that is named but missing fails the test: the run asked for the checks.
    """
    named = os.environ.get(REFERENCE_VARIABLE, "").strip()
    if not named:
        pytest.skip(f"check against external reference data: set {REFERENCE_VARIABLE} to its "
                    "folder to run it")
    folder = Path(named)
    if not folder.is_dir():
        pytest.fail(f"{REFERENCE_VARIABLE}={named} is not a folder")
    return folder
