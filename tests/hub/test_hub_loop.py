"""A class on a real JupyterHub on loopback: pull, work, collect, grade, mark, return.

The hub of ``conftest.py`` (``course hub`` as it ships: sandboxed servers, own login codes).
Three students log in with their own codes, pull the course with nbgitpuller from the hub's
``course release --git`` repository (mounted read-only in every sandbox), answer exercise 01 in
a kernel of their own server and save it; the instructor collects, grades, marks a reflection
and returns the feedback; each student reads only their own.
"""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from classroom.cli import main
from classroom.hub.client import TOKEN_VARIABLE, HubClient, HubError
from classroom.hub.collect import SIDECAR
from classroom.hub.launcher import SeminarHub
from classroom.labextension import EXTENSION_NAME
from classroom.labextension.settings import WIDGETS_PLUGIN
from classroom.notebooks.model import read_notebook
from tests.hub.hub_kit import ROOT, Connect
from tests.hub.hub_student import browser_login, run_cells

pytestmark = pytest.mark.hub

STUDENTS = ("ann", "bob", "cy")
EXERCISE = "01_southern_direction_exercises"
NOTEBOOK = f"course/exercises/{EXERCISE}.ipynb"


def _pull(student: HubClient, name: str, repo: str) -> None:
    reply = student.request("GET", student.url(f"user/{name}/git-pull/api"),
                            params={"repo": repo, "branch": "main",
                                    "targetpath": "course"}, stream=True)
    phases = [json.loads(line[5:]).get("phase") for line in
              reply.iter_lines(decode_unicode=True) if line.startswith("data:")]
    assert phases[-1] == "finished", phases


def _work(student: HubClient, name: str, answers: dict[str, str]) -> None:
    """Answer the exercise in a kernel of the student's server and save it with outputs."""
    text, _ = student.read_file(name, NOTEBOOK)
    nb = json.loads(text)
    code_cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
    for cell in code_cells:
        gid = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell["source"] = answers[gid]
    done = run_cells(student, name, ["".join(c["source"]) for c in code_cells],
                     path="course/exercises")
    for cell, (count, outputs) in zip(code_cells, done, strict=True):
        cell["execution_count"], cell["outputs"] = count, outputs
    student.write_file(name, NOTEBOOK, json.dumps(nb, indent=1))


def _solutions() -> dict[str, str]:
    nb = read_notebook(ROOT / "solutions" / f"{EXERCISE}.ipynb")
    answers = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("solution"):
            lines = [ln for ln in cell.source.splitlines() if "### " not in ln]
            answers[meta["grade_id"]] = "\n".join(lines)
    return answers


def test_a_class_on_a_real_hub(class_hub: SeminarHub, connect: Connect, tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    url = class_hub.url
    students = {name: connect(url, browser_login(url, name, class_hub.new_codes[name]))
                for name in STUDENTS}
    answers = _solutions()
    wrong = {**answers, "q1": answers["q1"].replace('"a"', '"b"').replace("'a'", "'b'")}

    def attend(name: str) -> None:  # one student's session, all three at once
        students[name].start_server(name, wait=120)
        _pull(students[name], name, class_hub.release_repo)
        _work(students[name], name, answers if name != "bob" else wrong)

    with ThreadPoolExecutor(len(STUDENTS)) as pool:
        list(pool.map(attend, STUDENTS))

    monkeypatch.setenv(TOKEN_VARIABLE, class_hub.token)
    subs, graded = tmp_path / "submissions", tmp_path / "graded"
    assert main(["collect", "--hub", url, "--exercise", "99_missing", "--out", str(subs)]) == 0
    err = capsys.readouterr().err
    assert all(f"not collected: {n}: file missing" in err for n in STUDENTS), err
    assert main(["collect", "--hub", url, "--exercise", EXERCISE, "--out", str(subs)]) == 0
    collected = capsys.readouterr()
    assert "collected 3 of 4 student(s)" in collected.out  # dee never started a server
    assert "not collected: dee: server stopped" in collected.err
    sidecar = json.loads((subs / SIDECAR).read_text())["submissions"]
    for name in STUDENTS:
        entry = sidecar[f"{name}/{EXERCISE}.ipynb"]
        assert abs((subs / name / f"{EXERCISE}.ipynb").stat().st_mtime - time.mktime(
            time.strptime(entry["last_modified"][:19], "%Y-%m-%dT%H:%M:%S")) + time.timezone) < 2

    assert main(["grade", str(subs), "--out", str(graded), "--jobs", "2"]) == 0
    assert main(["gradebook", "mark", "ann", EXERCISE, "q6", "5", "--marker", "HT",
                 "--comment", "clear argument", "--dir", str(graded)]) == 0
    capsys.readouterr()
    assert main(["return", str(graded), "--hub", url]) == 0
    assert "returned 3 of 3 feedback file(s) to 3 student(s)" in capsys.readouterr().out

    for name, student in students.items():
        md, _ = student.read_file(name, f"feedback/{EXERCISE}.md")
        page, _ = student.read_file(name, f"feedback/{EXERCISE}.html")
        assert name in md and "<html" in page
        for other in set(STUDENTS) - {name}:
            with pytest.raises(HubError) as denied:
                student.read_file(other, f"feedback/{EXERCISE}.md")
            assert denied.value.status == 403
    ann_md = students["ann"].read_file("ann", f"feedback/{EXERCISE}.md")[0]
    bob_md = students["bob"].read_file("bob", f"feedback/{EXERCISE}.md")[0]
    assert "clear argument" in ann_md and "clear argument" not in bob_md


def test_a_students_jupyterlab_loads_the_course_extension_and_saves_widget_state(
        class_hub: SeminarHub, connect: Connect) -> None:
    """A hub-spawned server (not ``course lab``) still keeps widget keys and widget state."""
    url = class_hub.url
    student = connect(url, browser_login(url, "cy", class_hub.new_codes["cy"]))
    student.start_server("cy", wait=120)
    page = student.request("GET", student.url("user/cy/lab")).text
    assert EXTENSION_NAME in page  # listed among the page's federated extensions
    setting = student.request("GET", student.url(f"user/cy/lab/api/settings/{WIDGETS_PLUGIN}"))
    # JupyterLab applies overrides as schema defaults (the installed default is false)
    assert setting.json()["schema"]["properties"]["saveState"]["default"] is True
