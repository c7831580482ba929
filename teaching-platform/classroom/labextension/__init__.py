"""The course's prebuilt JupyterLab extension ``course-lib-widget-keys`` and its settings.

JupyterLab's notebook shortcuts take the arrow and letter keys from a focused widget control
(a drop-down, a radio button, a toggle) and move to another cell. Lumino, JupyterLab's toolkit,
skips its shortcuts for a key press whose target sits inside an element carrying the attribute
``data-lm-suppress-shortcuts``; the extension sets that attribute on a focused control inside
``.jupyter-widgets`` for one key press (not with Ctrl, Alt or Meta, nor for Shift+Enter), and gives
every slider handle an accessible name (its widget's description). The source is
``src/widget-keys.js``; :func:`build` copies it to ``course-lib-widget-keys/static/`` under a
content-hashed name (JupyterLab serves extension files as immutable) and writes the
``package.json`` that tells JupyterLab where it is, the ``install.json`` that names the Python
package it came with, and ``lab-settings/course-lib.json``, the course's setting defaults
(:data:`classroom.labextension.settings.COURSE_OVERRIDES`: widget state saved with the notebook).

It installs like every prebuilt extension: the ``classroom`` wheel carries those files as shared
data (``[tool.setuptools.data-files]`` in ``teaching-platform/pyproject.toml``), so ``pip
install`` puts them into ``{prefix}/share/jupyter/labextensions/course-lib-widget-keys`` and
``{prefix}/share/jupyter/lab/settings/overrides.d/``, where every JupyterLab of that environment
finds them (``course lab``, a plain ``jupyter lab``, Binder, a hub's single-user server). An
editable install carries no shared data; ``python -m classroom.labextension --develop`` then links
the same two places to this folder (:mod:`classroom.labextension.install`), as JupyterLab's own
``develop`` step does, and ``make lab`` and ``make test`` run it.

Examples
--------
>>> (EXTENSION_DIR / "package.json").is_file(), SETTINGS_FILE.is_file()
(True, True)
>>> build(check=True)  # the committed files match the source and the settings
[]
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from classroom.labextension.settings import COURSE_OVERRIDES
from course_lib.files import atomic_write_text

__all__ = ["EXTENSION_NAME", "EXTENSION_DIR", "SETTINGS_FILE", "build"]

#: The extension's package name (JupyterLab's ``window._JUPYTERLAB`` key).
EXTENSION_NAME = "course-lib-widget-keys"
HERE = Path(__file__).resolve().parent
#: The extension itself (``package.json``, ``install.json``, ``static/``).
EXTENSION_DIR = HERE / EXTENSION_NAME
#: The course's setting defaults, as JupyterLab reads them from ``settings/overrides.d/``.
SETTINGS_FILE = HERE / "lab-settings" / "course-lib.json"
SOURCE = HERE / "src" / "widget-keys.js"
VERSION = "0.1.0"
#: What JupyterLab's extension manager shows about where the extension came from.
INSTALL_INFO = {
    "packageManager": "python",
    "packageName": "classroom",
    "uninstallInstructions": "Use your Python package manager (pip, conda, ...) to uninstall "
                             "the package classroom",
}


def _remote_entry_name(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]
    return f"remoteEntry.{digest}.js"


def _package_json(entry_name: str) -> str:
    package = {
        "name": EXTENSION_NAME,
        "version": VERSION,
        "description": "Keeps keys with focused widget controls; names slider handles.",
        "license": "MIT",
        "jupyterlab": {"extension": True, "_build": {"load": f"static/{entry_name}",
                                                      "extension": "./extension"}},
    }
    return json.dumps(package, indent=2) + "\n"


def build(check: bool = False) -> list[str]:
    """Write (or, with ``check``, compare) the extension's files; returns what differs.

    Only files this function owns are written or removed: ``package.json``, ``install.json``
    and ``static/remoteEntry.*.js`` inside :data:`EXTENSION_DIR`, and :data:`SETTINGS_FILE`.

    Examples
    --------
    >>> build(check=True)
    []
    """
    source = SOURCE.read_text(encoding="utf-8")
    entry_name = _remote_entry_name(source)
    wanted = {EXTENSION_DIR / "package.json": _package_json(entry_name),
              EXTENSION_DIR / "install.json": json.dumps(INSTALL_INFO, indent=2) + "\n",
              EXTENSION_DIR / "static" / entry_name: source,
              SETTINGS_FILE: json.dumps(COURSE_OVERRIDES, indent=2) + "\n"}
    static = EXTENSION_DIR / "static"
    stale = [p for p in static.glob("remoteEntry.*.js") if p.name != entry_name]
    differs = [str(p.relative_to(HERE)) for p, text in wanted.items()
               if not p.is_file() or p.read_text(encoding="utf-8") != text]
    differs += [str(p.relative_to(HERE)) for p in stale]
    if check:
        return differs
    static.mkdir(parents=True, exist_ok=True)
    for path, text in wanted.items():
        atomic_write_text(path, text)
    for path in stale:
        path.unlink()
    return differs

