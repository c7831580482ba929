"""Walt's factors for one dyad: nuclear status, capability, dyadic ratios, proximity.
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pandas as pd

from course_lib import _validate, geo
from course_lib.threat.constants import DECAYS

__all__ = ['capability_factor', 'is_nuclear_armed', 'proximity_factor']

# --------------------------------------------------------------------------------------------
# the four factors
# --------------------------------------------------------------------------------------------

#: Words that, earlier in the same clause, turn "nuclear-armed" into its opposite.
_NEGATIONS = frozenset({"not", "no", "non", "never", "former", "formerly"})


def is_nuclear_armed(status: Any) -> bool:
    """Whether a ``nuclear_status`` text marks a nuclear-armed state.

    True for ``"NPT nuclear-weapon state"`` and for statuses describing a nuclear-armed state
    outside the NPT (the course's table codes Israel as ``"undeclared nuclear-armed state ..."``).
    Hosting US weapons under NATO nuclear sharing does not count, and neither does a negated
    phrase (``"not nuclear-armed"``, ``"non-nuclear-armed"``, ``"formerly nuclear-armed"``).
    A missing status (``None`` or NaN) counts as not nuclear-armed.

    Raises
    ------
    ValueError
        If ``status`` is neither a string nor missing.

    Examples
    --------
    >>> is_nuclear_armed("NPT nuclear-weapon state")
    True
    >>> is_nuclear_armed("NPT non-nuclear-weapon state; hosts US B61 bombs under nuclear sharing")
    False
    >>> is_nuclear_armed("undeclared nuclear-armed state (not an NPT party; policy of ambiguity)")
    True
    >>> is_nuclear_armed("not nuclear-armed"), is_nuclear_armed(float("nan"))
    (False, False)
    """
    if status is None or status is pd.NA or (
        _validate.is_number(status) and math.isnan(float(status))
    ):
        return False
    if not isinstance(status, str):
        raise ValueError(
            f"status must be a nuclear_status text (str) or missing (None or NaN), "
            f"got {_validate.shown(status)}"
        )
    text = status.strip().lower()
    if text.startswith("npt nuclear-weapon state"):
        return True
    for clause in re.split(r"[;,()]", text):
        found = re.search(r"(?<![\w-])nuclear-armed", clause)
        if found and not _NEGATIONS & set(re.findall(r"[a-z]+", clause[: found.start()])):
            return True
    return False


def capability_factor(milex: Any, nuclear_armed: Any, nuclear_bonus: float = 0.25) -> np.ndarray:
    """Offensive-capability factor: normalised military spending plus a nuclear modifier.

    ``(1 - nuclear_bonus) * milex / max(milex) + nuclear_bonus * nuclear_armed``

    The maximum is taken over the given set (the present values). The result is in [0, 1]:
    the biggest spender scores at least ``1 - nuclear_bonus``, and a nuclear-armed state scores
    at least ``nuclear_bonus`` whatever it spends. Missing spending gives NaN (not guessed).

    Parameters
    ----------
    milex : array_like
        Military expenditure of each state (any one currency), >= 0 or NaN.
    nuclear_armed : array_like of bool
        Whether each state is nuclear-armed (see :func:`is_nuclear_armed`): ``True`` or
        ``False`` only (``"False"``, ``0`` or NaN are refused, not read as flags).
    nuclear_bonus : float, default 0.25
        Weight of the nuclear modifier, in [0, 1]. 0 ignores nuclear weapons; 1 makes the factor
        a pure nuclear indicator. 0.25 is the course's assumption, not an estimate.

    Returns
    -------
    numpy.ndarray
        The factor for each state.

    Raises
    ------
    ValueError
        If ``nuclear_bonus`` is outside [0, 1], ``milex`` has negative, infinite or
        non-numeric values or no positive value, ``nuclear_armed`` holds anything but bools,
        or the two arrays differ in length.

    Examples
    --------
    >>> capability_factor([100.0, 50.0, 10.0], [True, False, True], nuclear_bonus=0.2)
    array([1.  , 0.4 , 0.28])
    """
    bonus = _validate.unit_interval(nuclear_bonus, "nuclear_bonus")
    spend = _validate.number_array(milex, "milex", 0.0, math.inf, high_open=True,
                                   allow_nan=True)
    nuclear = _validate.bool_array(nuclear_armed, "nuclear_armed")
    if spend.shape != nuclear.shape:
        raise ValueError(
            f"milex and nuclear_armed must have the same shape, got {spend.shape} and "
            f"{nuclear.shape}"
        )
    present = spend[~np.isnan(spend)]
    if present.size == 0 or present.max() <= 0:
        raise ValueError("milex must have at least one positive value to normalise by")
    return (1.0 - bonus) * spend / present.max() + bonus * nuclear.astype(float)


def dyadic_ratio(source: Any, observer: Any) -> float | np.ndarray:
    """Share of a dyad's combined amount held by the source: ``source / (source + observer)``.

    The capability-ratio idea of the dyadic conflict literature (e.g. Bremer 1992): what
    threatens an observer is the source's strength *relative to its own*. 0.5 means parity,
    values near 1 mean the source dwarfs the observer. NaN in either gives NaN (gaps are not
    filled); two zeros give 0.5 (parity).

    Parameters
    ----------
    source, observer : float or array_like
        Non-negative amounts in the same unit (e.g. US$ of military expenditure).

    Returns
    -------
    float or numpy.ndarray
        Values in [0, 1].

    Raises
    ------
    ValueError
        If a value is negative or infinite.

    Examples
    --------
    >>> dyadic_ratio(3.0, 1.0)
    0.75
    >>> dyadic_ratio([1.0, 0.0], 1.0)
    array([0.5, 0. ])
    """
    s = _validate.number_array(source, "source", 0.0, math.inf, high_open=True, allow_nan=True)
    o = _validate.number_array(observer, "observer", 0.0, math.inf, high_open=True,
                               allow_nan=True)
    total = s + o
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(total > 0, s / np.where(total > 0, total, 1.0), 0.5)
    ratio = np.where(np.isnan(total), np.nan, ratio)
    return float(ratio) if ratio.ndim == 0 else ratio


def proximity_factor(
    distance_km: Any,
    power_share: Any = None,
    *,
    decay: str = "exponential",
    lambda_km: float = 2000.0,
    miles_per_day: float = 250.0,
) -> float | np.ndarray:
    """Proximity factor in (0, 1] from an (effective) distance.

    ``decay="exponential"``: ``exp(-distance_km / lambda_km)``.
    ``decay="bdm"``: ``bdm_discount(s, d) / bdm_discount(s, 0) = s ** (E(d) - E(0))``, the share
    of the source's Bueno de Mesquita (1981) discounted power that is left after the distance,
    relative to its power at home; ``s`` is the source's power share, in (0, 1).

    Pass distance 0 for contiguous states (Bennett & Stam 2000). Both gradients equal 1 at
    distance 0 and never increase with distance.

    Parameters
    ----------
    distance_km : float or array_like
        Distance in km, finite and >= 0.
    power_share : float or array_like, optional
        Source power share in (0, 1); required for ``decay="bdm"``, ignored otherwise.
    decay : {"exponential", "bdm"}
        Loss-of-strength gradient.
    lambda_km : float, default 2000.0
        Decay length of the exponential gradient, > 0.
    miles_per_day : float, default 250.0
        Speed parameter of the Bueno de Mesquita gradient, > 0.

    Returns
    -------
    float or numpy.ndarray

    Raises
    ------
    ValueError
        For an unknown ``decay``, bad distances or parameters, or a missing or out-of-range
        ``power_share`` with ``decay="bdm"``.

    Examples
    --------
    >>> round(proximity_factor(1000.0, lambda_km=2000.0), 4)
    0.6065
    >>> round(proximity_factor(1000.0, 0.3, decay="bdm"), 4)  # strong state: keeps more
    0.8577
    >>> round(proximity_factor(1000.0, 0.01, decay="bdm"), 4)
    0.5558
    """
    _validate.choice(decay, "decay", DECAYS)
    lam = _validate.positive(lambda_km, "lambda_km")
    mpd = _validate.positive(miles_per_day, "miles_per_day")
    if decay == "exponential":
        return geo.exponential_decay(distance_km, lam)
    if power_share is None:
        raise ValueError('power_share must be given (a number in (0, 1)) when decay="bdm"')
    power_share = _validate.number_array(power_share, "power_share", 0.0, 1.0, low_open=True,
                                         high_open=True)
    distance = _validate.number_array(distance_km, "distance_km", 0.0, math.inf, high_open=True)
    geo._broadcastable(distance_km=distance, power_share=power_share)
    far = np.asarray(geo.bdm_discount(power_share, distance_km, mpd), dtype=float)
    home = np.asarray(geo.bdm_discount(power_share, 0.0, mpd), dtype=float)
    result = np.minimum(far / home, 1.0)
    return float(result) if result.ndim == 0 else result


