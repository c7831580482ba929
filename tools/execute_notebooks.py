"""Execute lesson notebooks in place, top to bottom, so that strict nbval reproduces them.

Usage::

    .venv/bin/python tools/execute_notebooks.py                 # every notebooks/*.ipynb
    .venv/bin/python tools/execute_notebooks.py notebooks/03_measuring_threat.ipynb
    .venv/bin/python tools/execute_notebooks.py --timeout 120 PATH [PATH ...]

For each notebook the tool

1. clears stale state with :class:`ClearStaleState`, nbconvert's ``ClearOutputPreprocessor``
   extended to drop the saved widget state (``metadata.widgets``) and the per-cell
   ``metadata.execution`` timings: every code cell loses its outputs and execution count;
2. runs every cell with :mod:`nbclient` in the kernel ``python3`` of the current environment, with
   the notebook's own folder as working directory, a per-cell timeout and
   ``store_widget_state=True`` (so the live widgets' state is saved in ``metadata.widgets`` and the
   lesson renders its widgets in a static viewer); cells tagged ``skip-execution`` are left
   unexecuted (nbclient's ``skip_cells_with_tag``);
3. gives the kernel a deterministic environment (``PYTHONHASHSEED=0``, ``TZ=UTC``, matplotlib's
   inline backend, ``SOURCE_DATE_EPOCH=0``) through ``NotebookClient.execute(env=...)``, without
   touching this process's ``os.environ``, and records no per-cell timing metadata;
4. writes the notebook back only if every cell succeeded.

A failing cell is reported with the notebook path, the cell index and the traceback; the notebook
file is then left untouched. The exit status is 0 only when every notebook executed cleanly, 1 when
any failed and 2 for bad arguments (unknown path, not a notebook).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbconvert.preprocessors import ClearOutputPreprocessor
from traitlets import Set

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GLOB = "notebooks/*.ipynb"
KERNEL_NAME = "python3"
DEFAULT_TIMEOUT = 600
#: Cells with this tag are not executed (nbclient's default tag, named here so it is visible).
SKIP_TAG = "skip-execution"

#: Environment variables set for the kernel so that outputs do not depend on the machine.
DETERMINISTIC_ENV: dict[str, str] = {
    "PYTHONHASHSEED": "0",
    "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    "TZ": "UTC",
    "SOURCE_DATE_EPOCH": "0",
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}


class ClearStaleState(ClearOutputPreprocessor):
    """nbconvert's ``ClearOutputPreprocessor`` that also drops the saved widget state.

    Code cells lose their outputs, execution counts and ``metadata.execution`` timings; the
    notebook loses ``metadata.widgets``. Other cell metadata is kept.

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> nb = new_notebook(cells=[new_code_cell("1", execution_count=2, metadata={"tags": []})])
    >>> nb.metadata["widgets"] = {}
    >>> nb, _ = ClearStaleState().preprocess(nb, {})
    >>> nb.cells[0].execution_count, nb.cells[0].metadata, "widgets" in nb.metadata
    (None, {'tags': []}, False)
    """

    remove_metadata_fields = Set({"execution"})

    def preprocess(self, nb: nbformat.NotebookNode,
                   resources: dict[str, Any]) -> tuple[nbformat.NotebookNode, dict[str, Any]]:
        nb, resources = super().preprocess(nb, resources)
        nb.metadata.pop("widgets", None)
        return nb, resources


def clear_outputs(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove outputs, execution counts and saved widget state from a notebook, in place.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        A version-4 notebook.

    Returns
    -------
    nbformat.NotebookNode
        The same notebook object, cleared (by :class:`ClearStaleState`).

    Raises
    ------
    ValueError
        If ``nb`` is not a version-4 notebook.

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_notebook, new_output
    >>> nb = new_notebook(cells=[new_code_cell("1 + 1", execution_count=3)])
    >>> nb.cells[0].outputs = [new_output("execute_result", {"text/plain": "2"}, execution_count=3)]
    >>> nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {}}
    >>> cleared = clear_outputs(nb)
    >>> cleared.cells[0].outputs, cleared.cells[0].execution_count, "widgets" in cleared.metadata
    ([], None, False)
    """
    if nb.get("nbformat") != 4:
        raise ValueError(f"nb must be a version-4 notebook, got nbformat={nb.get('nbformat')!r}")
    ClearStaleState().preprocess(nb, {})
    return nb


