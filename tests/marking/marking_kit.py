"""What the marking tests' submissions answer (not a test module)."""

from __future__ import annotations

LONG = ("Russia's bases at Tartus and its air group in Syria put the same challenger on both "
        "the eastern and the southern flank. ") * 10
ANSWERS = {
    "ann lee": {"q6": LONG},
    "bo": {"q6": "Too short <script>alert(1)</script> & done."},
    "chen": {"q6": LONG + " Madrid 2022."},
    "dara": None,  # a blank submission: nothing answered
}
