"""``course hub``: what it writes, what it refuses, and what it says when isolation is off."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
import requests

from classroom.cli import main
from classroom.hub.accounts import parse_users, read_sheet
from classroom.hub.launcher import SeminarHub
from classroom.hub.process import find_proxy
from tests.hub.hub_kit import ROOT

pytestmark = pytest.mark.hub


def _course(args: list[str], env: dict[str, str], **kwargs: object) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "classroom", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, **kwargs)


def _without_bwrap(tmp_path: Path) -> dict[str, str]:
    """An environment whose PATH has Python's and the proxy's folders but no bwrap."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("git", "node"):
        (bin_dir / tool).symlink_to(subprocess.check_output(["which", tool], text=True).strip())
    return {**os.environ, "PATH": f"{Path(sys.executable).parent}:{bin_dir}",
            "COURSE_HUB_PROXY": find_proxy(ROOT)}


def test_the_hub_config_holds_no_secret_and_serves_loopback(class_hub: SeminarHub) -> None:
    assert class_hub.url.startswith("http://127.0.0.1:")
    page = requests.get(class_hub.url + "hub/login", timeout=10)
    assert page.status_code == 200 and "password" in page.text.lower()
    assert "signup" not in page.text.lower()  # accounts come from the roster only
    config = (class_hub.running.workdir / "jupyterhub_config.py").read_text()
    assert "c.JupyterHub.ip = '127.0.0.1'" in config
    assert "classroom.hub.spawner.SandboxSpawner" in config
    assert "/git-pull?repo=file%3A%2F%2F%2Fsrv%2Fcourse%2Frelease" in config
    assert class_hub.token not in config
    assert all(code not in config for code in class_hub.new_codes.values())
    assert (class_hub.running.workdir.parent / "release" / ".git").is_dir()
    sheet = class_hub.sheet
    assert oct(sheet.stat().st_mode & 0o777) == "0o600"
    on_sheet = read_sheet(class_hub.running.workdir)
    assert set(on_sheet) == set(class_hub.new_codes)  # every student, each with a code
    assert on_sheet["ann"] == class_hub.new_codes["ann"]  # (dee's may have been reset since)


def test_help_says_who_is_isolated_from_whom(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["hub", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "own login code" in text and "sandbox of their own" in text
    assert "--insecure-shared-account" in text and "no isolation" in text
    with pytest.raises(ValueError, match="account names"):
        parse_users("Ann Lee")


@pytest.mark.usefixtures("proxy")
def test_without_bwrap_the_hub_refuses_in_one_line(tmp_path: Path) -> None:
    process = _course(["hub", "--users", "ann", "--dir", str(tmp_path / "hub")],
                      _without_bwrap(tmp_path))
    out, err = process.communicate(timeout=60)
    assert process.returncode == 2, err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "bwrap" in err and "--insecure-shared-account" in err
    assert not (tmp_path / "hub" / "state").exists()  # nothing started, nothing written


@pytest.mark.usefixtures("proxy")
def test_insecure_shared_account_says_what_it_means_and_stops_by_group(tmp_path: Path) -> None:
    process = _course(["hub", "--users", "ann", "--dir", str(tmp_path / "hub"),
                       "--insecure-shared-account"], _without_bwrap(tmp_path))
    lines = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not any("hub running" in x for x in lines):
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line)
    finally:
        os.killpg(process.pid, signal.SIGINT)
        _, err = process.communicate(timeout=60)
    assert lines and lines[0].startswith("WARNING: --insecure-shared-account"), lines
    warning = lines[0]
    assert "no sandbox" in warning and "every other student's files" in warning
    assert any("hub running at http://127.0.0.1:" in x for x in lines), (lines, err)
    assert process.returncode == 130 and "interrupted:" in err
    config = (tmp_path / "hub" / "state" / "jupyterhub_config.py").read_text()
    assert "spawner_class = 'simple'" in config
    with pytest.raises(ProcessLookupError):
        os.killpg(process.pid, 0)
    left = [p for p in psutil.process_iter(["cmdline"])
            if str(tmp_path) in " ".join(p.info["cmdline"] or [])]
    for orphan in left:  # a failed test must not leave a hub running on the machine
        orphan.kill()
    assert left == []  # the hub, its proxy and its servers stopped with the command
