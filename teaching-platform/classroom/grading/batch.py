"""Batch grading: plan, grade in parallel kernels, record each result in the gradebook.

A batch (see :mod:`classroom.grading.discovery` for the layouts) goes:

1. find the submissions and read their bytes (regular files only);
2. tell which exercise each one is (``metadata.course.exercise``, else the file name); two
   notebooks of one student for one exercise are reported as ambiguous, never one kept;
3. skip what is done: the same submission bytes graded against the same exercise source with
   the same course_lib version (unless ``regrade``);
4. recompute, from the model answers, the expected values of checks marked ``recompute=True``
   (:mod:`classroom.grading.reference`) for the exercises still to grade;
5. grade the rest, committing each result to ``gradebook.sqlite`` in its own transaction;
6. export JSON, feedback and ``gradebook.csv`` from the database.

An interrupted batch (Ctrl-C, SIGTERM, ``kill -9``) keeps every committed result; running the
same command again grades only the rest.

The planning steps (1-3) live in :mod:`classroom.grading.plan`.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from classroom.errors import CommandInterrupted, CourseError
from classroom.gradebook.history import latest_results
from classroom.gradebook.store import Gradebook, open_gradebook
from classroom.grading import containment
from classroom.grading.discovery import discover_submissions
from classroom.grading.exercise import ExerciseSpec
from classroom.grading.judge import error_result
from classroom.grading.pipeline import Isolation, OnDone, grade_in_kernels
from classroom.grading.plan import Item, load_exercises, out_inside, plan, submission_row
from classroom.grading.profile import BatchProfile
from classroom.grading.report import export_all
from classroom.grading.results import SubmissionResult
from classroom.grading.runner import Limits
from classroom.grading.signals import run_cancellable
from classroom.grading.text import one_line, repair

__all__ = ["BatchResult", "GradingInterrupted", "grade_batch", "load_exercises"]


class GradingInterrupted(CommandInterrupted):
    """The batch was stopped (Ctrl-C, SIGTERM); ``saved`` results were committed."""

    def __init__(self, saved: int) -> None:
        super().__init__(f"interrupted: {saved} results saved; run the same command again to "
                         "finish")
        self.saved = saved


@dataclass
class BatchResult:
    """Outcome of :func:`grade_batch`: the latest result of every submission it saw."""

    results: list[SubmissionResult] = field(default_factory=list)
    gradebook: Path | None = None
    seconds: float = 0.0
    graded: int = 0
    skipped: int = 0
    isolation: list[str] = field(default_factory=list)
    limits: list[str] = field(default_factory=list)
    ignored: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def by_student(self, student: str, exercise: str) -> SubmissionResult:
        """The result for ``student`` and ``exercise`` (``KeyError`` when absent)."""
        for r in self.results:
            if r.student == student and r.exercise == exercise:
                return r
        raise KeyError((student, exercise))


def _hidden(paths: Sequence[str | Path], solutions: Path, out: Path,
            hide: Iterable[str | Path]) -> list[Path]:
    repo = solutions.parent
    hidden = [solutions, repo / ".git", repo / "tests", out.resolve(), *map(Path, hide)]
    for p in paths:
        p = Path(p).resolve()
        hidden.append(p if p.is_dir() else p.parent)
    return hidden


def _record(book: Gradebook, run_id: int, item: Item, result: SubmissionResult,
            exercise_sha: str, notebook: str | None = None) -> None:
    """Commit one result (as JSON: the gradebook is an edge); a result the database refuses
    becomes that student's error row.

    Text is made valid first (lone surrogates replaced); should the database still refuse
    the row, the error row says why, and only a database that refuses even that stops the
    batch (a disk or database fault, not a student's file).
    """
    row = submission_row(item)
    try:
        data, _ = repair(result.to_json())
        book.record_result(run_id, data, row, exercise_sha, notebook)
        return
    except (sqlite3.InterfaceError, sqlite3.DataError, ValueError, OverflowError,
            RecursionError, MemoryError) as exc:
        reason = one_line(f"the result could not be stored ({type(exc).__name__}: {exc})")
    fallback = error_result(item.sub.student, item.exercise, row["source_path"], reason)
    try:
        book.record_result(run_id, fallback.to_json(), row, exercise_sha)
    except (sqlite3.Error, ValueError) as exc:
        raise CourseError(f"the gradebook refused a result: {one_line(str(exc))}") from exc


def _record_errors(items: list[Item], on_done: OnDone) -> list[Item]:
    """Record the rows that need no kernel; return the items left to grade."""
    left = []
    for item in items:
        if item.error is not None:
            on_done(item, error_result(item.sub.student, item.exercise,
                                       item.sources or item.sub.display_path, item.error))
        else:
            left.append(item)
    return left


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
    regrade: bool = False,
    version: str | None = None,
    limit_level: str = "auto",
    profile: BatchProfile | None = None,
) -> BatchResult:
    """Grade every submission under ``paths``; record results in ``out_dir/gradebook.sqlite``.

    Parameters
    ----------
    paths : sequence of path
        Notebook files and/or folders (see :mod:`classroom.grading.discovery`).
    out_dir : path
        The grading folder: ``gradebook.sqlite`` and the exports written from it
        (``<encoded student>/<exercise>.json`` and ``.feedback.md``, ``gradebook.csv``).
        It may not be, or lie inside, a submissions folder.
    solutions_dir : path
        The instructor sources (``solutions/``).
    limits : Limits, optional
        Time, memory and output limits (default :class:`Limits`).
    jobs : int, optional
        Submissions graded at once (default: CPUs + 1); >= 1.
    isolate : {"auto", "require", "off"}
        Isolation of the kernels (see :mod:`classroom.grading.runner`).
    preload : bool
        Have the batch's kernel parent import the course's libraries and the setup cells'
        modules once, before any kernel is forked (faster batches).
    progress : bool, optional
        Show a tqdm bar (default: when stderr is a terminal).
    regrade : bool
        Grade again what is already done (adds a run; manual marks are kept).
    version : str, optional
        The course_lib version recorded (default: the installed one).
    limit_level : {"auto", "cgroup-v2", "cgroup-v1", "rlimit"}
        How the limits hold for all of a submission's processes (default: the best here; see
        :mod:`classroom.grading.containment`).
    profile : BatchProfile, optional
        Filled with where the batch's CPU went (see :mod:`classroom.grading.profile`).

    Returns
    -------
    BatchResult
        Latest results of the submissions seen, sorted by student and exercise.

    Raises
    ------
    CourseError, ValueError
        Usage errors (missing paths, ``out_dir`` inside a submissions folder, bad options).
    GradingInterrupted
        On Ctrl-C or SIGTERM, after the results so far were committed.
    """
    limits = limits or Limits()
    containment.limit_level(limit_level)  # a usage error before anything is graded
    jobs = (os.cpu_count() or 1) + 1 if jobs is None else jobs
    if not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 1:
        raise ValueError(f"jobs must be an integer >= 1, got {jobs!r}")
    specs, hashes = load_exercises(solutions_dir)
    out = Path(out_dir)
    folders = [Path(p) for p in paths if Path(p).is_dir()]
    inside = out_inside(out, folders)
    if inside is not None:
        raise CourseError(f"--out {out} is inside the submissions folder {inside}: choose a "
                          "folder outside it")
    if out.exists() and not out.is_dir():
        raise CourseError(f"--out {out} exists and is not a folder")
    found = discover_submissions(paths, specs)
    out.mkdir(parents=True, exist_ok=True)
    book = open_gradebook(out, version=version)
    try:
        hidden = _hidden(paths, Path(solutions_dir).resolve(), out, hide)
        profile = profile if profile is not None else BatchProfile()
        profile.start()
        try:
            return _grade_into(book, found, specs, hashes, paths, limits, jobs,
                               Isolation(isolate, hidden, Path(solutions_dir), limit_level),
                               preload, progress, regrade, profile)
        finally:
            profile.stop()
    finally:
        book.close()


def _grade_into(book: Gradebook, found: object, specs: dict[str, ExerciseSpec],
                hashes: dict[str, str], paths: Sequence[str | Path], limits: Limits, jobs: int,
                where: Isolation, preload: bool, progress: bool | None,
                regrade: bool, profile: BatchProfile) -> BatchResult:
    start = time.monotonic()
    for ex, spec in specs.items():
        book.sync_exercise(ex, spec.title, hashes[ex],
                           [(q.grade_id, "auto", q.points) for q in spec.questions]
                           + [(m.grade_id, "manual", m.points) for m in spec.manual],
                           spec.max_auto, spec.max_manual)
    items = plan(found.submissions, specs)  # type: ignore[attr-defined]
    keys = {(i.sub.student, i.exercise) for i in items}
    todo = [i for i in items if regrade or not book.is_done(
        i.sub.student, i.exercise, i.sub.sha256, hashes.get(i.exercise, ""))]
    run_id = book.start_run("course grade " + " ".join(str(p) for p in paths))
    isolation: list[str] = []
    limit_levels: list[str] = []
    show = sys.stderr.isatty() if progress is None else progress
    bar = tqdm(total=len(todo), unit="nb", desc="grading", file=sys.stderr) if show else None

    committed = [0]

    def on_done(item: Item, result: SubmissionResult, notebook: str | None = None) -> None:
        with profile.measure("database"):
            _record(book, run_id, item, result, hashes.get(item.exercise, ""), notebook)
        committed[0] += 1
        if result.graded:
            isolation.append(result.isolation or "none")
            limit_levels.append(result.limits or "rlimit")
        if bar is not None:
            bar.update(1)

    try:
        left = _record_errors(todo, on_done)
        warnings = run_cancellable(grade_in_kernels(left, specs, limits, jobs, where, preload,
                                                    profile, on_done))
        book.finish_run(run_id, isolation, limit_levels)
        warnings += export_all(book, profile=profile)
    except (KeyboardInterrupt, asyncio.CancelledError):
        try:
            saved = book.conn.execute("SELECT COUNT(*) FROM results WHERE run_id = ?",
                                      (run_id,)).fetchone()[0]
        except sqlite3.Error:  # interrupted inside a statement: count what this process saw
            saved = committed[0]
        raise GradingInterrupted(saved) from None
    finally:
        if bar is not None:
            bar.close()
    results = [SubmissionResult.from_json(r) for r in latest_results(book)
               if (r["student"], r["exercise"]) in keys]
    return BatchResult(results=results, gradebook=book.path,
                       seconds=time.monotonic() - start, graded=len(todo),
                       skipped=len(items) - len(todo), isolation=sorted(set(isolation)),
                       limits=sorted(set(limit_levels)),
                       ignored=found.ignored, warnings=warnings)  # type: ignore[attr-defined]
