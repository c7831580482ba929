"""Practice keys agree with the grader's judge, and hold no answer in clear (no kernel runs)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from classroom.notebooks.model import parse_check_calls, read_notebook
from classroom.notebooks.release import RELEASE_MARKER, build_release
from course_lib.checks import encode_value, judge
from course_lib.practice.key import canonical, judge_entry, key_entry
from course_lib.practice.keyfile import KEY_DIR, exercise_key, find_key, write_practice_keys

REPO = Path(__file__).resolve().parents[2]
SOURCES = sorted((REPO / "solutions").glob("*_exercises.ipynb"))


def _graded_calls(path: Path) -> list:
    return [c for cell in read_notebook(path).cells if cell.cell_type == "code"
            for c in parse_check_calls(cell.source) if c.graded]


def _tries(call) -> list:
    """Right and wrong answers for one graded check, built from its own arguments."""
    args = call.args
    if call.function == "check_choice":
        other = next(o for o in (args.get("options") or "abcd") if o != args["answer"])
        return [f"({args['answer'].upper()})", args["answer"], other, "z", 3]
    if "close_to" in args:
        t, tol = float(args["close_to"]), float(args.get("tol", 0) or 0)
        return [t, t + 0.99 * tol, t - 0.99 * tol, t + 1.2 * tol + 1e-6, t - 2 * tol - 1, "x"]
    if "one_of" in args:
        return [*args["one_of"], "certainly not this"]
    if "sequence" in args or "items" in args:
        want = list(args.get("sequence") or args["items"])
        return [want, want[::-1], want[:-1], [*want[:-1], "XXX"], "text"]
    want = args["equals"]
    if isinstance(want, str):
        return [want, f"  {want.upper()} ", want + "x", 0]
    return [want, want + 1, str(want), None]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_key_verdicts_match_the_grader(path):
    calls = _graded_calls(path)
    assert calls, f"{path.name}: no graded checks"
    for call in calls:
        entry = key_entry({"function": call.function, "name": call.name, "args": call.args},
                          salt="salt", exercise=path.stem)
        for value in _tries(call):
            graded = judge(call.function, call.name, call.args, encode_value(value))
            practised = judge_entry(entry, value, salt="salt", exercise=path.stem)
            assert practised.passed == graded.passed, (path.name, call.name, value)
        assert judge_entry(entry, _tries(call)[0], salt="salt", exercise=path.stem).passed


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_key_holds_no_answer_in_clear(path):
    key = exercise_key(read_notebook(path))
    assert key["note"].startswith("Practice key") and "not a secret" in key["note"]
    for q in key["questions"]:
        for entry in q["checks"]:
            public = json.dumps({k: v for k, v in entry["args"].items() if k != "hint"})
            assert all(len(d) == 64 for d in entry["digests"])
            assert "equals" not in public and "sequence" not in public
    answers = [c.args.get("equals") for c in _graded_calls(path)]
    text = json.dumps([{k: v for k, v in e.items() if k != "args"}
                       for q in key["questions"] for e in q["checks"]])
    for answer in answers:
        if isinstance(answer, str) and len(answer) >= 3:
            assert json.dumps(answer) not in text


def test_salt_changes_every_digest():
    check = {"function": "check_choice", "name": "q", "args": {"answer": "b"}}
    a, b = (key_entry(check, salt=s, exercise="e")["digests"] for s in ("one", "two"))
    assert a != b
    assert canonical([1, "A b"]) == canonical((1.0, "a  B"))
    with pytest.raises(ValueError, match="check function must be"):
        key_entry({"function": "self_check", "name": "q", "args": {}}, salt="s", exercise="e")


def test_keys_are_written_and_found(tmp_path):
    written = write_practice_keys(REPO / "solutions", tmp_path / "exercises")
    assert [p.name for p in written] == [f"{p.stem}.json" for p in SOURCES]
    nb = tmp_path / "exercises" / SOURCES[0].name
    assert find_key(nb, SOURCES[0].stem)["exercise"] == SOURCES[0].stem
    assert find_key(tmp_path / "a" / "b" / "x.ipynb", SOURCES[0].stem) is None
    (tmp_path / "exercises" / KEY_DIR / "bad.json").write_text('{"exercise": "other"}')
    with pytest.raises(ValueError, match="is not the practice key of bad"):
        find_key(nb, "bad")


@pytest.mark.slow
def test_practice_release_ships_keys_and_a_graded_release_none(tmp_path):
    practice = build_release(REPO, tmp_path / "practice", practice=True)
    keys = [f for f in practice.files if f.startswith(f"exercises/{KEY_DIR}/")]
    assert keys == [f"exercises/{KEY_DIR}/{p.stem}.json" for p in SOURCES]
    assert practice.leaks == []
    readme = (tmp_path / "practice" / "README.md").read_text()
    assert "course check" in readme and "not a secret" in readme
    marker = json.loads((tmp_path / "practice" / RELEASE_MARKER).read_text())
    assert set(keys) <= set(marker["files"])
    graded = build_release(REPO, tmp_path / "graded")
    assert not any(KEY_DIR in f for f in graded.files)
    assert "course check" not in (tmp_path / "graded" / "README.md").read_text()
