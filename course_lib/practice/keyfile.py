"""A whole exercise's practice key: build it from the instructor source, find it, judge with it.

The key of exercise ``NN_slug_exercises`` is the JSON file ``.practice/NN_slug_exercises.json``
next to the exercise notebooks of a bundle made with ``course release --practice``. It holds a
random salt, the points of every autograded question and one :func:`~course_lib.practice.key.
key_entry` per graded check. A question's verdict lists every check with the grader's wording.

Examples
--------
>>> import nbformat
>>> from course_lib.exercise_format import CellRole, mark_cell
>>> src = nbformat.v4.new_notebook(metadata={"course": {"exercise": "00_demo"}})
>>> src.cells = [mark_cell(nbformat.v4.new_code_cell("x = 1"), CellRole.SOLUTION, "q1"),
...     mark_cell(nbformat.v4.new_code_cell('check_answer("x", equals=1)'),
...               CellRole.TEST, "q1_test", 2)]
>>> key = exercise_key(src, salt="fixed")
>>> [q["grade_id"] for q in key["questions"]], key["names"]
(['q1_test'], ['x'])
>>> judge_with_key(key, {"x": encode_value(1)})["q1_test"]["checks"][0]["passed"]
True
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import nbformat

from course_lib.checks import decode_value, encode_value  # noqa: F401 - doctests
from course_lib.exercise_format import (
    CellRole,
    cell_role,
    exercise_info,
    grade_id,
    parse_check_calls,
    points,
    read_notebook,
)
from course_lib.files import atomic_write_text
from course_lib.practice.key import judge_entry, key_entry

__all__ = ["KEY_DIR", "KEY_NOTE", "exercise_key", "find_key", "judge_with_key",
           "write_practice_keys"]

#: Folder, next to the exercise notebooks, that holds the practice keys.
KEY_DIR = ".practice"
#: What every key says about itself.
KEY_NOTE = ("Practice key for `course check`: salted hashes of exact answers. A practice aid, "
            "not a secret: short answers can be found by hashing guesses. Graded releases "
            "ship no key.")


def exercise_key(source_nb: nbformat.NotebookNode, *, salt: str | None = None) -> dict:
    """The practice key of one instructor source notebook.

    Raises
    ------
    ValueError
        If the notebook has no ``metadata.course.exercise``.
    """
    info = exercise_info(source_nb)
    if info is None:
        raise ValueError("source_nb must have metadata.course.exercise (an exercise source)")
    salt = salt or secrets.token_hex(16)
    questions = []
    for cell in source_nb.cells:
        gid = grade_id(cell)
        if cell_role(cell) is not CellRole.TEST or not gid:
            continue
        calls = [c for c in parse_check_calls(cell.source) if c.graded]
        entries = [{**key_entry({"function": c.function, "name": c.name, "args": c.args},
                                salt=salt, exercise=info.exercise), "weight": c.weight}
                   for c in calls]
        questions.append({"grade_id": gid, "points": points(cell), "checks": entries})
    names = sorted({e["name"] for q in questions for e in q["checks"]})
    return {"note": KEY_NOTE, "exercise": info.exercise, "title": info.title, "salt": salt,
            "names": names, "questions": questions}


def write_practice_keys(solutions_dir: str | Path, exercises_dir: str | Path) -> list[Path]:
    """Write ``exercises_dir/.practice/<exercise>.json`` for every source in ``solutions_dir``.

    Returns the files written (each atomically), sorted.
    """
    written = []
    for src in sorted(Path(solutions_dir).glob("*.ipynb")):
        key = exercise_key(read_notebook(src))
        path = Path(exercises_dir) / KEY_DIR / f"{key['exercise']}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, json.dumps(key, indent=1, sort_keys=True) + "\n")
        written.append(path)
    return written


def find_key(notebook: str | Path, exercise: str) -> dict | None:
    """The practice key for ``exercise`` beside ``notebook`` (or one folder up), else ``None``.

    Raises
    ------
    ValueError
        If a key file exists but is not a practice key for ``exercise``.
    """
    folder = Path(notebook).resolve().parent
    for base in (folder, folder.parent, folder.parent / "exercises"):
        path = base / KEY_DIR / f"{exercise}.json"
        if path.is_file():
            key = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(key, dict) or key.get("exercise") != exercise:
                raise ValueError(f"{path} is not the practice key of {exercise}")
            return key
    return None


def judge_with_key(key: Mapping[str, Any], values: Mapping[str, dict] | None,
                   reason: str = "your answers could not be read") -> dict[str, dict]:
    """Per-question verdicts (grade_id -> record shaped like the grader's) from ``values``.

    ``values`` maps answer names to :func:`~course_lib.checks.encode_value` results; ``None``
    (the notebook did not run to the end) fails every check with ``reason``.
    """
    out: dict[str, dict] = {}
    for q in key["questions"]:
        checks = []
        for entry in q["checks"]:
            encoded = None if values is None else values.get(entry["name"])
            if encoded is None or encoded.get("defined") is False:
                passed = False
                message = (f"{entry['name']}: not checked because {reason}." if values is None
                           else f"{entry['name']}: no variable called {entry['name']} exists "
                           "after running your notebook.")
            else:
                outcome = judge_entry(entry, decode_value(encoded), salt=key["salt"],
                                      exercise=key["exercise"])
                passed, message = outcome.passed, outcome.message
            checks.append({"variable": entry["name"], "kind": "practice check",
                           "passed": passed, "message": message})
        out[q["grade_id"]] = {"grade_id": q["grade_id"], "max_points": q["points"],
                              "checks": checks}
    return out
