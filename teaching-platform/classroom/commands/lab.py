"""``course lab``: JupyterLab on the whole course, opening lesson 00."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from classroom.course import Course
from classroom.labextension.settings import app_settings_argument, write_app_settings

#: The notebook ``course lab`` opens, relative to the course root.
START_NOTEBOOK = "notebooks/00_start_here.ipynb"
#: Course-owned JupyterLab app settings (installed ones + the course's defaults), gitignored.
APP_SETTINGS_DIR = Path(".cache") / "lab-settings"


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``course lab``."""
    p = sub.add_parser("lab", help="open JupyterLab on notebooks/00_start_here.ipynb")
    p.set_defaults(run=run_lab)


def lab_command(root: Path, euid: int | None = None, app_settings: Path | None = None, *,
                open_path: str = START_NOTEBOOK, ip: str | None = None) -> list[str]:
    """The JupyterLab command line that serves ``root`` and opens ``open_path`` (lesson 00).

    The course's prebuilt extension (:mod:`classroom.labextension`), which keeps the arrow and
    letter keys with a focused widget control and names every slider handle, is installed in the
    environment with the ``classroom`` package, so no option is needed for it. Given
    ``app_settings`` (a folder from :func:`write_app_settings`), JupyterLab reads the course's
    setting defaults from there (widget state saved with the notebook). ``ip`` binds the
    server to one address (``course mark`` serves 127.0.0.1 only).

    Examples
    --------
    >>> command = lab_command(Path("/c"), euid=1000, app_settings=Path("/tmp/s"))
    >>> f"--LabApp.default_url=/lab/tree/{START_NOTEBOOK}" in command
    True
    >>> "--LabApp.app_settings_dir=/tmp/s" in command
    True
    >>> any("labextensions" in part for part in command)  # the extension is installed
    False
    >>> lab_command(Path("/c"), euid=0)[-1]
    '--allow-root'
    >>> lab_command(Path("/g"), open_path="m.ipynb", ip="127.0.0.1")[5:]
    ['--LabApp.default_url=/lab/tree/m.ipynb', '--ServerApp.ip=127.0.0.1']
    """
    command = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={root}",
               f"--LabApp.default_url=/lab/tree/{open_path}"]
    if ip is not None:
        command.append(f"--ServerApp.ip={ip}")
    if app_settings is not None:
        command.append(app_settings_argument(app_settings))
    if euid == 0:
        # Containers (Docker, CI images) often run as root; Jupyter refuses unless told.
        command.append("--allow-root")
    return command


def run_lab(args: argparse.Namespace) -> int:
    """Start JupyterLab (blocks until it stops); returns its exit status."""
    euid = os.geteuid() if hasattr(os, "geteuid") else None
    root = Course.find().root
    settings = write_app_settings(root / APP_SETTINGS_DIR)
    return subprocess.call(lab_command(root, euid, settings), cwd=root)
