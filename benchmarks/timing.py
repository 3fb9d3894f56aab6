"""Small timing helpers shared by the benchmark sections."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def time_calls(function: Callable[[], object], repeats: int = 21, warmup: int = 2) -> dict[str, float]:
    """Median, p90 and min wall time of ``function()`` in milliseconds over ``repeats`` calls."""
    for _ in range(warmup):
        function()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        samples.append(1000 * (time.perf_counter() - started))
    return summarize_ms(samples)


def summarize_ms(samples: list[float]) -> dict[str, float]:
    """Median, p90, min and max of a list of millisecond samples."""
    ordered = sorted(samples)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return {
        "median_ms": round(statistics.median(ordered), 3),
        "p90_ms": round(p90, 3),
        "min_ms": round(ordered[0], 3),
        "max_ms": round(ordered[-1], 3),
        "n": len(ordered),
    }
