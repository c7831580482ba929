"""Resource limits for one submission and the record of what happened when it ran.

Examples
--------
>>> Limits(timeout_cell=5).timeout_cell
5.0
>>> Limits(memory_mb=10)
Traceback (most recent call last):
...
ValueError: memory_mb must be 0 (no limit) or an integer >= 256, got 10
>>> RunResult(values=None, isolation="sandbox").isolation
'sandbox'
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["CellError", "Limits", "RunResult"]


@dataclass(frozen=True)
class Limits:
    """Resource limits for one submission.

    Parameters
    ----------
    timeout_cell : float
        Seconds one cell may run before the kernel is interrupted (> 0).
    timeout_notebook : float
        Seconds for all cells of a notebook together (> 0).
    memory_mb : int
        Address-space cap of the kernel process in MiB (0 = none, else >= 256).
    max_output_bytes : int
        Bytes of output kept per notebook (>= 1000); the rest is cut and recorded.

    Examples
    --------
    >>> Limits().memory_mb
    2048
    """

    timeout_cell: float = 30.0
    timeout_notebook: float = 300.0
    memory_mb: int = 2048
    max_output_bytes: int = 200_000

    def __post_init__(self) -> None:
        for name in ("timeout_cell", "timeout_notebook"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or not 0 < value <= 86_400:
                raise ValueError(f"{name} must be a number of seconds in (0, 86400], got {value!r}")
            object.__setattr__(self, name, float(value))
        if not isinstance(self.memory_mb, int) or not (
            self.memory_mb == 0 or self.memory_mb >= 256
        ):
            raise ValueError(
                f"memory_mb must be 0 (no limit) or an integer >= 256, got {self.memory_mb!r}"
            )
        if not isinstance(self.max_output_bytes, int) or self.max_output_bytes < 1000:
            raise ValueError(
                f"max_output_bytes must be an integer >= 1000, got {self.max_output_bytes!r}"
            )


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
    ``"mount-namespace"`` or ``"none"``.

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
    seconds: float = 0.0
