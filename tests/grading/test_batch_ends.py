"""Nothing of a batch outlives it: the kernel parent and every kernel it forked are gone when
``grade_batch`` returns, whether the batch ended normally, failed, or was stopped by a signal.

The stop is a real SIGINT sent to this process while a kernel runs: it must cancel the batch at
an ``await`` (:mod:`classroom.grading.signals`), stop the kernels and the parent, and end in
``GradingInterrupted`` with what was committed.
"""

from __future__ import annotations

import os
import signal
import sqlite3

import pytest

from classroom import cli
from classroom.grading import batch as batch_module
from classroom.grading import containment
from classroom.grading.batch import GradingInterrupted, grade_batch
from classroom.grading.limits import Limits
from tests.grading.submissions_kit import SOLUTIONS, make_submission

pytestmark = pytest.mark.kernel

LIMITS = Limits(timeout_cell=20, timeout_notebook=60)
#: What the batch starts: the kernel parent (and the kernels it forks, which run its code).
MARKERS = (b"_kernel_parent.py", b"ipykernel")


def _batch_processes() -> list[int]:
    """This process's descendants that belong to a grading batch."""
    found = []
    for pid in containment.process_tree(os.getpid())[1:]:
        try:
            cmdline = open(f"/proc/{pid}/cmdline", "rb").read()
        except OSError:
            continue
        if any(marker in cmdline for marker in MARKERS):
            found.append(pid)
    return found


@pytest.fixture
def subs(tmp_path):
    folder = tmp_path / "subs"
    for i in range(4):  # each runs for a second: the batch is busy when it is stopped
        make_submission(folder, f"student {i}", {"q2": "import time\ntime.sleep(1)"})
    return folder


def _stop_after(monkeypatch, count: int, stop) -> None:
    """Call ``stop`` when the batch records its ``count``-th result."""
    real, calls = batch_module._record, []

    def recording(*args, **kwargs):
        calls.append(1)
        if len(calls) == count:
            stop()
        return real(*args, **kwargs)

    monkeypatch.setattr(batch_module, "_record", recording)


def test_a_finished_batch_leaves_no_process(subs, tmp_path):
    assert _batch_processes() == []
    done = grade_batch([subs], tmp_path / "out", solutions_dir=SOLUTIONS, jobs=2, limits=LIMITS)
    assert len(done.results) == 4
    assert _batch_processes() == []


def test_a_failing_batch_leaves_no_process(subs, tmp_path, monkeypatch):
    def fail():
        raise sqlite3.OperationalError("disk I/O error")

    _stop_after(monkeypatch, 1, fail)
    with pytest.raises(sqlite3.OperationalError):
        grade_batch([subs], tmp_path / "out", solutions_dir=SOLUTIONS, jobs=2, limits=LIMITS)
    assert _batch_processes() == []


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_batch_stopped_by_a_signal_leaves_no_process(subs, tmp_path, monkeypatch, signum,
                                                       capfd):
    _stop_after(monkeypatch, 1, lambda: os.kill(os.getpid(), signum))
    with cli._sigterm_interrupts():  # as the `course` command runs it
        before = signal.getsignal(signum)
        with pytest.raises(GradingInterrupted) as stopped:
            grade_batch([subs], tmp_path / "out", solutions_dir=SOLUTIONS, jobs=2,
                        limits=LIMITS)
        assert signal.getsignal(signum) is before  # the handler is handed back
    assert 1 <= stopped.value.saved < 4
    assert _batch_processes() == []
    assert "Traceback" not in capfd.readouterr().err  # no task's error printed on the way out
