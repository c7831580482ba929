"""Value encoding: answers as JSON-ready data, so kernel and grader judge the same thing.

:func:`encode_value` runs in the learner's kernel (the grader sends its source there) and in
the course's own process; :func:`decode_value` turns the encoding back into plain Python for
judging.

Examples
--------
>>> decode_value(encode_value({3, 1, 2}))
[1, 2, 3]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["decode_value", "encode_value"]


def encode_value(value: Any, _depth: int = 0) -> dict:
    """Encode a Python value as JSON-ready data for judging.

    This function is self-contained (it uses no module, not even ``math``, and calls only
    itself) so the grader can send its source into a kernel as part of a probe.

    Parameters
    ----------
    value : object
        Any value; numpy scalars and arrays, pandas Series and Index are unwrapped.

    Returns
    -------
    dict
        ``{"kind": ..., "value": ..., "pytype": ...}`` where kind is one of
        ``int float bool str none list tuple set dict other``.

    Examples
    --------
    >>> encode_value(3)
    {'kind': 'int', 'value': 3, 'pytype': 'int'}
    >>> encode_value((1, "a"))["value"]
    [{'kind': 'int', 'value': 1, 'pytype': 'int'}, {'kind': 'str', 'value': 'a', 'pytype': 'str'}]
    """
    pytype = type(value).__name__
    module = type(value).__module__ or ""
    if _depth > 4:
        return {"kind": "other", "value": None, "pytype": pytype}
    if module.startswith(("numpy", "pandas")) and hasattr(value, "tolist"):
        try:
            plain = value.tolist()
        except Exception:  # noqa: BLE001 - anything odd becomes "other"
            plain = None
        if plain is not None:
            encoded = encode_value(plain, _depth)
            encoded["pytype"] = pytype
            return encoded
    if value is None:
        return {"kind": "none", "value": None, "pytype": pytype}
    if isinstance(value, bool):
        return {"kind": "bool", "value": bool(value), "pytype": pytype}
    if isinstance(value, int):
        if abs(value) > 2**63:
            return {"kind": "int", "value": None, "pytype": pytype, "repr": "huge"}
        return {"kind": "int", "value": int(value), "pytype": pytype}
    if isinstance(value, float):
        if value - value == 0.0:  # finite (inf - inf and nan - nan are nan)
            return {"kind": "float", "value": float(value), "pytype": pytype}
        return {"kind": "float", "value": None, "pytype": pytype, "repr": repr(float(value))}
    if isinstance(value, str):
        return {"kind": "str", "value": str(value)[:10_000], "pytype": pytype}
    if isinstance(value, list | tuple | set | frozenset):
        kind = "list" if isinstance(value, list) else "tuple"
        items = list(value)
        if isinstance(value, set | frozenset):
            kind = "set"
            try:
                items = sorted(items)
            except TypeError:
                items = sorted(items, key=repr)
        return {
            "kind": kind,
            "value": [encode_value(v, _depth + 1) for v in items[:1000]],
            "pytype": pytype,
        }
    if isinstance(value, dict):
        return {
            "kind": "dict",
            "value": [
                [encode_value(k, _depth + 1), encode_value(v, _depth + 1)]
                for k, v in list(value.items())[:1000]
            ],
            "pytype": pytype,
        }
    return {"kind": "other", "value": None, "pytype": pytype}


def decode_value(encoded: Mapping) -> Any:
    """Turn an encoded value back into plain Python (lists for sequences).

    Examples
    --------
    >>> decode_value(encode_value((1, {"a": 2.5})))
    [1, {'a': 2.5}]
    >>> decode_value(encode_value(float("inf")))
    inf
    """
    kind = encoded.get("kind")
    if kind in ("list", "tuple", "set"):
        return [decode_value(v) for v in encoded.get("value") or []]
    if kind == "dict":
        return {_hashable(decode_value(k)): decode_value(v) for k, v in encoded.get("value") or []}
    if kind == "float" and encoded.get("value") is None:
        return float(encoded.get("repr", "nan"))
    return encoded.get("value")


def _hashable(value: Any) -> Any:
    return tuple(_hashable(v) for v in value) if isinstance(value, list) else value
