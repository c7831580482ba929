"""Exports from the gradebook: per-submission JSON, learner feedback (Markdown), the CSV.

They are written from the database (:func:`export_all`), atomically and deterministically
(sorted keys and rows, no timestamps), and never read back.  Result paths use
:func:`~course_lib.grading.discovery.encode_id`, so two students never share a file; a file
at such a path that the tool did not write is left alone (and reported).

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

from course_lib.gradebook.files import write_exports
from course_lib.gradebook.history import latest_results
from course_lib.gradebook.store import Gradebook
from course_lib.grading.discovery import encode_id

__all__ = ["GRADEBOOK_COLUMNS", "export_all", "gradebook_rows", "render_feedback",
           "result_paths"]

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
            if m.get("points") is not None:
                comment = f" Comment: {m['comment']}" if m.get("comment") else ""
                lines.append(f"- {gid}: {_fmt(m['points'])} / {_fmt(m['max_points'])} "
                             f"(marked).{comment}")
                continue
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


def result_paths(result: dict) -> tuple[str, str]:
    """Relative paths of a result's JSON and feedback files (collision-free, reversible).

    Examples
    --------
    >>> result_paths({"student": "ann lee", "exercise": "01_x"})
    ('s-ann%20lee/01_x.json', 's-ann%20lee/01_x.feedback.md')
    """
    folder = encode_id(result["student"])
    name = encode_id(result["exercise"], prefix="")
    return f"{folder}/{name}.json", f"{folder}/{name}.feedback.md"


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
                         "kind": "manual", "points": _fmt(m.get("points")),
                         "max_points": _fmt(m["max_points"]), "status": m["status"],
                         "message": m.get("comment", "")})
    rows.sort(key=lambda row: (row["student"], row["exercise"], row["question"]))
    return rows


def _csv(results: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=GRADEBOOK_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(gradebook_rows(results))
    return buf.getvalue()


def export_all(book: Gradebook) -> list[str]:
    """Write every export from the database; returns a warning per file left alone.

    Examples
    --------
    >>> import tempfile
    >>> from course_lib.gradebook.store import open_gradebook
    >>> export_all(open_gradebook(tempfile.mkdtemp()))
    []
    """
    results = latest_results(book)
    warnings: list[str] = []
    files = [("gradebook.csv", _csv(results))]
    for r in results:
        json_path, md_path = result_paths(r)
        files.append((json_path, json.dumps(r, indent=1, sort_keys=True,
                                            ensure_ascii=False) + "\n"))
        files.append((md_path, render_feedback(r)))
    for relative in write_exports(book, files):
        warnings.append(f"{book.folder / relative} was not written by course grade (or was "
                        "changed since); left as it is")
    return warnings
