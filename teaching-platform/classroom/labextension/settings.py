"""JupyterLab settings defaults that ``course lab`` adds: widget state saved, no news pop-up.

JupyterLab reads setting defaults from ``overrides.json`` in its *app settings* folder
(``{sys.prefix}/share/jupyter/lab/settings`` unless ``--LabApp.app_settings_dir`` names another).
:func:`write_app_settings` builds a course-owned copy of that folder (under ``.cache/``): the
installed files as they are, and ``overrides.json`` with :data:`COURSE_OVERRIDES` merged over the
installed overrides. A learner's own settings (Settings editor) still win over these defaults,
and nothing outside the target folder is written.

Examples
--------
>>> import json, tempfile
>>> from pathlib import Path
>>> target = write_app_settings(Path(tempfile.mkdtemp()) / "lab-settings", installed=Path("/none"))
>>> json.loads((target / "overrides.json").read_text())[WIDGETS_PLUGIN]
{'saveState': True}
>>> app_settings_argument(target) == f"--LabApp.app_settings_dir={target}"
True
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

from course_lib.files import atomic_write_text

__all__ = ["COURSE_OVERRIDES", "INSTALLED_APP_SETTINGS", "app_settings_argument",
           "write_app_settings"]

WIDGETS_PLUGIN = "@jupyter-widgets/jupyterlab-manager:plugin"
#: Setting defaults the course needs: widget state saved with the notebook (a reopened lesson
#: shows its widgets' last state instead of plain text), no update check or news pop-up (the
#: course runs offline).
COURSE_OVERRIDES: dict[str, dict[str, Any]] = {
    WIDGETS_PLUGIN: {"saveState": True},
    "@jupyterlab/apputils-extension:notification": {"checkForUpdates": False,
                                                    "fetchNews": "false"},
}
#: Where JupyterLab looks by default.
INSTALLED_APP_SETTINGS = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings"


def _merged(base: dict[str, Any], extra: dict[str, dict[str, Any]]) -> dict[str, Any]:
    merged = {plugin: dict(values) for plugin, values in base.items()}
    for plugin, values in extra.items():
        merged.setdefault(plugin, {}).update(values)
    return merged


def write_app_settings(target: Path, extra: dict[str, dict[str, Any]] | None = None,
                       installed: Path = INSTALLED_APP_SETTINGS) -> Path:
    """Fill ``target`` with the installed app settings plus the course's overrides.

    ``extra`` adds further overrides (the browser tests turn notifications off). Returns ``target``.

    Examples
    --------
    >>> import tempfile
    >>> target = write_app_settings(Path(tempfile.mkdtemp()) / "s", extra={"p:q": {"a": 1}},
    ...                             installed=Path("/none"))
    >>> sorted(json.loads((target / "overrides.json").read_text()))[-1]
    'p:q'

    An administrator's installed overrides are kept; the course adds its own keys:

    >>> installed = Path(tempfile.mkdtemp())
    >>> _ = (installed / "overrides.json").write_text('{"%s": {"x": 1}}' % WIDGETS_PLUGIN)
    >>> target = write_app_settings(Path(tempfile.mkdtemp()) / "s", installed=installed)
    >>> json.loads((target / "overrides.json").read_text())[WIDGETS_PLUGIN]
    {'x': 1, 'saveState': True}
    """
    target.mkdir(parents=True, exist_ok=True)
    if installed.is_dir():
        shutil.copytree(installed, target, dirs_exist_ok=True)
    overrides_file = target / "overrides.json"
    installed_overrides = installed / "overrides.json"
    base = json.loads(installed_overrides.read_text()) if installed_overrides.is_file() else {}
    overrides = _merged(_merged(base, COURSE_OVERRIDES), extra or {})
    atomic_write_text(overrides_file, json.dumps(overrides, indent=2) + "\n")
    return target


def app_settings_argument(target: Path) -> str:
    """The ``jupyter lab`` option that makes it read its app settings from ``target``."""
    return f"--LabApp.app_settings_dir={target}"
