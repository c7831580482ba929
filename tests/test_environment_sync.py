"""environment.yml (conda-forge, Binder) and pyproject.toml must name the same dependencies."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# PyPI name -> conda-forge name, where they differ.
CONDA_NAME = {}
REQ = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(?:\[[^\]]*\])?\s*(.*)$")


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _parse(requirement: str) -> tuple[str, str]:
    match = REQ.match(requirement)
    assert match, f"cannot parse requirement {requirement!r}"
    return _normalise(match.group(1)), match.group(2).replace(" ", "")


def _pyproject() -> dict[str, str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    project = data["project"]
    reqs = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        reqs.extend(extra)
    pairs = [_parse(r) for r in reqs]
    return {CONDA_NAME.get(name, name): spec for name, spec in pairs}


def _environment() -> dict[str, str]:
    deps: dict[str, str] = {}
    in_deps = False
    for line in (ROOT / "environment.yml").read_text(encoding="utf-8").splitlines():
        stripped = line.split("#", 1)[0].rstrip()
        if not stripped:
            continue
        if not line.startswith(" ") and stripped.endswith(":"):
            in_deps = stripped == "dependencies:"
            continue
        if in_deps and stripped.lstrip().startswith("- "):
            item = stripped.lstrip()[2:].strip()
            name, spec = _parse(item)
            if name in {"python", "pip"}:
                continue
            deps[name] = spec
    return deps


def test_same_packages_in_both_files() -> None:
    py, env = _pyproject(), _environment()
    assert set(py) == set(env), (
        f"only in pyproject.toml: {sorted(set(py) - set(env))}; "
        f"only in environment.yml: {sorted(set(env) - set(py))}"
    )


@pytest.mark.parametrize("name", sorted(_pyproject()))
def test_same_version_bounds(name: str) -> None:
    assert _pyproject()[name] == _environment().get(name), (
        f"{name}: pyproject.toml says {_pyproject()[name]!r}, "
        f"environment.yml says {_environment().get(name)!r}"
    )


def test_parser_sees_a_drift(tmp_path: Path) -> None:
    """The comparison can fail: a renamed package is reported."""
    py = _pyproject()
    env = dict(_environment())
    env.pop("numpy")
    env["numpyy"] = ">=1.26"
    assert set(py) != set(env)
