"""deploy/: the files an instructor installs admit the class, verify, and build as documented.

- single server: the hub config, run with a roster, admits exactly the roster, logs in through
  the course's authenticator and serves HTTPS through the proxy's own SSL options; the two
  units and every setting a student's unit gets pass ``systemd-analyze verify``;
- Kubernetes: the image's Python environment, built in a venv exactly as the Dockerfile builds
  it, pins the chart's JupyterHub and runs lesson 00's first cell; the values file admits the
  roster and keeps the sizes the benchmark measured.

Kubernetes and systemd cannot run here (no cluster, no systemd as PID 1): what they would load
is checked instead. Under ``CI=true`` a missing ``systemd-analyze`` fails, never skips
(``require_or_skip``).
"""

from __future__ import annotations

import ast
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from traitlets.config import Config

from classroom.hub import accounts, database

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
#: Measured by benchmarks/hub_load.py (see deploy/*/README.md, "Sizing"): PSS per student.
MEASURED_MB_PER_STUDENT = 224
#: The Zero to JupyterHub chart the values were validated against, and its hub's JupyterHub.
CHART, CHART_JUPYTERHUB = "4.4.0", "5.5.0"


def _megabytes(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)\s*([KMGT]i?)?", str(text)).groups()
    scale = {"K": 1 / 1024, "M": 1, "G": 1024, "T": 1024 ** 2}[unit[0]] if unit else 1 / 2**20
    return float(number) * scale


@pytest.fixture
def systemd_analyze(require_or_skip) -> str:
    found = shutil.which("systemd-analyze")
    require_or_skip(found is not None, "systemd-analyze is not installed (Debian: apt-get install "
                                       "systemd)")
    return found


def _single_server_config(monkeypatch: pytest.MonkeyPatch, roster: list[str]) -> Config:
    """The single-server jupyterhub_config.py run as JupyterHub runs it, with this roster."""
    monkeypatch.setattr(accounts, "roster_accounts", lambda path: list(roster))
    monkeypatch.setattr(database, "write_ahead_log", lambda: None)  # no listener left behind
    monkeypatch.setenv("CONFIGPROXY_AUTH_TOKEN", "proxy-secret")
    monkeypatch.setenv("COURSE_HUB_TOKEN", "service-secret")
    config = Config()
    source = (DEPLOY / "single-server" / "jupyterhub_config.py").read_text()
    exec(compile(source, "jupyterhub_config.py", "exec"), {"get_config": lambda: config})
    return config


def test_the_single_server_hub_admits_the_roster_with_own_credentials(
        monkeypatch: pytest.MonkeyPatch) -> None:
    c = _single_server_config(monkeypatch, ["ann", "bob"])
    assert c.Authenticator.allowed_users == {"ann", "bob"}
    assert c.JupyterHub.load_groups == {"students": {"users": ["ann", "bob"]}}
    assert c.JupyterHub.authenticator_class.endswith("ClassAuthenticator")
    assert c.ClassAuthenticator.state_dir == "/opt/course-hub/state"
    assert c.JupyterHub.spawner_class == "systemd" and c.SystemdSpawner.dynamic_users is True
    scopes = c.JupyterHub.load_roles[0]["scopes"]
    assert "tokens!group=students" in scopes  # a student's own token for their server
    assert not [s for s in scopes if s.startswith("access:")]  # never the instructor's
    assert c.JupyterHub.public_url.startswith("https://")
    assert "bind_url" not in c.JupyterHub and "ssl_cert" not in c.JupyterHub
    assert _megabytes(c.SystemdSpawner.mem_limit.rstrip("B")) >= MEASURED_MB_PER_STUDENT
    # the secrets come from the environment (secrets.env), never from the file
    assert c.ConfigurableHTTPProxy.auth_token == "proxy-secret"
    assert c.JupyterHub.services[0]["api_token"] == "service-secret"


