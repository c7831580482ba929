"""The coded-intentions input of the factor tables: one dated coding, one score per dyad.

Examples
--------
>>> table = pd.DataFrame({"observer": ["AAA"], "source": ["BBB"], "score": [0.4]})
>>> _coded_intentions(_intentions_for(table, None), pd.Index(["AAA", "BBB"]))
{('AAA', 'BBB'): 0.4}
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from course_lib import _validate, datasets
from course_lib.datasets.codings import _coding_rows

__all__: list[str] = []


def _coded_intentions(table: Any, codes: pd.Index) -> dict[tuple[str, str], float]:
    """The (observer, source) -> score map of a coded-intentions table; one row per dyad."""
    table = _validate.dataframe(table, "coded_intentions", ["observer", "source", "score"])
    coded: dict[tuple[str, str], float] = {}
    for observer, source, score in zip(
        table["observer"], table["source"], table["score"], strict=True
    ):
        if not (isinstance(observer, str) and isinstance(source, str)):
            continue
        if observer in codes and source in codes:
            if (observer, source) in coded:
                raise ValueError(
                    f"coded_intentions must have one row per dyad, got two rows for "
                    f"{observer}->{source} (drop one: which score should count?)"
                )
            coded[(str(observer), str(source))] = _validate.unit_interval(
                score, f"coded_intentions score for {observer}->{source}"
            )
    return coded


def _intentions_for(coded_intentions: Any, intent_coding: Any) -> Any:
    """The coded-intentions table for one dated coding (see ``threat_factors``)."""
    if intent_coding is not None:
        intent_coding = _validate.choice(intent_coding, "intent_coding",
                                         datasets.INTENTION_CODINGS)
    coding = datasets.DEFAULT_INTENTION_CODING if intent_coding is None else intent_coding
    if coded_intentions is None:
        return datasets.load_intentions(coding=coding)
    if isinstance(coded_intentions, pd.DataFrame) and "coding" in coded_intentions.columns:
        return _coding_rows(coded_intentions, coding, "coded_intentions")
    if intent_coding is not None:
        raise ValueError(
            f"intent_coding={intent_coding!r} picks rows of coded_intentions by its 'coding' "
            "column, which this table lacks: add the column or leave intent_coding unset"
        )
    return coded_intentions
