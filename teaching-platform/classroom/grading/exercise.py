"""What an exercise asks (questions, checks, manual items) and how a submission is rebuilt.

The grader reads the instructor source once per exercise (:func:`load_exercise`),
then for each submission builds the notebook to run
(:func:`assemble_submission`): locked cells come from the instructor, answers
from the learner, test cells become empty (no check code runs in the kernel).

Examples
--------
>>> import nbformat
>>> from classroom.notebooks.model import CellRole, mark_cell
>>> src = nbformat.v4.new_notebook(metadata={"course": {"exercise": "00_demo"}})
>>> src.cells = [
...     mark_cell(nbformat.v4.new_code_cell("x = 1"), CellRole.SOLUTION, "q1"),
...     mark_cell(nbformat.v4.new_code_cell('check_answer("x", equals=1)'),
...               CellRole.TEST, "q1_test", 2)]
>>> spec = load_exercise(src)
>>> [(q.grade_id, q.points, q.probe_names, q.group) for q in spec.questions]
[('q1_test', 2.0, ['x'], 'q1')]
"""

from __future__ import annotations

import copy
import re
import uuid
from dataclasses import dataclass, field

import nbformat

from classroom.grading.attachments import kept_attachments
from classroom.notebooks.model import (
    WIDGET_TAG,
    CellRole,
    CheckCall,
    cell_role,
    exercise_info,
    grade_id,
    parse_check_calls,
    points,
    validate_source,
)
from classroom.notebooks.transform import clear_hidden_tests, to_student_version
from course_lib.exercise_format.rubrics import word_ranges

__all__ = ["MAX_TEXT_CHARS", "ExerciseSpec", "ManualItem", "Question", "assemble_submission",
           "heading_title", "load_exercise"]

#: Characters kept of a markdown or raw cell (a reflection asks for a few hundred words; this is
#: over 10,000): a longer cell is cut, so one pasted book cannot bloat every export.
MAX_TEXT_CHARS = 100_000

_IMPORT = re.compile(r"^\s*(?:from\s+([\w.]+)\s+import|import\s+([\w.]+))", re.M)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.M)
_ASIDE = re.compile(r"\s*\((?:[^()]*\bpoints?\b[^()]*|widget)\)", re.I)


def heading_title(markdown: str) -> str | None:
    """The first heading of a markdown cell, without asides on points or widgets.

    Examples
    --------
    >>> heading_title("## Question 4 (widget): Jordan's threat environment (4 points: 1 + 3)")
    "Question 4: Jordan's threat environment"
    >>> heading_title("No heading here") is None
    True
    """
    match = _HEADING.search(markdown)
    if match is None:
        return None
    return _ASIDE.sub("", match.group(1)).strip() or None


@dataclass(frozen=True)
class Question:
    """One autograded test cell (nbgrader's unit of scoring) and the answer cells before it.

    ``title`` is the heading of the markdown cell before the answer (e.g. "Question 4:
    Jordan's threat environment"); ``group`` the first answer cell's ``grade_id``, shared by
    the test cells of one question.
    """

    grade_id: str
    points: float
    checks: tuple[CheckCall, ...]
    answer_cells: tuple[str, ...]
    title: str = ""
    group: str = ""

    @property
    def probe_names(self) -> list[str]:
        """Answer variables the checks inspect."""
        return sorted({c.name for c in self.checks})


@dataclass(frozen=True)
class ManualItem:
    """A manually graded answer cell, its heading, word ranges and rubric (when given).

    ``words`` maps a level of study (``""`` for everyone) to the range of words asked (see
    :func:`course_lib.exercise_format.rubrics.word_ranges`).
    """

    grade_id: str
    points: float
    title: str = ""
    words: dict[str, tuple[int, int]] = field(default_factory=dict)
    rubric: tuple[dict, ...] = ()


@dataclass
class ExerciseSpec:
    """Everything the grader needs about one exercise (parsed from the instructor source)."""

    exercise: str
    title: str
    student_nb: nbformat.NotebookNode
    questions: list[Question] = field(default_factory=list)
    manual: list[ManualItem] = field(default_factory=list)
    preload: list[str] = field(default_factory=list)

    @property
    def probe_names(self) -> list[str]:
        """All answer variables of the exercise."""
        return sorted({n for q in self.questions for n in q.probe_names})

    @property
    def max_auto(self) -> float:
        """Points available from autograded questions."""
        return sum(q.points for q in self.questions)

    @property
    def max_manual(self) -> float:
        """Points available from manually graded items."""
        return sum(m.points for m in self.manual)


