"""``course hub``: the seminar hub starts on loopback with the course pull as every default URL."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import requests

from classroom.hub.hubconfig import PASSWORD_VARIABLE
from classroom.hub.launcher import parse_users, start_seminar_hub
from classroom.hub.process import find_proxy, stop_hub

pytestmark = pytest.mark.hub
ROOT = Path(__file__).resolve().parents[2]


def test_seminar_hub_starts_on_loopback_and_stops_by_group(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    try:
        find_proxy(ROOT)
    except Exception as exc:  # noqa: BLE001
        if os.environ.get("CI") == "true":
            pytest.fail(f"prerequisite missing under CI: {exc}")
        pytest.skip(str(exc))
    monkeypatch.setenv(PASSWORD_VARIABLE, "seminar-room-7")
    hub = start_seminar_hub(ROOT, tmp_path / "hub", parse_users("ann,bob"))
    try:
        assert hub.url.startswith("http://127.0.0.1:")
        page = requests.get(hub.url + "hub/login", timeout=10)
        assert page.status_code == 200 and "password" in page.text.lower()
        config = (tmp_path / "hub" / "state" / "jupyterhub_config.py").read_text()
        assert "c.JupyterHub.ip = '127.0.0.1'" in config
        assert "/git-pull?repo=file%3A%2F%2F" in config and "seminar-room-7" not in config
        assert (tmp_path / "hub" / "release" / ".git").is_dir()
    finally:
        stop_hub(hub.running)
    with pytest.raises(ProcessLookupError):
        os.killpg(hub.running.process.pid, 0)
    with pytest.raises(ValueError, match="account names"):
        parse_users("Ann Lee")
