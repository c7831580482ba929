"""`course lab` starts JupyterLab on the start notebook (and copes with running as root)."""

from __future__ import annotations

import subprocess

import pytest

from classroom import cli
from classroom.commands import lab as lab_command_module
from classroom.course import Course


@pytest.mark.parametrize(("euid", "allow_root"), [(1000, False), (0, True)])
def test_lab_opens_start_notebook(monkeypatch, euid, allow_root):
    calls = []

    def fake_call(command, cwd=None):
        calls.append((command, cwd))
        return 0

    monkeypatch.setattr(subprocess, "call", fake_call)
    monkeypatch.setattr(lab_command_module.os, "geteuid", lambda: euid, raising=False)
    assert cli.main(["lab"]) == 0
    (command, cwd), = calls
    root = Course.find().root
    assert command[1:4] == ["-m", "jupyter", "lab"]
    assert f"--ServerApp.root_dir={root}" in command, "serves the course root"
    assert "--LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb" in command
    assert (root / cli.START_NOTEBOOK).is_file()
    assert (root / "exercises").is_dir(), "exercises are inside the served root"
    assert (cwd / "notebooks" / "00_start_here.ipynb").is_file()
    assert ("--allow-root" in command) is allow_root
