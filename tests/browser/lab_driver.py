"""Drive a real JupyterLab in Debian's Chromium: start a throw-away server, run a lesson, poke it.

Used by ``tests/browser/conftest.py`` and ``tests/browser/test_lessons_in_browser.py``. Nothing
runs at import time. Pitfalls handled here: the status bar reads "Idle" before any kernel exists
(so Run All waits for a kernel first), Chromium needs flags that keep it off the network, and
JupyterLab's news pop-up is switched off by a settings override.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from classroom.labextension.settings import write_app_settings

REPO_ROOT = Path(__file__).resolve().parents[2]
#: The page size of every browser test (a common laptop screen).
VIEWPORT = {"width": 1366, "height": 768}
NOTEBOOKS = REPO_ROOT / "notebooks"
FIXTURE_LESSONS = REPO_ROOT / "tests" / "fixtures" / "lessons"
#: Folder of the server's root that holds the copied fixture lessons.
FIXTURE_SUBDIR = "_harness_fixture"
ARTIFACTS = REPO_ROOT / "test-artifacts" / "browser"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Settings overrides added to the course's own (``classroom.labextension.settings``) in the
#: server's app-settings folder: no toast notifications to cover the notebook in screenshots.
SETTINGS_OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {
        "checkForUpdates": False,
        "fetchNews": "false",
        "doNotDisturbMode": True,
    },
    # Every cell in the DOM, so the layout and accessibility checks see every control.
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
}
STDERR_MIME = "application/vnd.jupyter.stderr"
#: Seconds measured during a run (server start, each lesson), printed in the terminal summary.
TIMINGS: dict[str, float] = {}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago.

    Examples
    --------
    >>> 1024 <= free_port() <= 65535
    True
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def lab_command(*, port: int, token: str, root_dir: Path, app_settings_dir: Path,
                workspaces_dir: Path, user_settings_dir: Path, as_root: bool) -> list[str]:
    """The ``jupyter lab`` command line for a private, offline, read-only-extensions server.

    Like ``course lab``, it loads the course's extension from the environment, where
    ``make test`` links it (``python -m classroom.labextension --develop``).

    Examples
    --------
    >>> cmd = lab_command(port=8899, token="t", root_dir=Path("/r"), app_settings_dir=Path("/a"),
    ...                   workspaces_dir=Path("/w"), user_settings_dir=Path("/u"), as_root=True)
    >>> cmd[1:3], "--port=8899" in cmd, "--allow-root" in cmd, "--ServerApp.root_dir=/r" in cmd
    (['-m', 'jupyterlab'], True, True, True)
    """
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root_dir}",
        "--LabApp.extension_manager=readonly",
        "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate",
        f"--LabApp.app_settings_dir={app_settings_dir}",
        f"--LabApp.workspaces_dir={workspaces_dir}",
        f"--LabApp.user_settings_dir={user_settings_dir}",
    ]
    if as_root:
        command.append("--allow-root")
    return command


@dataclass
class LabServer:
    """A JupyterLab server running in a private temporary home; stop it with :meth:`stop`."""

    root_dir: Path
    base: Path
    port: int = field(default_factory=free_port)
    token: str = field(default_factory=lambda: secrets.token_hex(16))
    process: subprocess.Popen | None = None
    startup_seconds: float | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.base / "jupyterlab.log"

    def environment(self) -> dict[str, str]:
        """The server's environment: every Jupyter/IPython folder points into ``base``."""
        env = dict(os.environ)
        for name, sub in {
            "JUPYTER_CONFIG_DIR": "config",
            "JUPYTER_RUNTIME_DIR": "runtime",
            "JUPYTER_DATA_DIR": "data",
            "IPYTHONDIR": "ipython",
            "JUPYTERLAB_SETTINGS_DIR": "user-settings",
            "JUPYTERLAB_WORKSPACES_DIR": "workspaces",
        }.items():
            path = self.base / sub
            path.mkdir(parents=True, exist_ok=True)
            env[name] = str(path)
        env.update({
            "PYTHONHASHSEED": "0",
            "MPLBACKEND": "module://matplotlib_inline.backend_inline",
            "TZ": "UTC",
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
            "JUPYTER_PLATFORM_DIRS": "1",
        })
        env.pop("JUPYTER_PATH", None)
        return env

    def write_app_settings(self) -> Path:
        """The course's app settings (as ``course lab`` writes them) plus the test overrides."""
        return write_app_settings(self.base / "app-settings", extra=SETTINGS_OVERRIDES)

    def api(self, path: str, method: str = "GET") -> object:
        """Call the server's REST API with the token; returns the decoded JSON (or None)."""
        separator = "&" if "?" in path else "?"
        request = urllib.request.Request(
            f"{self.url}{path}{separator}token={self.token}", method=method
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def start(self, timeout: float = 90.0) -> None:
        """Start the server and wait until ``/api/status`` answers (raises RuntimeError if not)."""
        env = self.environment()
        command = lab_command(
            port=self.port,
            token=self.token,
            root_dir=self.root_dir,
            app_settings_dir=self.write_app_settings(),
            workspaces_dir=Path(env["JUPYTERLAB_WORKSPACES_DIR"]),
            user_settings_dir=Path(env["JUPYTERLAB_SETTINGS_DIR"]),
            as_root=hasattr(os, "geteuid") and os.geteuid() == 0,
        )
        started = time.perf_counter()
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            command, cwd=self.root_dir, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        deadline = started + timeout
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"JupyterLab exited with status {self.process.returncode}:\n{self.log_tail()}"
                )
            try:
                self.api("/api/status")
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
                continue
            self.startup_seconds = time.perf_counter() - started
            return
        self.stop()
        raise RuntimeError(f"JupyterLab did not answer within {timeout} s:\n{self.log_tail()}")

    def shutdown_sessions(self) -> None:
        """Shut down every kernel session (the lesson's kernel) without stopping the server."""
        for session in self.api("/api/sessions") or []:
            try:
                self.api(f"/api/sessions/{session['id']}", method="DELETE")
            except urllib.error.HTTPError:
                pass

    def stop(self) -> None:
        """Terminate the server by its own PID, then kill it if it lingers."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return "(no log)"
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def lesson_url(self, relative_path: str) -> str:
        return f"{self.url}/lab/tree/{quote(relative_path)}?token={self.token}&reset"


# --------------------------------------------------------------------------- page actions

_KERNEL_READY_JS = """
() => {
  const bar = document.querySelector('#jp-main-statusbar');
  if (!bar) return false;
  const text = bar.innerText;
  return !text.includes('No Kernel') && /\\|\\s*Idle/.test(text);
}
"""

_ERROR_FILTER_JS = f"""
[...document.querySelectorAll('.jp-Notebook .jp-OutputArea-output')]
  .filter(el => el.getAttribute('data-mime-type') === '{STDERR_MIME}'
                || el.querySelector('[data-mime-type="{STDERR_MIME}"]'))
  .map(el => el.innerText)
  .filter(text => /Traceback|^\\s*\\w*(?:Error|Exception|Interrupt)\\b/m.test(text))
