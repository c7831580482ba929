"""The notebook harness itself: the executor tool, the nbval sanitiser and strict nbval.

These tests run on the harness fixture ``tests/fixtures/lessons/00_harness_fixture.ipynb`` (a
tiny lesson-shaped notebook that builds an inline widget with the ``course-poke`` classes), so
they prove the machinery independently of the lessons:

* ``tools/execute_notebooks.py`` clears stale outputs, executes with counts 1..n, stores widget
  state, reproduces the committed outputs, and fails loudly (exit 1, file untouched) on an error;
* ``tests/nbval_sanitize.cfg`` parses with nbval's own reader and neutralises addresses,
  timestamps, temporary paths and widget model ids;
* strict nbval (no ``--nbval-lax``) passes on the committed fixture and FAILS once a stored output
  is altered. What strict nbval compares is documented in the cfg file: all output fields and
  MIME types except metadata, execution counts, tracebacks, widget views and (without
  ``--nbdime``) image/png and image/jpeg.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbval.plugin import get_sanitize_patterns

pytestmark = pytest.mark.kernel

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURE = REPO_ROOT / "tests" / "fixtures" / "lessons" / "00_harness_fixture.ipynb"
SANITIZE_CFG = REPO_ROOT / "tests" / "nbval_sanitize.cfg"
EXECUTOR = REPO_ROOT / "tools" / "execute_notebooks.py"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def _sanitize(text: str) -> str:
    for regex, replace in get_sanitize_patterns(SANITIZE_CFG.read_text()):
        text = re.sub(regex, replace, text)
    return text


def _strict_nbval(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", str(path), "--nbval-current-env",
         "--nbval-sanitize-with", str(SANITIZE_CFG), "-p", "no:cacheprovider", "-q"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=300,
    )


def _comparable(nb: nbformat.NotebookNode) -> list:
    """Per code cell: count and outputs without widget views and metadata."""
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outputs = []
        for output in cell.outputs:
            output = {k: v for k, v in output.items() if k != "metadata"}
            if "data" in output:
                output["data"] = {k: v for k, v in output["data"].items()
                                  if k != "application/vnd.jupyter.widget-view+json"}
            outputs.append(output)
        cells.append((cell.execution_count, outputs))
    return cells


# ----------------------------------------------------------------------------- sanitiser


def test_sanitize_config_parses_with_nbval():
    patterns = get_sanitize_patterns(SANITIZE_CFG.read_text())
    assert len(patterns) == 5
    for regex, _ in patterns:
        re.compile(regex)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("<Figure at 0x7f3a2c1d9e80>", "<Figure at 0x55d0aa01b2c0>"),
        ("run at 2024-05-01T12:34:56.789+00:00", "run at 2025-11-24 17:02:03"),
        ("elapsed until 12:34:56.5", "elapsed until 08:00:01"),
        ("saved to /tmp/tmpab3x_9/out.csv", "saved to /tmp/pytest-of-root/pytest-7/x.csv"),
        ("cache /var/folders/xy/abc123/T/f.png", "cache /private/var/folders/q/r/T/g.png"),
        ("model 3f2c9a7b1e4d4c0fa5b6c7d8e9f00112", "model 0123456789abcdef0123456789abcdef"),
        ("id 3f2c9a7b-1e4d-4c0f-a5b6-c7d8e9f00112", "id 01234567-89ab-cdef-0123-456789abcdef"),
    ],
)
def test_sanitize_neutralises_volatile_text(first, second):
    assert first != second
    assert _sanitize(first) == _sanitize(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("threat score 0.412", "threat score 0.413"),
        ("Walt (1987)", "Walt (1985)"),
        ("ISR ranks 3 of 55", "ISR ranks 4 of 55"),
    ],
)
def test_sanitize_keeps_meaningful_differences(first, second):
    assert _sanitize(first) != _sanitize(second)


# ----------------------------------------------------------------------------- strict nbval


def test_strict_nbval_passes_on_committed_fixture():
    result = _strict_nbval(FIXTURE)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"\b5 passed\b", result.stdout), result.stdout


def test_strict_nbval_fails_when_a_stored_output_is_altered(tmp_path):
    nb = nbformat.read(FIXTURE, as_version=4)
    altered = False
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.output_type == "execute_result":
                output.data["text/plain"] = output.data["text/plain"] + "1"
                altered = True
                break
        if altered:
            break
    assert altered, "the fixture needs an execute_result output to alter"
    target = tmp_path / FIXTURE.name
    nbformat.write(nb, target)
    result = _strict_nbval(target)
    assert result.returncode != 0, result.stdout
    assert "Cell outputs differ" in result.stdout, result.stdout
    assert re.search(r"\b1 failed\b", result.stdout), result.stdout


# ----------------------------------------------------------------------------- executor tool


def test_executor_reproduces_the_committed_fixture(tmp_path):
    committed = nbformat.read(FIXTURE, as_version=4)
    stale = nbformat.read(FIXTURE, as_version=4)
    for index, cell in enumerate(c for c in stale.cells if c.cell_type == "code"):
        cell.execution_count = 40 + 2 * index  # stale, with gaps
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="stale\n")]
    stale.metadata.pop("widgets", None)
    target = tmp_path / FIXTURE.name
    nbformat.write(stale, target)

    result = subprocess.run([sys.executable, str(EXECUTOR), str(target)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    executed = nbformat.read(target, as_version=4)
    counts = [c.execution_count for c in executed.cells if c.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1))
    assert not any("stale" in str(c.outputs) for c in executed.cells if c.cell_type == "code")
    assert not any("execution" in c.metadata for c in executed.cells)
    state = executed.metadata["widgets"][WIDGET_STATE]["state"]
    assert any("course-poke" in m["state"].get("_dom_classes", []) for m in state.values())
    assert _comparable(executed) == _comparable(committed)


def test_executor_fails_loudly_and_leaves_the_file(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("raise ValueError('threat must be in [0, 1], got 2')"),
    ])
    target = tmp_path / "broken.ipynb"
    nbformat.write(nb, target)
    before = target.read_bytes()
    result = subprocess.run([sys.executable, str(EXECUTOR), str(target)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert str(target) in result.stderr
    assert "ValueError" in result.stderr and "threat must be in [0, 1]" in result.stderr
    assert target.read_bytes() == before


def test_executor_rejects_a_path_that_is_not_a_notebook(tmp_path):
    result = subprocess.run([sys.executable, str(EXECUTOR), str(tmp_path / "missing.ipynb")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "PATHS must be .ipynb files or folders" in result.stderr


# ----------------------------------------------------------------------------- structure test


def test_structure_test_passes_on_fixture_and_fails_on_a_broken_copy(tmp_path):
    """COURSE_LESSONS_DIR points the lesson-structure test at a folder; breakage is reported."""
    structure = [sys.executable, "-m", "pytest", "tests/test_lesson_structure.py", "-q",
                 "-p", "no:cacheprovider", "-o", "addopts="]
    good = subprocess.run(structure, cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "COURSE_LESSONS_DIR": str(FIXTURE.parent)})
    assert good.returncode == 0, good.stdout

    nb = nbformat.read(FIXTURE, as_version=4)
    nb.cells[3].source = "# A second title\n" + nb.cells[3].source  # a code cell: no effect
    nb.cells[1].source = "# A second H1\n" + nb.cells[1].source
    nb.cells = [c for c in nb.cells if "## References" not in c.source]
    nb.metadata["course"]["minutes"] = 200
    broken = tmp_path / "lessons"
    broken.mkdir()
    nbformat.write(nb, broken / "00_broken.ipynb")
    bad = subprocess.run(structure, cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "COURSE_LESSONS_DIR": str(broken)})
    assert bad.returncode == 1, bad.stdout
    failed = set(re.findall(r"FAILED tests/test_lesson_structure.py::(\w+)", bad.stdout))
    assert failed == {
        "test_single_h1_in_first_cell",
        "test_required_headings",
        "test_estimated_minutes",
        "test_references_have_citations",
    }, bad.stdout
    assert "exactly one H1 expected, found 2" in bad.stdout
