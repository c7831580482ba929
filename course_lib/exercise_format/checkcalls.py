"""Check calls in test cells, parsed with :mod:`ast` (never executed).

Examples
--------
>>> [c.name for c in parse_check_calls('check_answer("y", equals=1)')]
['y']
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from course_lib import _validate
from course_lib.checks import CHECK_FUNCTIONS, TYPE_NAMES
from course_lib.exercise_format.cells import BEGIN_HIDDEN, END_HIDDEN, iter_regions

__all__ = ["CheckCall", "parse_check_calls"]


@dataclass(frozen=True)
class CheckCall:
    """One parsed check call from a test cell.

    Attributes
    ----------
    function : str
        ``check_answer``, ``check_choice`` or ``self_check``.
    name : str
        The answer variable it inspects.
    args : dict
        Literal keyword arguments (``check_choice``'s option is under ``"answer"``).
    hidden : bool
        True when the call sits between the hidden-test markers.
    weight : float
        Share of the question's points (graded checks only).
    quiet : bool
        True when the call ends with ``;``, so running the cell shows no ``True`` output
        (IPython and nbgrader treat a displayed value as the cell's result).
    """

    function: str
    name: str
    args: dict = field(default_factory=dict)
    hidden: bool = False
    weight: float = 1.0
    quiet: bool = False

    @property
    def graded(self) -> bool:
        """Whether the check earns points."""
        return CHECK_FUNCTIONS[self.function]


def _literal(node: ast.AST, where: str) -> Any:
    if isinstance(node, ast.Name) and node.id in TYPE_NAMES:
        return node.id
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError) as exc:
        raise ValueError(f"{where}: arguments must be literals, got {ast.unparse(node)!r}") from exc


def parse_check_calls(source: str) -> list[CheckCall]:
    """Parse the check calls of a test cell (literal arguments only).

    Other statements (imports, comments) are allowed and ignored; any call to a
    check function that is not a top-level expression statement, or that uses
    non-literal arguments, raises ``ValueError``.

    Examples
    --------
    >>> src = 'self_check("y", type=int)\\n### BEGIN HIDDEN TESTS\\n' \\
    ...       'check_answer("y", equals=2022)\\n### END HIDDEN TESTS'
    >>> [(c.function, c.hidden, c.args) for c in parse_check_calls(src)]
    [('self_check', False, {'type': 'int'}), ('check_answer', True, {'equals': 2022})]
    """
    hidden_lines = {
        n for n, (inside, _) in enumerate(iter_regions(source, BEGIN_HIDDEN, END_HIDDEN), 1)
        if inside
    }
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise ValueError(f"test cell is not valid Python: {exc.msg} (line {exc.lineno})") from exc
    calls: list[CheckCall] = []
    top_level: set[int] = set()
    lines = source.splitlines()
    for stmt in tree.body:
        if (
            isinstance(stmt, ast.Expr)
            and isinstance(stmt.value, ast.Call)
            and isinstance(stmt.value.func, ast.Name)
            and stmt.value.func.id in CHECK_FUNCTIONS
        ):
            top_level.add(id(stmt.value))
            calls.append(_parse_call(stmt.value, stmt.lineno in hidden_lines,
                                     _ends_with_semicolon(lines, stmt)))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in CHECK_FUNCTIONS
            and id(node) not in top_level
        ):
            raise ValueError(
                f"line {node.lineno}: {node.func.id}(...) must be a statement of its own"
            )
    return calls


def _ends_with_semicolon(lines: list[str], stmt: ast.stmt) -> bool:
    """Whether the statement is followed by ``;`` on its last line."""
    assert stmt.end_lineno is not None and stmt.end_col_offset is not None
    rest = lines[stmt.end_lineno - 1].encode()[stmt.end_col_offset:].decode()
    return rest.lstrip().startswith(";")


def _parse_call(call: ast.Call, hidden: bool, quiet: bool = False) -> CheckCall:
    fn = call.func.id  # type: ignore[attr-defined]
    where = f"line {call.lineno}: {fn}"
    positional = [_literal(a, where) for a in call.args]
    kwargs = {}
    for kw in call.keywords:
        if kw.arg is None:
            raise ValueError(f"{where}: **kwargs are not allowed")
        kwargs[kw.arg] = _literal(kw.value, where)
    if fn == "check_choice":
        if len(positional) != 2:
            raise ValueError(f"{where}: needs (name, answer), got {len(positional)} positional")
        kwargs["answer"] = positional[1]
        if kwargs.get("options") is not None:
            kwargs["options"] = list(kwargs["options"])
    elif len(positional) != 1:
        raise ValueError(f"{where}: needs exactly one positional argument (the variable name)")
    name = positional[0]
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"{where}: the first argument must be a variable name, got {name!r}")
    if kwargs.get("choices") is not None:
        kwargs["choices"] = list(kwargs["choices"])
    weight = _validate.positive(kwargs.pop("weight", 1.0), f"{where}: weight")
    if fn == "check_answer":
        modes = [k for k in ("equals", "close_to", "sequence", "items", "one_of") if k in kwargs]
        if len(modes) != 1:
            raise ValueError(
                f"{where}: needs exactly one of equals, close_to, sequence, items, one_of"
            )
    return CheckCall(function=fn, name=name, args=kwargs, hidden=hidden, weight=float(weight),
                     quiet=quiet)