"""

# Run All stops at the first failing cell, so "done" means: kernel idle, nothing queued ([*]),
# and either every code cell has a count or an error was rendered.
_RUN_FINISHED_JS = f"""
() => {{
  const bar = document.querySelector('#jp-main-statusbar');
  if (!bar || bar.innerText.includes('No Kernel') || !/\\|\\s*Idle/.test(bar.innerText)) {{
    return false;
  }}
  const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]
    .map(p => p.textContent);
  if (prompts.length === 0 || prompts.some(t => t.includes('*'))) return false;
  if (prompts.every(t => /\\[\\d+\\]/.test(t))) return true;
  return ({_ERROR_FILTER_JS}).length > 0;
}}
"""

_PROMPTS_JS = """
() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]
        .map(p => p.textContent.trim())
"""

_ERROR_OUTPUTS_JS = f"() => ({_ERROR_FILTER_JS})"


def prompt_numbers(page) -> list[str]:
    """The input prompts of the open notebook's code cells, e.g. ``['[1]:', '[2]:']``."""
    return page.evaluate(_PROMPTS_JS)


def wait_for_kernel_idle(page, timeout_ms: int) -> None:
    """Wait until a kernel exists and is idle (the status bar no longer says "No Kernel")."""
    page.wait_for_function(_KERNEL_READY_JS, timeout=timeout_ms)


