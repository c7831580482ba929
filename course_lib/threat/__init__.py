"""Balance-of-threat scoring after Walt (1985): CINC, four factors, aggregation, sensitivity.

Walt (1985; 1987) argues that states balance against *threats* rather than against power
alone, and names four sources of threat: aggregate power, geographic proximity, offensive
capabilities and offensive intentions. Walt gives **no functional form** for combining them.
Everything below that turns his four sources into numbers is a modelling choice made by this
course. Each choice is listed here so that students can see it, question it and change it.

Modelling choices
-----------------
1. **Power** (:func:`power_index`). The course's own CINC-style index for 2022. It is *not* the
   Correlates of War CINC. For each state it is the mean, over the components the state has,
   of its share of the **55-state course set** (not of the world) in military expenditure
   (SIPRI, current US$, 2022), armed forces personnel (World Bank / IISS, 2020), population
   (World Bank, 2022) and GDP (World Bank, current US$, 2022). GDP stands in for the industrial
   components (iron and steel, energy) that COW uses, and which the course does not have for
   2022. The power *factor* puts the index on [0, 1] as set by ``scale`` (item 7): by default
   the source's share of the dyad's combined index, ``s / (s + o)``.
2. **Proximity** (:func:`proximity_factor`). Capital-to-capital great-circle distance, a
   common proxy in quantitative conflict studies; Gleditsch & Ward (2001) point out that
   distances between capitals overstate the distance between states' borders, above all for
   large states, and built a minimum-distance database instead. States sharing a land border
   count as distance 0 (Bennett & Stam 2000), which removes the worst of that bias for
   neighbours. The distance becomes a factor through a loss-of-strength gradient (Boulding 1962):
   ``decay="exponential"`` gives ``exp(-d / lambda_km)``; ``decay="bdm"`` gives the share of
   the Bueno de Mesquita (1981) discounted power that survives the trip, relative to the power
   at home, ``bdm_discount(s, d) / bdm_discount(s, 0) = s ** (E(d) - E(0))`` with ``s`` the
   source's raw power share. Both give 1 at distance 0 and fall with distance; under ``bdm``
   strong states lose less with distance than weak ones.
3. **Offensive capability**. Military expenditure on [0, 1] as set by ``scale`` (item 7; by
   default the dyadic ratio ``m_s / (m_s + m_o)``), mixed with a nuclear modifier:
   ``(1 - nuclear_bonus) * spend + nuclear_bonus * nuclear_armed``
   (:func:`capability_factor` is the ``scale="max"`` version).
   "Nuclear-armed" means an NPT nuclear-weapon state or a state estimated to hold weapons
   outside the NPT (Israel, on the Bulletin of the Atomic Scientists estimates; Israel neither
   confirms nor denies). Hosts of US weapons under NATO nuclear sharing are **not** counted:
   the weapons stay in US custody. Spending is a crude proxy: it ignores force posture and
   whether forces are offensive or defensive, which Walt stresses.
4. **Offensive intentions**. No dataset measures them. The course uses a small, hand-coded,
   dyadic table (:func:`course_lib.datasets.load_intentions`) with a reason and a citation on
   every row, which the user can override per source. Dyads the table does not code get
   ``default_intent`` (0.1 by default; uncoded dyads of two NATO allies get ``allied_intent``,
   0.02 by default): low, but not zero, because a missing coding is not
   evidence of benign intent. The column ``intent_basis`` says, for each row, whether the value
   was ``"coded"``, ``"override"`` or ``"default"``. Quantitative alternatives exist (UN-voting
   ideal points, Bailey, Strezhnev & Voeten 2017; dispute history; rivalry codings). The table
   is dated: ``intent_coding="2023"`` (the default) is the paper's view, ``"2026-12"`` the
   course's coding after the events since the paper, and :func:`compare_codings` sets the two
   rankings side by side.
5. **Weights**. Equal by default (:data:`DEFAULT_WEIGHTS`): Walt ranks none of his four sources
   above the others, so equal weights are the neutral starting point, not a finding.
6. **Aggregation** (:data:`AGGREGATIONS`). ``"additive"`` (compensatory,
   ``sum w f / sum w``): high power can make up for benign intent. ``"geometric"``
   (non-compensatory, ``prod max(f, eps) ** (w / sum w)``): a factor near 0 drags the whole
   score near 0, which is closer to Walt's claim that power without hostile intent is not much
   of a threat. This is the compensability question of composite indicators (OECD/JRC 2008).
7. **Scale** (``scale``). Threat is relational: what matters to an observer is a source's
   strength relative to its own. By default (``scale="dyadic"``) power and capability are the
   source's share of the dyad's combined amount, ``s / (s + o)`` (the capability-ratio idea of
   the dyadic conflict literature, e.g. Bremer 1992), so 0.5 means parity. With
   ``scale="max"`` they are divided by the largest value in the set instead; because US
   military spending is more than a third of the 55-state total, regional powers then score
   close to 0 on capability (Iran about 0.01 before the nuclear modifier), which matters a
   great deal under the geometric rule. Comparing the two is a good exercise: the choice of
   scale is a modelling decision, not a finding about the Middle East.
8. **Missing data**. A missing figure is never guessed. A source whose military expenditure is
   missing (e.g. Syria, the UAE, Yemen and Libya in the SIPRI 2023 release) has no capability
   factor, so its threat is NaN, it gets no rank and it is listed last.

References
----------
Bailey, M. A., Strezhnev, A. & Voeten, E. (2017). "Estimating Dynamic State Preferences from
United Nations Voting Data." *Journal of Conflict Resolution* 61(2): 430-456.
Beckley, M. (2018). *Unrivaled: Why America Will Remain the World's Sole Superpower*. Cornell UP.
Bennett, D. S. & Stam, A. C. (2000). "Research Design and Estimator Choices in the Analysis of
Interstate Dyads." *Journal of Conflict Resolution* 44(5): 653-685.
Boulding, K. E. (1962). *Conflict and Defense: A General Theory*. New York: Harper.
Bremer, S. A. (1992). "Dangerous Dyads: Conditions Affecting the Likelihood of Interstate War,
1816-1965." *Journal of Conflict Resolution* 36(2): 309-341.
Bueno de Mesquita, B. (1981). *The War Trap*. New Haven: Yale University Press.
Carroll, R. J. & Kenkel, B. (2019). "Prediction, Proxies, and Power." *American Journal of
Political Science* 63(3): 577-593.
Gleditsch, K. S. & Ward, M. D. (2001). "Measuring Space." *Journal of Peace Research* 38(6).
OECD/JRC (2008). *Handbook on Constructing Composite Indicators: Methodology and User Guide*.
Singer, J. D., Bremer, S. & Stuckey, J. (1972). "Capability Distribution, Uncertainty, and
Major Power War, 1820-1965." In B. Russett (ed.), *Peace, War, and Numbers*. Beverly Hills: Sage.
Singer, J. D. (1987). "Reconstructing the Correlates of War Dataset on Material Capabilities of
States, 1816-1985." *International Interactions* 14(2): 115-132.
Walt, S. M. (1985). "Alliance Formation and the Balance of World Power." *International
Security* 9(4): 3-43. Walt, S. M. (1987). *The Origins of Alliances*. Cornell UP.

Modules
-------
- :mod:`~course_lib.threat.constants`    components, factors, default weights, aggregations, decays
- :mod:`~course_lib.threat.power`        CINC and the course's 2022 power index
- :mod:`~course_lib.threat.factors`      nuclear status, capability, dyadic ratios, proximity
- :mod:`~course_lib.threat.tables`       one observer's factor table (``threat_factors``)
- :mod:`~course_lib.threat.score`        weights, ``threat_score``, breakdowns, ``threat_to``
- :mod:`~course_lib.threat.sensitivity`  Monte Carlo over weights, one observer and all pairs
  (its inputs are checked in ``threat._inputs``)
- :mod:`~course_lib.threat.codings`      one observer's ranking under two dated intent codings
"""

