"""The ``course`` command: every command module registers, the help speaks to users, and the
command runs from a student bundle's own copies of the two packages."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from classroom import cli
from classroom.notebooks.release import build_release

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]


def test_every_listed_command_module_registers_a_command():
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    names = list(sub.choices)
    assert len(names) >= len(cli.COMMAND_MODULES)
    for module in cli.COMMAND_MODULES:
        assert module.rstrip("_").split("_")[0] in " ".join(names), module


def test_help_speaks_to_users(capsys):
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    assert cli.DESCRIPTION.split(":")[0] in out.replace("\n", " ")
    assert "dispatch" not in out and "classroom.commands" not in out


def test_the_course_command_runs_in_a_student_bundle(tmp_path):
    bundle = tmp_path / "bundle"
    build_release(ROOT, bundle)
    assert (bundle / "course_lib" / "__init__.py").is_file()
    assert not (bundle / "solutions").exists()
    # -S: no .pth files, so the development checkout's editable installs cannot fill the gap
    probe = ("import sys; sys.path[:0] = [sys.argv[1], sys.argv[1] + '/teaching-platform']; "
             "sys.path.append(sys.argv[2]); import course_lib, classroom; "
             "from classroom.cli import main; "
             "assert course_lib.__file__.startswith(sys.argv[1]), course_lib.__file__; "
             "assert classroom.__file__.startswith(sys.argv[1]), classroom.__file__; "
             "sys.exit(main(['--help']))")
    site = sysconfig.get_paths()["purelib"]
    done = subprocess.run([sys.executable, "-S", "-c", probe, str(bundle), site], cwd=bundle,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "check" in done.stdout and "progress" in done.stdout
