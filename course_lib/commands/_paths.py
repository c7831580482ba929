"""Where the course lives: the repository root of a development install.

Examples
--------
>>> (repo_root() / "course_lib").is_dir()
True
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["repo_root"]


def repo_root() -> Path:
    """The folder holding ``course_lib/`` (the repository root in a development install).

    Examples
    --------
    >>> (repo_root() / "course_lib").is_dir()
    True
    """
    return Path(__file__).resolve().parents[2]