def run_menu_command(page, menu: str, item: str) -> None:
    """Click ``menu`` in the main menu bar, then the item whose label is exactly ``item``."""
    page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text=re.compile(f"^{menu}$")).click()
    entry = page.locator(
        ".lm-Menu:not(.lm-MenuBar) .lm-Menu-item:not(.lm-mod-disabled)",
        has=page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{re.escape(item)}$")),
    )
    entry.first.click()


def run_all_cells(page, timeout_ms: int) -> list[str]:
    """Clear all outputs, run every cell from the Run menu, wait until the run has finished.

    Clearing first (Edit > Clear Outputs of All Cells) makes the wait meaningful: the committed
    notebook already shows counts 1..n, and a fresh kernel produces the same numbers.
    The run has finished when the kernel is idle, no cell is queued, and either every code cell
    has a count or an error output was rendered (Run All stops at an error). Returns the prompts.
    """
    run_menu_command(page, "Edit", "Clear Outputs of All Cells")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]"
        ".every(p => !/\\[\\d+\\]/.test(p.textContent))",
        timeout=timeout_ms,
    )
    run_menu_command(page, "Run", "Run All Cells")
    try:
        page.wait_for_function(_RUN_FINISHED_JS, timeout=timeout_ms, polling=100)
    except Exception as exc:  # playwright TimeoutError: report what the prompts show
        raise AssertionError(
            f"Run All Cells did not finish within {timeout_ms} ms; prompts: {prompt_numbers(page)}"
        ) from exc
    return prompt_numbers(page)


def error_outputs(page) -> list[str]:
    """Rendered error or traceback outputs (stderr-typed outputs mentioning an error)."""
    return page.evaluate(_ERROR_OUTPUTS_JS)


def poke(page, control) -> str:
    """Operate a ``.course-poke`` control from the keyboard; returns what was done.

    Slider: focus the handle, ArrowRight three times. Dropdown: focus the ``select``, ArrowDown.
    Toggle buttons: focus an unselected button, Space. Checkbox: Space. Button: Enter.
    """
    handle = control.locator(".noUi-handle")
    if handle.count():
        handle.first.focus()
        for _ in range(3):
            handle.first.press("ArrowRight")
        return "slider ArrowRight x3"
    if control.evaluate("el => el.matches('select')"):
        select = control
    else:
        select = control.locator("select")
        select = select.first if select.count() else None
    if select is not None:
        select.focus()
        select.press("ArrowDown")
        return "select ArrowDown"
    checkbox = control.locator("input[type=checkbox]")
    if control.evaluate("el => el.matches('input[type=checkbox]')") or checkbox.count():
        target = control if not checkbox.count() else checkbox.first
        target.focus()
        target.press("Space")
        return "checkbox Space"
    toggles = control.locator("button:not(.mod-active)")
    if toggles.count():
        toggles.first.focus()
        toggles.first.press("Space")
        return "toggle Space"
    if control.evaluate("el => el.matches('button')"):
        control.focus()
        control.press("Enter")
        return "button Enter"
    raise AssertionError(
        "the .course-poke element holds no slider handle, select, checkbox or button: "
        + control.evaluate("el => el.outerHTML.slice(0, 300)")
    )
