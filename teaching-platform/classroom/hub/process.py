"""Start and stop a hub process on this machine: its programs, its process group, readiness.

The hub is started in a session of its own (``setsid``); it starts the proxy and the students'
servers, and stopping it sends SIGTERM to its process group by the group's id (SIGKILL after a
grace period), so nothing is left behind and no other process is touched.

Examples
--------
>>> find_singleuser().endswith("jupyterhub-singleuser")
True
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from classroom.errors import CourseError
from course_lib.files import atomic_write_text

__all__ = ["PROXY_VARIABLE", "RunningHub", "find_proxy", "find_singleuser", "start_hub",
           "stop_hub"]

#: Set to the ``configurable-http-proxy`` program to use instead of the one found.
PROXY_VARIABLE = "COURSE_HUB_PROXY"
_LOCAL_PROXY = Path(".cache/node/node_modules/.bin/configurable-http-proxy")


@dataclass
class RunningHub:
    """A started hub: its process (a group leader), address, work folder and log."""

    process: subprocess.Popen
    url: str
    workdir: Path
    log: Path


def find_proxy(root: Path | None = None) -> str:
    """The ``configurable-http-proxy`` program: $COURSE_HUB_PROXY, ``.cache/node``, or PATH.

    Raises
    ------
    CourseError
        When none is installed (the message says how to install it).
    """
    candidates = [os.environ.get(PROXY_VARIABLE, "")]
    if root is not None:
        candidates.append(str((Path(root) / _LOCAL_PROXY).resolve()))
    candidates.append(shutil.which("configurable-http-proxy") or "")
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise CourseError("configurable-http-proxy is not installed: run "
                      "`bash tools/ensure_node_packages.sh` (npm, into .cache/node)")


def find_singleuser() -> str:
    """The ``jupyterhub-singleuser`` program of this Python environment."""
    beside = Path(sys.executable).parent / "jupyterhub-singleuser"
    return str(beside) if beside.exists() else (shutil.which("jupyterhub-singleuser") or
                                                str(beside))


def _log_tail(log: Path, lines: int = 2) -> str:
    """The last ``lines`` lines of the hub's log that are not traceback frames, and its path.

    Examples
    --------
    >>> import tempfile
    >>> log = Path(tempfile.mkdtemp()) / "hub.log"
    >>> _ = log.write_text("Traceback (most recent call last):\\n  File 'x.py', line 1\\n"
    ...                    "RuntimeError: Proxy failed to start\\n")
    >>> _log_tail(log).startswith("Traceback (most recent call last): | RuntimeError: Proxy")
    True
    """
    try:
        text = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return f"see {log}"
    kept = [line.strip() for line in text if line.strip() and not line[:1].isspace()]
    return " | ".join(kept[-lines:]) + f" (log: {log})"


def start_hub(workdir: str | Path, config: str, url: str, *, env: dict[str, str],
              timeout: float = 60.0) -> RunningHub:
    """Write ``config`` into ``workdir``, start the hub in a new session, wait until it answers.

    Parameters
    ----------
    workdir : path
        The hub's folder (config, database, log ``jupyterhub.log``).
    config : str
        The text of ``jupyterhub_config.py`` (see :mod:`classroom.hub.hubconfig`).
    url : str
        The hub's public address, polled at ``hub/api/``.
    env : dict
        Extra environment of the hub (its secrets), added to this process's environment.
    """
    workdir = Path(workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    atomic_write_text(workdir / "jupyterhub_config.py", config)
    log = workdir / "jupyterhub.log"
    program = Path(sys.executable).parent / "jupyterhub"
    with open(log, "ab") as sink:
        process = subprocess.Popen(
            [str(program), "-f", str(workdir / "jupyterhub_config.py")], cwd=workdir,
            stdin=subprocess.DEVNULL, stdout=sink, stderr=subprocess.STDOUT,
            env={**os.environ, **env}, start_new_session=True)
    hub = RunningHub(process, url.rstrip("/") + "/", workdir, log)
    try:
        _wait_until_up(hub, timeout)
    except BaseException:  # a failed start or Ctrl-C while waiting: no hub left behind
        stop_hub(hub)
        raise
    return hub


def _wait_until_up(hub: RunningHub, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if hub.process.poll() is not None:
            raise CourseError(f"the hub stopped at start (exit {hub.process.returncode}): "
                              f"{_log_tail(hub.log)}")
        try:
            if requests.get(hub.url + "hub/api/", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise CourseError(f"the hub did not answer within {timeout:.0f} s: {_log_tail(hub.log)}")


def stop_hub(hub: RunningHub, grace: float = 15.0) -> int:
    """SIGTERM to the hub's process group, SIGKILL after ``grace`` seconds; the exit status."""
    group = hub.process.pid
    try:
        os.killpg(group, signal.SIGTERM)
    except ProcessLookupError:
        return hub.process.wait()
    try:
        status = hub.process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(group, signal.SIGKILL)
        status = hub.process.wait()
    time.sleep(0.2)
    try:  # a server still in the group after the hub stopped
        os.killpg(group, signal.SIGKILL)
    except ProcessLookupError:
        pass
    return status
