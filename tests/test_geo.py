"""Tests for course_lib.geo: great-circle distance and loss-of-strength gradients."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from course_lib import datasets, geo

LONDON = (51.5074, -0.1278)
PARIS = (48.8566, 2.3522)


def _toy_states() -> pd.DataFrame:
    return pd.DataFrame(
        {"lat": [LONDON[0], PARIS[0], 52.52], "lon": [LONDON[1], PARIS[1], 13.405]},
        index=pd.Index(["GBR", "FRA", "DEU"], name="iso3"),
    )


# ---------------------------------------------------------------- great_circle_km


def test_london_paris_is_about_344_km():
    d = geo.great_circle_km(*LONDON, *PARIS)
    assert isinstance(d, float)
    assert d == pytest.approx(343.6, abs=0.5)


def test_quarter_and_half_circumference():
    quarter = geo.great_circle_km(0.0, 0.0, 0.0, 90.0)
    half = geo.great_circle_km(0.0, 0.0, 0.0, 180.0)
    assert quarter == pytest.approx(math.pi * geo.EARTH_RADIUS_KM / 2, rel=1e-12)
    assert half == pytest.approx(math.pi * geo.EARTH_RADIUS_KM, rel=1e-12)
    # pole to pole through any meridian is also half the circumference
    assert geo.great_circle_km(90.0, 0.0, -90.0, 123.0) == pytest.approx(half, rel=1e-12)


def test_same_point_is_zero_and_distance_is_symmetric():
    assert geo.great_circle_km(31.77, 35.21, 31.77, 35.21) == 0.0
    ab = geo.great_circle_km(31.77, 35.21, 35.69, 51.42)
    ba = geo.great_circle_km(35.69, 51.42, 31.77, 35.21)
    assert ab == pytest.approx(ba, rel=1e-15)


def test_date_line_crossing_is_short():
    # 179 E to 179 W on the equator is 2 degrees, not 358
    d = geo.great_circle_km(0.0, 179.0, 0.0, -179.0)
    assert d == pytest.approx(2 * math.pi * geo.EARTH_RADIUS_KM / 180, rel=1e-9)


def test_vectorised_broadcasting():
    lats = np.array([LONDON[0], PARIS[0]])
    lons = np.array([LONDON[1], PARIS[1]])
    d = geo.great_circle_km(lats[:, None], lons[:, None], lats[None, :], lons[None, :])
    assert isinstance(d, np.ndarray)
    assert d.shape == (2, 2)
    assert d[0, 0] == 0.0 and d[1, 1] == 0.0
    assert d[0, 1] == pytest.approx(geo.great_circle_km(*LONDON, *PARIS))


@pytest.mark.parametrize(
    ("args", "argument"),
    [
        # single bad values of each coordinate are the fuzz's (tests/test_fuzz_public_api.py);
        # here: where in an array the bad element is, and arrays that are not flat lists
        ((0.0, 0.0, 0.0, [0.0, -181.0]), r"lon2 must .*\[-180, 180\].*got -181 at position 1"),
        ((0.0, ["1", "2"], 0.0, 0.0), "lon1 must contain finite numbers .*got '1' at position 0"),
        ((0.0, 0.0, [[0.0], [0.0, 1.0]], 0.0), r"lat2 must be a number or an array .*got \[\["),
    ],
)
def test_great_circle_rejects_bad_coordinates(args, argument):
    with pytest.raises(ValueError, match=argument):
        geo.great_circle_km(*args)


def test_great_circle_error_names_range():
    with pytest.raises(ValueError, match=r"lat1 must be a finite number in \[-90, 90\], got 91"):
        geo.great_circle_km(91.0, 0.0, 0.0, 0.0)


# ---------------------------------------------------------------- capital_distance_matrix


def test_distance_matrix_is_symmetric_with_zero_diagonal():
    m = geo.capital_distance_matrix(_toy_states())
    assert list(m.index) == ["GBR", "FRA", "DEU"] and list(m.columns) == list(m.index)
    assert np.allclose(m.to_numpy(), m.to_numpy().T)
    assert np.all(np.diag(m.to_numpy()) == 0.0)
    assert m.loc["GBR", "FRA"] == pytest.approx(343.6, abs=0.5)


def test_contiguity_sets_bordering_pairs_to_zero_only():
    borders = pd.DataFrame({"iso3_a": ["FRA", "XXX"], "iso3_b": ["DEU", "FRA"]})
    plain = geo.capital_distance_matrix(_toy_states())
    contig = geo.capital_distance_matrix(_toy_states(), contiguity=True, borders=borders)
    assert contig.loc["FRA", "DEU"] == 0.0 and contig.loc["DEU", "FRA"] == 0.0
    assert contig.loc["GBR", "FRA"] == plain.loc["GBR", "FRA"] > 0
    assert contig.loc["GBR", "DEU"] == plain.loc["GBR", "DEU"] > 0
    # contiguity=False ignores the borders table entirely
    same = geo.capital_distance_matrix(_toy_states(), contiguity=False, borders=borders)
    assert same.loc["FRA", "DEU"] == plain.loc["FRA", "DEU"] > 0


def test_distance_matrix_rejects_bad_states():
    states = _toy_states()
    with pytest.raises(ValueError, match="lat"):
        geo.capital_distance_matrix(states.drop(columns="lat"))
    bad = states.copy()
    bad.loc["FRA", "lat"] = np.nan
    with pytest.raises(ValueError, match=r"states\['lat'\].*got nan"):
        geo.capital_distance_matrix(bad)
    bad = states.copy()
    bad.loc["DEU", "lon"] = 200.0
    with pytest.raises(ValueError, match=r"states\['lon'\].*\[-180, 180\]"):
        geo.capital_distance_matrix(bad)
    dup = pd.concat([states, states.iloc[[0]]])
    with pytest.raises(ValueError, match="unique"):
        geo.capital_distance_matrix(dup)
    with pytest.raises(ValueError, match="borders must have columns"):
        geo.capital_distance_matrix(states, contiguity=True, borders=pd.DataFrame({"a": []}))
    with pytest.raises(ValueError, match="states must be a pandas DataFrame, got list"):
        geo.capital_distance_matrix([[51.5, -0.1]])
    with pytest.raises(ValueError, match="contiguity must be True or False, got 'no'"):
        geo.capital_distance_matrix(states, contiguity="no")
    with pytest.raises(ValueError, match="borders must be a pandas DataFrame, got str"):
        geo.capital_distance_matrix(states, contiguity=True, borders="borders.csv")


def test_distance_matrix_on_course_states():
    states = datasets.load_states()
    m = geo.capital_distance_matrix()
    assert m.shape == (len(states), len(states))
    # Jerusalem - Tehran is about 1,560 km by air
    assert m.loc["ISR", "IRN"] == pytest.approx(1560, abs=15)
    contig = geo.capital_distance_matrix(contiguity=True)
    borders = datasets.load_borders()
    for a, b in zip(borders["iso3_a"], borders["iso3_b"], strict=True):
        if a in m.index and b in m.index:
            assert contig.loc[a, b] == 0.0 == contig.loc[b, a]


# ---------------------------------------------------------------- Bueno de Mesquita


def test_bdm_exponent_at_zero_is_log10_of_ten_minus_e():
    assert geo.bdm_exponent(0.0) == pytest.approx(math.log10(10 - math.e), rel=1e-12)
    assert geo.bdm_exponent(0.0) == pytest.approx(0.8622, abs=1e-4)


def test_bdm_at_zero_inflates_share():
    assert geo.bdm_discount(0.2, 0.0) == pytest.approx(0.2 ** math.log10(10 - math.e))
    assert geo.bdm_discount(0.2, 0.0) > 0.2


def test_bdm_km_to_miles_conversion_is_explicit():
    # exponent is exactly 1 when miles / miles_per_day == e, i.e. the share is unchanged
    km = math.e * 250.0 * 1.609344
    assert geo.bdm_exponent(km) == pytest.approx(1.0, rel=1e-12)
    assert geo.bdm_discount(0.3, km) == pytest.approx(0.3, rel=1e-12)
    # doubling miles_per_day is the same as halving the distance
    assert geo.bdm_discount(0.3, 4000.0, miles_per_day=500.0) == pytest.approx(
        geo.bdm_discount(0.3, 2000.0, miles_per_day=250.0)
    )


def test_bdm_hand_computed_value():
    miles = 5000.0 / 1.609344
    expected = 0.1 ** math.log10(miles / 250.0 + 10 - math.e)
    assert geo.bdm_discount(0.1, 5000.0) == pytest.approx(expected, rel=1e-12)


def test_bdm_falls_with_distance_and_strong_states_lose_less():
    d = np.array([0.0, 500.0, 2000.0, 8000.0])
    strong = geo.bdm_discount(0.3, d)
    weak = geo.bdm_discount(0.01, d)
    assert np.all(np.diff(strong) < 0) and np.all(np.diff(weak) < 0)
    assert np.all(strong[1:] / strong[0] > weak[1:] / weak[0])


# ---------------------------------------------------------------- exponential decay


def test_exponential_decay_values():
    assert geo.exponential_decay(0.0, 2000.0) == 1.0
    assert geo.exponential_decay(2000.0, 2000.0) == pytest.approx(math.exp(-1))
    out = geo.exponential_decay([0.0, 1000.0, 4000.0], 1000.0)
    assert np.allclose(out, np.exp([0.0, -1.0, -4.0]))


def test_shapes_that_do_not_broadcast_are_named():
    with pytest.raises(ValueError, match=r"share and distance_km must have shapes that "
                                         r"broadcast together, got share \(2,\), distance_km"):
        geo.bdm_discount([0.1, 0.2], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"lat1, lon1, lat2 and lon2 must have shapes"):
        geo.great_circle_km([0.0, 1.0], [0.0, 1.0, 2.0], 0.0, 0.0)
