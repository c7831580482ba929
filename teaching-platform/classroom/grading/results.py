"""Grading results as typed records; JSON only at the edges (the gradebook, the export files).

The judge makes a :class:`SubmissionResult` per submission (its :class:`QuestionResult` per
test cell, each holding :class:`CheckResult` records, and a :class:`ManualResult` per written
answer); the batch, the feedback and ``course check`` work with these.  :meth:`to_json` gives
the result as the gradebook stores it and the ``.json`` export shows it, and :meth:`from_json`
reads it back, exactly: a key the format leaves out stays out (an error row has no
``auto_max_score``, a check shows ``your_value`` only when it may), and a key this version
does not know is kept as it came.

Examples
--------
>>> check = CheckResult("a", "hidden check", True, False, "a: not right.", 0.0, 2.0)
>>> q = QuestionResult("a_test", "q1", "Question 1", 0.0, 2.0, "graded", [check], [])
>>> q.to_json()["checks"][0]["passed"], "your_value" in q.to_json()["checks"][0]
(False, False)
>>> QuestionResult.from_json(q.to_json()) == q
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

__all__ = ["CheckResult", "ManualResult", "QuestionResult", "SubmissionInfo",
           "SubmissionResult"]

Json = dict[str, Any]


def _extra(data: Mapping[str, Any], known: set[str]) -> Json:
    """The keys of ``data`` this version does not model (kept as they came)."""
    return {k: v for k, v in data.items() if k not in known}


@dataclass
class CheckResult:
    """One check of a test cell: what was checked, whether it passed, its points.

    ``your_value`` is the learner's value as shown in feedback (only where it reveals nothing);
    ``options`` and ``choice`` are set for a graded choice question (the class report counts
    the choices); ``kind`` is ``hidden check``, ``visible check`` or ``self-check (form
    only)``.
    """

    variable: str
    kind: str
    graded: bool
    passed: bool
    message: str
    points: float = 0.0
    max_points: float = 0.0
    your_value: str | None = None
    options: list[str] | None = None
    choice: str | None = None
    extra: Json = field(default_factory=dict, repr=False)

    def to_json(self) -> Json:
        """The check as stored and exported."""
        data: Json = {"variable": self.variable, "kind": self.kind, "graded": self.graded,
                      "passed": self.passed, "message": self.message, "points": self.points,
                      "max_points": self.max_points, **self.extra}
        if self.your_value is not None:
            data["your_value"] = self.your_value
        if self.options is not None:
            data.update(options=list(self.options), choice=self.choice)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CheckResult:
        """The check of :meth:`to_json`."""
        known = {f.name for f in fields(cls)} - {"extra"}
        return cls(data["variable"], data["kind"], data["graded"], data["passed"],
                   data["message"], data.get("points", 0.0), data.get("max_points", 0.0),
                   data.get("your_value"), data.get("options"), data.get("choice"),
                   _extra(data, known))


@dataclass
class QuestionResult:
    """One test cell (one graded part of a question): all-or-nothing points, its checks, and
    the errors of the answer cells it depends on."""

    grade_id: str
    group: str
    title: str
    points: float
    max_points: float
    status: str
    checks: list[CheckResult]
    errors: list[str]
    extra: Json = field(default_factory=dict, repr=False)

    def to_json(self) -> Json:
        """The question as stored and exported."""
        return {"grade_id": self.grade_id, "group": self.group, "title": self.title,
                "points": self.points, "max_points": self.max_points, "status": self.status,
                "checks": [c.to_json() for c in self.checks], "errors": list(self.errors),
                **self.extra}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> QuestionResult:
        """The question of :meth:`to_json`."""
        known = {f.name for f in fields(cls)} - {"extra"}
        return cls(data["grade_id"], data.get("group", data["grade_id"]),
                   data.get("title", data["grade_id"]), data["points"], data["max_points"],
                   data.get("status", "graded"),
                   [CheckResult.from_json(c) for c in data.get("checks", [])],
                   list(data.get("errors", [])), _extra(data, known))


#: The keys a mark adds to a written answer once it is marked.
_MARK_KEYS = ("comment", "marker", "marked_at", "rubric")


@dataclass
class ManualResult:
    """A written answer graded by a person: the answer (and its pasted images), the word
    ranges and rubric asked, and, once marked, the mark (``status`` ``marked``)."""

    grade_id: str
    title: str
    points: float | None
    max_points: float
    status: str
    answer: str
    attachments: dict[str, dict] | None = None
    words: dict[str, list[int]] | list[int] | None = None
    rubric_criteria: list[dict] | None = None
    comment: str | None = None
    marker: str | None = None
    marked_at: str | None = None
    rubric: list[dict] | None = None
    extra: Json = field(default_factory=dict, repr=False)

    @property
    def marked(self) -> bool:
        """Whether a person has marked it."""
        return self.status == "marked"

    def to_json(self) -> Json:
        """The answer as stored and exported."""
        data: Json = {"grade_id": self.grade_id, "title": self.title, "points": self.points,
                      "max_points": self.max_points, "status": self.status,
                      "answer": self.answer, **self.extra}
        for name in ("attachments", "words", "rubric_criteria"):
            if getattr(self, name) is not None:
                data[name] = getattr(self, name)
        if self.marked:
            data.update({name: getattr(self, name) for name in _MARK_KEYS})
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any], grade_id: str = "") -> ManualResult:
        """The answer of :meth:`to_json` (``grade_id`` when the record has none)."""
        known = {f.name for f in fields(cls)} - {"extra"}
        gid = data.get("grade_id", grade_id)
        return cls(gid, data.get("title", gid), data.get("points"), data["max_points"],
                   data.get("status", "needs manual grading"), data.get("answer", ""),
                   data.get("attachments"), data.get("words"), data.get("rubric_criteria"),
                   data.get("comment"), data.get("marker"), data.get("marked_at"),
                   data.get("rubric"), _extra(data, known))


@dataclass
class SubmissionInfo:
    """What the gradebook knows of a submission besides its result (added when read back)."""

    submitted_at: str | None
    late: bool
    lms_id: str | None


#: Keys a graded result has and an error row has not.
_GRADED_KEYS = ("auto_max_score", "manual_max_score", "isolation", "limits",
                "output_truncated")
#: Keys of :class:`SubmissionInfo` in the exported JSON.
_INFO_KEYS = ("submitted_at", "late", "lms_id")
#: The instructor page an older version kept inside the result (exported, then dropped).
LEGACY_PAGE = "graded_notebook_html"


@dataclass
class SubmissionResult:
    """Everything grading found about one submission: ``status`` ``graded`` or ``error``.

    ``retry`` marks a result that says nothing about the work (the kernel did not start): the
    gradebook keeps it and the next run grades the submission again.  ``submission`` is set
    when the result was read back from the gradebook.
    """

    student: str
    exercise: str
    title: str
    source_file: str
    status: str
    score: float
    max_score: float | None
    questions: dict[str, QuestionResult] = field(default_factory=dict)
    manual: dict[str, ManualResult] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    auto_max_score: float | None = None
    manual_max_score: float | None = None
    isolation: str | None = None
    limits: str | None = None
    output_truncated: bool | None = None
    retry: bool = False
    submission: SubmissionInfo | None = None
    legacy_page: str | None = field(default=None, repr=False)
    extra: Json = field(default_factory=dict, repr=False)

    @property
    def graded(self) -> bool:
        """Whether the notebook was graded (not an error row)."""
        return self.status == "graded"

    def to_json(self) -> Json:
        """The result as the gradebook stores it (with ``retry``) and exports it (with the
        submission's time, late flag and LMS id once read back)."""
        data: Json = {"student": self.student, "exercise": self.exercise, "title": self.title,
                      "source_file": self.source_file, "status": self.status,
                      "score": self.score, "max_score": self.max_score,
                      "questions": {g: q.to_json() for g, q in self.questions.items()},
                      "manual": {g: m.to_json() for g, m in self.manual.items()},
                      "messages": list(self.messages), "errors": list(self.errors),
                      **self.extra}
        for name in _GRADED_KEYS:
            if getattr(self, name) is not None:
                data[name] = getattr(self, name)
        if self.retry:
            data["retry"] = True
        if self.submission is not None:
            data.update({name: getattr(self.submission, name) for name in _INFO_KEYS})
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SubmissionResult:
        """The result of :meth:`to_json` (a page an older version kept inside it goes to
        :attr:`legacy_page`)."""
        known = ({f.name for f in fields(cls)} | set(_INFO_KEYS) | {LEGACY_PAGE}) - \
            {"extra", "submission", "legacy_page"}
        info = SubmissionInfo(data.get("submitted_at"), bool(data.get("late")),
                              data.get("lms_id")) if "submitted_at" in data else None
        return cls(
            data["student"], data["exercise"], data.get("title", data["exercise"]),
            data["source_file"], data["status"], data.get("score", 0.0), data.get("max_score"),
            {g: QuestionResult.from_json(q) for g, q in data.get("questions", {}).items()},
            {g: ManualResult.from_json(m, g) for g, m in data.get("manual", {}).items()},
            list(data.get("messages", [])), list(data.get("errors", [])),
            *(data.get(name) for name in _GRADED_KEYS), bool(data.get("retry", False)),
            info, data.get(LEGACY_PAGE), _extra(data, known))
