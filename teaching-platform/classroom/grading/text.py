"""Text a grader can store: lone surrogates out of every string that reaches a file or the database.

Python strings may hold code points that no UTF-8 file, SQLite database or web page can: lone
surrogates.  They come from two places.  A file or folder name that is not UTF-8 reaches Python
with each undecodable byte as a surrogate (``os.fsdecode(b"Jos\\xe9") == "Jos\\udce9"``); and
valid JSON may escape a lone surrogate (``"\\ud800"``), which nbformat accepts.  Names are
shown with each such byte as ``\\xHH`` (:func:`printable`); content is repaired with U+FFFD,
the replacement character (:func:`repair`).

Examples
--------
>>> printable("subs/Jos\\udce9/01.ipynb")
'subs/Jos\\\\xE9/01.ipynb'
>>> repair({"answer": "a \\ud800 b", "n": 1})
({'answer': 'a \\ufffd b', 'n': 1}, True)
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["SURROGATE", "one_line", "printable", "repair", "repair_text"]

#: any lone surrogate (a str from ``json.loads`` or ``os.fsdecode`` can hold one; valid pairs
#: are already joined into one code point by Python)
SURROGATE = re.compile("[\ud800-\udfff]")


def _shown(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02X}" if 0xDC80 <= code <= 0xDCFF else "\ufffd"


def printable(name: str) -> str:
    """A file name or path as valid text: each byte that is not UTF-8 becomes ``\\xHH``.

    Examples
    --------
    >>> printable("caf\\udce9"), printable("plain")
    ('caf\\\\xE9', 'plain')
    """
    return SURROGATE.sub(_shown, name)


def repair_text(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD.

    Examples
    --------
    >>> repair_text("x\\udfffy")
    'x\\ufffdy'
    """
    return SURROGATE.sub("\ufffd", text) if SURROGATE.search(text) else text


def repair(data: Any) -> tuple[Any, bool]:
    """``data`` (JSON-like: dicts, lists, strings, numbers) with valid text in every string and
    key, and whether anything was replaced.  Containers are changed in place (a dict whose keys
    change is replaced by one of the same type); the walk needs no recursion, so depth is no
    limit.

    Examples
    --------
    >>> repair(["ok", {"\\ud800": ["\\udc00"]}])
    (['ok', {'\\ufffd': ['\\ufffd']}], True)
    >>> repair({"a": [1, 2.5, None, True]})
    ({'a': [1, 2.5, None, True]}, False)
    """
    changed = False

    def fixed(value: Any) -> Any:
        nonlocal changed
        if isinstance(value, str) and SURROGATE.search(value):
            changed = True
            return SURROGATE.sub("\ufffd", value)
        return value

    root = [fixed(data)]
    stack: list[tuple[Any, Any]] = [(root, 0)]
    while stack:
        parent, key = stack.pop()
        value = parent[key]
        if isinstance(value, dict):
            if any(isinstance(k, str) and SURROGATE.search(k) for k in value):
                value = type(value)((fixed(k), v) for k, v in value.items())
                parent[key] = value
            for k, v in value.items():
                value[k] = fixed(v)
                if isinstance(v, dict | list):
                    stack.append((value, k))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                value[i] = fixed(v)
                if isinstance(v, dict | list):
                    stack.append((value, i))
    return root[0], changed


def one_line(text: str, limit: int = 300) -> str:
    """``text`` on one line, at most ``limit`` characters (a reason in a row or a summary).

    Examples
    --------
    >>> one_line("a\\n  b" + "c" * 400)[:6], len(one_line("x" * 400))
    ('a bccc', 300)
    """
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
