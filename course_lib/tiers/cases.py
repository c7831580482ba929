"""Reference cases: stylised judgements of the course, and a check against the model.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

import pandas as pd

from course_lib.tiers.choice import choose_tier
from course_lib.tiers.parameters import CostWeights

__all__ = ['REFERENCE_CASES', 'ReferenceCase', 'reference_cases', 'reference_check']

# ---------------------------------------------------------------------------------------------
# Reference cases (stylised judgements of the course, not measurements)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferenceCase:
    """A stylised input profile with the tier the course expects, and why."""

    case: str
    description: str
    threat: float
    self_reliance: float
    autonomy: float
    entrapment: float
    dominance: float
    expected_tier: str
    justification: str


#: Stylised profiles anchoring the default parameters. The inputs are the course's judgements
#: for teaching, not measurements; students are invited to dispute them.
REFERENCE_CASES: tuple[ReferenceCase, ...] = (
    ReferenceCase(
        "eastern_flank_ally",
        "A NATO member on the eastern flank facing Russia (e.g. a Baltic state)",
        0.90, 0.15, 0.30, 0.30, 0.20,
        "alliance",
        "A large, near, proven threat that small forces cannot meet alone outweighs modest "
        "worries about autonomy: Article 5 is worth its constraints.",
    ),
    ReferenceCase(
        "med_dialogue_partner",
        "A Mediterranean Dialogue state such as Jordan or Morocco",
        0.60, 0.30, 0.60, 0.25, 0.30,
        "partnership",
        "Spill-over, terrorism and regional rivals create real need, but the state guards its "
        "freedom of decision, so it takes support short of a defence treaty.",
    ),
    ReferenceCase(
        "israel",
        "Israel as the paper describes it",
        0.95, 0.50, 0.90, 0.35, 0.05,
        "partnership",
        "High threat (Iran and its proxies) met largely alone, a very high value on freedom of "
        "decision and fear of entanglement with Russia and China; NATO does not seek to "
        "dominate it, so a close partnership short of membership fits.",
    ),
    ReferenceCase(
        "gulf_ici_partner",
        "A Gulf state in the Istanbul Cooperation Initiative (e.g. Kuwait or the UAE)",
        0.70, 0.35, 0.70, 0.30, 0.25,
        "partnership",
        "Exposed to Iranian missiles and drones with small forces of its own, yet unwilling to "
        "be bound by a treaty; practical cooperation without guarantees suits it.",
    ),
    ReferenceCase(
        "coalition_contributor",
        "A non-NATO contributor to one operation (e.g. Operation Unified Protector, 2011)",
        0.40, 0.50, 0.50, 0.20, 0.10,
        "ad_hoc",
        "A moderate, indirect threat half met by its own means: enough to join one operation "
        "with a limited aim, not enough to justify a standing commitment.",
    ),
    ReferenceCase(
        "distant_state",
        "A distant state with little threat",
        0.10, 0.60, 0.60, 0.30, 0.30,
        "none",
        "Almost no need for outside support, so no commitment is worth any loss of autonomy.",
    ),
)


def reference_cases() -> pd.DataFrame:
    """Return the reference cases as a DataFrame (one row per case).

    Examples
    --------
    >>> reference_cases()[["case", "expected_tier"]].head(3)
                       case expected_tier
    0    eastern_flank_ally      alliance
    1  med_dialogue_partner   partnership
    2                israel   partnership
    """
    return pd.DataFrame([{f.name: getattr(rc, f.name) for f in fields(rc)}
                         for rc in REFERENCE_CASES])


def reference_check(
    weights: Mapping[str, float] | CostWeights | None = None, table: Any = None
) -> pd.DataFrame:
    """Run every reference case and compare the obtained tier with the expected one.

    Parameters
    ----------
    weights, table
        As in :func:`choose_tier`; change them to see which cases stop reproducing.

    Returns
    -------
    pandas.DataFrame
        Columns ``case, expected_tier, obtained_tier, match, need, cost, ratio, nearest_flip``.

    Examples
    --------
    >>> reference_check()["match"].all()
    np.True_
    >>> reference_check(weights={"autonomy": 1, "entrapment": 0, "dominance": 0}).loc[
    ...     2, ["case", "obtained_tier"]].tolist()
    ['israel', 'ad_hoc']
    """
    rows = []
    for rc in REFERENCE_CASES:
        c = choose_tier(rc.threat, rc.self_reliance, rc.autonomy, rc.entrapment, rc.dominance,
                        weights=weights, table=table)
        flip = c.closest_flip()
        rows.append(
            {
                "case": rc.case,
                "expected_tier": rc.expected_tier,
                "obtained_tier": c.tier,
                "match": c.tier == rc.expected_tier,
                "need": c.need,
                "cost": c.cost,
                "ratio": c.ratio,
                "nearest_flip": "" if flip is None
                else f"{flip[0]} {flip[1]} {flip[2]:.3f} -> {flip[3]}",
            }
        )
    return pd.DataFrame(rows)


