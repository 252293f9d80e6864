"""Weeks and months in Helsinki time, and which one a moment falls in, computed in SQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Case, F, Func, IntegerField, Value, When
from django.utils import timezone

from .types import TrendBy


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time()), timezone.get_default_timezone())


def _next_start(day: date, trend_by: TrendBy) -> date:
    if trend_by == "week":
        return day + timedelta(days=7)
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def period_starts(start: datetime, end: datetime, trend_by: TrendBy) -> list[datetime]:
    """Return the local midnights that start each week (Monday) or month touching [start, end)."""
    first = timezone.localtime(start, timezone.get_default_timezone()).date()
    day = first - timedelta(days=first.weekday()) if trend_by == "week" else first.replace(day=1)
    starts = [_local_midnight(day)]
    while True:
        day = _next_start(day, trend_by)
        moment = _local_midnight(day)
        if moment >= end:
            return starts
        starts.append(moment)


class PeriodIndex(Func):
    """The 0-based index of the period a moment falls in, given the starts of periods 1..n.

    Before the first start: 0; from start i (1-based) on: i. PostgreSQL finds it by binary
    search (width_bucket); elsewhere a CASE compares in order. Starts are bound as parameters
    of the database's own datetime type, so no per-row time-zone conversion is needed.
    """

    output_field = IntegerField()

    def __init__(self, field: str, starts: Sequence[datetime]) -> None:
        self.starts = list(starts)
        cases = [When(**{f"{field}__lt": moment}, then=Value(i)) for i, moment in enumerate(starts)]
        in_order = Case(*cases, default=Value(len(starts))) if cases else Value(0)
        super().__init__(F(field), in_order, output_field=IntegerField())

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, Any]:
        return compiler.compile(self.source_expressions[1])

    def as_postgresql(
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, Any]:
        if not self.starts:
            return "0", ()
        column, params = compiler.compile(self.source_expressions[0])
        return f"width_bucket({column}, %s::timestamptz[])", (*params, self.starts)
