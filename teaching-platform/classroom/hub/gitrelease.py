"""The student bundle as a git repository that nbgitpuller can serve.

``course release DIR --git`` writes the bundle (see
:func:`classroom.notebooks.release.build_release`) into ``DIR`` and commits it; a later release
into the same ``DIR`` commits the update on top, so every student's copy pulled with nbgitpuller
merges the change with their own edits: nbgitpuller merges with ``git merge -Xours`` (the
student's side wins a conflict), keeps a file the student changed that the update deleted, and
renames a student's untracked file that the update would overwrite (``GitPuller.merge`` and
``rename_local_untracked`` in nbgitpuller 1.3; jupyterhub/nbgitpuller pull request #269, 2022).

Nothing is written while the repository has uncommitted changes; files of an earlier release
that the new one drops are removed from the work tree (git keeps them in history).

Examples
--------
>>> commit_message(3)
'course release: 3 files'
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from classroom.errors import CourseError
from classroom.notebooks.guard import is_inside, read_marker
from classroom.notebooks.release import RELEASE_MARKER, build_release
from course_lib.files import atomic_write_bytes

__all__ = ["GitRelease", "commit_message", "git", "release_to_git"]

_TOOL = "course release"
#: Identity used only when git has none configured for the release repository.
FALLBACK_IDENTITY = ("course release", "course-release@localhost")


@dataclass
class GitRelease:
    """What a git release did: the commit, whether anything changed, the files it holds."""

    commit: str
    changed: bool
    files: list[str]
    branch: str


def commit_message(n_files: int) -> str:
    """The message of a release commit.

    Examples
    --------
    >>> commit_message(1)
    'course release: 1 files'
    """
    return f"course release: {n_files} files"


def git(repo: Path, *args: str) -> str:
    """Run ``git -C repo args...``; its stdout, or a one-line ``CourseError``.

    Examples
    --------
    >>> git(Path("."), "--version").startswith("git version")
    True
    """
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                              check=False)
    except FileNotFoundError as exc:
        raise CourseError("git is not installed (needed for --git)") from exc
    if done.returncode != 0:
        detail = (done.stderr.strip() or done.stdout.strip()).splitlines()
        raise CourseError(f"git {args[0]} failed in {repo}: {detail[-1] if detail else '?'}")
    return done.stdout


def _identity_args(repo: Path) -> list[str]:
    """``-c user.name=... -c user.email=...`` when git knows no identity there."""
    probe = subprocess.run(["git", "-C", str(repo), "config", "user.email"],
                           capture_output=True, text=True, check=False)
    if probe.stdout.strip():
        return []
    name, email = FALLBACK_IDENTITY
    return ["-c", f"user.name={name}", "-c", f"user.email={email}"]


def _open_repository(dest: Path, branch: str) -> None:
    """Create the repository at ``dest``, or check the existing one may take a release."""
    if (dest / ".git").is_dir():
        if read_marker(dest, RELEASE_MARKER, _TOOL) is None:
            raise CourseError(f"{dest} is a git repository but holds no bundle written by "
                              "`course release`; choose another folder")
        if git(dest, "status", "--porcelain").strip():
            raise CourseError(f"{dest} has uncommitted changes; commit or remove them first "
                              "(course release never overwrites them)")
        current = git(dest, "rev-parse", "--abbrev-ref", "HEAD").strip()
        if current != branch:
            raise CourseError(f"{dest} is on branch {current!r}, not {branch!r}; pass "
                              f"--branch {current} or switch branches")
        return
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise CourseError(f"{dest} is not empty and not a release repository; choose an empty "
                          "folder")
    dest.mkdir(parents=True, exist_ok=True)
    git(dest, "init", "--quiet", "-b", branch)


def _sync(bundle: Path, dest: Path, files: list[str]) -> None:
    """Make the work tree of ``dest`` hold exactly the bundle's ``files``."""
    tracked = set(git(dest, "ls-files", "-z").split("\0")) - {""}
    for stale in sorted(tracked - set(files)):
        (dest / stale).unlink(missing_ok=True)
    for rel in files:
        atomic_write_bytes(dest / rel, (bundle / rel).read_bytes())


def release_to_git(repo_root: str | Path, dest: str | Path, *, branch: str = "main"
                   ) -> GitRelease:
    """Write the student bundle into the git repository ``dest`` and commit it.

    Parameters
    ----------
    repo_root : path
        The instructor repository.
    dest : path
        A new or empty folder (a repository is created on ``branch``), or a repository an
        earlier ``release_to_git`` wrote, with no uncommitted changes.
    branch : str
        The branch students pull (the ``--branch`` of ``course link``).

    Raises
    ------
    CourseError
        For a ``dest`` inside the instructor repository, a folder holding something else, or
        uncommitted changes (one line saying why).
    """
    root, dest = Path(repo_root).resolve(), Path(dest).resolve()
    if is_inside(dest, root) or dest in root.parents:
        raise CourseError(f"{dest} is inside or above the repository {root}; choose a folder "
                          "outside it")
    _open_repository(dest, branch)
    staging = Path(tempfile.mkdtemp(prefix=".course-release-", dir=dest.parent))
    try:
        result = build_release(root, staging / "bundle")
        files = sorted({*result.files, RELEASE_MARKER})
        _sync(staging / "bundle", dest, files)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    git(dest, "add", "--all")
    changed = bool(git(dest, "status", "--porcelain").strip())
    if changed:
        git(dest, *_identity_args(dest), "commit", "--quiet", "-m",
            commit_message(len(files)))
    commit = git(dest, "rev-parse", "HEAD").strip()
    return GitRelease(commit=commit, changed=changed, files=files, branch=branch)
