"""The ``course`` command offers what the installation holds: a student bundle has no grader."""

from __future__ import annotations

import importlib
import subprocess
import sys
import sysconfig

import pytest

from course_lib import cli
from course_lib.notebooks.release import build_release


def test_every_listed_command_module_registers_a_command():
    modules = cli.available_commands()
    assert [m.__name__.rsplit(".", 1)[1] for m in modules] == list(cli.COMMAND_MODULES)
    assert all(callable(m.register) for m in modules)


def test_a_command_whose_optional_package_is_missing_is_left_out(monkeypatch):
    real = importlib.import_module

    def without_grading(name, *args):
        if name == "course_lib.commands.grade":
            raise ModuleNotFoundError("No module named 'course_lib.grading'",
                                      name="course_lib.grading")
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", without_grading)
    names = [m.__name__.rsplit(".", 1)[1] for m in cli.available_commands()]
    assert "grade" not in names and "lab" in names
    assert cli.main(["lab", "--help"]) == 0


def test_any_other_missing_module_is_still_an_error(monkeypatch):
    real = importlib.import_module

    def broken(name, *args):
        if name == "course_lib.commands.slides":
            raise ModuleNotFoundError("No module named 'jinja3'", name="jinja3")
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", broken)
    with pytest.raises(ModuleNotFoundError):
        cli.available_commands()


def test_the_course_command_runs_in_a_student_bundle(tmp_path):
    bundle = tmp_path / "bundle"
    build_release(cli.repo_root(), bundle)
    assert not (bundle / "course_lib" / "grading").exists()
    # -S: no .pth files, so the development checkout's editable install cannot fill the gap
    probe = ("import sys; sys.path.append(sys.argv[2]); import course_lib; "
             "from course_lib.cli import main; "
             "assert course_lib.__file__.startswith(sys.argv[1]), course_lib.__file__; "
             "sys.exit(main(['--help']))")
    site = sysconfig.get_paths()["purelib"]
    done = subprocess.run([sys.executable, "-S", "-c", probe, str(bundle), site], cwd=bundle,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "lab" in done.stdout and " grade " not in done.stdout