def load_exercise(source_nb: nbformat.NotebookNode) -> ExerciseSpec:
    """Parse an instructor source notebook into an :class:`ExerciseSpec`.

    Raises
    ------
    ValueError
        When the source is not a valid exercise (see
        :func:`~classroom.notebooks.model.validate_source`).
    """
    problems = validate_source(source_nb)
    if problems:
        raise ValueError("source_nb is not a valid exercise source: " + "; ".join(problems))
    info = exercise_info(source_nb)
    assert info is not None  # validate_source guarantees metadata.course.exercise
    spec = ExerciseSpec(exercise=info.exercise, title=info.title,
                        student_nb=to_student_version(source_nb))
    answers: list[str] = []
    preload: list[str] = []
    title, group, shared = "", "", ()
    for cell in source_nb.cells:
        role = cell_role(cell)
        gid = grade_id(cell)
        if role is CellRole.PROMPT and cell.cell_type == "markdown":
            title = heading_title(cell.source) or title
        if role is CellRole.SOLUTION and gid:
            answers.append(gid)
        elif role is CellRole.MANUAL and gid:
            spec.manual.append(_manual_item(cell, gid, title))
        elif role is CellRole.TEST and gid:
            if answers:  # test cells right after another test cell share its answer cells
                shared, group, answers = tuple(answers), answers[0], []
            spec.questions.append(
                Question(gid, points(cell), tuple(parse_check_calls(cell.source)), shared,
                         title or gid, group or gid)
            )
        elif role is CellRole.SETUP and WIDGET_TAG not in cell.metadata.get("tags", []):
            for a, b in _IMPORT.findall(cell.source):
                name = a or b
                if name and name not in preload:
                    preload.append(name)
    spec.preload = preload
    return spec


def _manual_item(cell: dict, gid: str, title: str) -> ManualItem:
    course = cell.get("metadata", {}).get("course", {})
    rubric = tuple(dict(line) for line in course.get("rubric") or () if isinstance(line, dict))
    return ManualItem(gid, points(cell), title or gid, word_ranges(course), rubric)


def _norm(source: str) -> str:
    return "\n".join(line.rstrip() for line in source.strip().splitlines())


def assemble_submission(
    spec: ExerciseSpec, submission: nbformat.NotebookNode
) -> tuple[nbformat.NotebookNode, list[str]]:
    """Build the notebook to execute from the instructor's cells and the learner's answers.

    * prompt and setup cells: the instructor's version (learner edits ignored);
    * test cells: emptied (checks are judged outside the kernel); locked cells
      tagged ``widget`` are emptied too (widget state is not saved, so answers
      must never depend on it, and skipping them keeps grading fast);
    * answer cells: the learner's cell with the same ``grade_id``, or the unanswered stub
      when it was deleted; of several copies (a pasted duplicate) the one that ran last
      (highest execution count; the last one when none ran) is graded, and a note says so;
    * learner cells without a known ``grade_id``: kept, placed before the next
      known cell that followed them in the learner's notebook;
    * markdown and raw cells longer than :data:`MAX_TEXT_CHARS` are cut (a note says so);
      they keep the learner's pasted images (attachments) when these are images;
    * all stored outputs and execution counts are dropped.

    Returns
    -------
    (notebook, notes)
        ``notes`` tell the learner which locked cells were restored.
    """
    template = spec.student_nb
    roles = {grade_id(c): cell_role(c) for c in template.cells if grade_id(c)}
    chosen = _last_ran(submission.cells, roles)
    student_by_id: dict[str, nbformat.NotebookNode] = {}
    free_before: dict[str | None, list[nbformat.NotebookNode]] = {}
    pending: list[nbformat.NotebookNode] = []
    for pos, cell in enumerate(submission.cells):
        gid = grade_id(cell)
        if gid in roles and chosen.get(gid, (pos,))[0] == pos:
            student_by_id[gid] = cell
            free_before.setdefault(gid, []).extend(pending)
            pending = []
        elif cell_role(cell) is CellRole.FREE or gid not in roles:
            pending.append(cell)
        # another copy of a known cell is dropped (reported below)
    free_before.setdefault(None, []).extend(pending)

    notes = [note for _, note in chosen.values() if note]
    out = nbformat.v4.new_notebook(metadata=copy.deepcopy(template.metadata))
    for cell in template.cells:
        gid = grade_id(cell)
        for extra in free_before.get(gid, []) if gid else []:
            out.cells.append(_fresh(extra, extra.get("cell_type", "code"), extra.get("source", ""),
                                    extra, notes))
        role = cell_role(cell)
        mine = student_by_id.get(gid) if gid else None
        if role in (CellRole.SOLUTION, CellRole.MANUAL):
            source = _src(mine) if mine is not None else cell.source
            if mine is None:
                notes.append(f"answer cell {gid} was missing from your notebook")
            out.cells.append(_fresh(cell, cell.cell_type, source, mine, notes))
        else:
            if gid and mine is None:
                notes.append(f"locked cell {gid} was deleted in your notebook and was restored")
            elif gid and _norm(clear_hidden_tests(_src(mine))) != _norm(cell.source):
                notes.append(
                    f"locked cell {gid} was changed in your notebook; the original was used"
                )
            skip = role is CellRole.TEST or WIDGET_TAG in cell.metadata.get("tags", [])
            source = "" if skip else cell.source
            out.cells.append(_fresh(cell, cell.cell_type, source))
    for extra in free_before.get(None, []):
        out.cells.append(_fresh(extra, extra.get("cell_type", "code"), extra.get("source", ""),
                                extra, notes))
    return out, notes + _cut_long_text(out.cells)


