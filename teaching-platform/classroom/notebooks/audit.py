"""What an exercise's points measure, printed by ``course build-exercises`` for the author.

Two figures per exercise source:

* **the points audit**: the autograded points by the kind each test cell records in
  ``metadata.course.kinds`` (``argument``: the paper's argument; ``theory``: alliance theory;
  ``model``: the logic of the course's models; ``skill``: operating the software, such as a
  look-up, a copied string or a widget reading), split by each check's ``weight``;
* **the giveaway report** of its choice questions (:mod:`course_lib.quizzes.giveaways`): the
  share of keys that are the longest option and the score of always picking the longest.

Examples
--------
>>> audit = ExerciseAudit("01_x", {"argument": 12.0, "skill": 4.0, "model": 4.0},
...                       giveaway_report([]))
>>> audit.lines()[0]
'01_x: 20 autograded points: paper 12, theory 0, models 4, operating the software 4 (20%)'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from classroom.notebooks.authoring import choice_items
from course_lib.exercise_format.cells import (
    CellRole,
    cell_role,
    cell_source,
    exercise_info,
    points,
)
from course_lib.exercise_format.checkcalls import parse_check_calls
from course_lib.quizzes.giveaways import GiveawayReport, giveaway_report

__all__ = ["KIND_LABELS", "ExerciseAudit", "audit_exercise"]

#: The kinds of graded check, in the order the audit prints them, with their labels.
KIND_LABELS = {"argument": "paper", "theory": "theory", "model": "models",
               "skill": "operating the software"}


@dataclass(frozen=True)
class ExerciseAudit:
    """The points audit and giveaway report of one exercise source.

    Attributes
    ----------
    exercise : str
        The exercise id.
    points : dict
        Autograded points by kind (a kind not in :data:`KIND_LABELS` is counted as
        ``"unclassified"``).
    giveaways : GiveawayReport
        How far its choice questions reward picking the longest option.
    """

    exercise: str
    points: Mapping[str, float]
    giveaways: GiveawayReport

    @property
    def skill_share(self) -> float:
        """The share of autograded points that reward operating the software."""
        total = sum(self.points.values())
        return self.points.get("skill", 0.0) / total if total else 0.0

    def lines(self) -> list[str]:
        """The audit as two lines for the build's output."""
        total = sum(self.points.values())
        parts = [f"{label} {self.points.get(kind, 0.0):g}" for kind, label in KIND_LABELS.items()]
        other = self.points.get("unclassified", 0.0)
        extra = f", unclassified {other:g}" if other else ""
        first = (f"{self.exercise}: {total:g} autograded points: {', '.join(parts)}{extra} "
                 f"({100 * self.skill_share:.0f}%)")
        return [first, "  " + self.giveaways.line()]


def _kind_points(nb: dict) -> dict[str, float]:
    found: dict[str, float] = {}
    for cell in nb.get("cells", []):
        if cell_role(cell) is not CellRole.TEST:
            continue
        try:
            checks = [c for c in parse_check_calls(cell_source(cell)) if c.graded]
        except ValueError:
            continue
        kinds = cell.get("metadata", {}).get("course", {}).get("kinds", {})
        total = sum(c.weight for c in checks) or 1.0
        for check in checks:
            kind = kinds.get(check.name) if isinstance(kinds, dict) else None
            kind = kind if kind in KIND_LABELS else "unclassified"
            found[kind] = found.get(kind, 0.0) + points(cell) * check.weight / total
    return {k: round(v, 6) for k, v in found.items()}


def audit_exercise(nb: dict, name: str = "exercise") -> ExerciseAudit:
    """The points audit and the giveaway report of an exercise source.

    Examples
    --------
    >>> import nbformat
    >>> from course_lib.exercise_format.cells import mark_cell
    >>> test = nbformat.v4.new_code_cell('check_answer("x", equals=1);')
    >>> test.metadata["course"] = {"kinds": {"x": "skill"}}
    >>> nb = nbformat.v4.new_notebook(metadata={"course": {"exercise": "09_demo"}},
    ...                               cells=[mark_cell(test, CellRole.TEST, "q1_test", 2)])
    >>> audit = audit_exercise(nb)
    >>> audit.points, audit.skill_share, audit.giveaways.questions
    ({'skill': 2.0}, 1.0, 0)
    """
    info = exercise_info(nb)
    return ExerciseAudit(info.exercise if info else name, _kind_points(nb),
                         giveaway_report(choice_items(nb)[0]))
