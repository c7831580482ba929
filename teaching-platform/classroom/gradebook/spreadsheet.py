"""The one CSV writer of every export, with text cells that a spreadsheet cannot run.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to
Excel, LibreOffice and Google Sheets, so an id such as ``=HYPERLINK(...)`` would run when the
instructor opens the file (OWASP, "CSV Injection"). :func:`text_cell` puts a single quote
before such a text, which spreadsheets show as text; a plain number (``-1.5``) stays a number.

Examples
--------
>>> text_cell("=HYPERLINK(1)"), text_cell("-2+3"), text_cell("ann"), text_cell("-1.5")
("'=HYPERLINK(1)", "'-2+3", 'ann', '-1.5')
>>> print(csv_text(["id", "points"], [["+1+2", 4.5]]), end="")
id,points
'+1+2,4.5
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

__all__ = ["FORMULA_STARTS", "csv_text", "starts_formula", "text_cell"]

#: first characters that make a spreadsheet cell a formula (OWASP "CSV Injection")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def starts_formula(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` as a formula (a plain number is not one)."""
    return text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text)


def text_cell(value: object) -> str:
    """A text cell safe to open in a spreadsheet (``None`` is empty)."""
    text = "" if value is None else str(value)
    return f"'{text}" if starts_formula(text) else text


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return text_cell(value)
    if isinstance(value, int | float):
        return f"{value:g}"
    return text_cell(value)


def csv_text(header: Sequence[object], rows: Iterable[Sequence[object]]) -> str:
    """CSV text (``\\n`` line ends): numbers as numbers, every other cell via :func:`text_cell`.

    Examples
    --------
    >>> print(csv_text(["a", "b"], [[None, 0.5], ["@x", -2]]), end="")
    a,b
    ,0.5
    '@x,-2
    >>> csv_text(["a"], [["x\\ry"]]) == 'a\\n"x\\ry"\\n'
    True
    """
    buf = io.StringIO()
    plain = csv.writer(buf, lineterminator="\n")
    # the writer quotes a "\n" but not a lone "\r", which a reader takes as a line end
    quoted = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for row in [header, *rows]:
        cells = [_cell(v) for v in row]
        (quoted if any("\r" in c for c in cells) else plain).writerow(cells)
    return buf.getvalue()
