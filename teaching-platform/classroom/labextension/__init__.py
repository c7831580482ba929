"""The course's prebuilt JupyterLab extension ``course-lib-widget-keys`` and how to load it.

JupyterLab's notebook shortcuts take the arrow and letter keys from a focused widget control
(a drop-down, a radio button, a toggle) and move to another cell. Lumino, JupyterLab's toolkit,
skips its shortcuts for a key press whose target sits inside an element carrying the attribute
``data-lm-suppress-shortcuts``; the extension sets that attribute on a focused control inside
``.jupyter-widgets`` for one key press (not with Ctrl, Alt or Meta, nor for Shift+Enter), and gives
every slider handle an accessible name (its widget's description). The source is
``src/widget-keys.js``; :func:`build` copies it to ``course-lib-widget-keys/static/`` under a
content-hashed name (JupyterLab serves extension files as immutable) and writes the
``package.json`` that tells JupyterLab where it is.

``course lab`` (and the browser tests) start JupyterLab with :func:`lab_arguments`, which adds
this folder to ``LabApp.extra_labextensions_path``; nothing is installed into the environment.

Examples
--------
>>> lab_arguments()[0].startswith("--LabApp.extra_labextensions_path=")
True
>>> (EXTENSION_DIR / "package.json").is_file()
True
>>> build(check=True)  # the committed files match the source
[]
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from course_lib.files import atomic_write_text

__all__ = ["EXTENSION_NAME", "EXTENSION_DIR", "LABEXTENSIONS_PATH", "build", "lab_arguments"]

#: The extension's package name (JupyterLab's ``window._JUPYTERLAB`` key).
EXTENSION_NAME = "course-lib-widget-keys"
#: The folder to hand to JupyterLab as an extra labextensions path.
LABEXTENSIONS_PATH = Path(__file__).resolve().parent
#: The extension itself (``package.json`` + ``static/``).
EXTENSION_DIR = LABEXTENSIONS_PATH / EXTENSION_NAME
SOURCE = LABEXTENSIONS_PATH / "src" / "widget-keys.js"
VERSION = "0.1.0"


def lab_arguments() -> list[str]:
    """Command-line options that make a ``jupyter lab`` server load the extension.

    Examples
    --------
    >>> lab_arguments()[0].endswith("classroom/labextension")
    True
    """
    return [f"--LabApp.extra_labextensions_path={LABEXTENSIONS_PATH}"]


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

    Only files this function owns are written or removed: ``package.json`` and
    ``static/remoteEntry.*.js`` inside :data:`EXTENSION_DIR`.

    Examples
    --------
    >>> build(check=True)
    []
    """
    source = SOURCE.read_text(encoding="utf-8")
    entry_name = _remote_entry_name(source)
    wanted = {EXTENSION_DIR / "package.json": _package_json(entry_name),
              EXTENSION_DIR / "static" / entry_name: source}
    static = EXTENSION_DIR / "static"
    stale = [p for p in static.glob("remoteEntry.*.js") if p.name != entry_name]
    differs = [str(p.relative_to(LABEXTENSIONS_PATH)) for p, text in wanted.items()
               if not p.is_file() or p.read_text(encoding="utf-8") != text]
    differs += [str(p.relative_to(LABEXTENSIONS_PATH)) for p in stale]
    if check:
        return differs
    static.mkdir(parents=True, exist_ok=True)
    for path, text in wanted.items():
        atomic_write_text(path, text)
    for path in stale:
        path.unlink()
    return differs

