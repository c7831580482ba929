"""`course release DIR --overwrite` replaces only a bundle it wrote, never a repository folder.

Each data-loss scenario of issue 8 is reproduced on a copy of the repository (``fake_repo``):
before the fix, ``course release <repo>/solutions --overwrite`` deleted every solution notebook
and exited 0.
"""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from classroom.cli import main
from classroom.errors import CourseError
from classroom.notebooks.release import RELEASE_MARKER, build_release

pytestmark = pytest.mark.slow


def test_overwrite_refuses_the_solutions_folder(fake_repo: Path, snapshot) -> None:
    before = snapshot(fake_repo / "solutions")
    assert len([n for n in before if n.endswith(".ipynb")]) >= 6
    with pytest.raises(CourseError, match="inside the repository") as info:
        build_release(fake_repo, fake_repo / "solutions", overwrite=True)
    assert "\n" not in str(info.value)
    assert snapshot(fake_repo / "solutions") == before


def test_overwrite_refuses_any_folder_inside_the_repository(fake_repo: Path) -> None:
    inside = fake_repo / "_build" / "student"
    build_release(fake_repo, inside)  # a fresh folder inside the repository may be written
    assert (inside / RELEASE_MARKER).is_file()
    with pytest.raises(CourseError, match="inside the repository"):
        build_release(fake_repo, inside, overwrite=True)
    for target in (fake_repo, fake_repo.parent):
        with pytest.raises(CourseError, match="repository or a folder above it"):
            build_release(fake_repo, target, overwrite=True)
    assert (fake_repo / "course_lib" / "__init__.py").is_file()


def test_overwrite_refuses_a_folder_without_the_marker(fake_repo: Path, tmp_path: Path) -> None:
    mine = tmp_path / "thesis"
    mine.mkdir()
    (mine / "chapter1.md").write_text("two years of work\n")
    with pytest.raises(CourseError, match="was not written by `course release`"):
        build_release(fake_repo, mine, overwrite=True)
    assert (mine / "chapter1.md").read_text() == "two years of work\n"


def test_overwrite_refuses_a_bundle_with_files_added_later(fake_repo: Path,
                                                           tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    build_release(fake_repo, bundle)
    (bundle / "exercises" / "my_marking_notes.md").write_text("keep me\n")
    with pytest.raises(CourseError, match="did not write .*my_marking_notes.md"):
        build_release(fake_repo, bundle, overwrite=True)
    assert (bundle / "exercises" / "my_marking_notes.md").read_text() == "keep me\n"


def test_overwrite_replaces_its_own_bundle(fake_repo: Path, tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    first = build_release(fake_repo, bundle)
    marker = json.loads((bundle / RELEASE_MARKER).read_text())
    assert marker["written_by"] == "course release" and marker["files"] == first.files
    (bundle / "README.md").write_text("stale\n")  # a listed file may be replaced
    second = build_release(fake_repo, bundle, overwrite=True)
    assert second.files == first.files
    assert (bundle / "README.md").read_text().startswith("# NATO's southern flank")


def test_non_empty_folder_without_overwrite_is_refused(fake_repo: Path, tmp_path: Path,
                                                       snapshot) -> None:
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "x.txt").write_text("x")
    with pytest.raises(CourseError, match="is not empty"):
        build_release(fake_repo, busy)
    (tmp_path / "afile").write_text("x")
    with pytest.raises(CourseError, match="is a file"):
        build_release(fake_repo, tmp_path / "afile")
    assert snapshot(busy) == {"x.txt": b"x"}


def test_cli_refusal_is_one_line_and_exit_2(tmp_path: Path, capsys) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "keep.txt").write_text("k")
    assert main(["release", str(mine), "--overwrite"]) == 2
    err = capsys.readouterr().err.strip()
    assert "error:" in err and "was not written by `course release`" in err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert (mine / "keep.txt").read_text() == "k"


def test_bundle_files_honour_the_umask(fake_repo: Path, tmp_path: Path, umask_022: int) -> None:
    (fake_repo / "course_lib" / "checks" / "api.py").chmod(0o600)  # a private source file
    bundle = tmp_path / "bundle"
    build_release(fake_repo, bundle)
    modes = {p.relative_to(bundle).as_posix(): stat.S_IMODE(p.stat().st_mode)
             for p in bundle.rglob("*")}
    wrong = {name: oct(mode) for name, mode in modes.items()
             if mode & 0o044 != 0o044 or mode & 0o022}
    assert wrong == {}, f"not readable by the class under umask 022: {wrong}"
    assert {"README.md", "exercises/01_southern_direction_exercises.ipynb",
            "course_lib/checks/api.py", RELEASE_MARKER} <= set(modes)
