"""What the two packages install: the platform's wheel carries the JupyterLab extension as shared
data (as every prebuilt extension does), and course_lib alone, without the platform, is a whole
library (the strict nbval pass of ``make test`` executes every lesson in its kernel)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from classroom.labextension import EXTENSION_DIR, EXTENSION_NAME, SETTINGS_FILE

ROOT = Path(__file__).resolve().parents[1]
PLATFORM = ROOT / "teaching-platform"
#: The course_lib-only environment and its kernel (made by `make lib-venv`, part of `make test`).
LIB_VENV = ROOT / ".venv-lib"
LIB_PYTHON = LIB_VENV / "bin" / "python"
LIB_KERNEL = "course-lib-only"
LIB_KERNELSPEC = Path(sys.prefix) / "share" / "jupyter" / "kernels" / LIB_KERNEL / "kernel.json"


@pytest.mark.slow
def test_the_platform_wheel_carries_the_extension_as_shared_data(tmp_path: Path) -> None:
    source = tmp_path / "teaching-platform"  # a copy: building writes build/ beside the sources
    shutil.copytree(PLATFORM, source, ignore=shutil.ignore_patterns("build", "*.egg-info",
                                                                    "__pycache__"))
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                            "--wheel-dir", str(tmp_path / "dist"), str(source)],
                           capture_output=True, text=True, check=False)
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("classroom-*.whl")
    data = f"{wheel.name.split('-')[0]}-{wheel.name.split('-')[1]}.data/data/share/jupyter/"
    extension = f"{data}labextensions/{EXTENSION_NAME}/"
    with zipfile.ZipFile(wheel) as archive:
        shared = {name: archive.read(name) for name in archive.namelist()
                  if name.startswith(data)}
    package = json.loads(shared[extension + "package.json"])
    entry = package["jupyterlab"]["_build"]["load"]  # the file JupyterLab will fetch
    expected = {extension + "package.json": EXTENSION_DIR / "package.json",
                extension + "install.json": EXTENSION_DIR / "install.json",
                extension + entry: EXTENSION_DIR / entry,
                f"{data}lab/settings/overrides.d/course-lib.json": SETTINGS_FILE}
    assert sorted(shared) == sorted(expected)
    for name, path in expected.items():
        assert shared[name] == path.read_bytes(), name
    assert json.loads(shared[extension + "install.json"])["packageName"] == "classroom"


def _lib(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(LIB_PYTHON), "-c", code], capture_output=True, text=True,
                          check=False, cwd=LIB_VENV)


@pytest.fixture(scope="module")
def lib_venv(require_or_skip) -> Path:
    require_or_skip(LIB_PYTHON.is_file() and LIB_KERNELSPEC.is_file(),
                    f"no course_lib-only environment at {LIB_VENV} with the kernel {LIB_KERNEL}: "
                    "`make lib-venv` makes both (`make test` does)")
    return LIB_VENV


@pytest.mark.slow
def test_course_lib_installs_alone_and_its_kernel_runs_the_lessons(lib_venv: Path) -> None:
    """The kernel that strict nbval executes every lesson in has course_lib and no platform."""
    spec = json.loads(LIB_KERNELSPEC.read_text())
    assert Path(spec["argv"][0]) == LIB_PYTHON
    makefile = (ROOT / "Makefile").read_text()  # make test's nbval pass runs in that kernel
    assert f"LIB_KERNEL := {LIB_KERNEL}" in makefile
    assert "--nbval-kernel-name $(LIB_KERNEL)" in makefile
    absent = _lib("import classroom")
    assert absent.returncode != 0 and "No module named 'classroom'" in absent.stderr
    found = _lib("import course_lib, pathlib; print(pathlib.Path(course_lib.__file__).parent)")
    assert found.returncode == 0, found.stderr
    installed = Path(found.stdout.strip())
    assert installed.is_relative_to(lib_venv), "a copy in the venv, not the checkout (editable)"
    ours = {p.relative_to(ROOT / "course_lib"): p.read_bytes()
            for p in (ROOT / "course_lib").rglob("*")
            if p.is_file() and "__pycache__" not in p.parts}
    theirs = {p.relative_to(installed): p.read_bytes() for p in installed.rglob("*")
              if p.is_file() and "__pycache__" not in p.parts}
    assert theirs == ours, "the course_lib-only venv is stale: `make lib-venv` reinstalls it"
