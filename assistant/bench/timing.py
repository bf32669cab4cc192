"""Small timing helpers: a monotonic stopwatch and percentile summaries in milliseconds."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager


def percentile(values: Sequence[float], p: float) -> float:
    """Linear-interpolated percentile (``p`` in 0..1); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summarize(values_ms: Sequence[float]) -> dict[str, float]:
    """n, p50, p95, max and mean of a list of durations in milliseconds."""
    n = len(values_ms)
    return {
        "n": float(n),
        "p50": round(percentile(values_ms, 0.5), 2),
        "p95": round(percentile(values_ms, 0.95), 2),
        "max": round(max(values_ms), 2) if n else 0.0,
        "mean": round(sum(values_ms) / n, 2) if n else 0.0,
    }


@contextmanager
def stopwatch(sink: list[float]) -> Iterator[None]:
    """Append the elapsed wall time of the block (ms) to ``sink``."""
    t0 = time.perf_counter()
    try:
        yield
    finally:
        sink.append((time.perf_counter() - t0) * 1000)


def ms_since(t0: float) -> float:
    return (time.perf_counter() - t0) * 1000
