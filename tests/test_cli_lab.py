"""`course lab` starts JupyterLab on the start notebook (and copes with running as root)."""

from __future__ import annotations

import subprocess

import pytest

from course_lib import cli


@pytest.mark.parametrize(("euid", "allow_root"), [(1000, False), (0, True)])
def test_lab_opens_start_notebook(monkeypatch, euid, allow_root):
    calls = []

    def fake_call(command, cwd=None):
        calls.append((command, cwd))
        return 0

    monkeypatch.setattr(subprocess, "call", fake_call)
    monkeypatch.setattr(cli.os, "geteuid", lambda: euid, raising=False)
    assert cli.main(["lab"]) == 0
    (command, cwd), = calls
    assert command[1:4] == ["-m", "jupyter", "lab"]
    assert "notebooks/00_start_here.ipynb" in command
    assert (cwd / "notebooks" / "00_start_here.ipynb").is_file()
    assert ("--allow-root" in command) is allow_root
