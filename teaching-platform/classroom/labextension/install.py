"""Put the course's extension and setting defaults into an environment: a copy, or links.

``pip install`` of the ``classroom`` wheel already does this (the files travel as the wheel's
shared data). Two cases remain, for which this module writes the same two places:

- :func:`develop`: an editable install (``make lab``, ``make test``) carries no shared data, so
  the two places become symbolic links to the checkout (as JupyterLab's own ``develop`` step
  does for an extension under development): a rebuilt extension is seen at once;
- :func:`install`: a copy into another environment (a prefix given on the command line).

The two places, where every JupyterLab of the environment finds them:

- the prebuilt extension in ``{prefix}/share/jupyter/labextensions/course-lib-widget-keys``
  (JupyterLab's folder for prebuilt extensions);
- the course's setting defaults (:data:`classroom.labextension.SETTINGS_FILE`) in
  ``{prefix}/share/jupyter/lab/settings/overrides.d/course-lib.json``: JupyterLab merges every
  file of ``overrides.d`` under the administrator's own ``overrides.json``, which is left alone.

Only those two paths are written. An existing one is replaced only when it is the course's
(a ``package.json`` named ``course-lib-widget-keys``; a JSON file holding no other plugin than
the course's); anything else there is refused with a :class:`classroom.errors.CourseError`.

Examples
--------
>>> import json, tempfile
>>> prefix = Path(tempfile.mkdtemp())
>>> written = install(prefix)
>>> [str(p.relative_to(prefix)) for p in written]
['share/jupyter/labextensions/course-lib-widget-keys', \
'share/jupyter/lab/settings/overrides.d/course-lib.json']
>>> json.loads(written[1].read_text())["@jupyter-widgets/jupyterlab-manager:plugin"]
{'saveState': True}
>>> install(prefix) == written  # again: replaces its own files
True
>>> linked = develop(prefix)  # a copy of its own becomes a link to the checkout
>>> linked == written, all(p.is_symlink() for p in linked)
(True, True)
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from classroom.errors import CourseError
from classroom.labextension import EXTENSION_DIR, EXTENSION_NAME, SETTINGS_FILE
from classroom.labextension.settings import COURSE_OVERRIDES
from course_lib.files import atomic_write_bytes

__all__ = ["OVERRIDES_NAME", "develop", "extension_target", "install", "overrides_target"]

#: The course's file in JupyterLab's ``overrides.d`` folder.
OVERRIDES_NAME = "course-lib.json"


def extension_target(prefix: Path) -> Path:
    """Where JupyterLab of the environment at ``prefix`` finds the prebuilt extension."""
    return Path(prefix) / "share" / "jupyter" / "labextensions" / EXTENSION_NAME


def overrides_target(prefix: Path) -> Path:
    """The course's setting defaults file for the environment at ``prefix``."""
    return Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.d" / OVERRIDES_NAME


def _is_course_extension(folder: Path) -> bool:
    try:
        return json.loads((folder / "package.json").read_text())["name"] == EXTENSION_NAME
    except (OSError, ValueError, KeyError, TypeError):
        return False


def _is_course_overrides(path: Path) -> bool:
    try:
        plugins = json.loads(path.read_text())
    except (OSError, ValueError):
        return False
    return isinstance(plugins, dict) and set(plugins) <= set(COURSE_OVERRIDES)


def _swap_in(target: Path, place: Callable[[Path], None]) -> None:
    """Make the new entry with ``place(path)`` next to ``target``, then swap it in.

    Never a half-copied folder: an interruption between the two renames puts the old entry
    back, so the environment always has a whole extension.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{EXTENSION_NAME}-", dir=target.parent))
    old = staging / "old"
    try:
        place(staging / target.name)
        if os.path.lexists(target):
            target.rename(old)
        (staging / target.name).rename(target)
    finally:
        if os.path.lexists(old) and not os.path.lexists(target):
            old.rename(target)
        shutil.rmtree(staging, ignore_errors=True)


def _check_targets(prefix: Path) -> tuple[Path, Path]:
    """The two places, after making sure that whatever is there is the course's."""
    extension, overrides = extension_target(prefix), overrides_target(prefix)
    if os.path.lexists(overrides) and not _is_course_overrides(overrides):
        raise CourseError(f"{overrides} exists and is not the course's; not replaced")
    if os.path.lexists(extension) and not _is_course_extension(extension):
        raise CourseError(f"{extension} exists and is not the course's extension; not replaced")
    return extension, overrides


def install(prefix: Path = Path(sys.prefix)) -> list[Path]:
    """Copy the extension and the setting defaults into the environment at ``prefix``.

    Parameters
    ----------
    prefix : path
        The environment's root (default: the running interpreter's ``sys.prefix``).

    Returns
    -------
    list of Path
        The extension folder and the overrides file, as written.

    Raises
    ------
    CourseError
        When either path holds something that is not the course's.
    """
    extension, overrides = _check_targets(prefix)
    _swap_in(extension, lambda path: shutil.copytree(EXTENSION_DIR, path))
    atomic_write_bytes(overrides, SETTINGS_FILE.read_bytes())
    return [extension, overrides]


def develop(prefix: Path = Path(sys.prefix)) -> list[Path]:
    """Link the two places of the environment at ``prefix`` to this checkout's files.

    What an editable install needs (it carries no shared data): JupyterLab then loads the
    extension and the setting defaults straight from the source folder. Returns the two links;
    raises :class:`classroom.errors.CourseError` like :func:`install`.
    """
    extension, overrides = _check_targets(prefix)
    _swap_in(extension, lambda path: path.symlink_to(EXTENSION_DIR, target_is_directory=True))
    _swap_in(overrides, lambda path: path.symlink_to(SETTINGS_FILE))
    return [extension, overrides]
