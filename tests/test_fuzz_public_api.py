"""Fuzz of the public API (issue 9, item 2): every public function of ``course_lib.threat``,
``course_lib.tiers``, ``course_lib.geo`` and ``course_lib.datasets`` (their ``__all__``).

Each function has a :class:`Spec`: arguments that work, and for each checked argument a *kind*
(unit interval, positive number, state code, list of codes, flag, choice, table, ...). The
fuzz then

- calls the function with one argument replaced by a bad value of its kind (NaN, inf,
  negative, ``"0.5"``, ``True``, ``None``, lists, lower-case and unknown codes, bare strings
  where a list of codes is expected, ...) and asserts a one-line ``ValueError`` that names
  the argument (never a raw ``TypeError``, ``AttributeError`` or ``KeyError``, never garbage);
- calls it with good values drawn for every checked argument and asserts a finite result.

A public function without a spec fails :func:`test_every_public_function_is_fuzzed`, so a new
function cannot slip past. The threat functions run on a four-state toy world (fast).
"""

from __future__ import annotations

import dataclasses
import datetime
import inspect
import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from course_lib import datasets, geo, threat, tiers

MODULES = (threat, tiers, geo, datasets)
FUZZ = settings(max_examples=10, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

# ----------------------------------------------------------------------------- toy world
TOY_CODES = ("AAA", "BBB", "CCC", "DDD")
TOY_STATES = pd.DataFrame(
    {"name": ["Aland", "Bland", "Cland", "Dland"], "lat": [0.0, 0.0, 10.0, -5.0],
     "lon": [0.0, 10.0, 40.0, 20.0], "milex_usd_2022": [1e9, 4e9, 2e9, 3e9],
     "armed_forces_personnel": [1e4, 5e4, 2e4, 3e4],
     "population_2022": [1e7, 2e7, 1e7, 5e6], "gdp_usd_2022": [1e11, 2e11, 1e11, 4e10],
     "nuclear_status": ["NPT non-nuclear-weapon state", "NPT nuclear-weapon state",
                        "NPT non-nuclear-weapon state", "NPT non-nuclear-weapon state"],
     "group": ["NATO", "NATO", "MENA", "Other"]},
    index=pd.Index(TOY_CODES, name="iso3"),
)
TOY_BORDERS = pd.DataFrame({"iso3_a": ["AAA"], "iso3_b": ["BBB"]})
TOY_CODED = pd.DataFrame({"observer": ["AAA", "AAA"], "source": ["CCC", "BBB"],
                          "coding": ["2023", "2026-12"], "score": [0.7, 0.4]})
TOY = {"states": TOY_STATES, "borders": TOY_BORDERS, "coded_intentions": TOY_CODED}
COMPONENTS = pd.DataFrame({c: [3.0, 1.0, 2.0] for c in threat.COMPONENTS})
ONE_FACTOR_ROW = {"power": 0.5, "proximity": 0.4, "capability": 0.3, "intent": 0.2}
REAL_CODES = datasets.state_codes()


# ----------------------------------------------------------------------------- value kinds
#: Not numbers, for arguments that take an array as well as a number (so lists are fine).
NOT_NUMBERS_ARRAYLIKE = st.sampled_from(
    ["0.5", "1", "", True, False, np.bool_(True), None, {"x": 0.5}, b"1", complex(0.5, 0.0),
     object(), ["0.5"], [True]])
#: Not numbers, for scalar arguments.
NOT_NUMBERS = NOT_NUMBERS_ARRAYLIKE | st.sampled_from([[0.5], (0.5,)])
NON_FINITE = st.sampled_from([math.nan, math.inf, -math.inf, np.float64("nan")])


def _outside(low: float, high: float) -> st.SearchStrategy:
    """Real numbers below ``low`` or above ``high`` (both ends count as outside if open)."""
    below = st.floats(max_value=low, allow_nan=False, allow_infinity=False).filter(
        lambda x: x < low)
    above = st.floats(min_value=high, allow_nan=False, allow_infinity=False).filter(
        lambda x: x > high)
    return below | above if math.isfinite(high) else below


@dataclasses.dataclass(frozen=True)
class Kind:
    """Bad values and good values of one kind of argument."""

    bad: st.SearchStrategy
    good: st.SearchStrategy


def number_kind(low: float, high: float, *, open_low: bool = False, open_high: bool = False,
                arrays: bool = False) -> Kind:
    """Real numbers in an interval; ``arrays=True`` if the argument also takes arrays."""
    edges = [e for e, is_open in ((low, open_low), (high, open_high)) if is_open]
    good_low = low + 1e-3 if open_low else low
    good_high = (high - 1e-3 if open_high else high) if math.isfinite(high) else 1e4
    not_numbers = NOT_NUMBERS_ARRAYLIKE if arrays else NOT_NUMBERS
    bad = not_numbers | NON_FINITE | _outside(low, high) | st.sampled_from(edges or [low - 1])
    return Kind(bad, st.floats(good_low, good_high))


def integer_kind(low: int, high: int | None = None, *, good_high: int = 300) -> Kind:
    """Integers from ``low`` (to ``high`` if the function has an upper bound)."""
    bad = (st.sampled_from(["5", True, None, 5.0, math.nan, [5], np.float64(5)])
           | st.integers(max_value=low - 1))
    if high is not None:
        bad |= st.integers(min_value=high + 1)
    return Kind(bad, st.integers(low, good_high if high is None else high))


def choice_kind(allowed: tuple[str, ...]) -> Kind:
    bad = (st.sampled_from([None, 1, True, [allowed[0]], allowed[0].upper(), f" {allowed[0]}"])
           | st.text(max_size=8).filter(lambda t: t not in allowed))
    return Kind(bad, st.sampled_from(allowed))


def code_kind(codes: tuple[str, ...]) -> Kind:
    bad = st.sampled_from([codes[0].lower(), f" {codes[0]}", codes[0].title(), "XXX", "", 376,
                           None, math.nan, [codes[0]], (codes[0],), True])
    return Kind(bad, st.sampled_from(codes))


def codes_kind(codes: tuple[str, ...]) -> Kind:
    bad = st.sampled_from([codes[1], "".join(codes[1:3]), [], [codes[1], codes[1]],
                           [codes[1].lower()], ["XXX"], [codes[1], 7], 5, {codes[1]: 1}])
    return Kind(bad, st.lists(st.sampled_from(codes[1:]), min_size=1, unique=True))


FLAG = Kind(st.sampled_from(["False", "no", "yes", "", 0, 1, 0.5, math.nan, None, [True]]),
            st.booleans())
FRAME = Kind(st.sampled_from([[1, 2], {"lat": [0.0]}, "states.csv", 5, np.zeros(3), True]),
             st.nothing())
UNIT = number_kind(0.0, 1.0)
POSITIVE = number_kind(0.0, math.inf, open_low=True)
UNIT_ARRAY = Kind(
    st.sampled_from(["0.5", [math.nan], [1.5], [-0.1], [True], ["0.5"], [[0.1, 0.2]], [], None,
                     {"a": 0.5}, [None]]),
    st.lists(st.floats(0.0, 1.0), min_size=1, max_size=4))
WEIGHTS = Kind(
    st.sampled_from(["abcd", [1, 1, 1], [1, 1, 1, "1"], [True, 1, 1, 1], [-1, 1, 1, 1],
                     [math.nan, 1, 1, 1], [0, 0, 0, 0], {"power": 1}, 5,
                     {"power": 1, "proximity": 1, "capability": 1, "intent": 1, "x": 1}]),
    st.lists(st.floats(0.01, 10.0), min_size=4, max_size=4))
TIER_WEIGHTS = Kind(
    st.sampled_from(["x", [1, 1, 1], {"autonomy": "1", "entrapment": 1, "dominance": 1},
                     {"autonomy": True, "entrapment": 1, "dominance": 1},
                     {"autonomy": -1, "entrapment": 1, "dominance": 1}, {"autonomy": 1}, 5]),
    st.fixed_dictionaries({k: st.floats(0.01, 5.0) for k in ("autonomy", "entrapment",
                                                               "dominance")}))
INTENTIONS = Kind(
    st.sampled_from(["CCC", ["CCC"], {"ccc": 0.5}, {"XXX": 0.5}, {"CCC": "0.5"},
                     {"CCC": True}, {"CCC": 1.5}, {"AAA": 0.5}, 5]),
    st.dictionaries(st.sampled_from(TOY_CODES[1:]), st.floats(0.0, 1.0), max_size=2))
TIER_TABLE = Kind(
    st.sampled_from([5, "none", [1, 2], pd.DataFrame({"key": ["a"]}),
                     pd.DataFrame({"key": ["a", "b"], "label": ["A", "B"],
                                   "security": ["0", "1"], "cost": [0, 1]}),
                     pd.DataFrame({"key": ["a", "a"], "label": ["A", "B"],
                                   "security": [0.0, 1.0], "cost": [0.0, 1.0]})]),
    st.just(None))
#: A dated intent coding: exact strings only (no years as numbers, no near misses).
CODING = Kind(st.sampled_from([2023, "2024", "2026", "2026-11", " 2023", "2026-12 ", True,
                               ["2023"], {"2023": 1}]) | st.text(max_size=8).filter(
                                   lambda t: t not in datasets.INTENTION_CODINGS),
              st.sampled_from(datasets.INTENTION_CODINGS))


def or_none(kind: Kind) -> Kind:
    """The kind of an argument for which ``None`` is a valid value (a documented default)."""
    return Kind(kind.bad.filter(lambda v: v is not None), kind.good | st.none())


SHARE = number_kind(0.0, 1.0, open_low=True, open_high=True, arrays=True)
OBSERVER = Kind(code_kind(TOY_CODES).bad, st.just("AAA"))
SCHEMA = Kind(st.sampled_from([5, "borders.csv", None, {"columns": []}]),
              st.just(datasets.SCHEMAS["borders.csv"]))
STATUS = Kind(st.sampled_from([5, True, ["NPT nuclear-weapon state"], {"a": 1}, b"x"]),
              st.sampled_from(["NPT nuclear-weapon state", "not nuclear-armed", None,
                               "NPT non-nuclear-weapon state", math.nan]))
MILEX = Kind(st.sampled_from(["1e9", ["1", "2", "3"], [1.0, -1.0, 2.0], [1.0, math.inf, 2.0],
                              None, [True, False, True], [0.0, 0.0, 0.0]]),
             st.lists(st.floats(1.0, 1e12), min_size=3, max_size=3))
NUCLEAR = Kind(st.sampled_from([["False", "False", "True"], [math.nan, False, True],
                                [0, 1, 0], None, "True", [0.5, True, False]]),
               st.lists(st.booleans(), min_size=3, max_size=3))
DISTANCES = Kind(st.sampled_from(["100", [-1.0], [math.nan], [math.inf], [True], None, ["1"],
                                  {"d": 1.0}]),
                 st.floats(0.0, 2e4))


# ----------------------------------------------------------------------------- the specs
@dataclasses.dataclass(frozen=True)
class Spec:
    """How to call a function: arguments that work and the kind of each checked argument."""

    function: Callable[..., Any]
    good: Mapping[str, Any]
    kinds: Mapping[str, Kind]
    #: False for loaders of tables in which a missing figure is NaN by design.
    numeric: bool = True


def _factor_kinds(codes: tuple[str, ...]) -> dict[str, Kind]:
    return {"decay": choice_kind(threat.DECAYS), "lambda_km": POSITIVE,
            "miles_per_day": POSITIVE, "nuclear_bonus": UNIT, "default_intent": UNIT,
            "allied_intent": or_none(UNIT), "scale": choice_kind(("dyadic", "max")),
            "states": FRAME, "borders": FRAME, "coded_intentions": FRAME,
            "intent_coding": or_none(CODING)}


def _pairs() -> pd.DataFrame:
    return threat.all_pairs_factors(**TOY)


SCORE_KINDS = {"weights": WEIGHTS, "method": choice_kind(threat.AGGREGATIONS),
               "eps": Kind(number_kind(0.0, 1.0, open_low=True).bad | st.just(1.0),
                           st.floats(1e-6, 0.5))}
TIER_INPUTS = {name: UNIT for name in tiers.INPUTS}
STRATEGY_FLAGS = ("partner_available", "partner_can_dominate", "buck_catcher_available")

SPECS: dict[str, Spec] = {
    "threat.threat_to": Spec(threat.threat_to, {"observer": "AAA", **TOY}, {
        "observer": OBSERVER, "sources": codes_kind(TOY_CODES),
        "intentions": INTENTIONS, **_factor_kinds(TOY_CODES), **SCORE_KINDS}),
    "threat.threat_factors": Spec(threat.threat_factors, {"observer": "AAA", **TOY}, {
        "observer": OBSERVER, "sources": codes_kind(TOY_CODES),
        "intentions": INTENTIONS, **_factor_kinds(TOY_CODES)}),
    "threat.all_pairs_factors": Spec(threat.all_pairs_factors, dict(TOY),
                                     _factor_kinds(TOY_CODES)),
    "threat.weight_sensitivity": Spec(
        threat.weight_sensitivity, {"observer": "AAA", "n_draws": 20, **TOY},
        {"observer": OBSERVER, "n_draws": integer_kind(1),
         "seed": integer_kind(0, good_high=2**40), "concentration": POSITIVE,
         "method": SCORE_KINDS["method"], "eps": SCORE_KINDS["eps"],
         "sources": codes_kind(TOY_CODES), "lambda_km": POSITIVE}),
    "threat.all_pairs_monte_carlo": Spec(
        threat.all_pairs_monte_carlo, {"n_draws": 20, "factors": "pairs"},
        {"n_draws": integer_kind(1), "seed": integer_kind(0, good_high=2**40),
         "concentration": POSITIVE, "method": SCORE_KINDS["method"],
         "eps": SCORE_KINDS["eps"], "chunk_size": integer_kind(1, good_high=50), "summary": FLAG,
         "factors": FRAME}),
    "threat.compare_codings": Spec(
        threat.compare_codings, {"observer": "AAA", **TOY},
        {"observer": OBSERVER, "sources": codes_kind(TOY_CODES),
         "before": Kind(CODING.bad, st.just("2023")), "after": Kind(CODING.bad, st.just("2026-12")),
         "method": SCORE_KINDS["method"], "weights": WEIGHTS, "lambda_km": POSITIVE}),
    "threat.threat_score": Spec(threat.threat_score, {"factors": ONE_FACTOR_ROW},
                                {"factors": FRAME, **SCORE_KINDS}),
    "threat.threat_breakdown": Spec(threat.threat_breakdown, {"factors": ONE_FACTOR_ROW},
                                    {"factors": FRAME, **SCORE_KINDS}),
    "threat.capability_factor": Spec(
        threat.capability_factor, {"milex": [3.0, 1.0, 2.0], "nuclear_armed": [True, False, False]},
        {"milex": MILEX, "nuclear_armed": NUCLEAR, "nuclear_bonus": UNIT}),
    "threat.proximity_factor": Spec(
        threat.proximity_factor, {"distance_km": 500.0, "power_share": 0.2, "decay": "bdm"},
        {"distance_km": DISTANCES, "power_share": SHARE,
         "decay": choice_kind(threat.DECAYS), "lambda_km": POSITIVE,
         "miles_per_day": POSITIVE}),
    "threat.is_nuclear_armed": Spec(threat.is_nuclear_armed, {"status": "x"},
                                    {"status": STATUS}),
    "threat.cinc": Spec(threat.cinc, {"components": COMPONENTS}, {"components": FRAME}),
    "threat.power_index": Spec(threat.power_index, {"states": TOY_STATES}, {"states": FRAME}),
    "tiers.choose_tier": Spec(tiers.choose_tier, {k: 0.5 for k in tiers.INPUTS},
                              {**TIER_INPUTS, "weights": TIER_WEIGHTS, "table": TIER_TABLE}),
    "tiers.choose_strategy": Spec(
        tiers.choose_strategy,
        {"threat": 0.5, "capability": 0.5, "resolve": 0.5, **dict.fromkeys(STRATEGY_FLAGS, True)},
        {"threat": UNIT, "capability": UNIT, "resolve": UNIT, "self_reliance": or_none(UNIT),
         **dict.fromkeys(STRATEGY_FLAGS, FLAG),
         "thresholds": Kind(st.sampled_from([5, "x", {"a": 1}]), st.just(None))}),
    "tiers.decision_grid": Spec(
        tiers.decision_grid,
        {"threat_values": [0.2, 0.8], "autonomy_values": [0.1, 0.9], "self_reliance": 0.2,
         "entrapment": 0.3, "dominance": 0.2},
        {"threat_values": UNIT_ARRAY, "autonomy_values": UNIT_ARRAY, "self_reliance": UNIT,
         "entrapment": UNIT, "dominance": UNIT, "weights": TIER_WEIGHTS, "table": TIER_TABLE}),
    "tiers.decision_frame": Spec(
        tiers.decision_frame,
        {"threat_values": [0.2, 0.8], "autonomy_values": [0.1, 0.9], "self_reliance": 0.2,
         "entrapment": 0.3, "dominance": 0.2},
        {"threat_values": UNIT_ARRAY, "autonomy_values": UNIT_ARRAY, "self_reliance": UNIT,
         "weights": TIER_WEIGHTS, "table": TIER_TABLE}),
    "tiers.tier_for_ratio": Spec(
        tiers.tier_for_ratio, {"ratio": 1.1},
        {"ratio": Kind(NOT_NUMBERS | st.just(math.nan) | st.floats(max_value=-1e-9),
                       st.floats(0.0, 100.0)), "table": TIER_TABLE}),
    "tiers.check_tier_table": Spec(tiers.check_tier_table, {}, {"table": TIER_TABLE}),
    "tiers.tier_table": Spec(tiers.tier_table, {}, {"table": TIER_TABLE}),
    "tiers.reference_check": Spec(tiers.reference_check, {},
                                  {"weights": TIER_WEIGHTS, "table": TIER_TABLE}),
    "tiers.reference_cases": Spec(tiers.reference_cases, {}, {}),
    "geo.great_circle_km": Spec(
        geo.great_circle_km, {"lat1": 10.0, "lon1": 20.0, "lat2": -5.0, "lon2": 100.0},
        {"lat1": number_kind(-90.0, 90.0, arrays=True),
         "lon1": number_kind(-180.0, 180.0, arrays=True),
         "lat2": number_kind(-90.0, 90.0, arrays=True),
         "lon2": number_kind(-180.0, 180.0, arrays=True)}),
    "geo.exponential_decay": Spec(geo.exponential_decay, {"distance_km": 100.0,
                                                          "lambda_km": 2000.0},
                                  {"distance_km": DISTANCES, "lambda_km": POSITIVE}),
    "geo.bdm_exponent": Spec(geo.bdm_exponent, {"distance_km": 100.0},
                             {"distance_km": DISTANCES, "miles_per_day": POSITIVE}),
    "geo.bdm_discount": Spec(geo.bdm_discount, {"share": 0.2, "distance_km": 100.0},
                             {"share": SHARE,
                              "distance_km": DISTANCES, "miles_per_day": POSITIVE}),
    "geo.capital_distance_matrix": Spec(
        geo.capital_distance_matrix, {"states": TOY_STATES, "contiguity": True,
                                      "borders": TOY_BORDERS},
        {"states": FRAME, "contiguity": FLAG, "borders": FRAME}),
    "datasets.check_state_code": Spec(datasets.check_state_code, {"code": "ISR"},
                                      {"code": code_kind(REAL_CODES)}),
    "datasets.neighbours": Spec(datasets.neighbours, {"iso3": "ISR"},
                                {"iso3": code_kind(REAL_CODES)}),
    "datasets.table_columns": Spec(datasets.table_columns, {"filename": "states.csv"},
                                   {"filename": choice_kind(tuple(sorted(datasets.SCHEMAS)))}),
    "datasets.load_table": Spec(
        datasets.load_table,
        {"source": datasets.loaders._data_file("borders.csv"),
         "schema": datasets.SCHEMAS["borders.csv"]},
        {"schema": SCHEMA, "source": Kind(st.sampled_from([5, None, "/no/such/file.csv"]),
                                          st.nothing()),
         "codes": Kind(st.sampled_from([5, "ISR", True]), st.nothing())}, numeric=False),
    "datasets.load_intentions": Spec(datasets.load_intentions, {}, {"coding": or_none(CODING)},
                                     numeric=False),
    "datasets.intentions_as_of": Spec(
        datasets.intentions_as_of, {"table": TOY_CODED, "coding": "2026-12"},
        {"table": FRAME, "coding": CODING}, numeric=False),
    **{f"datasets.{name}": Spec(getattr(datasets, name), {}, {}, numeric=False)
       for name in ("load_states", "load_borders", "load_timeline", "load_sources",
                    "state_codes")},
    "datasets.content_date": Spec(datasets.content_date, {}, {}),
    "datasets.format_date": Spec(
        datasets.format_date, {"day": datetime.date(2026, 12, 6)},
        {"day": Kind(st.sampled_from(["2026-12-06", 20261206, None, (2026, 12, 6), True]),
                     st.dates())}),
    "datasets.unsourced_recent_rows": Spec(
        datasets.unsourced_recent_rows,
        {"rows": [{"date": "2024-05", "event": "E", "source_type": "newspaper"}]},
        {"rows": Kind(st.sampled_from([5, None, "2024: E", {"date": "2024"}, [5], [None],
                                       [{"date": "2024", "event": "E"}],
                                       [{"date": "May 2024", "event": "E",
                                         "source_type": "wire"}]]),
                      st.lists(st.fixed_dictionaries({
                          "date": st.sampled_from(["2023", "2024-05", "2026-06-26"]),
                          "event": st.just("E"),
                          "source_type": st.sampled_from(["newspaper", "aggregator"])}),
                          min_size=1, max_size=3))}, numeric=False),
}


def _public_functions() -> list[str]:
    return sorted(f"{m.__name__.split('.')[-1]}.{name}" for m in MODULES for name in m.__all__
                  if inspect.isfunction(getattr(m, name)))


def _call(spec: Spec, **changes: Any) -> Any:
    arguments = {**spec.good, **changes}
    if isinstance(arguments.get("factors"), str) and arguments["factors"] == "pairs":
        arguments["factors"] = _pairs()
    return spec.function(**arguments)


BAD_CASES = [(name, argument) for name, spec in SPECS.items() for argument in spec.kinds]
GOOD_CASES = [name for name, spec in SPECS.items()
              if any(not kind.good.is_empty for kind in spec.kinds.values()) or not spec.kinds]


# ----------------------------------------------------------------------------- the tests
def test_every_public_function_is_fuzzed():
    assert _public_functions() == sorted(SPECS), "add a Spec for each new public function"


def test_every_checked_argument_is_a_real_parameter():
    for name, spec in SPECS.items():
        parameters = inspect.signature(spec.function).parameters
        takes_any = any(p.kind is p.VAR_KEYWORD for p in parameters.values())
        for argument in (*spec.good, *spec.kinds):
            assert argument in parameters or takes_any, f"{name} has no argument {argument}"


@pytest.mark.parametrize(("name", "argument"), BAD_CASES)
@FUZZ
@given(data=st.data())
def test_bad_values_raise_a_one_line_value_error_naming_the_argument(name, argument, data):
    spec = SPECS[name]
    bad = data.draw(spec.kinds[argument].bad, label=argument)
    with pytest.raises(ValueError) as info:
        _call(spec, **{argument: bad})
    message = str(info.value)
    assert "\n" not in message
    expected = {"iso3": "iso3", "code": "observer"}.get(argument, argument)
    named = expected in message or (argument == "weights" and "weights" in message)
    assert named, f"{name}({argument}={bad!r}): {message}"


def _finite(result: Any) -> bool:
    """Numbers finite; a tier ratio may be inf (documented: security is free when K = 0)."""
    if isinstance(result, bool | str | frozenset | tuple | datetime.date):
        return True
    if isinstance(result, float | int | np.floating | np.integer):
        return math.isfinite(float(result))
    if isinstance(result, np.ndarray):
        return bool(np.isfinite(result.astype(float)).all())
    if isinstance(result, pd.Series):
        result = result.to_frame()
    if isinstance(result, pd.DataFrame):
        numbers = result.select_dtypes("number").to_numpy(dtype=float)
        return bool(np.isfinite(numbers).all())
    if dataclasses.is_dataclass(result):
        values = [getattr(result, f.name) for f in dataclasses.fields(result)]
        return not any(isinstance(v, float) and math.isnan(v) for v in values)
    return False


@pytest.mark.parametrize("name", GOOD_CASES)
@FUZZ
@given(data=st.data())
def test_good_values_give_finite_results(name, data):
    spec = SPECS[name]
    changes = {argument: data.draw(kind.good, label=argument)
               for argument, kind in spec.kinds.items() if not kind.good.is_empty}
    result = _call(spec, **changes)
    if spec.numeric:
        assert _finite(result), f"{name}({changes}) gave {result!r}"
    else:
        assert len(result) > 0
