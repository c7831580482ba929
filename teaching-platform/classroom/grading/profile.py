"""Where a grading batch's CPU goes: kernels by phase, the grader by step, each page written.

A :class:`BatchProfile` handed to :func:`classroom.grading.batch.grade_batch` collects

- the kernels' CPU by phase (read from ``/proc`` for all the processes of each submission:
  start, imports, the student's code, the probe), and the kernel parent's own;
- the grader's CPU in each synchronous step (judging, the database, every kind of page and
  file written), measured as the CPU time of the grader's thread;
- the grader's whole CPU (``getrusage``), so what no step claims (jupyter_client and nbclient
  handling the kernels' messages, scheduling) shows as its own row.

Examples
--------
>>> profile = BatchProfile()
>>> with profile.measure("judging"):
...     _ = sum(range(1000))
>>> profile.phases["judging"].count
1
>>> "judging" in profile.table(submissions=1)
True
"""

from __future__ import annotations

import contextlib
import os
import resource
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["GRADER_OTHER", "KERNEL_PHASES", "BatchProfile", "Phase", "process_cpu"]

#: Phases of a kernel's life, in order (CPU of all the submission's processes).
KERNEL_PHASES = ("kernel start", "imports", "student code", "probe")
#: The grader's CPU that no measured step claims.
GRADER_OTHER = "grader: kernel messages, scheduling"
_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def process_cpu(pids: Iterable[int]) -> float:
    """CPU seconds of processes ``pids`` and of the children they have waited for.

    Examples
    --------
    >>> process_cpu([os.getpid()]) > 0
    True
    >>> process_cpu([]) == 0.0
    True
    """
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        total += sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
    return total / _TICK


@dataclass
class Phase:
    """CPU and wall seconds spent in one phase, over ``count`` occurrences."""

    cpu: float = 0.0
    wall: float = 0.0
    count: int = 0


@dataclass
class BatchProfile:
    """The CPU of one batch, by phase (see the module docstring)."""

    phases: dict[str, Phase] = field(default_factory=dict)
    wall: float = 0.0
    grader_cpu: float = 0.0
    _start: tuple[float, float] | None = field(default=None, repr=False)

    def add(self, name: str, cpu: float, wall: float = 0.0, count: int = 1) -> None:
        """Add ``cpu`` (and ``wall``) seconds to phase ``name``."""
        phase = self.phases.setdefault(name, Phase())
        phase.cpu += cpu
        phase.wall += wall
        phase.count += count

    @contextlib.contextmanager
    def measure(self, name: str) -> Iterator[None]:
        """Count the grader thread's CPU and the wall time of the block as phase ``name``."""
        cpu, wall = time.thread_time(), time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.thread_time() - cpu, time.perf_counter() - wall)

    def start(self) -> None:
        """Mark the batch's start (the grader's whole CPU and the wall clock)."""
        self._start = (_own_cpu(), time.perf_counter())

    def stop(self) -> None:
        """Mark its end: the grader's whole CPU and the wall time since :meth:`start`."""
        if self._start is not None:
            self.grader_cpu += _own_cpu() - self._start[0]
            self.wall += time.perf_counter() - self._start[1]
            self._start = None

    def kernels_cpu(self) -> float:
        """CPU of the kernels and their parent (every phase not run by the grader)."""
        return sum(p.cpu for n, p in self.phases.items() if n in KERNEL_PHASES
                   or n.startswith("kernel parent"))

    def table(self, submissions: int) -> str:
        """The phases as a table: CPU seconds, share, CPU per submission, wall seconds."""
        rows = dict(self.phases)
        claimed = sum(p.cpu for n, p in rows.items() if n not in KERNEL_PHASES
                      and not n.startswith("kernel parent"))
        if self.grader_cpu:
            rows[GRADER_OTHER] = Phase(max(0.0, self.grader_cpu - claimed), 0.0, 1)
        total = sum(p.cpu for p in rows.values()) or 1.0
        width = max(len(n) for n in [*rows, "total"]) + 2
        lines = [f"{'phase':<{width}}{'CPU s':>8}{'share':>8}{'ms/sub':>9}{'wall s':>9}"]
        for name, phase in sorted(rows.items(), key=lambda kv: -kv[1].cpu):
            lines.append(f"{name:<{width}}{phase.cpu:8.2f}{100 * phase.cpu / total:7.1f}%"
                         f"{1000 * phase.cpu / max(submissions, 1):9.1f}"
                         f"{phase.wall:9.2f}")
        lines.append(f"{'total':<{width}}{total:8.2f}{100.0:7.1f}%"
                     f"{1000 * total / max(submissions, 1):9.1f}{self.wall:9.2f}")
        return "\n".join(lines)


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
