"""Compare one observer's threat ranking under two dated codings of offensive intentions.

The intentions table has a ``2023`` coding (the paper's view) and a ``2026-12`` coding (the
course's view after the events since the paper). :func:`compare_codings` scores the same
sources with the same weights, aggregation and data under both, so every difference in the
result comes from the recoded intentions alone.

Examples
--------
>>> table = compare_codings("ISR", ["IRN", "SYR", "TUR"])
>>> list(table.columns)  # doctest: +NORMALIZE_WHITESPACE
['name', 'intent_2023', 'intent_2026-12', 'threat_2023', 'threat_2026-12', 'rank_2023',
 'rank_2026-12', 'rank_change']
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from course_lib import _validate, datasets
from course_lib.threat._inputs import _check_keywords
from course_lib.threat.score import threat_to

__all__ = ["compare_codings"]


def compare_codings(
    observer: str,
    sources: Iterable[str] | None = None,
    *,
    before: str = "2023",
    after: str = "2026-12",
    **threat_kwargs: Any,
) -> pd.DataFrame:
    """Threat ranking of ``observer`` under two codings of intentions, side by side.

    Both rankings are computed by :func:`threat_to` with the same keywords; only
    ``intent_coding`` differs (``before`` and ``after``). Power, proximity and capability are
    the same in both, so a source moves only because its coded intent, or another source's,
    changed.

    Parameters
    ----------
    observer : str
        ISO3 code of the observer (e.g. ``"ISR"``).
    sources : list of str, optional
        The sources to rank, as for :func:`threat_to`; default all other states.
    before, after : {"2023", "2026-12"}, default "2023" and "2026-12"
        The two codings to compare (:data:`course_lib.datasets.INTENTION_CODINGS`); they must
        differ.
    **threat_kwargs
        Any other keyword of :func:`threat_to` (``weights``, ``method``, ``decay``,
        ``intentions``, ``scale``, ...), applied to both rankings.

    Returns
    -------
    pandas.DataFrame
        Indexed by source, ordered as the ``after`` ranking (unranked sources last), with the
        columns ``name``, ``intent_<before>``, ``intent_<after>``, ``threat_<before>``,
        ``threat_<after>``, ``rank_<before>``, ``rank_<after>`` and ``rank_change``
        (``rank_<before> - rank_<after>``: positive means the source climbed, i.e. became a
        greater threat relative to the others; ``<NA>`` where a source is unranked).

    Raises
    ------
    ValueError
        If ``before`` or ``after`` is not a known coding, if they are equal, if
        ``intent_coding`` is passed (use ``before`` and ``after``), or for any error of
        :func:`threat_to`.

    Examples
    --------
    >>> t = compare_codings("ISR", ["IRN", "SYR", "TUR", "YEM"])
    >>> t[["intent_2023", "intent_2026-12", "rank_2023", "rank_2026-12", "rank_change"]]
            intent_2023  intent_2026-12  rank_2023  rank_2026-12  rank_change
    source
    IRN             0.9             1.0          1             1            0
    TUR             0.3             0.5          2             2            0
    SYR             0.6             0.3       <NA>          <NA>         <NA>
    YEM             0.3             0.7       <NA>          <NA>         <NA>

    (Syria and Yemen have no SIPRI spending figure, so they get no threat score in either
    coding; their intents still show how the coding changed.)
    """
    codings = datasets.INTENTION_CODINGS
    before = _validate.choice(before, "before", codings)
    after = _validate.choice(after, "after", codings)
    if before == after:
        raise ValueError(f"before and after must be two different codings, got {before!r} twice")
    if "intent_coding" in threat_kwargs:
        raise ValueError("intent_coding must not be given to compare_codings: "
                         "pass the two codings as before= and after=")
    _check_keywords(threat_kwargs, threat_to, taken=("observer", "sources"))
    old = threat_to(observer, sources, intent_coding=before, **threat_kwargs)
    new = threat_to(observer, sources, intent_coding=after, **threat_kwargs)
    old = old.reindex(new.index)
    return pd.DataFrame(
        {
            "name": new["name"],
            f"intent_{before}": old["intent"],
            f"intent_{after}": new["intent"],
            f"threat_{before}": old["threat"],
            f"threat_{after}": new["threat"],
            f"rank_{before}": old["rank"],
            f"rank_{after}": new["rank"],
            "rank_change": old["rank"] - new["rank"],
        },
        index=new.index,
    )