def _cut_long_text(cells: list) -> list[str]:
    """Cut markdown and raw cells to :data:`MAX_TEXT_CHARS`; one note per cut cell."""
    notes = []
    for index, cell in enumerate(cells):
        if cell.cell_type != "code" and len(cell.source) > MAX_TEXT_CHARS:
            notes.append(f"cell {index + 1} held {len(cell.source):,} characters of text; it was "
                         f"cut at {MAX_TEXT_CHARS:,}")
            cell.source = cell.source[:MAX_TEXT_CHARS]
    return notes


def _last_ran(cells: list, roles: dict) -> dict[str, tuple[int, str]]:
    """grade_id -> (position of the copy to grade, note) for answer cells (notes for copies).

    Examples
    --------
    >>> from classroom.notebooks.model import mark_cell
    >>> a = mark_cell(nbformat.v4.new_code_cell("x = 1"), CellRole.SOLUTION, "q1")
    >>> b = mark_cell(nbformat.v4.new_code_cell("x = 2"), CellRole.SOLUTION, "q1")
    >>> a.execution_count, b.execution_count = 7, 3
    >>> _last_ran([a, b], {"q1": CellRole.SOLUTION})["q1"][0]
    0
    """
    copies: dict[str, list[int]] = {}
    for pos, cell in enumerate(cells):
        gid = grade_id(cell)
        if gid in roles:
            copies.setdefault(gid, []).append(pos)
    def order(pos: int) -> tuple[int, int]:
        count = cells[pos].get("execution_count")
        return (count if isinstance(count, int) else -1, pos)

    chosen = {}
    for gid, where in copies.items():
        best = max(where, key=order)
        note = ""
        if len(where) > 1 and roles[gid] in (CellRole.SOLUTION, CellRole.MANUAL):
            ran = "the one that ran last" if order(best)[0] >= 0 else "the last one"
            note = (f"your notebook has {len(where)} cells for {gid} (cells "
                    f"{', '.join(str(p + 1) for p in where)}); {ran} (cell {best + 1}) was "
                    "graded, the others were ignored")
        chosen[gid] = (best, note)
    return chosen


def _src(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _fresh(template: dict, cell_type: str, source: str | list, learner: dict | None = None,
           notes: list[str] | None = None) -> nbformat.NotebookNode:
    """A new cell of ``template``'s metadata with ``source``; a Markdown or raw cell keeps the
    ``learner`` cell's pasted images (its attachments, see :mod:`classroom.grading.attachments`;
    a note in ``notes`` for each one dropped)."""
    source = "".join(source) if isinstance(source, list) else str(source)
    meta = copy.deepcopy(dict(template.get("metadata", {})))
    # built whole rather than by nbformat.v4.new_*_cell, which checks every new cell against
    # the JSON schema (a third of the grader's CPU per submission): these parts are known good
    new = nbformat.NotebookNode(id=uuid.uuid4().hex[:16], cell_type=cell_type,
                                metadata=nbformat.from_dict(meta), source=source)
    if cell_type == "code":
        new.update(execution_count=None, outputs=[])
    elif cell_type not in ("markdown", "raw"):
        new.cell_type = "raw"
    if cell_type != "code" and learner is not None:
        images, dropped = kept_attachments(learner)
        if images:
            new.attachments = nbformat.from_dict(images)
        if notes is not None:
            notes += dropped
    return new
