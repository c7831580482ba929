"""Student release bundle: lessons, exercises, the library, environment; no solutions.

Examples
--------
>>> sorted(RELEASE_FILES)
['course.toml', 'environment.yml', 'pyproject.toml']
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from classroom.errors import CourseError
from course_lib.files import atomic_write_bytes, atomic_write_text, copy_tree
from classroom.notebooks.guard import check_replaceable, is_inside, write_marker
from classroom.notebooks.model import read_notebook
from classroom.notebooks.transform import build_exercises, solution_lines
from course_lib.practice.keyfile import KEY_NOTE, write_practice_keys

__all__ = ["PACKAGES", "RELEASE_FILES", "RELEASE_MARKER", "ReleaseResult", "build_release", "scan_for_leaks"]

#: The marker a bundle carries: ``--overwrite`` replaces only a folder holding it.
RELEASE_MARKER = ".course-release.json"
_TOOL = "course release"

#: Top-level files copied into the bundle when they exist.
RELEASE_FILES = ("course.toml", "environment.yml", "pyproject.toml")
#: The folders of the two packages, copied whole: ``course_lib/`` (what lessons and kernels
#: import) and ``teaching-platform/`` (the ``classroom`` package: the ``course`` command,
#: ``course lab``, ``check``, ``progress``). Neither holds anything secret; answers live only
#: in ``solutions/``, which is never copied.
PACKAGES = ("course_lib", "teaching-platform")
_SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", "*.egg-info",
                               "build", "node_modules")

STUDENT_README = """\
# {title}: student edition

This folder holds everything you need to work through the course offline.

- `notebooks/`: the lessons. Start with `notebooks/00_start_here.ipynb`.
- `exercises/`: one exercise notebook per lesson. Write your answers in the cells
  marked `# YOUR CODE HERE` (delete the `raise NotImplementedError()` line) and in
  the cells that say `YOUR ANSWER HERE`.
- `course_lib/`: the small library the lessons and exercises use.
- `teaching-platform/`: the `course` command (`course lab`, `course progress`).

## Set up

    conda env create -f environment.yml   # or: python -m venv .venv && pip install -e . -e ./teaching-platform
    jupyter lab notebooks/00_start_here.ipynb

## How your exercises are checked

The visible test cells run *self-checks*: they check the form of an answer (its
type, range or length), not whether it is correct. When your work is graded,
hidden checks judge the values of your answer variables. Keep the variable
names as given, do not edit or delete the locked cells (they are restored from
the original anyway), and make sure the notebook runs from top to bottom in a
fresh kernel ("Kernel > Restart Kernel and Run All Cells"). Reflection answers
are read and graded by a person.
"""


PRACTICE_README = f"""
## Practice verdicts

