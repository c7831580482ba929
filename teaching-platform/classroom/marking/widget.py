"""The marking widget: one answer at a time, its rubric lines, a comment, saved at once.

Each rubric line shows what earns full, partial and no marks on it (its level descriptors,
when the source gives them), and each score in its menu is named by the level it reaches.

Every control is a native, focusable element (``tabbable``) with a visible description
(its accessible name) and a tooltip; buttons respond to Enter and Space like any button;
the progress and save messages are a polite live region for screen readers.  The answer is
shown read-only, HTML-escaped, with the images pasted into it beneath (their file names as
alternative text).

Examples
--------
>>> import tempfile
>>> from classroom.gradebook.store import open_gradebook
>>> from classroom.marking.queue import MarkingItem, MarkingQueue
>>> from classroom.marking.rubric import Criterion, ManualQuestion
>>> book = open_gradebook(tempfile.mkdtemp())
>>> book.sync_exercise("01_x", "X", "h", [("q6", "manual", 3.0)], 0.0, 3.0)
>>> q = ManualQuestion("01_x", "q6", "Q6", 3.0, (Criterion("Claim", 2), Criterion("Style", 1)),
...                    (2, 10))
>>> w = MarkingWidget(MarkingSession(book, MarkingQueue([MarkingItem("a", "S-A", q, "<b>")])))
>>> "&lt;b&gt;" in w.answer.value, w.criteria[0].disabled
(True, True)
>>> w.marker_text.value = "kb"; w.start_button.click()
>>> w.criteria[0].value, w.criteria[1].value = 2.0, 1.0
>>> w.total.value, w.progress_text()
('Total: 3/3', '1/1 marked')
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from pathlib import Path

import ipywidgets as widgets

from classroom.gradebook.store import open_gradebook
from classroom.marking.answers import latest_answers, word_count, word_note
from classroom.marking.queue import build_queue
from classroom.marking.rubric import Criterion
from classroom.marking.second import folder_seed, second_sample
from classroom.marking.session import MarkingSession
from classroom.pages.sanitize import image_data_uri

__all__ = ["NOT_SCORED", "MarkingWidget", "descriptor_html", "images_html", "marking_widget"]

#: The value of a rubric control with no score yet (``None`` would show an empty box).
NOT_SCORED = "not scored"

_STYLE = {"description_width": "initial"}
_ANSWER_STYLE = ("white-space:pre-wrap;border:1px solid #000000;padding:0.5em;"
                 "max-height:24em;overflow:auto")


#: Long rubric lines wrap instead of being cut off with an ellipsis.
_CSS = ("<style>.course-marking .widget-dropdown {height: auto; align-items: center; "
        "margin: 0.3em 0}"
        ".course-marking .widget-dropdown > label.widget-label {white-space: normal; "
        "height: auto; overflow: visible; line-height: 1.4; flex: 1 1 auto; "
        "text-align: left}"
        ".course-marking .widget-dropdown > select {flex: 0 0 9em; "
        "height: var(--jp-widgets-inline-height, 28px)}</style>")


def _live(inner: str) -> str:
    return f'<div role="status" aria-live="polite">{inner}</div>'


def _button(description: str, tooltip: str) -> widgets.Button:
    return widgets.Button(description=description, tooltip=tooltip, tabbable=True,
                          layout=widgets.Layout(width="auto"))


def _fmt(value: float) -> str:
    return f"{value:g}"


def descriptor_html(criterion: Criterion) -> str:
    """What earns each level of a rubric line, as a small list (HTML-escaped).

    Examples
    --------
    >>> c = Criterion("Claim", 2, {"full": "clear <and> early", "none": "no claim"})
    >>> descriptor_html(c)
    '<ul class="course-levels"><li><b>full (2)</b>: clear &lt;and&gt; early</li><li><b>no \
marks (0)</b>: no claim</li></ul>'
    """
    names = {"full": f"full ({_fmt(criterion.points)})", "partial": "partial",
             "none": "no marks (0)"}
    items = "".join(f"<li><b>{names[level]}</b>: {html.escape(text)}</li>"
                    for level, text in criterion.levels.items())
    return f'<ul class="course-levels">{items}</ul>'


def images_html(images: Mapping[str, Mapping[str, str]]) -> str:
    """The images pasted into an answer, each with its file name as alternative text and
    caption; only image data is shown (checked as the pages check it).

    Examples
    --------
    >>> page = images_html({"fig <1>.png": {"image/png": "iVBORw0KGgo="},
    ...                     "x.html": {"text/html": "<script>"}})
    >>> 'src="data:image/png;base64,iVBORw0KGgo="' in page, 'alt="fig &lt;1&gt;.png"' in page
    (True, True)
    >>> "script" in page, images_html({})
    (False, '')
    """
    figures = []
    for name, bundle in images.items():
        uri = next((u for m, d in bundle.items() if (u := image_data_uri(m, d))), None)
        if uri is not None:
            label = html.escape(str(name))
            figures.append(f'<figure style="margin:0.5em 0"><img src="{uri}" alt="{label}" '
                           f'style="max-width:100%"><figcaption>{label}</figcaption></figure>')
    if not figures:
        return ""
    return (f'<div role="group" aria-label="Images pasted into the answer">'
            f'<p>{len(figures)} pasted image{"s" if len(figures) > 1 else ""}:</p>'
            + "".join(figures) + "</div>")


class MarkingWidget(widgets.VBox):
    """The composite shown by the marking notebook (see :func:`marking_widget`)."""

    def __init__(self, session: MarkingSession) -> None:
        self.session = session
        self._loading = False
        self.marker_text = widgets.Text(
            value=session.marker, description="Marker initials", style=_STYLE, tabbable=True,
            tooltip="Your initials: every mark is saved under them", disabled=bool(
                session.marker))
        self.start_button = _button("Start marking", "Start marking under these initials")
        self.start_button.disabled = bool(session.marker)
        self.start_button.on_click(self._start)
        self.heading = widgets.HTML()
        self.progress = widgets.HTML()
        self.answer = widgets.HTML(description="Answer", tooltip="The student's answer")
        self.images = widgets.HTML()
        self.words = widgets.HTML()
        self.criteria: list[widgets.Dropdown] = []
        self.criteria_box = widgets.VBox()
        self.total = widgets.Label(value="")
        self.comment = widgets.Textarea(
            description="Comment", style=_STYLE, continuous_update=False, tabbable=True,
            tooltip="Comment for the student (saved when you leave the box)",
            layout=widgets.Layout(width="100%", height="6em"))
        self.comment.observe(self._changed, names="value")
        self.previous_button = _button("Previous", "Go to the previous answer")
        self.next_button = _button("Next", "Go to the next answer")
        self.unmarked_button = _button("Next unmarked", "Go to the next answer not yet marked")
        self.previous_button.on_click(lambda _: self._move(self.session.index - 1))
        self.next_button.on_click(lambda _: self._move(self.session.index + 1))
        self.unmarked_button.on_click(self._next_unmarked)
        self.status = widgets.HTML(value=_live(""))
        self.disagreement_html = widgets.HTML()
        super().__init__(children=[
            widgets.HTML(_CSS), widgets.HBox([self.marker_text, self.start_button]),
            self.heading, self.progress,
            self.words, self.answer, self.images, self.criteria_box, self.total, self.comment,
            widgets.HBox([self.previous_button, self.next_button, self.unmarked_button]),
            self.status, self.disagreement_html])
        self.add_class("course-marking")
        self._load()

    @property
    def controls(self) -> list[widgets.DOMWidget]:
        """Every control, in Tab order."""
        return [self.marker_text, self.start_button, *self.criteria, self.comment,
                self.previous_button, self.next_button, self.unmarked_button]

    def progress_text(self) -> str:
        """``"17/60 marked"``."""
        return self.session.queue.progress()

    def _criterion_control(self, index: int, criterion: Criterion) -> widgets.Dropdown:
        text, top = criterion.text, criterion.points
        named = [(f"{_fmt(s)} ({criterion.level_of(s)})" if criterion.levels else _fmt(s), s)
                 for s in criterion.steps]
        control = widgets.Dropdown(
            options=[(NOT_SCORED, NOT_SCORED), *named],
            description=f"{index}. {text} (0-{_fmt(top)})", style=_STYLE, tabbable=True,
            tooltip=f"Score for: {text}", layout=widgets.Layout(width="100%"))
        control.observe(self._changed, names="value")
        return control

    def _show_criteria(self, criteria: tuple) -> None:
        """One control per rubric line, with what earns each level beneath it; the same rubric
        keeps its controls (and Tab order)."""
        wanted = [f"{i}. {c.text} (0-{_fmt(c.points)})" for i, c in enumerate(criteria, 1)]
        if [c.description for c in self.criteria] == wanted:
            return
        for control in self.criteria:
            control.close()
        self.criteria = [self._criterion_control(i, c) for i, c in enumerate(criteria, start=1)]
        rows: list[widgets.Widget] = []
        for control, criterion in zip(self.criteria, criteria, strict=True):
            rows.append(control)
            if criterion.levels:
                rows.append(widgets.HTML(descriptor_html(criterion)))
        self.criteria_box.children = tuple(rows)

    def _load(self) -> None:
        """Show the current item and its saved mark (without saving anything)."""
        item, session = self.session.current, self.session
        self._loading = True
        try:
            if item is None:
                self.heading.value = "<h3>Nothing to mark in this grading folder</h3>"
                self.images.value = ""
                self._show_criteria(())
                self._refresh()
                return
            q = item.question
            mode = "second marking" if session.second else "marking"
            self.heading.value = (f"<h3>{html.escape(q.title)} ({_fmt(q.points)} points)</h3>"
                                  f"<p>{html.escape(session.label(item))}, {html.escape(mode)}"
                                  f", answer {session.index + 1} of {len(session.queue)}</p>")
            self.answer.value = f'<div style="{_ANSWER_STYLE}">' + (
                html.escape(item.answer) if item.answer else "<em>(no answer)</em>") + "</div>"
            self.images.value = images_html(item.images)
            self.words.value = html.escape(word_note(word_count(item.answer), q.words))
            self._show_criteria(q.criteria)
            scores, comment = session.saved_scores()
            for control, score in zip(self.criteria, scores, strict=True):
                control.value = NOT_SCORED if score is None else score
            self.comment.value = comment
            self._refresh()
        finally:
            self._loading = False

    def _scores(self) -> list[float | None]:
        return [None if c.value in (None, NOT_SCORED) else c.value for c in self.criteria]

    def _refresh(self) -> None:
        session, ready = self.session, bool(self.session.marker)
        for control in [*self.criteria, self.comment, self.previous_button,
                        self.next_button, self.unmarked_button]:
            control.disabled = not ready or session.current is None
        item = session.current
        top = _fmt(item.question.points) if item else "0"
        self.total.value = f"Total: {_fmt(session.total(self._scores()))}/{top}"
        state = " (this answer is marked)" if item and session.queue.is_marked(
            session.index) else ""
        self.progress.value = _live(html.escape(self.progress_text() + state))
        self._show_disagreements()

    def _show_disagreements(self) -> None:
        found = self.session.disagreements()
        if not found:
            self.disagreement_html.value = ""
            return
        codes = {i.key: self.session.label(i) for i in self.session.queue.items}
        rows = "".join(
            f"<tr><td>{html.escape(codes[(d.student, d.exercise, d.grade_id)])}</td>"
            f"<td>{html.escape(d.grade_id)}</td><td>{_fmt(d.first)} ({html.escape(d.first_marker)})"
            f"</td><td>{_fmt(d.second)} ({html.escape(d.second_marker)})</td></tr>"
            for d in found)
        self.disagreement_html.value = (
            f"<table><caption>Disagreements (more than 1 point apart): {len(found)}</caption>"
            "<tr><th scope='col'>Student</th><th scope='col'>Question</th>"
            f"<th scope='col'>First mark</th><th scope='col'>Second mark</th></tr>{rows}</table>")

    def _say(self, message: str) -> None:
        self.status.value = _live(html.escape(message))

    def _start(self, _button: widgets.Button | None = None) -> None:
        try:
            self.session.set_marker(self.marker_text.value)
        except ValueError as exc:
            self._say(str(exc))
            return
        self.marker_text.disabled = self.start_button.disabled = True
        self._say(f"marking as {self.session.marker}")
        self._refresh()

    def _changed(self, _change: dict) -> None:
        if self._loading:
            return
        try:
            self._say(self.session.save(self._scores(), self.comment.value))
        except ValueError as exc:
            self._say(f"not saved: {exc}")
        self._refresh()

    def _leaving(self) -> str:
        """A warning when the answer being left has scores or a comment not yet saved."""
        item = self.session.current
        if item is None or not self.session.is_unsaved(self._scores(), self.comment.value):
            return ""
        return (f"left {self.session.label(item)} {item.question.grade_id} unsaved: score "
                "every rubric line to save it")

    def _move(self, index: int) -> None:
        warning = self._leaving()
        self.session.go(index)
        self._load()
        self._say(warning)

    def _next_unmarked(self, _button: widgets.Button | None = None) -> None:
        warning = self._leaving()
        if self.session.next_unmarked():
            self._load()
            self._say(warning)
        else:
            self._say(warning or "every answer in this queue is marked")


def marking_widget(folder: str | Path, *, marker: str = "", names: bool = False,
                   second: bool = False, sample: float = 0.2, seed: int | None = None,
                   solutions: str | Path | None = None) -> MarkingWidget:
    """The marking widget for the grading folder ``folder`` (its ``gradebook.sqlite``).

    Parameters
    ----------
    folder : path
        The grading folder (``course grade --out``).
    marker : str
        The marker's initials; when empty the widget asks for them first.
    names : bool
        Show student names instead of anonymous codes.
    second : bool
        Second marking: a sample of students, marked blind to the first marks.
    sample, seed : float, int
        The second-marking sample's fraction and seed (default: the folder's own seed).
    solutions : path, optional
        The exercise sources holding the rubrics.
    """
    book = open_gradebook(folder, create=False)
    students = None
    if second:
        graded = {student for student, _ in latest_answers(book)}
        students = second_sample(graded, sample, seed=folder_seed(folder) if seed is None
                                 else seed)
    queue = build_queue(book, solutions, students=students, second=second)
    return MarkingWidget(MarkingSession(book, queue, marker=marker, second=second,
                                        names=names))
