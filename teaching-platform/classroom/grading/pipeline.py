"""The submissions of a batch through kernels: one kernel parent, ``jobs`` kernels at a time.

Everything of a batch that needs kernels runs here, under one kernel parent
(:mod:`classroom.grading.parent`): first the model answers' expected values
(:mod:`classroom.grading.reference`), then the submissions.  Each worker starts the next
submission's kernel while the current one runs; each result goes to ``on_done`` (which commits
it) as soon as it is judged.  Cancelled (Ctrl-C, SIGTERM; see :mod:`classroom.grading.signals`),
every kernel started or starting is stopped, and the parent with them.

Examples
--------
>>> notebook_json({"cells": []})
'{"cells": []}'
"""

from __future__ import annotations

import asyncio
import json
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from classroom.grading.exercise import ExerciseSpec, assemble_submission
from classroom.grading.judge import error_result, grade_result
from classroom.grading.kernel_env import kernel_environment
from classroom.grading.parent import BASE_PRELOAD, KernelParent
from classroom.grading.plan import Item
from classroom.grading.profile import BatchProfile, process_cpu
from classroom.grading.reference import recompute_specs
from classroom.grading.results import SubmissionResult
from classroom.grading.runner import Limits, StartedKernel, run_notebook, shutdown, start_kernel
from classroom.grading.sandbox import choose_level
from classroom.grading.text import one_line
from classroom.notebooks.model import CellRole, cell_role, grade_id

__all__ = ["Isolation", "OnDone", "grade_in_kernels", "notebook_json"]


#: Called with each submission's result (and its executed notebook, JSON) as it is done.
OnDone = Callable[..., None]


@dataclass(frozen=True)
class Isolation:
    """How kernels are isolated (level, hidden folders), where the sources are, and how the
    limits are held (see :mod:`classroom.grading.containment`)."""

    level: str
    hidden: list[Path]
    solutions: Path
    limit_level: str = "auto"


async def grade_in_kernels(todo: list[Item], specs: dict[str, ExerciseSpec], limits: Limits,
                           jobs: int, where: Isolation, preload: bool, profile: BatchProfile,
                           on_done: OnDone) -> list[str]:
    """Everything that needs kernels, under one kernel parent: the model answers' expected
    values (given to the items' specs), then the submissions.  Returns the warnings."""
    exercises = {i.exercise for i in todo if i.error is None}
    modules = [*BASE_PRELOAD, *(m for e in sorted(exercises) if e in specs
                                for m in specs[e].preload)] if preload else []
    parents = _Parents(choose_level(where.level), where.hidden, modules)
    try:
        new_specs, warnings = await recompute_specs(specs, exercises, where.solutions, limits,
                                                    where.hidden, where.level,
                                                    parent=parents.get)
        for item in todo:
            if item.spec is not None:
                item.spec = new_specs.get(item.exercise, item.spec)
        await _grade_all(todo, limits, jobs, parents, preload, where.limit_level, profile,
                         on_done)
    finally:
        await parents.close(profile)
    return warnings


@dataclass
class _Prepared:
    item: Item
    nb: object | None = None
    notes: list[str] = field(default_factory=list)
    manual: dict[str, str] = field(default_factory=dict)
    images: dict[str, dict] = field(default_factory=dict)
    kernel: StartedKernel | None = None
    tmp: tempfile.TemporaryDirectory | None = None


class _Parents:
    """The batch's kernel parent, started on first use and again should it stop."""

    def __init__(self, level: str, hide: list[Path], preload: Sequence[str]) -> None:
        self.level, self.hide, self.preload = level, hide, tuple(preload)
        self.parent: KernelParent | None = None
        self.error: str | None = None
        self._lock = asyncio.Lock()

    async def get(self) -> KernelParent | None:
        """The running parent, or ``None`` (then :attr:`error` says why)."""
        async with self._lock:
            if self.parent is not None and not self.parent.alive:
                await self.parent.close()
                self.parent = None
            if self.parent is None:
                try:
                    self.parent = await KernelParent.start(
                        self.level, kernel_environment, hide=self.hide, preload=self.preload)
                except (OSError, RuntimeError) as exc:
                    self.error = one_line(f"the Python kernel could not start ({exc})")
            return self.parent

    async def close(self, profile: BatchProfile) -> None:
        """Stop the parent (idempotent); its own CPU goes to ``profile``."""
        if self.parent is not None:
            parent, self.parent = self.parent, None
            profile.add("kernel parent: start and imports (once per batch)",
                        process_cpu([parent.host_pid]) - parent.children_cpu())
            await parent.close()