def _systemd_root(tmp_path: Path) -> Path:
    """A root for ``systemd-analyze verify --root``: the system's units, stub programs."""
    root = tmp_path / "root"
    units = root / "usr" / "lib" / "systemd"
    units.mkdir(parents=True)
    shutil.copytree("/usr/lib/systemd/system", units / "system", symlinks=True)
    for program in ("/opt/course-hub/node/node_modules/.bin/configurable-http-proxy",
                    "/opt/course-hub/venv/bin/jupyterhub",
                    "/opt/course-hub/venv/bin/jupyterhub-singleuser"):
        stub = root / program.lstrip("/")
        stub.parent.mkdir(parents=True, exist_ok=True)
        stub.write_text("#!/bin/sh\n")
        stub.chmod(0o755)
    (root / "etc" / "systemd" / "system").mkdir(parents=True)
    return root


def _student_unit(c: Config) -> str:
    """The unit SystemdSpawner 1.0 asks systemd-run for, as a unit file (ann's server)."""
    spawner = c.SystemdSpawner
    properties = {"DynamicUser": "yes", "StateDirectory": "ann", "PrivateTmp": "yes",
                  "PrivateDevices": "yes", "NoNewPrivileges": "yes", "MemoryAccounting": "yes",
                  "MemoryMax": spawner.mem_limit, "CPUAccounting": "yes",
                  "CPUQuota": f"{int(spawner.cpu_limit * 100)}%", "OOMPolicy": "continue",
                  "RuntimeDirectory": "jupyter-ann", "RuntimeDirectoryMode": "700",
                  **spawner.unit_extra_properties}
    lines = ["[Unit]", "Description=ann's server", "[Service]",
             f"ExecStart={shlex.join([*c.Spawner.cmd, *c.Spawner.args])}",
             "WorkingDirectory=/var/lib/ann"]
    for key, value in properties.items():
        lines += [f"{key}={v}" for v in (value if isinstance(value, list) else [value])]
    return "\n".join(lines) + "\n"


def test_single_server_units_pass_systemd_analyze_verify(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         systemd_analyze: str) -> None:
    analyze = systemd_analyze
    root = _systemd_root(tmp_path)
    names = ["configurable-http-proxy.service", "jupyterhub.service", "course-student.service"]
    for name in names[:2]:
        shutil.copy(DEPLOY / "single-server" / name, root / "etc" / "systemd" / "system")
    c = _single_server_config(monkeypatch, ["ann"])
    (root / "etc" / "systemd" / "system" / names[2]).write_text(_student_unit(c))
    done = subprocess.run([analyze, "verify", f"--root={root}", *names], capture_output=True,
                          text=True, timeout=120, check=False)
    # warnings (an unknown key, a value it ignores) leave the status 0: none may appear
    assert done.returncode == 0 and done.stderr.strip() == "" and done.stdout.strip() == "", (
        done.stdout + done.stderr)
    proxy = (DEPLOY / "single-server" / "configurable-http-proxy.service").read_text()
    assert "--port 443 --ssl-cert %d/tls-cert --ssl-key %d/tls-key" in proxy
    assert "LoadCredential=tls-key:" in proxy and "--redirect-port 80" in proxy


def _dockerfile_steps() -> list[tuple[str, str]]:
    """(instruction, arguments) of the Dockerfile, continuation lines joined."""
    text = (DEPLOY / "kubernetes" / "Dockerfile").read_text().replace("\\\n", " ")
    return [tuple(line.split(None, 1)) for line in text.splitlines()
            if line.strip() and not line.startswith("#")]


def _copy_context(steps: list[tuple[str, str]], image_root: Path) -> None:
    """Carry out the Dockerfile's COPY steps from the repository into ``image_root``."""
    ignored = shutil.ignore_patterns("build", "*.egg-info", "__pycache__")
    for kind, args in steps:
        if kind != "COPY":
            continue
        words = [w for w in args.split() if not w.startswith("--")]
        *sources, target = words
        dest = image_root / target.lstrip("/")
        for source in sources:
            if (ROOT / source).is_dir():
                shutil.copytree(ROOT / source, dest, ignore=ignored)
            else:
                dest.mkdir(parents=True, exist_ok=True)
                shutil.copy(ROOT / source, dest / Path(source).name)


