"""A hostile class for the robustness tests (not a test module).

:func:`build_hostile_class` writes, next to two ordinary students, one student per thing a
single file can hold that a Python reader cannot digest (issue 19, item 1): JSON nested deeper
than the recursion limit, integers longer than ``sys.get_int_max_str_digits()``, lone
surrogates (``\\ud800``) in reflections, metadata, outputs and values, NUL characters, a file
over the size limit and a large one under it, folder and file names that are not UTF-8, and
names whose encoded form passes the 255-byte file-name limit.  :data:`EXPECT` says what each
must become: ``"graded"`` (and with which score) or ``"error"`` (and a word of the reason).
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

from classroom.notebooks.model import grade_id
from tests.grading.submissions_kit import EXERCISE, student_notebook

FULL = 20.0
LONG_UPPER = "A" * 100                     # 100 letters: 300 bytes once percent-encoded
LONG_ACCENTED = "é" * 120                  # 240 bytes of UTF-8, 720 percent-encoded
LONG_TWIN = "é" * 119 + "e"                # shares a 700-byte encoded prefix with the above
MAX_NAME = "z" * 255                       # the longest name a folder can have
LATIN1 = b"Jos\xe9"                        # "José" from a Latin-1 ZIP: not UTF-8
LATIN1_TWIN = "José"                       # the same name in UTF-8: another student
CANVAS_LATIN1 = b"M\xfcller_1234_5678_" + EXERCISE.encode() + b".ipynb"  # a bare Canvas file
ODD_FILE = b"\xff\xfe-" + EXERCISE.encode() + b"-copy.ipynb"  # a file name that is not UTF-8
SURROGATE = "\ud800"


@dataclass(frozen=True)
class Expect:
    """What a hostile student's row must be: status, score (graded) or a word of the reason."""

    status: str
    score: float | None = None
    reason: str = ""


#: student id (as the grader reports it) -> what the row must be
EXPECT: dict[str, Expect] = {
    "good": Expect("graded", FULL),
    "also_good": Expect("graded", FULL),
    "deep_metadata": Expect("error", reason="nests"),
    "deep_cell_metadata": Expect("error", reason="nests"),
    "bigint": Expect("error", reason="digits"),
    "surrogate_reflection": Expect("graded", FULL),
    "surrogate_everywhere": Expect("graded", FULL),
    "surrogate_values": Expect("graded", FULL - 4),
    "nul": Expect("graded", FULL - 4),
    "too_big": Expect("error", reason="larger than"),
    "large_reflection": Expect("graded", FULL),
    "odd_file_name": Expect("graded", FULL),
    "odd_file_unknown": Expect("error", reason="cannot tell which exercise"),
    "Jos/xE9": Expect("graded", FULL),
    "canvas-1234": Expect("graded", FULL),  # M\xfcller_1234_...: keyed on the Canvas id
    LATIN1_TWIN: Expect("graded", FULL),
    LONG_UPPER: Expect("graded", FULL),
    LONG_ACCENTED: Expect("graded", FULL),
    LONG_TWIN: Expect("graded", FULL),
    MAX_NAME: Expect("graded", FULL),
}


def _model() -> dict:
    return json.loads(nbformat.writes(student_notebook()))


def _set_answer(nb: dict, gid: str, source: str) -> dict:
    for cell in nb["cells"]:
        if grade_id(nbformat.from_dict(cell)) == gid:
            cell["source"] = source
    return nb


def _write(folder: Path, data: dict | bytes | str, name: str = f"{EXERCISE}.ipynb") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if isinstance(data, dict):
        data = json.dumps(data)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def _with_raw_field(nb: dict, key: str, raw_json: str) -> str:
    """The notebook's JSON with ``"key": <raw_json>`` added to its metadata (text surgery,
    so values Python could not serialise itself go in as they are)."""
    text = json.dumps(nb)
    head, tail = text.split('"metadata": {', 1)
    return f'{head}"metadata": {{"{key}": {raw_json}, {tail}'


def _surrogate_everywhere() -> str:
    """Lone surrogates in notebook metadata (keys and values), a free cell, stored outputs and
    an attachment name: written as JSON escapes (valid JSON, accepted by nbformat)."""
    nb = _model()
    nb["metadata"]["\ud800key"] = "value \udfff"
    nb["cells"].insert(1, nbformat.v4.new_markdown_cell("free \ud800 cell"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"] = [nbformat.v4.new_output("stream", name="stdout",
                                                       text="stored \ud800 output")]
            cell["execution_count"] = 1
    return json.dumps(nb)  # ensure_ascii: every surrogate becomes a \\uXXXX escape


def build_hostile_class(root: Path) -> Path:
    """Write the hostile class under ``root / "subs"``; returns that folder."""
    subs = root / "subs"
    model = _model()
    _write(subs / "good", model)
    _write(subs / "also_good", model)
    _write(subs / "deep_metadata", _with_raw_field(model, "deep", _nested(1100)))
    deep_cell = _model()
    deep_cell["cells"].insert(1, {"cell_type": "markdown", "id": "deep", "source": "x",
                                  "metadata": {"deep": "PLACEHOLDER"}})
    _write(subs / "deep_cell_metadata",
           json.dumps(deep_cell).replace('"PLACEHOLDER"', _nested(600)))
    digits = sys.get_int_max_str_digits() + 700
    _write(subs / "bigint", _with_raw_field(model, "n", "9" * digits))
    _write(subs / "surrogate_reflection",
           _set_answer(_model(), "q6", f"Russia's bases {SURROGATE} link the two directions."))
    _write(subs / "surrogate_everywhere", _surrogate_everywhere())
    # values, outputs and errors made of lone surrogates by the student's own code: q1 holds
    # an unencodable answer (0 points there), every other question is right
    _write(subs / "surrogate_values", _set_answer(_model(), "q1", (
        'print("out \\ud800 put")\nq1_core_tasks = "\\ud800"\nq1_south_tasks = "\\udce9"\n'
        'try:\n    raise ValueError("bad \\ud800 \\udce9")\nexcept ValueError:\n    pass\n')))
    nul = _set_answer(_model(), "q6", "nul \x00 in a reflection")
    nul = _set_answer(nul, "q1", 'print("nul \\x00 out")\nq1_core_tasks = "\x00"\n')
    _write(subs / "nul", nul)
    _write(subs / "too_big", b'{"cells": [], "pad": "' + b"x" * (51 * 2**20) + b'"}')
    _write(subs / "large_reflection", _set_answer(_model(), "q6", "word " * 2_000_000))
    _write(subs / "odd_file_name", model, name=os.fsdecode(ODD_FILE))
    unknown = _model()
    del unknown["metadata"]["course"]
    _write(subs / "odd_file_unknown", unknown, name=os.fsdecode(ODD_FILE))
    _write(subs, model, name=os.fsdecode(CANVAS_LATIN1))
    _write(Path(os.fsdecode(os.fsencode(subs) + b"/" + LATIN1)), model)
    for name in (LATIN1_TWIN, LONG_UPPER, LONG_ACCENTED, LONG_TWIN, MAX_NAME):
        _write(subs / name, model)
    return subs
