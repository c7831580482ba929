"""Install the course's extension and setting defaults into an environment (hub images).

A single-user server started by JupyterHub runs ``jupyterhub-singleuser``, not ``course lab``,
so it does not get :func:`classroom.labextension.lab_arguments`. For a hub's own environment
(the Kubernetes image, the single server's virtual environment) :func:`install` puts the two
pieces where every JupyterLab of that environment finds them:

- the prebuilt extension in ``{prefix}/share/jupyter/labextensions/course-lib-widget-keys``
  (JupyterLab's folder for prebuilt extensions);
- the course's setting defaults (:data:`classroom.labextension.settings.COURSE_OVERRIDES`) in
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
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

from classroom.errors import CourseError
from classroom.labextension import EXTENSION_DIR, EXTENSION_NAME
from classroom.labextension.settings import COURSE_OVERRIDES
from course_lib.files import atomic_write_text

__all__ = ["OVERRIDES_NAME", "extension_target", "install", "overrides_target"]

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


def _copy_extension(target: Path) -> None:
    """Copy the extension next to ``target``, then swap it in (never a half-copied folder).

    An interruption between the two renames puts the old copy back, so the environment always
    has a whole extension.
    """
    if target.exists() and not _is_course_extension(target):
        raise CourseError(f"{target} exists and is not the course's extension; not replaced")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{EXTENSION_NAME}-", dir=target.parent))
    old = staging / "old"
    try:
        shutil.copytree(EXTENSION_DIR, staging / EXTENSION_NAME)
        if target.exists():
            target.rename(old)
        (staging / EXTENSION_NAME).rename(target)
    finally:
        if old.exists() and not target.exists():
            old.rename(target)
        shutil.rmtree(staging, ignore_errors=True)


def install(prefix: Path = Path(sys.prefix)) -> list[Path]:
    """Install the extension and the setting defaults into the environment at ``prefix``.

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
    extension, overrides = extension_target(prefix), overrides_target(prefix)
    if overrides.exists() and not _is_course_overrides(overrides):
        raise CourseError(f"{overrides} exists and is not the course's; not replaced")
    _copy_extension(extension)
    overrides.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(overrides, json.dumps(COURSE_OVERRIDES, indent=2) + "\n")
    return [extension, overrides]

