"""Great-circle distance and loss-of-strength gradients.

Geography enters the balance-of-threat model through *proximity*: Walt (1985) argues that
power which is near is more threatening than power which is far away. This module gives the
distance measure and two ways to turn distance into a discount on power.

Distance
    Capital-to-capital great-circle distance on a sphere of mean Earth radius
    :data:`EARTH_RADIUS_KM` (haversine formula), a common proxy in quantitative conflict
    studies. It is not what Gleditsch & Ward (2001) recommend: they show that distances between
    capitals overstate the distance between states' borders, above all for large or irregular
    states, and offer minimum distances instead. States that share a land border can be treated
    as being at distance 0 (``contiguity=True``), the convention used by Bennett & Stam (2000)
    for their distance variable.

Loss-of-strength gradients
    Boulding (1962) argued that a state's power declines as it is projected away from its base.
    :func:`bdm_discount` implements the formula of Bueno de Mesquita (1981);
    :func:`exponential_decay` is a simpler teaching alternative with an explicit length scale.

References
----------
Bennett, D. S. & Stam, A. C. (2000). "EUGene: A Conceptual Manual." *International
Interactions* 26(2): 179-204; and Bennett & Stam (2000), "Research Design and Estimator Choices
in the Analysis of Interstate Dyads", *Journal of Conflict Resolution* 44(5): 653-685.
Boulding, K. E. (1962). *Conflict and Defense: A General Theory*. New York: Harper.
Bueno de Mesquita, B. (1981). *The War Trap*. New Haven: Yale University Press.
Gleditsch, K. S. & Ward, M. D. (2001). "Measuring Space: A Minimum-Distance Database and
Applications to International Studies." *Journal of Peace Research* 38(6): 739-758.
Moritz, H. (2000). "Geodetic Reference System 1980." *Journal of Geodesy* 74(1): 128-133
(source of the mean Earth radius R1 = 6371.0088 km).
Walt, S. M. (1985). "Alliance Formation and the Balance of World Power." *International
Security* 9(4): 3-43.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from course_lib import _validate, datasets

__all__ = [
    "EARTH_RADIUS_KM",
    "KM_PER_MILE",
    "bdm_discount",
    "bdm_exponent",
    "capital_distance_matrix",
    "exponential_decay",
    "great_circle_km",
]

#: Mean Earth radius R1 of the GRS80 ellipsoid, in kilometres (Moritz 2000).
EARTH_RADIUS_KM: float = 6371.0088

#: Kilometres in one international statute mile (exact by definition, 1959).
KM_PER_MILE: float = 1.609344


def _broadcastable(**arrays: np.ndarray) -> None:
    """Raise ``ValueError`` naming the arguments if their shapes do not broadcast together."""
    try:
        np.broadcast_shapes(*(a.shape for a in arrays.values()))
    except ValueError:
        shapes = ", ".join(f"{name} {a.shape}" for name, a in arrays.items())
        names = list(arrays)
        together = ", ".join(names[:-1]) + f" and {names[-1]}"
        raise ValueError(f"{together} must have shapes that broadcast together, got {shapes}"
                         ) from None


def _scalar_or_array(arr: np.ndarray) -> float | np.ndarray:
    """Return a Python float for 0-d results and the array otherwise."""
    if arr.ndim == 0:
        return float(arr)
    return arr


def great_circle_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> float | np.ndarray:
    """Great-circle distance in kilometres between points given in decimal degrees.

    Uses the haversine formula on a sphere of radius :data:`EARTH_RADIUS_KM`. The spherical
    model differs from the ellipsoidal (geodesic) distance by at most about 0.5 %, which is far
    below the precision that matters for a capital-to-capital proximity measure.

    Parameters
    ----------
    lat1, lon1, lat2, lon2 : float or array_like
        Latitudes in [-90, 90] and longitudes in [-180, 180], in decimal degrees (WGS84).
        Arrays broadcast against each other with the usual numpy rules.

    Returns
    -------
    float or numpy.ndarray
        Distance in km; a Python float when all inputs are scalars.

    Raises
    ------
    ValueError
        If any coordinate is NaN, infinite or outside its range.

    Examples
    --------
    >>> round(great_circle_km(51.5074, -0.1278, 48.8566, 2.3522))  # London - Paris
    344
    >>> great_circle_km(0.0, 0.0, 0.0, 0.0)
    0.0
    >>> great_circle_km([0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [90.0, 180.0]).round(1)
    array([10007.6, 20015.1])
    """
    arrays = {}
    for name, value, limit in (
        ("lat1", lat1, 90.0),
        ("lon1", lon1, 180.0),
        ("lat2", lat2, 90.0),
        ("lon2", lon2, 180.0),
    ):
        arrays[name] = np.radians(_validate.number_array(value, name, -limit, limit))
    _broadcastable(**arrays)
    phi1, lam1, phi2, lam2 = arrays["lat1"], arrays["lon1"], arrays["lat2"], arrays["lon2"]
    h = (
        np.sin((phi2 - phi1) / 2.0) ** 2
        + np.cos(phi1) * np.cos(phi2) * np.sin((lam2 - lam1) / 2.0) ** 2
    )
    # Rounding can push h a hair outside [0, 1] for antipodal or identical points.
    h = np.clip(h, 0.0, 1.0)
    dist = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(h))
    return _scalar_or_array(np.asarray(dist, dtype=float))


def _border_pairs(borders: pd.DataFrame) -> set[tuple[str, str]]:
    """Return the symmetric set of contiguous (a, b) pairs from a borders table."""
    _validate.dataframe(borders, "borders", ["iso3_a", "iso3_b"])
    pairs: set[tuple[str, str]] = set()
    for a, b in zip(borders["iso3_a"], borders["iso3_b"], strict=True):
        pairs.add((str(a), str(b)))
        pairs.add((str(b), str(a)))
    return pairs


def capital_distance_matrix(
    states: pd.DataFrame | None = None,
    *,
    contiguity: bool = False,
    borders: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Capital-to-capital great-circle distances (km) for every pair of states.

    Parameters
    ----------
    states : pandas.DataFrame, optional
        Indexed by ISO3 code, with columns ``lat`` and ``lon`` (decimal degrees of the capital).
        Defaults to :func:`course_lib.datasets.load_states`.
    contiguity : bool, default False
        If True, pairs that share a land border get distance 0. This follows the convention of
        Bennett & Stam (2000) (EUGene), who set the distance of contiguous states to zero because
        neighbours can project force directly across the border whatever the distance between
        their capitals. It is a modelling choice: Moscow-Kyiv is 756 km by air, but with
        ``contiguity=True`` it counts as 0.
    borders : pandas.DataFrame, optional
        Land borders with columns ``iso3_a`` and ``iso3_b``; used only when ``contiguity`` is
        True. Defaults to :func:`course_lib.datasets.load_borders`. Borders with a state not in
        ``states`` are ignored.

    Returns
    -------
    pandas.DataFrame
        Square, symmetric matrix indexed and columned by ISO3 code, zero on the diagonal.

    Raises
    ------
    ValueError
        If ``states`` lacks ``lat``/``lon``, has missing or out-of-range coordinates, or has
        duplicate codes; or if ``borders`` lacks its columns.

    Examples
    --------
    >>> toy = pd.DataFrame(
    ...     {"lat": [51.5074, 48.8566, 52.52], "lon": [-0.1278, 2.3522, 13.405]},
    ...     index=pd.Index(["GBR", "FRA", "DEU"], name="iso3"),
    ... )
    >>> capital_distance_matrix(toy).round(0)
    iso3    GBR    FRA    DEU
    iso3
    GBR     0.0  344.0  932.0
    FRA   344.0    0.0  877.0
    DEU   932.0  877.0    0.0
    >>> land = pd.DataFrame({"iso3_a": ["FRA"], "iso3_b": ["DEU"]})
    >>> float(capital_distance_matrix(toy, contiguity=True, borders=land).loc["DEU", "FRA"])
    0.0
    """
    contiguity = _validate.flag(contiguity, "contiguity")
    if states is None:
        states = datasets.load_states()
    _validate.dataframe(states, "states", ["lat", "lon"])
    if not states.index.is_unique:
        dupes = sorted(set(states.index[states.index.duplicated()]))
        raise ValueError(f"states must have unique ISO3 codes in its index, duplicated {dupes}")
    lat = _validate.number_array(states["lat"].to_numpy(), "states['lat']", -90.0, 90.0)
    lon = _validate.number_array(states["lon"].to_numpy(), "states['lon']", -180.0, 180.0)
    dist = great_circle_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
    dist = np.asarray(dist, dtype=float)
    np.fill_diagonal(dist, 0.0)
    codes = [str(c) for c in states.index]
    if contiguity:
        if borders is None:
            borders = datasets.load_borders()
        position = {code: i for i, code in enumerate(codes)}
        for a, b in _border_pairs(borders):
            if a in position and b in position:
                dist[position[a], position[b]] = 0.0
    index = pd.Index(codes, name="iso3")
    return pd.DataFrame(dist, index=index, columns=index.copy())


def bdm_exponent(distance_km: Any, miles_per_day: float = 250.0) -> float | np.ndarray:
    """Exponent of the Bueno de Mesquita (1981) loss-of-strength gradient.

    ``log10(miles / miles_per_day + (10 - e))`` with ``miles = distance_km / KM_PER_MILE``.
    It is about 0.862 at distance 0 and grows slowly (logarithmically) with distance.

    Parameters
    ----------
    distance_km : float or array_like
        Distance in km, finite and >= 0.
    miles_per_day : float, default 250.0
        How far (in statute miles) power can be moved in a day; must be > 0.

    Returns
    -------
    float or numpy.ndarray
        The exponent (a float for scalar input).

    Raises
    ------
    ValueError
        If ``distance_km`` is NaN, infinite or negative, or ``miles_per_day`` is not > 0.

    Examples
    --------
    >>> round(bdm_exponent(0.0), 4)
    0.8622
    >>> round(bdm_exponent(250 * KM_PER_MILE * 2.7182818284590453), 4)  # e days -> log10(10) = 1
    1.0
    """
    d = _validate.number_array(distance_km, "distance_km", 0.0, math.inf, high_open=True)
    mpd = _validate.positive(miles_per_day, "miles_per_day")
    miles = d / KM_PER_MILE
    return _scalar_or_array(np.log10(miles / mpd + (10.0 - math.e)))


def bdm_discount(share: Any, distance_km: Any, miles_per_day: float = 250.0) -> float | np.ndarray:
    """Distance-discounted capability after Bueno de Mesquita (1981), *The War Trap*.

    ``adjusted = share ** log10(miles / miles_per_day + (10 - e))``

    where ``miles = distance_km / KM_PER_MILE`` (the km to statute-mile conversion is explicit,
    1 mile = 1.609344 km). The formula only makes sense for a capability *share* strictly between
    0 and 1: raising a number below 1 to a larger power makes it smaller, so the exponent growing
    with distance means power fades with distance. At distance 0 the exponent is
    ``log10(10 - e) ~ 0.862``, which slightly *inflates* capability at home; it passes 1 after
    ``e`` days of travel. Because the exponent multiplies a logarithm, strong states (large share)
    lose proportionally less over a given distance than weak ones.

    ``miles_per_day = 250`` is the value commonly used for the period after 1945; the course has
    not checked it against every edition of the book, so it is kept a parameter.

    Parameters
    ----------
    share : float or array_like
        Capability share (e.g. CINC) in the open interval (0, 1).
    distance_km : float or array_like
        Distance in km, finite and >= 0. Broadcasts against ``share``.
    miles_per_day : float, default 250.0
        Travel speed of power in statute miles per day, > 0.

    Returns
    -------
    float or numpy.ndarray
        Adjusted capability, in (0, 1).

    Raises
    ------
    ValueError
        If ``share`` is not in (0, 1), ``distance_km`` is negative or not finite, or
        ``miles_per_day`` is not > 0.

    Examples
    --------
    >>> round(bdm_discount(0.1, 0.0), 4)  # 0.1 ** 0.8622: slightly inflated at home
    0.1373
    >>> round(bdm_discount(0.1, 5000.0), 4)
    0.0507
    >>> bdm_discount(1.0, 100.0)
    Traceback (most recent call last):
    ...
    ValueError: share must be a finite number in (0, 1), got 1
    """
    s = _validate.number_array(share, "share", 0.0, 1.0, low_open=True, high_open=True)
    d = _validate.number_array(distance_km, "distance_km", 0.0, math.inf, high_open=True)
    _broadcastable(share=s, distance_km=d)
    exponent = np.asarray(bdm_exponent(distance_km, miles_per_day), dtype=float)
    return _scalar_or_array(np.power(s, exponent))


def exponential_decay(distance_km: Any, lambda_km: float) -> float | np.ndarray:
    """Exponential loss-of-strength gradient ``exp(-distance_km / lambda_km)``.

    A simple alternative to :func:`bdm_discount` for teaching: the result is 1 at distance 0
    and falls by a factor ``e`` every ``lambda_km`` kilometres, whatever the state's power.

    Parameters
    ----------
    distance_km : float or array_like
        Distance in km, finite and >= 0.
    lambda_km : float
        Decay length in km, finite and > 0.

    Returns
    -------
    float or numpy.ndarray
        Values in (0, 1].

    Raises
    ------
    ValueError
        If ``distance_km`` is NaN, infinite or negative, or ``lambda_km`` is not > 0.

    Examples
    --------
    >>> exponential_decay(0.0, 2000.0)
    1.0
    >>> round(exponential_decay(2000.0, 2000.0), 4)
    0.3679
    >>> exponential_decay(-1.0, 2000.0)
    Traceback (most recent call last):
    ...
    ValueError: distance_km must be a finite number in [0, inf), got -1
    """
    d = _validate.number_array(distance_km, "distance_km", 0.0, math.inf, high_open=True)
    lam = _validate.positive(lambda_km, "lambda_km")
    return _scalar_or_array(np.exp(-d / lam))
