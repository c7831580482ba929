"""Return feedback: each student's ``feedback/<exercise>.md`` and ``.html`` in their own server.

The feedback comes from the folder ``course grade --out DIR`` wrote
(``DIR/<encoded student>/<exercise>.feedback.md``, see
:func:`classroom.grading.report.result_paths`).  Each file carries the marker comment
:data:`MARKER`; a file of the same name in a student's server without it is theirs and is left
alone.

Examples
--------
>>> html = feedback_html("# Feedback\\n\\n- q1: 2/2", "03_x")
>>> MARKER in html and "<h1>Feedback</h1>" in html
True
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from classroom.gradebook.store import GRADEBOOK_FILE, open_gradebook
from classroom.grading.discovery import decode_id
from classroom.grading.feedback_html import feedback_page
from classroom.grading.report import student_folders
from classroom.hub.client import HubClient, HubError

__all__ = ["MARKER", "Returned", "feedback_files", "feedback_html", "return_feedback"]

_WRITER = "course return"
MARKER = f"<!-- written by {_WRITER} -->"
_SUFFIX = ".feedback.md"


@dataclass
class Returned:
    """One feedback file pair: where it went, or why it did not."""

    student: str
    exercise: str
    paths: tuple[str, ...] = ()
    problem: str | None = None


def feedback_html(markdown: str, exercise: str) -> str:
    """A stand-alone HTML page of the Markdown feedback, marked as written by course return.

    The same page as ``course grade``'s ``.feedback.html`` (:func:`feedback_page`): HTML in the
    feedback (a student's value, an error message, an id) is shown as text, and the page
    allows no script.

    Examples
    --------
    >>> page = feedback_html("Your value: <img src=x onerror=alert(1)>", "03_x")
    >>> "&lt;img" in page and "<img" not in page
    True
    """
    return feedback_page(f"Feedback: {exercise}", markdown, written_by=_WRITER)


def feedback_files(grading_dir: str | Path) -> list[tuple[str, str, Path]]:
    """``(student, exercise, path)`` of every feedback file ``course grade`` wrote.

    Examples
    --------
    >>> import tempfile
    >>> feedback_files(tempfile.mkdtemp())
    []
    """
    found = []
    owners = _folder_owners(Path(grading_dir))
    for path in sorted(Path(grading_dir).glob(f"s-*/*{_SUFFIX}")):
        try:
            student = owners.get(path.parent.name) or decode_id(path.parent.name)
            exercise = decode_id(path.name[: -len(_SUFFIX)], prefix="")
        except (ValueError, UnicodeDecodeError):
            continue
        found.append((student, exercise, path))
    return found


def _folder_owners(grading_dir: Path) -> dict[str, str]:
    """Folder name -> exact student id from the gradebook (shortened names need it)."""
    if not (grading_dir / GRADEBOOK_FILE).is_file():
        return {}
    with open_gradebook(grading_dir, create=False) as book:
        return student_folders(book)


def _writable(client: HubClient, student: str, path: str) -> bool:
    """Whether ``path`` is absent or a file ``course return`` wrote."""
    try:
        text, _ = client.read_file(student, path)
    except HubError as exc:
        if exc.status == 404:
            return True
        raise
    return MARKER in text


def _return_one(client: HubClient, student: str, exercise: str, source: Path,
                folder: str) -> Returned:
    markdown = source.read_text(encoding="utf-8")
    pages = {f"{folder}/{exercise}.md": f"{MARKER}\n\n{markdown}",
             f"{folder}/{exercise}.html": feedback_html(markdown, exercise)}
    try:
        for path in pages:
            if not _writable(client, student, path):
                return Returned(student, exercise, problem=f"{path} exists and was not written "
                                "by course return; left as it is")
        for path, text in pages.items():
            client.write_file(student, path, text)
    except HubError as exc:
        reason = "server stopped" if exc.status in (0, 404, 503) else str(exc)
        return Returned(student, exercise, problem=reason)
    return Returned(student, exercise, paths=tuple(pages))


def return_feedback(client: HubClient, grading_dir: str | Path, *, folder: str = "feedback",
                    exercise: str | None = None) -> list[Returned]:
    """Write every feedback file in ``grading_dir`` into its student's server.

    Parameters
    ----------
    client : HubClient
        A client that reaches each student's server (the instructor's sends each server a
        token of its own student, see :mod:`classroom.hub.client`).
    grading_dir : path
        The ``--out`` folder of ``course grade``.
    folder : str
        The folder in each home that receives the files.
    exercise : str, optional
        Only this exercise.
    """
    results = []
    for student, name, path in feedback_files(grading_dir):
        if exercise is None or name == exercise:
            results.append(_return_one(client, student, name, path, folder))
    return results
