"""The course: its root folder and its one configuration, ``course.toml``.

A course is a folder holding ``course.toml`` with a ``[course]`` table, the way nbgrader's
``CourseDirectory`` anchors everything on one root. Every command finds it with
:meth:`Course.find` (the ``COURSE_ROOT`` variable when set, else the current folder or the
nearest folder above it), so nothing depends on where the Python packages are installed.
The same file may hold the grading settings (due dates, late penalty, extensions; see
:mod:`classroom.gradebook.deadlines`).

Examples
--------
>>> import tempfile
>>> root = Path(tempfile.mkdtemp())
>>> _ = (root / "course.toml").write_text('[course]\\ntitle = "A course"\\n')
>>> (root / "notebooks").mkdir()
>>> course = Course.find(root / "notebooks", environ={})
>>> course.root == root.resolve(), course.title, course.solutions.name
(True, 'A course', 'solutions')
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from classroom.errors import CourseError

__all__ = ["COURSE_FILE", "ROOT_VARIABLE", "Course"]

#: The file that marks a course root and holds its configuration.
COURSE_FILE = "course.toml"
#: The environment variable naming the course root explicitly.
ROOT_VARIABLE = "COURSE_ROOT"


@dataclass(frozen=True)
class Course:
    """A course root and its parsed ``course.toml``.

    Attributes
    ----------
    root : Path
        The folder holding ``course.toml``.
    config : Mapping
        The whole parsed ``course.toml``.
    """

    root: Path
    config: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def at(cls, root: str | Path) -> Course:
        """The course whose ``course.toml`` is in ``root`` (``CourseError`` if it is not one).

        Examples
        --------
        >>> import tempfile
        >>> Course.at(tempfile.mkdtemp())  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        classroom.errors.CourseError: ... is not a course folder: it has no course.toml ...
        """
        root = Path(root).resolve()
        path = root / COURSE_FILE
        if not path.is_file():
            raise CourseError(f"{root} is not a course folder: it has no {COURSE_FILE} with a "
                              "[course] table")
        try:
            config = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise CourseError(f"{path} cannot be read: {exc}") from None
        except tomllib.TOMLDecodeError as exc:
            raise CourseError(f"{path} is not valid TOML: {exc}") from None
        if not isinstance(config.get("course"), dict):
            raise CourseError(f"{root} is not a course folder: its {COURSE_FILE} has no "
                              "[course] table")
        return cls(root=root, config=config)

    @classmethod
    def find(cls, start: str | Path | None = None, *,
             environ: Mapping[str, str] | None = None) -> Course:
        """The course named by ``COURSE_ROOT``, else the nearest course at or above ``start``.

        Parameters
        ----------
        start : path, optional
            Where to start looking (default: the current folder).
        environ : mapping, optional
            The environment to read ``COURSE_ROOT`` from (default: ``os.environ``).

        Raises
        ------
        CourseError
            When no course is found (one line saying where it looked and what to do).
        """
        env = os.environ if environ is None else environ
        if env.get(ROOT_VARIABLE):
            return cls.at(env[ROOT_VARIABLE])
        here = Path.cwd() if start is None else Path(start)
        here = here.resolve()
        for folder in (here, *here.parents):
            if _is_course_root(folder):
                return cls.at(folder)
        raise CourseError(f"no course found: neither {here} nor a folder above it holds "
                          f"{COURSE_FILE} with a [course] table; run the command inside the "
                          f"course folder or set {ROOT_VARIABLE}")

    @property
    def title(self) -> str:
        """The course title (``[course] title``), or the folder name."""
        return str(self.config.get("course", {}).get("title", self.root.name))

    @property
    def notebooks(self) -> Path:
        """The lessons folder."""
        return self.root / "notebooks"

    @property
    def solutions(self) -> Path:
        """The instructor source of the exercises."""
        return self.root / "solutions"

    @property
    def exercises(self) -> Path:
        """The generated student exercises."""
        return self.root / "exercises"

    @property
    def instructor(self) -> Path:
        """The facilitator guides."""
        return self.root / "instructor"

    @property
    def cache(self) -> Path:
        """The course's own download and build cache (never inside an installed package)."""
        return self.root / ".cache"

    @property
    def build(self) -> Path:
        """Where built artefacts (slide decks) go."""
        return self.root / "_build"


def _is_course_root(folder: Path) -> bool:
    """Whether ``folder`` holds a ``course.toml`` (checked in full by :meth:`Course.at`)."""
    return (folder / COURSE_FILE).is_file()
