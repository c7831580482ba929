"""Argument checks shared by the threat modules (one line per problem, ``ValueError``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

# --------------------------------------------------------------------------------------------
# validation helpers
# --------------------------------------------------------------------------------------------


def _finite_in(value: Any, argument: str, low: float, high: float, *, low_open: bool = False,
               high_open: bool = False) -> float:
    """Return ``value`` as a float or raise ``ValueError`` naming the argument and range."""
    left = "(" if low_open else "["
    right = ")" if high_open else "]"
    interval = f"{left}{low:g}, {high:g}{right}"
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"{argument} must be a finite number in {interval}, got {value!r}"
        ) from exc
    too_low = number <= low if low_open else number < low
    too_high = number >= high if high_open else number > high
    if not math.isfinite(number) or too_low or too_high:
        raise ValueError(f"{argument} must be a finite number in {interval}, got {number}")
    return number


def _check_choice(value: Any, argument: str, allowed: Sequence[str]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"{argument} must be one of {list(allowed)}, got {value!r}")
    return value


def _check_code(code: Any, codes: pd.Index, argument: str) -> str:
    """Validate an ISO3 code against the states index (message as in CONTRIBUTING.md)."""
    if isinstance(code, str) and code in codes:
        return code
    example = "ISR" if "ISR" in codes else str(codes[0])
    raise ValueError(
        f"{argument} must be one of the {len(codes)} ISO3 codes in the states table "
        f"(e.g. {example!r}), got {code!r}"
    )


def _check_positive_int(value: Any, argument: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ValueError(f"{argument} must be an integer >= 1, got {value!r}")
    return int(value)


def _check_seed(seed: Any) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed must be an integer >= 0, got {seed!r}")
    return int(seed)


