"""Module size: no module of either package over 400 lines.

Who may import whom, and the absence of import cycles, are import-linter contracts
(``[tool.importlinter]`` in ``pyproject.toml``, run by ``lint-imports`` in ``make test``); imports
at the top of a module and short functions are ruff rules (``PLC0415``, ``PLR0915``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = (ROOT / "course_lib", ROOT / "teaching-platform" / "classroom")
MAX_MODULE_LINES = 400
MODULES = sorted(p for package in PACKAGES for p in package.rglob("*.py"))


def test_both_packages_are_walked() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in MODULES}
    assert "course_lib/datasets/loaders.py" in names
    assert "teaching-platform/classroom/cli.py" in names


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_module_size(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_MODULE_LINES, (
        f"{path.relative_to(ROOT)} has {lines} lines (at most {MAX_MODULE_LINES}): split it by job")
