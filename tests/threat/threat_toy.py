"""The toy world of the threat tests: four states on the equator, one without spending."""

from __future__ import annotations

import numpy as np
import pandas as pd


def toy_states() -> pd.DataFrame:
    """Four states on the equator; DDD has no military-expenditure figure."""
    return pd.DataFrame(
        {
            "name": ["Aland", "Bland", "Cland", "Dland"],
            "lat": [0.0, 0.0, 0.0, 0.0],
            "lon": [0.0, 10.0, 40.0, 5.0],
            "milex_usd_2022": [1e9, 4e9, 2e9, np.nan],
            "armed_forces_personnel": [1e4, 5e4, 2e4, 1e4],
            "population_2022": [1e7, 2e7, 1e7, 1e7],
            "gdp_usd_2022": [1e11, 2e11, 1e11, 1e11],
            "nuclear_status": [
                "NPT non-nuclear-weapon state",
                "NPT non-nuclear-weapon state",
                "NPT nuclear-weapon state",
                "NPT non-nuclear-weapon state",
            ],
        },
        index=pd.Index(["AAA", "BBB", "CCC", "DDD"], name="iso3"),
    )


def toy_kwargs(**extra):
    kwargs = {
        "states": toy_states(),
        "borders": pd.DataFrame({"iso3_a": ["AAA"], "iso3_b": ["CCC"]}),
        "coded_intentions": pd.DataFrame(
            {"observer": ["AAA", "BBB"], "source": ["CCC", "AAA"], "score": [0.6, 0.9]}
        ),
    }
    kwargs.update(extra)
    return kwargs


FULL = {"power": 0.8, "proximity": 0.5, "capability": 0.6, "intent": 0.2}
