"""Batch grading: find submissions, grade them in parallel kernels, write reports.

Submission layout
-----------------
* a folder argument: each sub-folder is a student (its name is the student id)
  and every file in it is one submission; files lying directly in the folder
  are treated as bare files;
* a bare file: when its stem is an exercise id, the student id is its parent
  folder's name (``alice/01_x.ipynb``); otherwise the student id is the file
  stem (``alice.ipynb``) and the exercise comes from the notebook metadata.

The exercise is identified by ``metadata.course.exercise`` and, failing
that, by the file name.  Hidden files and ``.ipynb_checkpoints`` are skipped.

Examples
--------
>>> student_id_for(Path("subs/alice/01_x.ipynb"), {"01_x"})
'alice'
>>> student_id_for(Path("subs/bob.ipynb"), {"01_x"})
'bob'
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from course_lib.grading.exercise import ExerciseSpec, assemble_submission, load_exercise
from course_lib.grading.judge import error_result, grade_result
from course_lib.grading.report import write_gradebook, write_submission_report
from course_lib.grading.runner import (
    Limits,
    StartedKernel,
    run_notebook,
    shutdown,
    start_kernel,
)
from course_lib.notebooks.model import (
    CellRole,
    NotebookFormatError,
    cell_role,
    exercise_info,
    grade_id,
    read_notebook,
)

__all__ = ["BatchResult", "Submission", "discover_submissions", "grade_batch", "load_exercises",
           "student_id_for"]

_SAFE = re.compile(r"[^A-Za-z0-9_.\-]+")


@dataclass(frozen=True)
class Submission:
    """One file to grade."""

    path: Path
    student: str


@dataclass
class BatchResult:
    """Outcome of :func:`grade_batch`: one result dict per submission, sorted."""

    results: list[dict] = field(default_factory=list)
    gradebook: Path | None = None
    seconds: float = 0.0

    def by_student(self, student: str, exercise: str) -> dict:
        """The result for ``student`` and ``exercise`` (``KeyError`` when absent)."""
        for r in self.results:
            if r["student"] == student and r["exercise"] == exercise:
                return r
        raise KeyError((student, exercise))


def _safe(name: str) -> str:
    cleaned = _SAFE.sub("_", name).strip("._")
    return cleaned or "unknown"


def student_id_for(path: Path, exercise_ids: Iterable[str]) -> str:
    """Student id of a bare file (see the module docstring for the rule)."""
    if path.stem in set(exercise_ids) and path.parent.name:
        return _safe(path.parent.name)
    return _safe(path.stem)


def load_exercises(solutions_dir: str | Path) -> dict[str, ExerciseSpec]:
    """Parse every instructor source in ``solutions_dir`` (keyed by exercise id)."""
    folder = Path(solutions_dir)
    if not folder.is_dir():
        raise ValueError(f"solutions_dir must be an existing folder, got {str(folder)!r}")
    specs = {}
    for path in sorted(folder.glob("*.ipynb")):
        spec = load_exercise(read_notebook(path))
        specs[spec.exercise] = spec
    if not specs:
        raise ValueError(f"solutions_dir holds no exercise notebooks: {str(folder)!r}")
    return specs


def _skip(path: Path) -> bool:
    return path.name.startswith(".") or ".ipynb_checkpoints" in path.parts


def discover_submissions(paths: Sequence[str | Path], exercise_ids: Iterable[str]
                         ) -> list[Submission]:
    """Expand files and folders into submissions (sorted, duplicates removed).

    Raises
    ------
    ValueError
        When a path does not exist (a usage error, not a bad submission).
    """
    ids = set(exercise_ids)
    found: dict[Path, Submission] = {}
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise ValueError(f"paths must exist, got {str(path)!r}")
        if path.is_file():
            found[path.resolve()] = Submission(path, student_id_for(path, ids))
            continue
        for child in sorted(path.iterdir()):
            if _skip(child):
                continue
            if child.is_file():
                found[child.resolve()] = Submission(child, student_id_for(child, ids))
            elif child.is_dir():
                for f in sorted(child.rglob("*")):
                    if f.is_file() and not _skip(f.relative_to(child)):
                        found[f.resolve()] = Submission(f, _safe(child.name))
    return sorted(found.values(), key=lambda s: (s.student, str(s.path)))


@dataclass
class _Prepared:
    sub: Submission
    spec: ExerciseSpec | None = None
    nb: object | None = None
    notes: list[str] = field(default_factory=list)
    manual: dict[str, str] = field(default_factory=dict)
    kernel: StartedKernel | None = None
    error: dict | None = None
    tmp: tempfile.TemporaryDirectory | None = None


def _identify(sub: Submission, specs: dict[str, ExerciseSpec]) -> tuple[object, ExerciseSpec]:
    nb = read_notebook(sub.path)
    info = exercise_info(nb)
    if info is not None and info.exercise in specs:
        return nb, specs[info.exercise]
    if sub.path.stem in specs:
        return nb, specs[sub.path.stem]
    named = f"metadata names exercise {info.exercise!r}" if info else \
        "metadata.course.exercise is missing"
    raise NotebookFormatError(
        f"cannot tell which exercise {sub.path.name} is: {named} and the file name matches "
        f"none of {', '.join(sorted(specs))}"
    )


async def _prepare(sub: Submission, specs: dict[str, ExerciseSpec], limits: Limits,
                   hide: list[Path], isolate: str, preload: bool) -> _Prepared:
    prep = _Prepared(sub)
    stem = _safe(sub.path.stem)
    try:
        nb, spec = _identify(sub, specs)
    except NotebookFormatError as exc:
        prep.error = error_result(sub.student, stem, str(sub.path), str(exc))
        return prep
    prep.spec = spec
    try:
        prep.nb, prep.notes = assemble_submission(spec, nb)
    except Exception as exc:  # noqa: BLE001 - a malformed notebook must not stop the batch
        prep.error = error_result(sub.student, spec.exercise, str(sub.path),
                                  f"the notebook's cells could not be read: {exc}")
        return prep
    prep.manual = {grade_id(c): c.source for c in prep.nb.cells
                   if cell_role(c) is CellRole.MANUAL and grade_id(c)}
    prep.tmp = tempfile.TemporaryDirectory(prefix="course-grade-")
    workdir = Path(prep.tmp.name)
    shutil.copyfile(sub.path, workdir / f"{spec.exercise}.ipynb")
    prep.kernel = await start_kernel(workdir, limits, hide=hide, isolate=isolate,
                                     preload=spec.preload if preload else ())
    return prep


async def _finish(prep: _Prepared, limits: Limits) -> dict:
    if prep.error is not None:
        return prep.error
    assert prep.spec is not None and prep.kernel is not None
    try:
        run, _ = await run_notebook(prep.nb, prep.kernel, limits, prep.spec.probe_names)
        return grade_result(prep.spec, run, student=prep.sub.student, source=str(prep.sub.path),
                            notes=prep.notes, manual_answers=prep.manual)
    except Exception as exc:  # noqa: BLE001 - the batch goes on
        await shutdown(prep.kernel)
        return error_result(prep.sub.student, prep.spec.exercise, str(prep.sub.path),
                            f"grading failed unexpectedly: {type(exc).__name__}: {exc}")
    finally:
        if prep.tmp is not None:
            prep.tmp.cleanup()


async def _grade_all(subs: list[Submission], specs: dict[str, ExerciseSpec], limits: Limits,
                     jobs: int, hide: list[Path], isolate: str, preload: bool,
                     on_done: Callable[[dict], None]) -> list[dict]:
    queue = list(subs)
    results: list[dict] = []

    def take() -> Submission | None:
        return queue.pop(0) if queue else None

    async def worker() -> None:
        # Start the next submission's kernel while the current one runs.
        first = take()
        pending = asyncio.ensure_future(_prepare(first, specs, limits, hide, isolate, preload)) \
            if first else None
        while pending is not None:
            current = await pending
            nxt = take()
            pending = asyncio.ensure_future(_prepare(nxt, specs, limits, hide, isolate, preload)) \
                if nxt else None
            result = await _finish(current, limits)
            results.append(result)
            on_done(result)

    await asyncio.gather(*(worker() for _ in range(max(1, min(jobs, len(subs))))))
    return results


def _run_coroutine(coro: object) -> object:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)  # type: ignore[arg-type]
    box: dict = {}
    thread = threading.Thread(target=lambda: box.setdefault("r", asyncio.run(coro)))  # type: ignore
    thread.start()
    thread.join()
    return box["r"]


def grade_batch(
    paths: Sequence[str | Path],
    out_dir: str | Path,
    *,
    solutions_dir: str | Path,
    limits: Limits | None = None,
    jobs: int | None = None,
    isolate: str = "auto",
    hide: Iterable[str | Path] = (),
    preload: bool = True,
    progress: bool | None = None,
) -> BatchResult:
    """Grade every submission under ``paths`` and write reports into ``out_dir``.

    Parameters
    ----------
    paths : sequence of path
        Notebook files and/or folders (see the module docstring for the layout).
    out_dir : path
        Receives ``<student>/<exercise>.json``, ``<student>/<exercise>.feedback.md``
        and ``gradebook.csv`` (built from every result JSON in ``out_dir``).
    solutions_dir : path
        The instructor sources (``solutions/``).
    limits : Limits, optional
        Time, memory and output limits (default :class:`Limits`).
    jobs : int, optional
        Submissions graded at once (default: CPUs + 1, which keeps every core busy while
        kernels start; each worker also starts its next kernel early); >= 1.
    isolate : {"auto", "require", "off"}
        Private mount namespace hiding ``solutions_dir``, the repository's
        ``.git`` and ``tests``, ``out_dir``, the submission folders and ``hide``.
    preload : bool
        Import the setup cells' modules while the kernel waits (faster batches).
    progress : bool, optional
        Show a tqdm bar (default: when stderr is a terminal).

    Returns
    -------
    BatchResult
        Results sorted by student and exercise.  Bad files become error results;
        only usage errors (missing paths, bad options) raise ``ValueError``.
    """
    limits = limits or Limits()
    jobs = (os.cpu_count() or 1) + 1 if jobs is None else jobs
    if not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"jobs must be an integer >= 1, got {jobs!r}")
    specs = load_exercises(solutions_dir)
    subs = discover_submissions(paths, specs)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    solutions = Path(solutions_dir).resolve()
    repo = solutions.parent
    hidden = [solutions, repo / ".git", repo / "tests", out.resolve(), *map(Path, hide)]
    for p in paths:
        p = Path(p).resolve()
        hidden.append(p if p.is_dir() else p.parent)
    show = sys.stderr.isatty() if progress is None else progress
    bar = None
    if show:
        bar = tqdm(total=len(subs), unit="nb", desc="grading", file=sys.stderr)

    def on_done(result: dict) -> None:
        write_submission_report(out, result)
        if bar is not None:
            bar.update(1)

    start = time.monotonic()
    try:
        results = _run_coroutine(_grade_all(subs, specs, limits, jobs, hidden, isolate, preload,
                                            on_done))
    finally:
        if bar is not None:
            bar.close()
    results = sorted(results, key=lambda r: (r["student"], r["exercise"], r["source_file"]))
    everything = []
    for path in sorted(out.glob("*/*.json")):
        try:
            everything.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
    gradebook = write_gradebook(out, [r for r in everything if "student" in r and "status" in r])
    return BatchResult(results=results, gradebook=gradebook, seconds=time.monotonic() - start)
