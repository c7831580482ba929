"""Factor tables: every source's four factors as seen by one observer.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from course_lib import _validate, datasets, geo
from course_lib.threat._intentions import _coded_intentions, _intentions_for
from course_lib.threat.constants import DECAYS, SCALES
from course_lib.threat.factors import (
    capability_factor,
    dyadic_ratio,
    is_nuclear_armed,
    proximity_factor,
)
from course_lib.threat.power import _load_states, power_index

__all__ = ['threat_factors']

# --------------------------------------------------------------------------------------------
# building factor tables
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _System:
    """Everything about the state set that does not depend on the observer."""

    codes: pd.Index
    names: np.ndarray
    distance: np.ndarray  # km, capital to capital
    contiguous: np.ndarray  # bool
    power_share: np.ndarray
    power: np.ndarray  # scaled by the maximum
    capability: np.ndarray  # scaled by the maximum
    milex: np.ndarray  # raw military expenditure (NaN where missing)
    nuclear: np.ndarray  # bool
    nuclear_bonus: float
    nato: np.ndarray  # bool: NATO member (group "NATO")
    coded: Mapping[tuple[str, str], float]


@dataclass(frozen=True)
class _FactorOptions:
    """The checked keywords that shape every factor table (shared by one observer and all)."""

    decay: str
    lambda_km: float
    miles_per_day: float
    default_intent: float
    allied_intent: float | None
    scale: str


def _factor_options(
    *,
    decay: Any,
    lambda_km: Any,
    miles_per_day: Any,
    default_intent: Any,
    allied_intent: Any,
    scale: Any,
) -> _FactorOptions:
    """Check the factor keywords of :func:`threat_factors` and :func:`all_pairs_factors`."""
    return _FactorOptions(
        decay=_validate.choice(decay, "decay", DECAYS),
        lambda_km=_validate.positive(lambda_km, "lambda_km"),
        miles_per_day=_validate.positive(miles_per_day, "miles_per_day"),
        default_intent=_validate.unit_interval(default_intent, "default_intent"),
        allied_intent=(
            None if allied_intent is None
            else _validate.unit_interval(allied_intent, "allied_intent")
        ),
        scale=_validate.choice(scale, "scale", SCALES),
    )


def _build_system(
    states: pd.DataFrame | None,
    borders: pd.DataFrame | None,
    coded_intentions: pd.DataFrame | None,
    nuclear_bonus: float,
    intent_coding: str | None = None,
) -> _System:
    coded_intentions = _intentions_for(coded_intentions, intent_coding)
    states = _load_states(states)
    codes = pd.Index([str(c) for c in states.index], name="iso3")
    borders = _validate.dataframe(
        datasets.load_borders() if borders is None else borders, "borders", ["iso3_a", "iso3_b"]
    )
    distance = geo.capital_distance_matrix(states, contiguity=False).to_numpy()
    contiguous = np.zeros_like(distance, dtype=bool)
    position = {code: i for i, code in enumerate(codes)}
    for a, b in geo._border_pairs(borders):
        if a in position and b in position:
            contiguous[position[a], position[b]] = True
    share = power_index(states).to_numpy(dtype=float)
    power = share / np.nanmax(share)
    _validate.dataframe(states, "states", ["milex_usd_2022"])
    status = states["nuclear_status"] if "nuclear_status" in states.columns else None
    try:
        nuclear = (
            np.array([is_nuclear_armed(s) for s in status], dtype=bool)
            if status is not None
            else np.zeros(len(states), dtype=bool)
        )
    except ValueError as exc:
        raise ValueError(f"states['nuclear_status']: {exc}") from None
    milex = pd.to_numeric(states["milex_usd_2022"], errors="coerce").to_numpy(dtype=float)
    capability = capability_factor(milex, nuclear, nuclear_bonus)
    names = (
        states["name"].astype(str).to_numpy() if "name" in states.columns else codes.to_numpy()
    )
    return _System(
        codes=codes,
        names=names,
        distance=distance,
        contiguous=contiguous,
        power_share=share,
        power=power,
        capability=capability,
        milex=milex,
        nuclear=nuclear,
        nuclear_bonus=float(nuclear_bonus),
        nato=(
            (states["group"].astype(str) == "NATO").to_numpy()
            if "group" in states.columns
            else np.zeros(len(states), dtype=bool)
        ),
        coded=_coded_intentions(coded_intentions, codes),
    )


def _resolve_sources(system: _System, observer: str, sources: Any) -> list[str]:
    if sources is None:
        return [c for c in system.codes if c != observer]
    resolved = _validate.code_list(sources, "sources", system.codes)
    if observer in resolved:
        raise ValueError(f"sources must not contain the observer {observer!r}")
    return resolved


def _warn_if_unscorable(system: _System, observer: str, scale: str) -> None:
    """Warn when the dyadic scale cannot score anything for this observer (no own spending)."""
    if scale != "dyadic" or not np.isnan(system.milex[system.codes.get_loc(observer)]):
        return
    warnings.warn(
        f"observer {observer!r} has no military-expenditure figure (states['milex_usd_2022'] "
        "is missing: SIPRI publishes none for it, and the course does not guess one), so "
        'the dyadic capability ratio and every threat score are NaN; scale="max" does not '
        "need the observer's own spending",
        UserWarning,
        stacklevel=3,
    )


def _factor_frame(
    system: _System,
    observer: str,
    sources: list[str],
    options: _FactorOptions,
    intentions: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    decay, scale = options.decay, options.scale
    default_intent, allied_intent = options.default_intent, options.allied_intent
    o = system.codes.get_loc(observer)
    idx = np.array([system.codes.get_loc(s) for s in sources], dtype=int)
    distance = system.distance[o, idx]
    contiguous = system.contiguous[o, idx]
    effective = np.where(contiguous, 0.0, distance)
    if decay == "exponential":
        proximity = np.asarray(
            proximity_factor(effective, decay="exponential", lambda_km=options.lambda_km),
            dtype=float,
        )
    else:
        proximity = np.asarray(
            proximity_factor(
                effective, system.power_share[idx], decay="bdm",
                miles_per_day=options.miles_per_day,
            ),
            dtype=float,
        )
    if scale == "dyadic":
        power = dyadic_ratio(system.power_share[idx], system.power_share[o])
        spend = dyadic_ratio(system.milex[idx], system.milex[o])
        bonus = system.nuclear_bonus
        capability = (1.0 - bonus) * spend + bonus * system.nuclear[idx].astype(float)
    else:
        power = system.power[idx]
        capability = system.capability[idx]
    intent = np.empty(len(sources), dtype=float)
    basis = []
    for j, source in enumerate(sources):
        if intentions is not None and source in intentions:
            intent[j] = intentions[source]
            basis.append("override")
        elif (observer, source) in system.coded:
            intent[j] = system.coded[(observer, source)]
            basis.append("coded")
        elif (
            allied_intent is not None
            and system.nato[o]
            and system.nato[system.codes.get_loc(source)]
        ):
            intent[j] = allied_intent
            basis.append("allied default")
        else:
            intent[j] = default_intent
            basis.append("default")
    return pd.DataFrame(
        {
            "name": system.names[idx],
            "distance_km": distance,
            "contiguous": contiguous,
            "power": power,
            "proximity": proximity,
            "capability": capability,
            "intent": intent,
            "intent_basis": basis,
        },
        index=pd.Index(sources, name="source"),
    )


def _check_overrides(
    intentions: Mapping[str, float] | None, codes: pd.Index, observer: str
) -> dict[str, float] | None:
    if intentions is None:
        return None
    if not isinstance(intentions, Mapping):
        raise ValueError(
            "intentions must be a mapping {source ISO3: score in [0, 1]} or None, "
            f"got {type(intentions).__name__}"
        )
    checked = {}
    for source, score in intentions.items():
        code = _validate.state_code(source, "intentions key", codes)
        if code == observer:
            raise ValueError(f"intentions must not give a score for the observer {observer!r}")
        checked[code] = _validate.unit_interval(score, f"intentions[{code!r}]")
    return checked


def threat_factors(
    observer: str,
    sources: Iterable[str] | None = None,
    *,
    decay: str = "exponential",
    lambda_km: float = 2000.0,
    miles_per_day: float = 250.0,
    nuclear_bonus: float = 0.25,
    intentions: Mapping[str, float] | None = None,
    default_intent: float = 0.1,
    allied_intent: float | None = 0.02,
    scale: str = "dyadic",
    states: pd.DataFrame | None = None,
    borders: pd.DataFrame | None = None,
    coded_intentions: pd.DataFrame | None = None,
    intent_coding: str | None = None,
) -> pd.DataFrame:
    """The four Walt factors, each in [0, 1], of every source as seen from ``observer``.

    See the module docstring for how each factor is built and why.

    Parameters
    ----------
    observer : str
        ISO3 code of the state that feels threatened.
    sources : list of str, optional
        ISO3 codes of the potential threats (a list, tuple or Index of distinct codes, not a
        bare string: write ``["IRN"]``); default all other states. Must not include the
        observer.
    decay : {"exponential", "bdm"}, default "exponential"
        Loss-of-strength gradient for proximity (:func:`proximity_factor`).
    lambda_km : float, default 2000.0
        Decay length of the exponential gradient, > 0.
    miles_per_day : float, default 250.0
        Speed parameter of the Bueno de Mesquita gradient, > 0.
    nuclear_bonus : float, default 0.25
        Weight of the nuclear modifier in the capability factor, in [0, 1].
    intentions : mapping of str to float, optional
        Per-source intent scores in [0, 1] that override the coded table.
    default_intent : float, default 0.1
        Intent given to dyads that the table does not code and the user does not override,
        in [0, 1]. A visible assumption (see ``intent_basis``).
    allied_intent : float or None, default 0.02
        Intent given to uncoded dyads in which observer and source are both NATO members, in
        [0, 1] (``intent_basis`` = ``"allied default"``): allies are bound by the North Atlantic
        Treaty, so the course assumes near-zero hostile intent between them unless the table
        codes a dispute (e.g. Greece-Turkey). ``None`` treats allies like any other uncoded
        dyad (``default_intent``).
    scale : {"dyadic", "max"}, default "dyadic"
        How power and capability are put on [0, 1]. ``"dyadic"``: the source's share of the
        dyad's combined power index (or military expenditure), ``s / (s + o)``, so the same
        source weighs more on a weak observer than on a strong one. ``"max"``: divided by the
        largest value in the set (the same for every observer; the US dominates the scale).
    states, borders, coded_intentions : pandas.DataFrame, optional
        Replace :func:`~course_lib.datasets.load_states`,
        :func:`~course_lib.datasets.load_borders` and
        :func:`~course_lib.datasets.load_intentions` (for what-if tables and tests).
    intent_coding : {"2023", "2026-12"}, optional
        Which dated coding of the intentions table to use: ``"2023"`` (the default, the
        paper's view) or ``"2026-12"`` (the course's coding as of December 2026, after the
        events since the paper; see :func:`course_lib.datasets.load_intentions`). With your own
        ``coded_intentions`` it picks rows by that table's ``coding`` column (see
        :func:`course_lib.datasets.intentions_as_of`); a table without that column is used as
        it is, and then ``intent_coding`` must be left unset.

    Returns
    -------
    pandas.DataFrame
        Indexed by source ISO3 (in the order of ``sources``), with columns ``name``,
        ``distance_km`` (capital to capital), ``contiguous``, ``power``, ``proximity``,
        ``capability``, ``intent`` and ``intent_basis`` (``"coded"``, ``"override"`` or
        ``"default"``).

    Raises
    ------
    ValueError
        For unknown codes (codes are exact upper-case ISO3: ``"isr"`` is refused), a bare
        string or repeated codes as ``sources``, a source equal to the observer, two rows of
        ``coded_intentions`` for the same dyad, an ``intent_coding`` that is not one of
        :data:`course_lib.datasets.INTENTION_CODINGS` (or given with a ``coded_intentions``
        table that has no ``coding`` column), or any parameter out of range.

    Warns
    -----
    UserWarning
        With ``scale="dyadic"``, when the observer has no military-expenditure figure (SYR,
        ARE, LBY and YEM in the packaged table): every capability factor and threat is then
        NaN, and ``scale="max"`` is the way to score them.

    Examples
    --------
    >>> toy = pd.DataFrame(
    ...     {"name": ["Aland", "Bland", "Cland"], "lat": [0.0, 0.0, 0.0],
    ...      "lon": [0.0, 10.0, 40.0], "milex_usd_2022": [1e9, 4e9, 2e9],
    ...      "armed_forces_personnel": [1e4, 5e4, 2e4], "population_2022": [1e7, 2e7, 1e7],
    ...      "gdp_usd_2022": [1e11, 2e11, 1e11],
    ...      "nuclear_status": ["NPT non-nuclear-weapon state"] * 3},
    ...     index=pd.Index(["AAA", "BBB", "CCC"], name="iso3"),
    ... )
    >>> coded = pd.DataFrame({"observer": ["AAA"], "source": ["BBB"], "score": [0.8]})
    >>> no_borders = pd.DataFrame({"iso3_a": [], "iso3_b": []})
    >>> f = threat_factors("AAA", states=toy, borders=no_borders, coded_intentions=coded,
    ...                    scale="max")
    >>> f[["distance_km", "power", "capability", "intent", "intent_basis"]].round(2)
            distance_km  power  capability  intent intent_basis
    source
    BBB         1111.95   1.00        0.75     0.8        coded
    CCC         4447.80   0.47        0.38     0.1      default

    The packaged table in its two dated codings, as seen from Israel:

    >>> codings = [threat_factors("ISR", ["SYR", "TUR"], intent_coding=c)["intent"].tolist()
    ...            for c in ("2023", "2026-12")]
    >>> codings
    [[0.6, 0.3], [0.3, 0.5]]
    """
    options = _factor_options(decay=decay, lambda_km=lambda_km, miles_per_day=miles_per_day,
                              default_intent=default_intent, allied_intent=allied_intent,
                              scale=scale)
    system = _build_system(states, borders, coded_intentions, nuclear_bonus, intent_coding)
    observer = _validate.state_code(observer, "observer", system.codes)
    overrides = _check_overrides(intentions, system.codes, observer)
    chosen = _resolve_sources(system, observer, sources)
    _warn_if_unscorable(system, observer, options.scale)
    return _factor_frame(system, observer, chosen, options, overrides)


