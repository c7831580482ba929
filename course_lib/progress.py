"""A learner's progress through the exercises, read without running anything.

Two sources, both already on disk:

* the **saved outputs of the self-check cells** in each exercise notebook (the ``✓`` line
  :func:`course_lib.checks.self_check` prints, or the ``✗`` line of the error it raises):
  whether the answers had the right form when the learner last ran them;
* the **verdicts of** ``course check``, which it records in
  ``.course_check/<notebook stem>.json`` beside the notebook together with the SHA-256 of the
  file it judged, so a verdict on an older version of the notebook shows as out of date.

Nothing is executed: :func:`exercise_progress` is instant and safe to call from a lesson
(lesson 00 shows :func:`progress_html`) or from ``course progress``.

Examples
--------
>>> import tempfile
>>> exercise_progress(tempfile.mkdtemp())
[]
"""

from __future__ import annotations

import hashlib
import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from IPython.display import HTML

from course_lib.exercise_format import CellRole, cell_role, read_notebook
from course_lib.files import atomic_write_text

__all__ = ["CHECK_DIR", "ExerciseProgress", "exercise_progress", "progress_html",
           "progress_lines", "progress_view", "record_check"]

#: Folder, beside the exercise notebooks, where ``course check`` records its verdicts.
CHECK_DIR = ".course_check"
_PASS, _FAIL = "✓", "✗"


@dataclass(frozen=True)
class ExerciseProgress:
    """One exercise notebook's state.

    Attributes
    ----------
    notebook : str
        File name.
    form_ok, form_wrong : int
        Self-check lines saved in the notebook that passed / failed.
    right, questions : int or None
        Questions judged right by the last ``course check``, and how many it judged
        (``None``: never checked).
    current : bool
        Whether that verdict is about the notebook as it is now saved.
    """

    notebook: str
    form_ok: int
    form_wrong: int
    right: int | None
    questions: int | None
    current: bool

    @property
    def verdict(self) -> str:
        """The ``course check`` column in words."""
        if self.questions is None:
            return "not checked yet"
        when = "" if self.current else " (notebook changed since: check again)"
        return f"{self.right} of {self.questions} questions right{when}"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def record_check(notebook: str | Path, questions: dict[str, bool], mode: str) -> Path:
    """Record a ``course check`` verdict (grade_id -> right) for ``notebook``; return the file.

    Examples
    --------
    >>> import tempfile, nbformat
    >>> folder = Path(tempfile.mkdtemp())
    >>> nbformat.write(nbformat.v4.new_notebook(), folder / "01_x_exercises.ipynb")
    >>> record_check(folder / "01_x_exercises.ipynb", {"q1": True, "q2": False}, "demo").name
    '01_x_exercises.json'
    >>> exercise_progress(folder)[0].verdict
    '1 of 2 questions right'
    """
    path = Path(notebook)
    target = path.parent / CHECK_DIR / f"{path.stem}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    record = {"notebook": path.name, "sha256": _sha256(path), "mode": mode,
              "questions": dict(sorted(questions.items()))}
    atomic_write_text(target, json.dumps(record, indent=1) + "\n")
    return target


def _saved_form_checks(nb: Any) -> tuple[int, int]:
    ok = wrong = 0
    for cell in nb.cells:
        if cell.cell_type != "code" or cell_role(cell) is not CellRole.TEST:
            continue
        for output in cell.get("outputs", []):
            lines = "".join(output.get("text", "")).splitlines()
            if output.get("output_type") == "error":
                lines = [line for entry in output.get("traceback", []) or []
                         for line in str(entry).splitlines()]
            for line in lines:
                ok += line.startswith(_PASS)
                wrong += line.startswith(_FAIL)
    return ok, wrong


def _last_verdict(path: Path) -> tuple[int | None, int | None, bool]:
    record_file = path.parent / CHECK_DIR / f"{path.stem}.json"
    try:
        record = json.loads(record_file.read_text(encoding="utf-8"))
        questions = dict(record["questions"])
    except (OSError, ValueError, KeyError, TypeError):
        return None, None, False
    return (sum(bool(v) for v in questions.values()), len(questions),
            record.get("sha256") == _sha256(path))


def exercise_progress(exercises_dir: str | Path) -> list[ExerciseProgress]:
    """The state of every ``*_exercises.ipynb`` in ``exercises_dir``, sorted by name.

    A notebook that cannot be read counts as having no saved self-checks.
    """
    rows = []
    for path in sorted(Path(exercises_dir).glob("*_exercises.ipynb")):
        try:
            ok, wrong = _saved_form_checks(read_notebook(path))
        except Exception:  # noqa: BLE001 - a damaged notebook must not hide the others
            ok, wrong = 0, 0
        right, total, current = _last_verdict(path)
        rows.append(ExerciseProgress(path.name, ok, wrong, right, total, current))
    return rows


def progress_lines(exercises_dir: str | Path) -> list[str]:
    """One line per exercise, for ``course progress``.

    Examples
    --------
    >>> import tempfile
    >>> progress_lines(tempfile.mkdtemp())
    ['no exercise notebooks (*_exercises.ipynb) found']
    """
    rows = exercise_progress(exercises_dir)
    if not rows:
        return ["no exercise notebooks (*_exercises.ipynb) found"]
    return [f"{r.notebook}: self-checks saved {r.form_ok} {_PASS} {r.form_wrong} {_FAIL}; "
            f"course check: {r.verdict}" for r in rows]


def progress_html(exercises_dir: str | Path) -> str:
    """An HTML table of :func:`exercise_progress` with a caption saying where it comes from.

    Examples
    --------
    >>> "<caption>" in progress_html(".")
    True
    """
    rows = exercise_progress(exercises_dir)
    body = "".join(
        f"<tr><th scope='row'>{html.escape(r.notebook)}</th><td>{r.form_ok} {_PASS}, "
        f"{r.form_wrong} {_FAIL}</td><td>{html.escape(r.verdict)}</td></tr>" for r in rows
    ) or "<tr><td colspan='3'>No exercise notebooks found.</td></tr>"
    return ("<table><caption>Your exercises: self-checks as last saved, and the last "
            "<code>course check</code> verdict</caption><thead><tr><th scope='col'>Exercise"
            "</th><th scope='col'>Self-checks (form)</th><th scope='col'>course check</th>"
            f"</tr></thead><tbody>{body}</tbody></table>")


def progress_view(exercises_dir: str | Path = "../exercises") -> HTML:
    """:func:`progress_html` as a displayable object (lesson 00 runs it from ``notebooks/``).

    Examples
    --------
    >>> "course check" in progress_view(".").data
    True
    """
    return HTML(progress_html(exercises_dir))
