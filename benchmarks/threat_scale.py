"""Time the all-pairs Monte Carlo over threat weights (one thread).

Builds the factor tensor for every ordered pair of the course's states once, then times
:func:`course_lib.threat.all_pairs_monte_carlo` for 10,000 Dirichlet weight draws with both
aggregation methods (best of 5, ``time.perf_counter``). Run with::

    .venv/bin/python benchmarks/threat_scale.py
"""

from __future__ import annotations

import os

# Pin BLAS/OpenMP to one thread before numpy is imported.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import time  # noqa: E402

from course_lib import threat  # noqa: E402

N_DRAWS = 10_000
REPEATS = 5


def best_of(repeats: int, func, *args, **kwargs) -> float:
    """Best wall-clock time in seconds over ``repeats`` calls."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        func(*args, **kwargs)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    start = time.perf_counter()
    pairs = threat.all_pairs_factors()
    build = time.perf_counter() - start
    timings = {
        method: best_of(REPEATS, threat.all_pairs_monte_carlo, N_DRAWS, seed=0, method=method,
                        factors=pairs)
        for method in threat.AGGREGATIONS
    }
    parts = [f"all ordered pairs: {len(pairs)}", f"weight draws: {N_DRAWS}"]
    parts += [f"{m}: {seconds:.3f} s (best of {REPEATS})" for m, seconds in timings.items()]
    print("; ".join(parts))
    print(f"factor tensor build (once): {build:.3f} s")


if __name__ == "__main__":
    main()
