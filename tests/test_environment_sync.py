"""environment.yml (conda-forge, Binder) and the two pyproject.toml files (course_lib at the root,
classroom in teaching-platform/) must name the same dependencies."""

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


PYPROJECTS = (ROOT / "pyproject.toml", ROOT / "teaching-platform" / "pyproject.toml")
#: The repository's own distributions: installed from the checkout, not from conda-forge.
OWN = {"course-lib", "classroom"}


def _pyproject(paths: tuple[Path, ...] = PYPROJECTS) -> dict[str, str]:
    reqs: list[str] = []
    for path in paths:
        project = tomllib.loads(path.read_text(encoding="utf-8"))["project"]
        reqs.extend(project["dependencies"])
        for extra in project.get("optional-dependencies", {}).values():
            reqs.extend(extra)
    pairs = [_parse(r) for r in reqs]
    return {CONDA_NAME.get(name, name): spec for name, spec in pairs if name not in OWN}


def _environment(path: Path = ROOT / "environment.yml") -> dict[str, str]:
    deps: dict[str, str] = {}
    in_deps = False
    for line in path.read_text(encoding="utf-8").splitlines():
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


def _drift(py: dict[str, str], env: dict[str, str]) -> list[str]:
    """Every difference between the two files, one line each (empty when in step)."""
    problems = [f"only in pyproject.toml: {name}" for name in sorted(set(py) - set(env))]
    problems += [f"only in environment.yml: {name}" for name in sorted(set(env) - set(py))]
    problems += [f"{name}: pyproject.toml says {py[name]!r}, environment.yml says {env[name]!r}"
                 for name in sorted(set(py) & set(env)) if py[name] != env[name]]
    return problems


def test_same_packages_in_both_files() -> None:
    assert _drift(_pyproject(), _environment()) == []


@pytest.mark.parametrize("name", sorted(_pyproject()))
def test_same_version_bounds(name: str) -> None:
    assert _pyproject()[name] == _environment().get(name), (
        f"{name}: pyproject.toml says {_pyproject()[name]!r}, "
        f"environment.yml says {_environment().get(name)!r}"
    )


def test_parser_sees_a_drift(tmp_path: Path) -> None:
    """The comparison can fail: a renamed package and a changed bound in the FILE are reported."""
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    assert re.search(r"^\s*- numpy\s*>=1\.26\s*$", text, flags=re.M), "fixture line moved"
    assert re.search(r"^\s*- pandas\s*>=2\.1\s*$", text, flags=re.M), "fixture line moved"
    drifted = re.sub(r"^(\s*- )numpy(\s*>=)", r"\1numpyy\2", text, flags=re.M)
    drifted = re.sub(r"^(\s*- pandas\s*)>=2\.1", r"\1>=2.0", drifted, flags=re.M)
    path = tmp_path / "environment.yml"
    path.write_text(drifted, encoding="utf-8")
    baseline = _drift(_pyproject(), _environment())
    assert [p for p in _drift(_pyproject(), _environment(path)) if p not in baseline] == [
        "only in pyproject.toml: numpy",
        "only in environment.yml: numpyy",
        "pandas: pyproject.toml says '>=2.1', environment.yml says '>=2.0'",
    ]