def kernel_env(extra: Mapping[str, str] | None = None,
               base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The kernel's environment: ``base`` (default ``os.environ``) with
    :data:`DETERMINISTIC_ENV` and ``extra`` on top. ``os.environ`` itself is not changed.

    Examples
    --------
    >>> env = kernel_env({"COURSE_EXAMPLE_VAR": "1"}, base={"HOME": "/h", "TZ": "Europe/Rome"})
    >>> env["HOME"], env["TZ"], env["PYTHONHASHSEED"], env["COURSE_EXAMPLE_VAR"]
    ('/h', 'UTC', '0', '1')
    >>> "COURSE_EXAMPLE_VAR" in os.environ
    False
    """
    return {**(os.environ if base is None else base), **DETERMINISTIC_ENV, **(extra or {})}


def execute_notebook(
    path: Path, *, timeout: int = DEFAULT_TIMEOUT, kernel_name: str = KERNEL_NAME
) -> nbformat.NotebookNode:
    """Execute one notebook top to bottom and write it back in place.

    Parameters
    ----------
    path : pathlib.Path
        The ``.ipynb`` file; its folder is the kernel's working directory.
    timeout : int, default 600
        Seconds allowed per cell, in [1, 86400].
    kernel_name : str, default "python3"
        Kernel spec to run (``python3`` is the current environment's ipykernel).

    Returns
    -------
    nbformat.NotebookNode
        The executed notebook (also written to ``path``).

    Raises
    ------
    ValueError
        If ``timeout`` is out of range or ``path`` is not an existing ``.ipynb`` file.
    nbclient.exceptions.CellExecutionError
        If a cell raises; ``path`` is then not modified.

    Examples
    --------
    >>> import tempfile
    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     target = Path(tmp) / "demo.ipynb"
    ...     nbformat.write(new_notebook(cells=[new_code_cell("6 * 7")]), target)
    ...     executed = execute_notebook(target, timeout=60)
    ...     stored = nbformat.read(target, as_version=4)
    >>> stored.cells[0].execution_count, stored.cells[0].outputs[0]["data"]["text/plain"]
    (1, '42')
    """
    if isinstance(timeout, bool) or not isinstance(timeout, int) or not 1 <= timeout <= 86400:
        raise ValueError(
            f"timeout must be an integer number of seconds in [1, 86400], got {timeout!r}"
        )
    path = Path(path)
    if path.suffix != ".ipynb" or not path.is_file():
        raise ValueError(f"path must be an existing .ipynb file, got {str(path)!r}")
    nb = clear_outputs(nbformat.read(path, as_version=4))
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name=kernel_name,
        resources={"metadata": {"path": str(path.resolve().parent)}},
        store_widget_state=True,
        record_timing=False,
        allow_errors=False,
        skip_cells_with_tag=SKIP_TAG,
    )
    client.execute(env=kernel_env())
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return nb


def _describe_failure(path: Path, error: BaseException) -> str:
    """One readable block naming the notebook and what went wrong."""
    if isinstance(error, CellTimeoutError):
        return f"{path}: a cell exceeded the timeout\n{error}"
    if isinstance(error, DeadKernelError):
        return f"{path}: the kernel died\n{error}"
    return f"{path}: a cell raised an error\n{error}"


def _resolve_paths(args: Sequence[str]) -> list[Path]:
    if not args:
        return sorted(REPO_ROOT.glob(DEFAULT_GLOB))
    paths = []
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            paths.extend(sorted(path.glob("*.ipynb")))
        elif path.suffix == ".ipynb" and path.is_file():
            paths.append(path)
        else:
            raise ValueError(f"PATHS must be .ipynb files or folders of them, got {arg!r}")
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status (see the module docstring)."""
    parser = argparse.ArgumentParser(
        description="Execute notebooks in place (clears stale outputs, stores widget state)."
    )
    parser.add_argument(
        "paths", nargs="*", metavar="PATH", help=f"notebooks or folders (default: {DEFAULT_GLOB})"
    )
    parser.add_argument(
        "--timeout",
        type=int,
        default=DEFAULT_TIMEOUT,
        help=f"seconds allowed per cell (default {DEFAULT_TIMEOUT})",
    )
    parser.add_argument(
        "--kernel", default=KERNEL_NAME, help=f"kernel spec name (default {KERNEL_NAME})"
    )
    options = parser.parse_args(argv)
    try:
        paths = _resolve_paths(options.paths)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not paths:
        print(f"error: no notebooks found (default {DEFAULT_GLOB})", file=sys.stderr)
        return 2

    failures: list[str] = []
    for path in paths:
        start = time.perf_counter()
        try:
            execute_notebook(path, timeout=options.timeout, kernel_name=options.kernel)
        except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
            failures.append(_describe_failure(path, exc))
            print(f"FAILED {path} ({time.perf_counter() - start:.1f} s)", flush=True)
            continue
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(f"ok     {path} ({time.perf_counter() - start:.1f} s)", flush=True)

    if failures:
        print("\n" + "\n\n".join(failures), file=sys.stderr)
        print(
            f"\n{len(failures)} of {len(paths)} notebook(s) failed; "
            "failed files were left unchanged.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
