"""The house rules of course_lib, read from the source with :mod:`ast` (nothing is imported).

- layers: the models (``datasets``, ``geo``, ``threat``, ``tiers``, ``strategy``,
  ``_validate``) import no widgets, plots, notebooks, grading, gradebook or slides; ``checks``
  imports none of those either; ``grading`` and ``gradebook`` never import widgets or plots;
- no import cycles among the modules of course_lib;
- size: no module over 400 lines, no function over 80 lines of code (docstring, blank and
  comment-only lines not counted);
- imports at the top: no ``import`` inside a function.

The map these rules protect is drawn in ``course_lib/__init__.py`` and ``CONTRIBUTING.md``.
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "course_lib"

MODELS = ("datasets", "geo", "threat", "tiers", "strategy", "_validate")
UPPER_FLOORS = ("widgets", "plots", "notebooks", "grading", "gradebook", "slides")
#: top-level part of course_lib -> parts it must never import
FORBIDDEN: dict[str, tuple[str, ...]] = {
    **{model: UPPER_FLOORS for model in MODELS},
    "checks": UPPER_FLOORS,
    "grading": ("widgets", "plots"),
    "gradebook": ("widgets", "plots"),
    "marking": ("widgets", "plots"),
    "classreport": ("widgets", "plots"),
}
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80


def _modules() -> dict[str, Path]:
    """Dotted module name -> file, for every module of course_lib."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _resolve(module: str, node: ast.ImportFrom) -> str:
    """The absolute module named by a ``from ... import`` (relative imports resolved)."""
    if not node.level:
        return node.module or ""
    is_package = MODULES.get(module, Path()).name == "__init__.py"
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _type_checking_only(tree: ast.Module) -> set[int]:
    """ids of the nodes under ``if TYPE_CHECKING:`` (imports for annotations, not run)."""
    hidden: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            hidden.update(id(inner) for stmt in node.body for inner in ast.walk(stmt))
    return hidden


def imported_modules(module: str, tree: ast.Module) -> set[str]:
    """course_lib modules that ``module`` imports at run time (``from pkg import sub`` counts
    as ``sub``; imports under ``if TYPE_CHECKING:`` do not count)."""
    targets: set[str] = set()
    hidden = _type_checking_only(tree)
    for node in ast.walk(tree):
        if id(node) in hidden:
            continue
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(module, node)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                targets.add(sub if sub in MODULES else base)
    return {t for t in targets if t == "course_lib" or t.startswith("course_lib.")}


def _part(module: str) -> str:
    """The top-level part of course_lib a module belongs to (``threat`` for threat.power)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


GRAPH = {name: imported_modules(name, _tree(path)) for name, path in MODULES.items()}


def test_the_walk_sees_the_package() -> None:
    """The rules below can fail: the parser finds the modules and their imports."""
    assert {"course_lib.datasets", "course_lib.checks", "course_lib.cli"} <= set(MODULES)
    assert "course_lib.datasets.schema" in GRAPH["course_lib.datasets.reader"]
    bad = ast.parse("import course_lib.widgets\nfrom course_lib import plots\n"
                    "if TYPE_CHECKING:\n    import course_lib.slides\n")
    assert imported_modules("course_lib.geo", bad) == {"course_lib.widgets", "course_lib.plots"}


@pytest.mark.parametrize("part", sorted(FORBIDDEN))
def test_layers(part: str) -> None:
    offences = [
        f"{module} imports {target}"
        for module, targets in sorted(GRAPH.items()) if _part(module) == part
        for target in sorted(targets) if _part(target) in FORBIDDEN[part]
    ]
    assert offences == [], f"{part} must not import {', '.join(FORBIDDEN[part])}: {offences}"


def _cycle() -> list[str] | None:
    """One import cycle among course_lib modules (as a path), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(GRAPH.get(node, ())):
            if nxt == node or nxt not in GRAPH:
                continue
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(GRAPH):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_no_import_cycles() -> None:
    cycle = _cycle()
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_size(module: str) -> None:
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_MODULE_LINES, (
        f"{MODULES[module].relative_to(ROOT)} has {lines} lines (at most {MAX_MODULE_LINES}): "
        "split it into modules with one job each")


def _functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def _code_lines(source: str) -> set[int]:
    """Line numbers holding code: not blank, not comment-only, not a docstring or other string
    statement (strings that are expressions on their own)."""
    lines: set[int] = set()
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT,
                        tokenize.DEDENT, tokenize.ENDMARKER):
            continue
        lines.update(range(tok.start[0], tok.end[0] + 1))
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)):
            lines.difference_update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    return lines


def function_lengths(source: str) -> dict[str, int]:
    """``name (line N)`` -> lines of code, for every function in ``source``."""
    code = _code_lines(source)
    return {
        f"{fn.name} (line {fn.lineno})": sum(
            1 for n in range(fn.lineno, (fn.end_lineno or fn.lineno) + 1) if n in code)
        for fn in _functions(ast.parse(source))
    }


def test_function_length_counter_can_fail() -> None:
    body = "\n".join(f"    x{i} = {i}  # note" for i in range(MAX_FUNCTION_LINES))
    source = f'def long():\n    """Doc.\n\n    More.\n    """\n\n{body}\n'
    assert function_lengths(source) == {"long (line 1)": MAX_FUNCTION_LINES + 1}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_function_size(module: str) -> None:
    lengths = function_lengths(MODULES[module].read_text(encoding="utf-8"))
    long = {name: n for name, n in lengths.items() if n > MAX_FUNCTION_LINES}
    assert long == {}, (f"{MODULES[module].relative_to(ROOT)}: functions over "
                        f"{MAX_FUNCTION_LINES} lines of code: {long}")


def inner_imports(tree: ast.AST) -> list[str]:
    """``function: import ...`` for every import statement inside a function."""
    found = []
    for fn in _functions(tree):
        for node in ast.walk(fn):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = ", ".join(alias.name for alias in node.names)
                found.append(f"{fn.name} (line {node.lineno}): {names}")
    return found


def test_inner_import_finder_can_fail() -> None:
    assert inner_imports(ast.parse("def f():\n    import os\n")) == ["f (line 2): os"]


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_at_the_top(module: str) -> None:
    found = inner_imports(_tree(MODULES[module]))
    assert found == [], f"{MODULES[module].relative_to(ROOT)}: imports inside functions: {found}"
