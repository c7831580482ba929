"""Nothing of the grader's environment leaks (issue 19, item 2).

Canary secrets are planted in the grader's environment (an LMS token, a cloud key and a
variable with a random name); a student's code prints ``os.environ``, raises with a token in
the message, keeps a token as an answer, and reads every ``/proc/<pid>/environ`` it can see.
At every isolation level that works here, no result, feedback (Markdown and HTML), instructor
page, gradebook row, database byte or LMS export holds a canary, and the kernel's environment
is exactly the allowlist.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import secrets
import tempfile
from pathlib import Path

import nbformat
import pytest

from classroom import cli
from classroom.grading import sandbox
from classroom.grading.batch import grade_batch
from classroom.grading.kernel_env import kernel_environment
from classroom.grading.runner import Limits, run_notebook, start_kernel
from tests.grading.submissions_kit import EXERCISE, SOLUTIONS, make_submission

pytestmark = pytest.mark.kernel

#: set in the kernel by jupyter_client (JPY_PARENT_PID), bwrap (PWD) and ipykernel at start-up
ADDED_AT_START = {"JPY_PARENT_PID", "PWD", "PYDEVD_USE_FRAME_EVAL", "TERM", "CLICOLOR",
                  "FORCE_COLOR", "CLICOLOR_FORCE", "PAGER", "GIT_PAGER"}

LEAKS = {
    "q1": 'import os\nprint(os.environ)\nprint(dict(os.environ))\n'
          'q1_core_tasks = os.environ.get("COURSE_HUB_TOKEN", "b")\n'
          'q1_south_tasks = os.environ.get("AWS_SECRET_ACCESS_KEY", "c")\n',
    "q2": 'import os\nraise ValueError(os.environ.get("COURSE_HUB_TOKEN", "no token") + " "'
          ' + repr(dict(os.environ)))\n',
    "q3": 'import glob\nfound = []\nfor path in glob.glob("/proc/*/environ"):\n'
          '    try:\n        found.append(open(path, "rb").read().decode("utf-8", "replace"))\n'
          '    except OSError:\n        pass\nprint(found)\n'
          'q3_frameworks = found[:3]\nq3_concept_partners = " ".join(found)[:50]\n',
}


def _levels() -> list[str]:
    """Isolation levels to try: each that works here (on CI every one must)."""
    levels = ["none"]
    if sandbox.mount_namespace_works():
        levels.append("mount-namespace")
    if sandbox.sandbox_works():
        levels.append("sandbox")
    return levels


@pytest.fixture
def canaries(monkeypatch):
    planted = {"COURSE_HUB_TOKEN": f"hub-{secrets.token_hex(12)}",
               "AWS_SECRET_ACCESS_KEY": f"aws-{secrets.token_hex(12)}",
               f"COURSE_CANARY_{secrets.token_hex(4).upper()}": f"zz-{secrets.token_hex(12)}"}
    for name, value in planted.items():
        monkeypatch.setenv(name, value)
    return planted


def _force_level(monkeypatch, level: str, require_or_skip) -> str:
    if level == "none":
        return "off"
    available = {"mount-namespace": sandbox.mount_namespace_works,
                 "sandbox": sandbox.sandbox_works}[level]()
    require_or_skip(available, f"isolation level {level} does not work here")
    monkeypatch.setattr(sandbox, "best_level", lambda: level)
    return "auto"


def _holds(folder: Path, needles: list[str]) -> list[str]:
    hits = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            hits += [f"{path.name}: {n[:6]}" for n in needles if n.encode() in data]
    return hits


@pytest.mark.parametrize("level", ["none", "mount-namespace", "sandbox"])
def test_no_canary_reaches_any_output(tmp_path, monkeypatch, canaries, level, require_or_skip):
    isolate = _force_level(monkeypatch, level, require_or_skip)
    subs = tmp_path / "subs"
    # /proc of the grader is the host's at level none (no PID namespace; the README says so)
    leaks = {k: v for k, v in LEAKS.items() if level != "none" or k != "q3"}
    make_submission(subs, "leaker", leaks)
    make_submission(subs, "honest")
    out = tmp_path / "out"
    batch = grade_batch([subs], out, solutions_dir=SOLUTIONS, jobs=2, isolate=isolate,
                        limits=Limits(timeout_cell=20, timeout_notebook=90))
    leaker = batch.by_student("leaker", EXERCISE)
    assert leaker.isolation == level and leaker.status == "graded"
    assert batch.by_student("honest", EXERCISE).score == 20
    assert "KeyError" not in json.dumps(leaker.to_json())  # the code ran: .get() found no token
    for fmt in ("canvas", "moodle", "wide", "long"):
        assert cli.main(["gradebook", "export", "--format", fmt, "--dir", str(out),
                         "--out", str(out / f"export-{fmt}.csv")]) == 0
    values = list(canaries.values())
    assert _holds(out, values) == []
    assert not [v for v in values if v in json.dumps([r.to_json() for r in batch.results])]


@pytest.mark.parametrize("level", ["none", "mount-namespace", "sandbox"])
def test_kernel_environment_is_the_allowlist(monkeypatch, canaries, level, require_or_skip):
    isolate = _force_level(monkeypatch, level, require_or_skip)
    workdir = Path(tempfile.mkdtemp(prefix="course-test-env-"))

    async def go():
        kernel = await start_kernel(workdir, Limits(timeout_cell=10), isolate=isolate)
        assert kernel.startup_error is None, kernel.startup_error
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
            "import json, os\nj_env = json.dumps(dict(os.environ))")])
        return await run_notebook(nb, kernel, Limits(timeout_cell=10), ["j_env"])

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        result, _ = pool.submit(asyncio.run, go()).result()
    env = json.loads(result.values["j_env"]["value"])
    home = sandbox.SANDBOX_HOME if level == "sandbox" else str(workdir.resolve())
    allowed = kernel_environment(home)
    assert set(env) - ADDED_AT_START == set(allowed)
    assert {k: env[k] for k in allowed} == allowed
    assert not set(canaries) & set(env)
