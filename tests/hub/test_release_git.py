"""`course release --git` + nbgitpuller: a student's own edits survive a later pull.

A tiny instructor repository stands in for the real one (a release of the whole course takes
seconds; the merge rules do not depend on its size).  The student side is nbgitpuller's own
``GitPuller`` cloning from and merging with the release repository, as a hub's single-user
server does when a student clicks the link.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from nbgitpuller.pull import GitPuller

from classroom.cli import main
from classroom.errors import CourseError
from classroom.hub.gitrelease import release_to_git
from classroom.hub.links import nbgitpuller_link

# nbgitpuller's GitPuller leaves the pipes of its git subprocesses for the garbage collector
# (a ResourceWarning raised outside any test code): the one warning these tests let pass.
pytestmark = pytest.mark.filterwarnings(
    r"ignore:Exception ignored in. <_io.FileIO name=\d+ mode='rb'"
    ":pytest.PytestUnraisableExceptionWarning")

def _notebook(text: str) -> str:
    return json.dumps({"cells": [{"cell_type": "markdown", "metadata": {}, "source": text}],
                       "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1) + "\n"


@pytest.fixture
def instructor(tmp_path: Path) -> Path:
    root = tmp_path / "instructor"
    (root / "course_lib").mkdir(parents=True)
    (root / "course_lib" / "__init__.py").write_text('"""lib."""\n')
    (root / "teaching-platform" / "classroom").mkdir(parents=True)
    (root / "teaching-platform" / "classroom" / "__init__.py").write_text('"""platform."""\n')
    (root / "notebooks").mkdir()
    (root / "notebooks" / "00_start_here.ipynb").write_text(_notebook("# Start v1"))
    (root / "notebooks" / "03_threat.ipynb").write_text(_notebook("# Threat v1"))
    return root


def _pull(repo: Path, home: Path) -> Path:
    target = home / "course"
    puller = GitPuller(f"file://{repo}", str(target), branch="main", depth=1)
    for _line in puller.pull():
        pass
    return target


def test_student_edits_survive_an_updated_release(instructor: Path, tmp_path: Path) -> None:
    release = tmp_path / "release"
    first = release_to_git(instructor, release)
    assert first.changed and "notebooks/00_start_here.ipynb" in first.files
    student = _pull(release, tmp_path / "home")
    assert "Start v1" in (student / "notebooks" / "00_start_here.ipynb").read_text()

    # the student works: edits lesson 03 (which the update also changes) and adds a file
    (student / "notebooks" / "03_threat.ipynb").write_text(_notebook("# Threat: MY NOTES"))
    (student / "notebooks" / "my_scratch.ipynb").write_text(_notebook("scratch"))
    # the instructor updates 00 and 03 and adds lesson 04, and releases again
    (instructor / "notebooks" / "00_start_here.ipynb").write_text(_notebook("# Start v2"))
    (instructor / "notebooks" / "03_threat.ipynb").write_text(_notebook("# Threat v2"))
    (instructor / "notebooks" / "04_tier.ipynb").write_text(_notebook("# Tier v1"))
    second = release_to_git(instructor, release)
    assert second.changed and second.commit != first.commit
    log = subprocess.run(["git", "-C", str(release), "log", "--format=%H"], check=True,
                         capture_output=True, text=True).stdout.split()
    assert log == [second.commit, first.commit]  # committed on top, history kept

    _pull(release, tmp_path / "home")
    assert "MY NOTES" in (student / "notebooks" / "03_threat.ipynb").read_text()
    assert "Start v2" in (student / "notebooks" / "00_start_here.ipynb").read_text()
    assert "Tier v1" in (student / "notebooks" / "04_tier.ipynb").read_text()
    assert (student / "notebooks" / "my_scratch.ipynb").read_text() == _notebook("scratch")


def test_unchanged_release_makes_no_commit_and_dirty_repo_is_refused(
        instructor: Path, tmp_path: Path) -> None:
    release = tmp_path / "release"
    first = release_to_git(instructor, release)
    again = release_to_git(instructor, release)
    assert (again.changed, again.commit) == (False, first.commit)
    (release / "notebooks" / "00_start_here.ipynb").write_text("hand edit")
    with pytest.raises(CourseError, match="uncommitted changes"):
        release_to_git(instructor, release)
    assert (release / "notebooks" / "00_start_here.ipynb").read_text() == "hand edit"


def test_git_release_refuses_a_folder_holding_other_files(instructor: Path,
                                                          tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "thesis.txt").write_text("mine")
    with pytest.raises(CourseError, match="not empty"):
        release_to_git(instructor, other)
    assert (other / "thesis.txt").read_text() == "mine"


def test_course_link_prints_the_lab_link(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["link", "--hub", "https://hub.example.org/", "--repo",
                 "https://git.example.org/nato/course.git", "--branch", "spring"]) == 0
    line = capsys.readouterr().out.strip()
    assert line == nbgitpuller_link("https://hub.example.org", "https://git.example.org/nato/"
                                    "course.git", branch="spring")
    assert line.startswith("https://hub.example.org/hub/user-redirect/git-pull?repo=https%3A")
    assert "branch=spring" in line
    assert "urlpath=lab%2Ftree%2Fcourse%2Fnotebooks%2F00_start_here.ipynb" in line
    assert main(["link", "--hub", "hub.example.org", "--repo", "x/course"]) == 2
