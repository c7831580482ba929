"""Probes: read the answer variables from a kernel and bring them back as JSON data.

The probe publishes the encoded values in a display message tagged with a
per-run random nonce; nothing the grader knows about expected values is sent.

Examples
--------
>>> src = probe_source(["q1"], "abc")
>>> "abc" in src and "q1" in src
True
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Iterable
from typing import Any

from course_lib.checks import encode_value

__all__ = ["PROBE_MIME", "probe_source", "values_from_outputs"]

PROBE_MIME = "application/x-course-probe+json"


def probe_source(names: Iterable[str], nonce: str) -> str:
    """Code that reads ``names`` from the kernel's namespace and publishes them as JSON.

    The encoder travels as source text (no import of ``course_lib`` in the
    probe), and the result is tagged with ``nonce``.  A value that cannot travel as UTF-8
    JSON (a string holding a lone surrogate) is sent as kind ``other``: it fails its own
    checks and never stops the others from being read.

    Examples
    --------
    >>> "_course_probe_n" in probe_source(["a"], "n")
    True
    """
    names = sorted(set(names))
    fn = f"_course_probe_{nonce}"
    return (
        f"def {fn}():\n"
        + "".join("    " + line + "\n" for line in _encoder_lines())
        + "    import IPython.display as _d\n"
        + "    import json as _json\n"
        + "    _ns = get_ipython().user_ns\n"
        + "    _out = {}\n"
        + f"    for _n in {names!r}:\n"
        + "        if _n not in _ns:\n"
        + "            _out[_n] = {'defined': False}\n"
        + "            continue\n"
        + "        try:\n"
        + "            _out[_n] = _enc(_ns[_n])\n"
        + "            _json.dumps(_out[_n], ensure_ascii=False).encode('utf-8')\n"
        + "        except Exception as _e:\n"
        + "            _out[_n] = {'kind': 'other', 'value': None, 'pytype': type(_e).__name__}\n"
        + f"    _d.publish_display_data({{{PROBE_MIME!r}: {{'nonce': {nonce!r}, "
        + "'values': _out}})\n"
        + f"{fn}()\n"
        + f"del {fn}\n"
    )


@functools.lru_cache(maxsize=1)
def _encoder_lines() -> list[str]:
    """Source of :func:`~course_lib.checks.encode_value` as a plain ``_enc`` function."""
    lines = inspect.getsource(encode_value).replace("encode_value(", "_enc(").splitlines()
    end = next(i for i, line in enumerate(lines) if line.rstrip().endswith(":"))
    return ["def _enc(value, _depth=0):", *lines[end + 1 :]]


def values_from_outputs(outputs: list[Any], names: list[str], nonce: str) -> dict | None:
    """The probed values in a probe cell's ``outputs`` (only the message with ``nonce``).

    Examples
    --------
    >>> out = {"output_type": "display_data",
    ...        "data": {PROBE_MIME: {"nonce": "n", "values": {"a": {"kind": "int"}}}}}
    >>> values_from_outputs([out], ["a", "b"], "n")
    {'a': {'kind': 'int'}, 'b': {'defined': False}}
    >>> values_from_outputs([out], ["a"], "other") is None
    True
    """
    for out in outputs:
        if out.get("output_type") != "display_data":
            continue
        data = out.get("data", {}).get(PROBE_MIME)
        if isinstance(data, dict) and data.get("nonce") == nonce:
            values = data.get("values")
            if isinstance(values, dict):
                return {n: values.get(n, {"defined": False}) for n in names}
    return None
