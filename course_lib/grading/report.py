"""Reports: per-submission JSON, learner feedback (Markdown), the gradebook CSV.

Everything is written atomically and deterministically (sorted keys and rows,
no timestamps), so grading the same submissions twice gives identical files.

Examples
--------
>>> from course_lib.grading.judge import error_result
>>> print(render_feedback(error_result("ann", "01_x", "ann/01_x.ipynb", "not a notebook")))
# Feedback: 01_x
<BLANKLINE>
Student: ann · file: ann/01_x.ipynb
<BLANKLINE>
**This file could not be graded.**
<BLANKLINE>
- not a notebook
<BLANKLINE>
...
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from pathlib import Path

from course_lib.notebooks.transform import atomic_write_text

__all__ = ["GRADEBOOK_COLUMNS", "gradebook_rows", "render_feedback", "write_gradebook",
           "write_submission_report"]

GRADEBOOK_COLUMNS = ("student", "exercise", "question", "kind", "points", "max_points", "status",
                     "message")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _fmt(x: float | None) -> str:
    if x is None:
        return ""
    return f"{x:g}"


def render_feedback(result: dict) -> str:
    """Markdown feedback a learner can act on; never shows hidden test code or expected values."""
    lines = [f"# Feedback: {result.get('title') or result['exercise']}", "",
             f"Student: {result['student']} · file: {result['source_file']}", ""]
    if result["status"] == "error":
        lines += ["**This file could not be graded.**", ""]
        lines += [f"- {_ANSI.sub('', e)}" for e in result["errors"]]
        lines += ["", "Fix the problem and submit the notebook again (an `.ipynb` file saved "
                  "from Jupyter).", ""]
        return "\n".join(lines)
    lines += [
        f"**Autograded score: {_fmt(result['score'])} of {_fmt(result['auto_max_score'])}** "
        f"(plus up to {_fmt(result['manual_max_score'])} points graded by a person).",
        "",
        "How this was graded: your notebook was run from top to bottom in a fresh Python "
        "kernel, then the values of your answer variables were checked. *Self-checks* are the "
        "visible form checks you can run yourself; *hidden checks* run only at grading and "
        "decide the points. Warnings do not cost points.",
        "",
    ]
    if result["messages"]:
        lines += ["## Notes on the run", ""]
        lines += [f"- {_ANSI.sub('', m)}" for m in result["messages"]]
        lines.append("")
    for gid, q in sorted(result["questions"].items()):
        mark = "full marks" if q["points"] == q["max_points"] else "not full marks"
        lines += [f"## {gid}: {_fmt(q['points'])} / {_fmt(q['max_points'])} ({mark})", ""]
        for c in q["checks"]:
            tick = "passed" if c["passed"] else "FAILED"
            pts = f", {_fmt(c['points'])}/{_fmt(c['max_points'])} pt" if c["max_points"] else ""
            lines.append(f"- [{tick}] {c['kind']}{pts}: {_ANSI.sub('', c['message'])}")
        for e in q["errors"]:
            lines.append(f"- [error] {_ANSI.sub('', e)}")
        lines.append("")
    if result["manual"]:
        lines += ["## Graded by a person", ""]
        for gid, m in sorted(result["manual"].items()):
            state = "answered" if m["answer"].strip() and "YOUR ANSWER HERE" not in m["answer"] \
                else "no answer written yet"
            lines.append(f"- {gid} (up to {_fmt(m['max_points'])} points): {m['status']}; "
                         f"{state}.")
        lines.append("")
    if result["errors"]:
        lines += ["## Errors in other cells", ""]
        lines += [f"- {_ANSI.sub('', e)}" for e in result["errors"]]
        lines.append("")
    return "\n".join(lines)


def write_submission_report(out_dir: str | Path, result: dict) -> tuple[Path, Path]:
    """Write ``<student>/<exercise>.json`` and ``<student>/<exercise>.feedback.md``."""
    folder = Path(out_dir) / result["student"]
    json_path = folder / f"{result['exercise']}.json"
    md_path = folder / f"{result['exercise']}.feedback.md"
    atomic_write_text(json_path, json.dumps(result, indent=1, sort_keys=True,
                                            ensure_ascii=False) + "\n")
    atomic_write_text(md_path, render_feedback(result))
    return json_path, md_path


def gradebook_rows(results: Iterable[dict]) -> list[dict]:
    """One row per student x exercise x question (and manual item), sorted.

    Examples
    --------
    >>> from course_lib.grading.judge import error_result
    >>> gradebook_rows([error_result("ann", "01_x", "f", "bad")])[0]["status"]
    'error'
    """
    rows = []
    for r in results:
        if r["status"] == "error":
            rows.append({"student": r["student"], "exercise": r["exercise"], "question": "",
                         "kind": "", "points": "0", "max_points": "", "status": "error",
                         "message": "; ".join(r["errors"])})
            continue
        for gid, q in r["questions"].items():
            failed = list(dict.fromkeys(
                c["message"] for c in q["checks"] if not c["passed"] and c["max_points"]))
            rows.append({"student": r["student"], "exercise": r["exercise"], "question": gid,
                         "kind": "auto", "points": _fmt(q["points"]),
                         "max_points": _fmt(q["max_points"]), "status": q["status"],
                         "message": "; ".join(failed + q["errors"])})
        for gid, m in r["manual"].items():
            rows.append({"student": r["student"], "exercise": r["exercise"], "question": gid,
                         "kind": "manual", "points": "", "max_points": _fmt(m["max_points"]),
                         "status": m["status"], "message": ""})
    rows.sort(key=lambda row: (row["student"], row["exercise"], row["question"]))
    return rows


def write_gradebook(out_dir: str | Path, results: Iterable[dict]) -> Path:
    """Write ``gradebook.csv`` (columns :data:`GRADEBOOK_COLUMNS`) atomically."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=GRADEBOOK_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(gradebook_rows(results))
    path = Path(out_dir) / "gradebook.csv"
    atomic_write_text(path, buf.getvalue())
    return path
