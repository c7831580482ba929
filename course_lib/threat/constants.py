"""Names shared by the threat model: components, factors, weights, aggregations, decays.

Examples
--------
>>> FACTORS
('power', 'proximity', 'capability', 'intent')
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ['AGGREGATIONS', 'COMPONENTS', 'DECAYS', 'DEFAULT_WEIGHTS', 'FACTORS', 'MAX_PAIR_DRAWS',
           'POWER_COMPONENTS']

#: The six COW National Material Capabilities components (Singer, Bremer & Stuckey 1972):
#: military expenditure, military personnel, iron and steel production, primary energy
#: consumption, total population, urban population.
COMPONENTS: tuple[str, ...] = ("milex", "milper", "irst", "pec", "tpop", "upop")

#: Walt's (1985) four sources of threat, in the order used for weight vectors.
FACTORS: tuple[str, ...] = ("power", "proximity", "capability", "intent")

#: Equal weights: Walt ranks none of the four sources above the others (a modelling choice).
DEFAULT_WEIGHTS: Mapping[str, float] = MappingProxyType({name: 1.0 for name in FACTORS})

#: Ways of combining the four factors: compensatory and non-compensatory.
AGGREGATIONS: tuple[str, ...] = ("additive", "geometric")

#: Loss-of-strength gradients available for the proximity factor.
DECAYS: tuple[str, ...] = ("exponential", "bdm")

#: How power and capability are put on [0, 1]: relative to the observer (``"dyadic"``) or
#: to the strongest state in the set (``"max"``).
SCALES: tuple[str, ...] = ("dyadic", "max")

#: Columns of the states table that make up the course's 2022 power index.
POWER_COMPONENTS: tuple[str, ...] = (
    "milex_usd_2022",
    "armed_forces_personnel",
    "population_2022",
    "gdp_usd_2022",
)

#: Most scores (pairs x draws) that :func:`all_pairs_monte_carlo` computes in one call. The cap
#: bounds both the memory of ``summary=False`` (8 bytes a score: 400 MB) and the run time
#: (about 5 s on one core); 55 states (2970 pairs) allow 16,835 draws.
MAX_PAIR_DRAWS: int = 50_000_000

_INTENT_BASES = ("coded", "override", "default")
