"""Resource limits for one submission and the record of what happened when it ran.

Every number is checked by the package's one set of argument rules
(:mod:`course_lib._validate`): a bool or a string is never taken for a number.

Examples
--------
>>> Limits(timeout_cell=5).timeout_cell
5.0
>>> Limits(memory_mb=10)
Traceback (most recent call last):
...
ValueError: memory_mb must be 0 (no limit) or an integer >= 256, got 10
>>> Limits(timeout_cell=True)
Traceback (most recent call last):
...
ValueError: timeout_cell must be a finite number in (0, 86400], got True
>>> RunResult(values=None, isolation="sandbox").isolation
'sandbox'
"""

from __future__ import annotations

from dataclasses import dataclass, field

from course_lib import _validate

__all__ = ["CellError", "Limits", "RunResult"]


@dataclass(frozen=True)
class Limits:
    """Resource limits for one submission (all its processes together).

    Parameters
    ----------
    timeout_cell : float
        Seconds one cell may run before the kernel is interrupted (> 0).
    timeout_notebook : float
        Seconds for all cells of a notebook together (> 0).
    memory_mb : int
        Memory in MiB of all the submission's processes together, and of the files it keeps
        in memory (``/tmp``, its work folder) where cgroups count them; also the address-space
        cap of each process (0 = none, else >= 256).
    max_output_bytes : int
        Bytes of output kept per notebook (>= 1000); the rest is cut and recorded.
    max_processes : int
        Processes and threads the submission may have at once (>= 16; the kernel itself uses
        about ten threads).
    disk_mb : int
        MiB each of its writable folders may hold (the work folder, ``/tmp``, ``/dev/shm``),
        and the largest file it may write (>= 16).

    Examples
    --------
    >>> Limits().memory_mb, Limits().max_processes, Limits().disk_mb
    (2048, 128, 256)
    """

    timeout_cell: float = 30.0
    timeout_notebook: float = 300.0
    memory_mb: int = 2048
    max_output_bytes: int = 200_000
    max_processes: int = 128
    disk_mb: int = 256

    def __post_init__(self) -> None:
        for name in ("timeout_cell", "timeout_notebook"):
            seconds = _validate.finite_in(getattr(self, name), name, 0, 86_400, low_open=True)
            object.__setattr__(self, name, seconds)
        try:
            memory = _validate.integer(self.memory_mb, "memory_mb", 0)
            if 0 < memory < 256:
                raise ValueError(memory)
        except ValueError:
            raise ValueError(f"memory_mb must be 0 (no limit) or an integer >= 256, got "
                             f"{_validate.shown(self.memory_mb)}") from None
        _validate.integer(self.max_output_bytes, "max_output_bytes", 1000)
        _validate.integer(self.max_processes, "max_processes", 16, 100_000)
        _validate.integer(self.disk_mb, "disk_mb", 16, 1_000_000)


@dataclass
class CellError:
    """An exception raised by a cell of the submission.

    Examples
    --------
    >>> CellError(2, "q1", "NameError", "x").ename
    'NameError'
    """

    index: int
    grade_id: str | None
    ename: str
    evalue: str


@dataclass
class RunResult:
    """What happened when a submission ran.

    ``values`` maps each probed name to its encoded value (see
    :func:`course_lib.checks.encode_value`), or is ``None`` when the answers
    could not be read (the kernel died, or was stuck); ``events`` explains why.
    ``isolation`` is the level the kernel ran under: ``"sandbox"``,
    ``"mount-namespace"`` or ``"none"``; ``limits`` how its limits were enforced:
    ``"cgroup-v2"``, ``"cgroup-v1"`` or ``"rlimit"`` (see
    :mod:`classroom.grading.containment`).

    Examples
    --------
    >>> RunResult(values={}).isolation
    'none'
    """

    values: dict[str, dict] | None
    cell_errors: list[CellError] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    output_truncated: bool = False
    kernel_died: bool = False
    timed_out: bool = False
    isolation: str = "none"
    limits: str = "rlimit"
    seconds: float = 0.0