@pytest.mark.slow
def test_the_image_environment_built_as_the_dockerfile_runs_lesson_00(tmp_path: Path) -> None:
    """pip install and the checks exactly as the Dockerfile's RUN lines, in a fresh venv."""
    steps = _dockerfile_steps()
    assert steps[0][0] == "FROM"
    image_root, venv = tmp_path / "image", tmp_path / "venv"
    _copy_context(steps, image_root)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    assert python.exists()  # never fall back to another environment's pip
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path),
           "PIP_DISABLE_PIP_VERSION_CHECK": "1",  # the runner's wheel cache, not a fresh one
           "PIP_CACHE_DIR": os.environ.get("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip"))}
    runs = [args for kind, args in steps if kind == "RUN"]
    assert any(f'"jupyterhub=={CHART_JUPYTERHUB}"' in run for run in runs)
    for run in runs:
        command = run.replace("/tmp/course", str(image_root / "tmp" / "course"))
        command = re.sub(r"^pip ", f"{python} -m pip ", command)
        command = re.sub(r"^python ", f"{python} ", command)
        done = subprocess.run(["bash", "-c", command], env=env, cwd=tmp_path,
                              capture_output=True, text=True, timeout=900, check=False)
        assert done.returncode == 0, f"{run}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    nb = json.loads((ROOT / "notebooks" / "00_start_here.ipynb").read_text())
    first = next("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    probe = f"{first}\nimport course_lib, jupyterhub\nprint(course_lib.__file__, " \
            "jupyterhub.__version__)"
    done = subprocess.run([str(python), "-c", probe], env={**env, "MPLBACKEND": "Agg"},
                          cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    location, version = done.stdout.split()[-2:]
    assert location.startswith(str(venv)) and version == CHART_JUPYTERHUB


def test_the_values_file_admits_the_roster_and_keeps_the_measured_sizes() -> None:
    values = yaml.safe_load((DEPLOY / "kubernetes" / "values.yaml").read_text())
    assert set(values) >= {"hub", "singleuser", "cull"}
    config = values["hub"]["config"]
    allowed = config["Authenticator"]["allowed_users"]
    assert allowed and config["JupyterHub"]["load_groups"]["students"]["users"] == allowed
    single = values["singleuser"]
    assert isinstance(single["image"]["name"], str) and isinstance(single["image"]["tag"], str)
    limit, guarantee = (_megabytes(single["memory"][k]) for k in ("limit", "guarantee"))
    assert MEASURED_MB_PER_STUDENT <= guarantee <= limit
    assert 0 < float(single["cpu"]["guarantee"]) <= float(single["cpu"]["limit"])
    assert single["networkPolicy"]["enabled"] is True
    assert values["cull"]["enabled"] is True and int(values["cull"]["timeout"]) > 0
    hook = single["lifecycleHooks"]["postStart"]["exec"]["command"]
    assert hook[0] == "gitpuller" and len(hook) == 4
    scopes = values["hub"]["loadRoles"]["course-instructor"]["scopes"]
    assert "tokens!group=students" in scopes and "list:users!group=students" in scopes
    assert not [s for s in scopes if s.startswith("access:")]
    readme = (DEPLOY / "kubernetes" / "README.md").read_text()
    assert f"chart {CHART}" in readme and f"JupyterHub {CHART_JUPYTERHUB}" in readme
    ignore = [line.strip() for line in
              (DEPLOY / "kubernetes" / "Dockerfile.dockerignore").read_text().splitlines()
              if line.strip() and not line.startswith("#")]
    assert ignore[0] == "*" and all(not line.startswith("!solutions") for line in ignore)


def test_readmes_size_from_the_benchmark() -> None:
    for readme in ("single-server", "kubernetes"):
        text = (DEPLOY / readme / "README.md").read_text()
        assert "Sizing" in text and "hub_load.py" in text
        assert f"{MEASURED_MB_PER_STUDENT} MB PSS" in text
    single_server = (DEPLOY / "single-server" / "README.md").read_text()
    assert "/opt/course-hub/venv/bin/python -m classroom.labextension --install" in single_server
    assert "systemd-analyze verify" in single_server
    tree = ast.parse((DEPLOY / "single-server" / "jupyterhub_config.py").read_text())
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.Constant) and
                isinstance(n.value, str) and n.value.startswith(("ghp_", "sk-"))]
