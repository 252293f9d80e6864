"""Timing and query counts of one scenario: warm-up, then the median and 95th percentile."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


@dataclass
class Result:
    name: str
    samples: list[float]  # ms, wall clock
    cpu: list[float]  # ms of this process's CPU time (Python's share; less hit by other load)
    queries: int
    slowest_sql: str
    slowest_ms: float
    target_ms: float | None

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)

    @property
    def p95(self) -> float:
        if len(self.samples) == 1:
            return self.samples[0]
        return statistics.quantiles(self.samples, n=100, method="inclusive")[94]

    @property
    def met(self) -> str:
        if self.target_ms is None:
            return ""
        return "met" if self.median <= self.target_ms else "NOT met"


def timed(run: Callable[[], Any]) -> tuple[float, float]:
    """The wall-clock and CPU milliseconds of one call."""
    started, cpu = time.perf_counter(), time.process_time()
    run()
    return (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000


def count_queries(run: Callable[[], Any]) -> tuple[int, list[dict[str, str]]]:
    """Run once; return the number of queries and the queries themselves."""
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured), captured.captured_queries


def measure(
    name: str,
    run: Callable[[], Any],
    *,
    warmup: int,
    runs: int,
    target_ms: float | None = None,
) -> Result:
    """Warm up, time `runs` calls, then count the queries of one more (not timed)."""
    for _ in range(warmup):
        run()
    samples = [timed(run) for _ in range(runs)]
    count, queries = count_queries(run)
    slowest = max(queries, key=lambda q: float(q["time"] or 0), default={"sql": "", "time": "0"})
    return Result(
        name=name,
        samples=[wall for wall, _cpu in samples],
        cpu=[cpu for _wall, cpu in samples],
        queries=count,
        slowest_sql=slowest["sql"],
        slowest_ms=float(slowest["time"] or 0) * 1000,
        target_ms=target_ms,
    )
