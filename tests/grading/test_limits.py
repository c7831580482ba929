"""Limits that cover the whole submission (issue 19, item 3).

Helper processes whose memory adds up past the cap, a ``/tmp`` fill, a fork loop and a full
work folder are graded in one batch, at the best limit level this machine allows and at the
per-process fallback (``rlimit`` with the watchdog): each ends with 0 points and a one-line
reason, the others are graded, and the machine's free memory stays up.  Every attack is bounded
on its own (a fixed number of helpers, forks and megabytes), so a broken limit cannot take the
test machine down.  The cgroup v2 code is checked against a simulated cgroup tree as well,
since a machine offers either v1 or a delegated v2 tree, not both.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
from pathlib import Path

import pytest

from classroom import cli
from classroom.gradebook.schema import SCHEMA
from classroom.gradebook.store import open_gradebook
from classroom.grading import cgroups, containment
from classroom.grading.batch import grade_batch
from classroom.grading.limits import Limits
from tests.grading.submissions_kit import EXERCISE, SOLUTIONS, make_submission

pytestmark = pytest.mark.kernel

LIMITS = Limits(timeout_cell=30, timeout_notebook=90, memory_mb=1024, max_processes=64,
                disk_mb=64)

ATTACKS = {
    # twelve helpers of 400 MiB each (4.8 GiB) under a 1024 MiB cap; each helper is under the
    # per-process cap, so only a limit on all processes together stops them
    "helpers": ("memory", """
import glob, subprocess, sys, time
code = ("import sys, time\\nb = bytearray(400 * 1024 * 1024)\\n"
        "for i in range(0, len(b), 4096): b[i] = 1\\n"
        "open(f'ready-{sys.argv[1]}', 'w').close()\\ntime.sleep(20)")
helpers = [subprocess.Popen([sys.executable, "-c", code, str(i)]) for i in range(12)]
deadline = time.time() + 25  # however slow the machine: until every helper holds its memory
while len(glob.glob("ready-*")) < 12 and time.time() < deadline:
    time.sleep(0.2)
"""),
    # at most 1000 MiB into /tmp (a tmpfs: memory)
    "tmp_fill": ("wrote more than 64 MiB", """
import time
try:
    with open("/tmp/fill", "wb") as fh:
        for _ in range(1000):
            fh.write(b"x" * (1 << 20))
except OSError:
    pass
time.sleep(2)
"""),
    # at most 1000 children, each sleeping, none forking further
    "fork_loop": ("more than 64 processes", """
import os, time
children = []
try:
    for _ in range(1000):
        pid = os.fork()
        if pid == 0:
            time.sleep(20)
            os._exit(0)
        children.append(pid)
except OSError:
    pass
time.sleep(2)
"""),
    # many small files in the work folder (tmpfs inodes are memory too)
    "many_files": ("files", """
import os, time
os.makedirs("spam", exist_ok=True)
try:
    for i in range(30000):
        open(f"spam/{i}", "w").close()
except OSError:
    pass
time.sleep(2)
"""),
}
WORDS = {"memory": "MiB of memory", "files": "files) into one of its folders"}


def _available_kib() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1])
    raise AssertionError("no MemAvailable in /proc/meminfo")


class _LowestMemory(threading.Thread):
    """Samples MemAvailable every 0.1 s; ``lowest`` is the least seen."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.lowest = _available_kib()
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.1):
            self.lowest = min(self.lowest, _available_kib())


@pytest.fixture(scope="module", params=["auto", "rlimit"])
def attacked(request, tmp_path_factory):
    subs = tmp_path_factory.mktemp("attacks")
    for student, (_, code) in ATTACKS.items():
        make_submission(subs, student, {"q5": code + "\nq5_share = 0.5\nq5_judgement = 'b'\n"})
    make_submission(subs, "good")
    before = _available_kib()
    watch = _LowestMemory()
    watch.start()
    try:
        batch = grade_batch([subs], tmp_path_factory.mktemp("out"), solutions_dir=SOLUTIONS,
                            jobs=2, limits=LIMITS, limit_level=request.param)
    finally:
        watch.done.set()
        watch.join()
    return request.param, batch, before, watch.lowest


def test_each_attack_is_stopped_with_zero_points_and_one_line(attacked):
    level, batch, _, _ = attacked
    expected = containment.limit_level(level)
    for student, (why, _) in ATTACKS.items():
        r = batch.by_student(student, EXERCISE)
        assert r.status == "graded" and r.limits == expected, student
        assert r.score == 0, (student, r.messages)
        stopped = [m for m in r.messages if "was stopped" in m]
        assert len(stopped) == 1 and "\n" not in stopped[0], (student, r.messages)
        assert WORDS.get(why, why) in stopped[0], (student, stopped)
    good = batch.by_student("good", EXERCISE)
    assert good.score == 20 and not any("stopped" in m for m in good.messages)
    assert batch.limits == [expected]


def test_the_machine_keeps_its_memory(attacked):
    _, _, before, lowest = attacked
    total = int(Path("/proc/meminfo").read_text().split()[1])
    # two submissions at once, each capped at 1 GiB plus three 64 MiB folders; uncapped, the
    # helpers alone would take 4.8 GiB and the /tmp fill another GiB (other programs on the
    # machine move MemAvailable too, hence the margin)
    assert before - lowest < 3.5 * 2**20, (before, lowest)
    assert lowest > total // 5