from __future__ import annotations

from course_lib.threat.codings import compare_codings
from course_lib.threat.constants import (
    AGGREGATIONS,
    COMPONENTS,
    DECAYS,
    DEFAULT_WEIGHTS,
    FACTORS,
    MAX_PAIR_DRAWS,
    POWER_COMPONENTS,
)
from course_lib.threat.factors import capability_factor, is_nuclear_armed, proximity_factor
from course_lib.threat.power import cinc, power_index
from course_lib.threat.score import threat_breakdown, threat_score, threat_to
from course_lib.threat.sensitivity import (
    all_pairs_factors,
    all_pairs_monte_carlo,
    weight_sensitivity,
)
from course_lib.threat.tables import threat_factors

__all__ = [
    "AGGREGATIONS",
    "COMPONENTS",
    "DECAYS",
    "DEFAULT_WEIGHTS",
    "FACTORS",
    "MAX_PAIR_DRAWS",
    "POWER_COMPONENTS",
    "all_pairs_factors",
    "all_pairs_monte_carlo",
    "capability_factor",
    "cinc",
    "compare_codings",
    "is_nuclear_armed",
    "power_index",
    "proximity_factor",
    "threat_breakdown",
    "threat_factors",
    "threat_score",
    "threat_to",
    "weight_sensitivity",
]