This is a practice edition: `course check exercises/NN_slug_exercises.ipynb` runs your saved
notebook and says, per question, whether each autograded answer is right, with the grader's
feedback. {KEY_NOTE}
"""


@dataclass
class ReleaseResult:
    """Files written into the bundle (relative paths, sorted) and any leaks found."""

    files: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)


def _text_lines(path: Path, text: str) -> list[str]:
    """Stripped lines of a text file; for notebooks, of every cell source and output."""
    if path.suffix == ".ipynb":
        try:
            nb = json.loads(text)
            chunks: list[str] = []
            for cell in nb.get("cells", []):
                chunks.append(_join(cell.get("source", "")))
                for out in cell.get("outputs", []) or []:
                    chunks.append(_join(out.get("text", "")))
                    for value in (out.get("data") or {}).values():
                        chunks.append(_join(value) if isinstance(value, str | list) else "")
            text = "\n".join(chunks)
        except (ValueError, AttributeError):
            pass
    return [line.strip() for line in text.splitlines()]


def _join(value: str | list) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def scan_for_leaks(bundle: str | Path, solutions_dir: str | Path) -> list[str]:
    """Find solution or hidden-test lines (and solution files) inside ``bundle``.

    Every text file in the bundle is scanned for every line that exists only
    in the instructor sources (see
    :func:`~classroom.notebooks.transform.solution_lines`), and for the
    nbgrader solution and hidden-test markers.

    Returns
    -------
    list of str
        ``"relative/path: reason"`` entries; empty when the bundle is clean.

    Examples
    --------
    >>> import tempfile
    >>> scan_for_leaks(tempfile.mkdtemp(), tempfile.mkdtemp())
    []
    """
    bundle, solutions_dir = Path(bundle), Path(solutions_dir)
    secrets: set[str] = set()
    for src in sorted(solutions_dir.glob("*.ipynb")):
        secrets |= solution_lines(read_notebook(src))
    markers = ("### BEGIN SOLUTION", "### END SOLUTION", "### BEGIN HIDDEN TESTS",
               "### END HIDDEN TESTS")
    leaks: list[str] = []
    for path in sorted(p for p in bundle.rglob("*") if p.is_file()):
        rel = path.relative_to(bundle).as_posix()
        if rel.split("/")[0] == "solutions":
            leaks.append(f"{rel}: file from solutions/")
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        if rel.startswith(tuple(f"{p}/" for p in PACKAGES)) and rel.endswith((".py", ".md")):
            # the library documents the markers themselves; scan it for answers only
            found_markers: list[str] = []
        else:
            found_markers = [m for m in markers if m in text]
        joined = "\n".join(_text_lines(path, text))
        hits = sorted(s for s in secrets if s in joined)
        for m in found_markers:
            leaks.append(f"{rel}: contains marker {m!r}")
        for h in hits:
            leaks.append(f"{rel}: contains solution/hidden-test line {h!r}")
    return leaks


def _prepare_dest(root: Path, dest: Path, overwrite: bool) -> None:
    """Refuse an unsafe ``dest``; with ``overwrite``, remove a bundle written earlier."""
    if dest == root or dest in root.parents:
        raise CourseError(f"{dest} is the repository or a folder above it; choose a folder "
                          "outside the repository")
    if dest.exists() and not dest.is_dir():
        raise CourseError(f"{dest} is a file, not a folder")
    if not dest.exists() or not any(dest.iterdir()):
        return
    if not overwrite:
        raise CourseError(f"{dest} is not empty; choose an empty folder (or pass --overwrite "
                          "to replace a bundle `course release` wrote there)")
    if is_inside(dest, root):
        raise CourseError(f"{dest} is inside the repository {root}; --overwrite never replaces "
                          "a folder there: choose a folder outside the repository")
    check_replaceable(dest, RELEASE_MARKER, _TOOL)
    shutil.rmtree(dest)


def build_release(repo_root: str | Path, dest: str | Path, *, overwrite: bool = False,
                  practice: bool = False) -> ReleaseResult:
    """Write the student bundle of the course at ``repo_root`` into ``dest``.

    The bundle holds ``notebooks/`` (lessons), ``exercises/`` (regenerated from
    ``solutions/`` into the bundle, never copied from the instructor tree),
    the packages ``course_lib/`` and ``teaching-platform/``, ``course.toml``, ``environment.yml``,
    ``pyproject.toml``, a student ``README.md`` and the marker ``.course-release.json``
    listing every file written.  It is scanned with :func:`scan_for_leaks` and
    ``ValueError`` is raised if anything leaked.  Files get their mode from the umask.

    Parameters
    ----------
    repo_root : path
        The instructor repository (holding ``course_lib/`` and ``solutions/``).
    dest : path
        Target folder; must not exist or be empty unless ``overwrite``.
    overwrite : bool
        Replace an existing non-empty ``dest``, only if it lies outside the repository and
        holds a bundle written earlier (its marker lists every file in it).
    practice : bool
        Add practice keys (``exercises/.practice/*.json``) so that ``course check`` gives
        right-or-wrong verdicts in the bundle: salted hashes of exact answers, a practice aid
        and not a secret. Never for a graded release.

    Raises
    ------
    CourseError
        For a ``dest`` that may not be written or replaced (one line saying why).
    """
    root, dest = Path(repo_root).resolve(), Path(dest).resolve()
    missing = [p for p in PACKAGES if not (root / p).is_dir()]
    if missing:
        raise ValueError(f"repo_root must hold {', '.join(PACKAGES)}, got {str(root)!r}")
    _prepare_dest(root, dest, overwrite)
    dest.mkdir(parents=True, exist_ok=True)
    if (root / "notebooks").is_dir():
        copy_tree(root / "notebooks", dest / "notebooks", skip=_SKIP)
    solutions = root / "solutions"
    if solutions.is_dir():
        build_exercises(solutions, dest / "exercises")
        if practice:
            write_practice_keys(solutions, dest / "exercises")
    for package in PACKAGES:
        copy_tree(root / package, dest / package, skip=_SKIP)
    for name in RELEASE_FILES:
        if (root / name).is_file():
            atomic_write_bytes(dest / name, (root / name).read_bytes())
    readme = STUDENT_README.format(title="NATO's southern flank")
    atomic_write_text(dest / "README.md", readme + (PRACTICE_README if practice else ""))
    files = sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file())
    write_marker(dest, RELEASE_MARKER, _TOOL, files)
    leaks = scan_for_leaks(dest, solutions) if solutions.is_dir() else []
    if leaks:
        raise ValueError("release bundle leaks instructor material: " + "; ".join(leaks[:10]))
    return ReleaseResult(files=files, leaks=leaks)