def test_nothing_outlives_the_batch(attacked):
    level, _, _, _ = attacked
    if containment.limit_level(level) == "cgroup-v1":
        parents = cgroups.parents()[1]
        left = [p for parent in parents for p in parent.glob(f"course-grade-{os.getpid()}-*")]
        assert left == []
    assert containment.process_tree(os.getpid()) == [os.getpid()]
    helpers = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if b"time.sleep(20)" in cmdline.read_bytes():
                helpers.append(cmdline.parent.name)
        except OSError:
            continue
    assert helpers == []


def test_limit_level_is_recorded_in_the_run_and_the_summary(tmp_path, capsys):
    sub = make_submission(tmp_path / "subs", "ann")
    out = tmp_path / "out"
    assert cli.main(["grade", str(sub), "--out", str(out), "--jobs", "1"]) == 0
    level = containment.limit_level()
    assert f"limits: {level};" in capsys.readouterr().out
    with open_gradebook(out, create=False) as book:
        assert book.conn.execute("SELECT limits FROM runs").fetchone()[0] == level
        assert book.conn.execute("SELECT limits FROM results").fetchone()[0] == level
    assert json.loads((out / "s-ann" / f"{EXERCISE}.json").read_text())["limits"] == level


def test_an_older_gradebook_gains_the_limits_columns(tmp_path):
    version_1 = re.sub(r"\n    limits TEXT[^\n]*", "", SCHEMA)  # the tables before limits
    version_1 = re.sub(r",( *--[^\n]*)\n\)", r"\1\n)", version_1)  # no comma before ")"
    conn = sqlite3.connect(tmp_path / "gradebook.sqlite")
    conn.executescript(version_1 + "PRAGMA user_version = 1;")
    assert "limits" not in {row[1] for row in conn.execute("PRAGMA table_info(runs)")}
    conn.close()
    with open_gradebook(tmp_path) as book:
        for table in ("runs", "results"):
            assert "limits" in {row[1] for row in book.conn.execute(f"PRAGMA table_info({table})")}
        assert book.conn.execute("PRAGMA user_version").fetchone()[0] == 2


@pytest.mark.parametrize("field", ["timeout_cell", "timeout_notebook", "memory_mb",
                                   "max_output_bytes", "max_processes", "disk_mb"])
@pytest.mark.parametrize("bad", [True, False, "30", None, 2.5, float("nan")])
def test_limits_refuse_what_is_not_a_number(field, bad):
    if field.startswith("timeout") and bad == 2.5:
        assert getattr(Limits(**{field: bad}), field) == 2.5
        return
    with pytest.raises(ValueError, match=field) as err:
        Limits(**{field: bad})
    assert "\n" not in str(err.value)


def test_cli_refuses_a_bad_limit_in_one_line(tmp_path, capsys):
    sub = make_submission(tmp_path / "subs", "ann")
    assert cli.main(["grade", str(sub), "--out", str(tmp_path / "o"), "--max-processes",
                     "3"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "max_processes must be" in err and "\n" not in err


# ----------------------------------------------------------------------------- cgroup v2
@pytest.fixture
def fake_v2(tmp_path, monkeypatch):
    """A delegated cgroup v2 tree as files: the grader's cgroup offers memory and pids."""
    mount = tmp_path / "cgroup2"
    own = mount / "user.slice" / "grader.scope"
    own.mkdir(parents=True)
    (own / "cgroup.controllers").write_text("cpu memory pids\n")
    (own / "cgroup.subtree_control").write_text("")
    (own / "cgroup.procs").write_text(f"{os.getpid()}\n")
    return mount, own


def test_v2_moves_the_grader_to_a_leaf_and_delegates(fake_v2):
    mount, own = fake_v2
    parent = cgroups._v2_parent({"": "/user.slice/grader.scope"}, {"cgroup2": mount})
    assert parent == own
    leaf = own / f"course-grader-{os.getpid()}"
    assert (leaf / "cgroup.procs").read_text() == str(os.getpid())
    assert (own / "cgroup.subtree_control").read_text() == "+memory +pids"


def test_v2_is_not_used_without_memory_and_pids(fake_v2):
    mount, own = fake_v2
    (own / "cgroup.controllers").write_text("cpu hugetlb\n")
    assert cgroups._v2_parent({"": "/user.slice/grader.scope"}, {"cgroup2": mount}) is None


def test_v2_cgroup_gets_the_limits_and_reports_breaches(fake_v2, monkeypatch):
    _, own = fake_v2
    monkeypatch.setattr(cgroups, "parents", lambda: ("cgroup-v2", (own,)))
    group = cgroups.make_cgroup("cgroup-v2", LIMITS)
    (folder,) = group.dirs
    assert folder.parent == own
    assert (folder / "memory.max").read_text() == str(1024 << 20)
    assert (folder / "pids.max").read_text() == "64"
    assert group.join_files == [folder / "cgroup.procs"]
    assert group.breach() is None
    (folder / "pids.events").write_text("max 3\n")
    assert group.breach() == "processes"
    (folder / "memory.events").write_text("low 0\nhigh 0\nmax 9\noom 1\noom_kill 1\n")
    assert group.breach() == "memory"
    for name in ("memory.max", "pids.max", "pids.events", "memory.events"):
        (folder / name).unlink()
    group.remove()
    assert not folder.exists()
