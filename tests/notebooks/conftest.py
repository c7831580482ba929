"""Fixtures for the notebook-model tests: a throw-away copy of the repository.

The data-loss tests run destructive commands (``--overwrite``, ``--exercises solutions``);
they always work on a copy, never on the real repository, so that a regression fails the test
instead of deleting the instructor's sources.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", "*.egg-info",
                               "build")


@pytest.fixture
def fake_repo(tmp_path: Path) -> Path:
    """A course copy: both packages, solutions/, one lesson, course.toml, the environment files."""
    repo = tmp_path / "repo"
    repo.mkdir()
    for package in ("course_lib", "teaching-platform"):
        shutil.copytree(ROOT / package, repo / package, ignore=_SKIP)
    shutil.copytree(ROOT / "solutions", repo / "solutions", ignore=_SKIP)
    (repo / "notebooks").mkdir()
    shutil.copy(ROOT / "notebooks" / "00_start_here.ipynb", repo / "notebooks")
    for name in ("course.toml", "pyproject.toml", "environment.yml"):
        shutil.copy(ROOT / name, repo / name)
    return repo


@pytest.fixture
def umask_022() -> Iterator[int]:
    """Run under umask 022 (the usual shared-hub setting); restore the old one afterwards."""
    old = os.umask(0o022)
    try:
        yield 0o022
    finally:
        os.umask(old)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def snapshot() -> Callable[[Path], dict[str, bytes]]:
    """``snapshot(folder)``: every file under it with its bytes (to prove nothing changed)."""
    return _snapshot
