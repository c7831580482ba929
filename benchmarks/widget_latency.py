"""Time widget updates in the kernel: from ``control.value = x`` to the end of the observer.

For each composite of :mod:`course_lib.widgets`, the script makes 50 value changes of its main
control (alternating between two values, after one warm-up change) and times each with
:func:`time.perf_counter`. Observers run synchronously, so the assignment returns only after
the model call, the artist updates and the PNG render are done. It prints the median and the
95th percentile of the wall-clock time per widget, in milliseconds, and the median CPU time of
the process (:func:`time.process_time`), which other programs on a shared machine do not
inflate. This is the kernel's share of what a learner waits for; the whole wait, from a key
press to the new figure painted in Chromium, is measured by ``widget_latency_browser.py``
(target: a median of at most 100 ms for every control).

Run with ``.venv/bin/python benchmarks/widget_latency.py``.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

from course_lib import widgets

N_CHANGES = 50


def _time_changes(setter: Callable[[Any], None], a: Any, b: Any, n: int = N_CHANGES
                  ) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of ``n`` alternating changes (after one warm-up)."""
    setter(b)  # warm-up (caches, font loading)
    wall, cpu = [], []
    for i in range(n):
        value = a if i % 2 == 0 else b
        start, start_cpu = time.perf_counter(), time.process_time()
        setter(value)
        wall.append((time.perf_counter() - start) * 1000.0)
        cpu.append((time.process_time() - start_cpu) * 1000.0)
    return wall, cpu


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    """Build every widget, poke its main control 50 times, print median and p95 (ms)."""
    cases: list[tuple[str, Any, Any, Any]] = []
    w = widgets.threat_explorer("ISR")
    cases.append(("threat_explorer: intent weight", w.intent_weight, 0.5, 1.5))
    cases.append(("threat_explorer: aggregation", w.method, "geometric", "additive"))
    w.intent_source.value = "IRN"
    cases.append(("threat_explorer: intent coding (Iran)", w.intent_score, 0.5, 0.9))
    w = widgets.tier_decision_map()
    cases.append(("tier_decision_map: threat", w.threat, 0.3, 0.9))
    cases.append(("tier_decision_map: self-reliance (regions)", w.self_reliance, 0.2, 0.6))
    w = widgets.timeline_explorer()
    lo, hi = w.years.min, w.years.max
    cases.append(("timeline_explorer: years", w.years, (lo, hi), (1990, 2010)))
    w = widgets.strategy_chooser()
    cases.append(("strategy_chooser: threat", w.threat, 0.1, 0.9))
    w = widgets.sensitivity_explorer("ISR")
    cases.append(("sensitivity_explorer: concentration", w.concentration, 1.0, 10.0))
    cases.append(("sensitivity_explorer: observer", w.observer, "MAR", "ISR"))
    q = widgets.quiz([{"prompt": "p", "options": ["a", "b"], "answer": 0, "explanation": "e"}])
    cases.append(("quiz: answer", q.choices[0], 0, 1))

    print(f"{'widget: control':48s} {'median ms':>10s} {'p95 ms':>8s} {'CPU median':>11s}"
          f"   ({N_CHANGES} changes)")
    for label, control, a, b in cases:
        wall, cpu = _time_changes(lambda v, c=control: setattr(c, "value", v), a, b)
        print(f"{label:48s} {statistics.median(wall):10.2f} {_p95(wall):8.2f} "
              f"{statistics.median(cpu):11.2f}")


if __name__ == "__main__":
    main()