async def _prepare(prep: _Prepared, limits: Limits, parents: _Parents, preload: bool,
                   limit_level: str) -> _Prepared:
    item = prep.item
    assert item.spec is not None and item.sub.data is not None
    try:
        prep.nb, notes = assemble_submission(item.spec, item.nb)
    except Exception as exc:  # noqa: BLE001 - a malformed notebook must not stop the batch
        item.error = one_line(f"the notebook's cells could not be read: {exc}")
        return prep
    prep.notes = item.notes + notes
    manual = [c for c in prep.nb.cells if cell_role(c) is CellRole.MANUAL and grade_id(c)]
    prep.manual = {grade_id(c): c.source for c in manual}
    prep.images = {grade_id(c): dict(c.attachments) for c in manual if c.get("attachments")}
    prep.tmp = tempfile.TemporaryDirectory(prefix="course-grade-")
    workdir = Path(prep.tmp.name)
    (workdir / f"{item.spec.exercise}.ipynb").write_bytes(item.sub.data)
    parent = await parents.get()
    if parent is None:
        prep.kernel = StartedKernel(km=None, kc=None, workdir=workdir, isolation=parents.level,
                                    startup_error=parents.error)
        return prep
    prep.kernel = await start_kernel(workdir, limits,
                                     preload=item.spec.preload if preload else (),
                                     limit_level=limit_level, parent=parent)
    return prep


async def _finish(prep: _Prepared, limits: Limits, profile: BatchProfile
                  ) -> tuple[SubmissionResult, str | None]:
    """The submission's result, and its executed notebook (JSON) for the instructor page."""
    item = prep.item
    source = item.sub.display_path
    if item.error is not None:
        return error_result(item.sub.student, item.exercise, source, item.error), None
    assert item.spec is not None and prep.kernel is not None
    try:
        run, executed = await run_notebook(prep.nb, prep.kernel, limits, item.spec.probe_names)
        for name, phase in prep.kernel.phases.items():
            profile.add(name, phase.cpu, phase.wall)
        if prep.kernel.containment is not None:
            profile.add("watchdog (limits)", prep.kernel.containment.watch_cpu)
        with profile.measure("judging"):
            result = grade_result(item.spec, run, student=item.sub.student, source=source,
                                  notes=prep.notes, manual_answers=prep.manual,
                                  manual_attachments=prep.images, executed=executed)
        if prep.kernel.startup_error:
            result.retry = True  # a kernel that did not start says nothing about the work
        with profile.measure("database"):
            return result, notebook_json(executed)
    except Exception as exc:  # noqa: BLE001 - the batch goes on
        await shutdown(prep.kernel)
        result = error_result(item.sub.student, item.exercise, source, one_line(
            f"grading failed unexpectedly: {type(exc).__name__}: {exc}"))
        result.retry = True
        return result, None
    finally:
        if prep.tmp is not None:
            prep.tmp.cleanup()


async def _release(prep: _Prepared) -> None:
    """Stop what a submission's preparation started: its kernel, its folder (idempotent)."""
    if prep.kernel is not None:
        await shutdown(prep.kernel)
    if prep.tmp is not None:
        prep.tmp.cleanup()


def notebook_json(executed: Mapping) -> str:
    """The executed notebook as JSON text the gradebook can always store (ASCII; lone
    surrogates escaped, repaired when the page is made); a note in its place should even
    that fail.

    Examples
    --------
    >>> notebook_json({"cells": ["\\ud800"]})
    '{"cells": ["\\\\ud800"]}'
    """
    try:
        return json.dumps(executed)
    except (ValueError, TypeError, RecursionError) as exc:
        note = f"The executed notebook could not be kept ({type(exc).__name__})."
        return json.dumps({"cells": [{"cell_type": "markdown", "source": note,
                                      "metadata": {}}], "metadata": {}, "nbformat": 4,
                           "nbformat_minor": 5})


async def _grade_all(items: list[Item], limits: Limits, jobs: int, parents: _Parents,
                     preload: bool, limit_level: str, profile: BatchProfile,
                     on_done: OnDone) -> None:
    queue = list(items)

    def take() -> Item | None:
        return queue.pop(0) if queue else None

    async def worker() -> None:
        # Start the next submission's kernel while the current one runs.
        open_preps: list[_Prepared] = []

        def start() -> asyncio.Future | None:
            item = take()
            if item is None:
                return None
            open_preps.append(_Prepared(item))
            return asyncio.ensure_future(
                _prepare(open_preps[-1], limits, parents, preload, limit_level))

        pending = start()
        try:
            while pending is not None:
                current = await pending
                pending = start()
                on_done(current.item, *await _finish(current, limits, profile))
                open_preps.remove(current)
        finally:  # stopped early: what was started stops too, however far it got
            if pending is not None:
                if not pending.done() and not pending.cancelling():  # type: ignore[attr-defined]
                    pending.cancel()  # (not twice: that would cut its own clean-up short)
                await asyncio.wait([pending])
            stopped = None
            for prep in open_preps:
                try:
                    await _release(prep)
                except asyncio.CancelledError as exc:  # release the others all the same
                    stopped = exc
            if stopped is not None:
                raise stopped

    workers = [asyncio.ensure_future(worker()) for _ in range(max(1, min(jobs, len(items))))]
    try:
        await asyncio.gather(*workers)
    finally:  # gather ends at the first worker stopped: the others stop and clean up first
        for task in workers:
            if not task.done() and not task.cancelling():  # type: ignore[attr-defined]
                task.cancel()
        await asyncio.wait(workers)


