"""deploy/: the files an instructor installs are well-formed and sized as the READMEs say.

Kubernetes cannot run here: the Zero to JupyterHub values file is checked for structure only
(keys, types, limits at least the measured memory per student), as its README says.
"""

from __future__ import annotations

import ast
import configparser
import re
from pathlib import Path

import yaml

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
#: Measured by benchmarks/hub_load.py (see deploy/*/README.md, "Sizing"): PSS per student.
MEASURED_MB_PER_STUDENT = 239


def _megabytes(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)\s*([KMGT]i?)?", str(text)).groups()
    scale = {"K": 1 / 1024, "M": 1, "G": 1024, "T": 1024 ** 2}[unit[0]] if unit else 1 / 2**20
    return float(number) * scale


def test_values_file_has_the_structure_of_a_z2jh_config() -> None:
    values = yaml.safe_load((DEPLOY / "kubernetes" / "values.yaml").read_text())
    assert set(values) >= {"hub", "singleuser", "cull"}
    single = values["singleuser"]
    assert isinstance(single["image"]["name"], str) and isinstance(single["image"]["tag"], str)
    limit, guarantee = (_megabytes(single["memory"][k]) for k in ("limit", "guarantee"))
    assert MEASURED_MB_PER_STUDENT <= guarantee <= limit
    assert 0 < float(single["cpu"]["guarantee"]) <= float(single["cpu"]["limit"])
    assert values["cull"]["enabled"] is True and int(values["cull"]["timeout"]) > 0
    hook = single["lifecycleHooks"]["postStart"]["exec"]["command"]
    assert hook[0] == "gitpuller" and len(hook) == 4
    scopes = values["hub"]["loadRoles"]["course-instructor"]["scopes"]
    assert "access:servers" in scopes and "list:users!group=students" in scopes
    dockerfile = (DEPLOY / "kubernetes" / "Dockerfile").read_text()
    assert "environment.yml" in dockerfile and dockerfile.startswith("#")
    assert "python -m classroom.labextension --install" in dockerfile


def test_single_server_files_parse() -> None:
    config = (DEPLOY / "single-server" / "jupyterhub_config.py").read_text()
    tree = ast.parse(config)
    assigned = {ast.unparse(t) for node in ast.walk(tree) if isinstance(node, ast.Assign)
                for t in node.targets}
    assert {"c.JupyterHub.spawner_class", "c.JupyterHub.load_roles",
            "c.SystemdSpawner.mem_limit"} <= assigned
    limits = {ast.unparse(node.targets[0]): ast.literal_eval(node.value)
              for node in ast.walk(tree) if isinstance(node, ast.Assign)
              and ast.unparse(node.targets[0]).startswith("c.SystemdSpawner.")}
    assert _megabytes(limits["c.SystemdSpawner.mem_limit"]) >= MEASURED_MB_PER_STUDENT
    for unit in ("jupyterhub.service", "configurable-http-proxy.service"):
        parser = configparser.ConfigParser(strict=True, interpolation=None)
        parser.read_string((DEPLOY / "single-server" / unit).read_text())
        assert parser.sections() == ["Unit", "Service", "Install"]
        assert parser["Service"]["ExecStart"].startswith("/opt/course-hub/")
    for readme in ("single-server", "kubernetes"):
        text = (DEPLOY / readme / "README.md").read_text()
        assert "Sizing" in text and "hub_load.py" in text
        assert f"{MEASURED_MB_PER_STUDENT} MB PSS" in text and "MEMORY_LINE" not in text
    single_server = (DEPLOY / "single-server" / "README.md").read_text()
    assert "/opt/course-hub/venv/bin/python -m classroom.labextension --install" in single_server
