"""compute(): every figure of the dashboard in a fixed number of aggregate queries.

One GROUP BY query counts everything countable per (unit, request type, period, channel);
the totals, breakdowns and trend add those few rows up. The percentiles take one query per
breakdown (all requests, by unit, by request type, by channel, by week or month; skipped where
there is a single group, which has the totals'), with percentile_cont on PostgreSQL and the
portable SQL elsewhere. The backlog, the transfer flows and the names of units and request
types take one query each: at most 10 queries, however many requests there are.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.db import connections, transaction
from django.db.models import Count, Expression, Q
from django.utils import timezone

from crm.models import Unit
from routing.calendar import DEFAULT_CALENDAR
from routing.models import RequestType

from ..models import Inquiry, InquiryQuerySet, RoutingDecision
from .counts import ZERO, CountRow, Key, count_groups, roll_up, rows_where
from .percentiles import Percentiles, percentiles_of
from .periods import PeriodIndex, period_starts
from .types import (
    Backlog,
    BacklogBucket,
    Dashboard,
    Durations,
    Figures,
    Filters,
    Flow,
    Rate,
    Row,
    Satisfaction,
    TrendPoint,
)

WORK_MEM = "64MB"
# Backlog buckets by age in completed business days: (label, from, to; None = no limit).
BACKLOG_BUCKETS = (("0-2", 0, 2), ("3-5", 3, 5), ("6-10", 6, 10), (">10", 11, None))

# The columns of request_rows(), in order: no personal data (no names, subjects, texts).
REQUEST_ROW_COLUMNS: tuple[str, ...] = (
    "reference",
    "submitted_at",
    "first_response_at",
    "resolved_at",
    "closed_at",
    "unit",
    "request_type",
    "status",
    "language",
    "channel",
    "first_response_seconds",
    "resolution_seconds",
    "reroute_count",
    "reopen_count",
    "rating",
)
_REQUEST_ROW_FIELDS = tuple(
    {"unit": "unit__code", "request_type": "request_type__code"}.get(column, column)
    for column in REQUEST_ROW_COLUMNS
)


# -- which requests -------------------------------------------------------------------------


def _narrowed(queryset: InquiryQuerySet, filters: Filters) -> InquiryQuerySet:
    """Apply every filter but the period; a filter given as () matches nothing."""
    choices = (filters.units, filters.request_types, filters.languages, filters.channels)
    if any(chosen == () for chosen in choices):
        return queryset.none()
    if filters.units is not None:
        queryset = queryset.filter(unit__in=Unit.objects.filter(code__in=filters.units))
    if filters.request_types is not None:
        queryset = queryset.filter(
            request_type__in=RequestType.objects.filter(code__in=filters.request_types)
        )
    if filters.languages is not None:
        queryset = queryset.filter(language__in=filters.languages)
    if filters.channels is not None:
        queryset = queryset.filter(channel__in=filters.channels)
    return queryset


def requests_in(filters: Filters) -> InquiryQuerySet:
    """Return the requests the filters select: submitted in the period, narrowed by the rest."""
    period = Inquiry.objects.filter(submitted_at__gte=filters.start, submitted_at__lt=filters.end)
    return _narrowed(period, filters)


# -- assembling the figures ------------------------------------------------------------------

PERCENTILES = (0.5, 0.9)
DURATIONS = {"fr": "first_response_seconds", "res": "resolution_seconds"}
NO_PERCENTILES: dict[tuple[str, float], float | None] = {}


def _percentiles(
    queryset: InquiryQuerySet,
    group: str | Expression | None,
    prefixes: tuple[str, ...],
    groups: set[Any],
    totals: Percentiles,
) -> Percentiles:
    """The percentiles per group; a single group has the totals' (the same requests)."""
    if len(groups) <= 1:
        return dict.fromkeys(groups, totals.get(None, NO_PERCENTILES))
    fields = [DURATIONS[prefix] for prefix in prefixes]
    return percentiles_of(queryset, group, fields, PERCENTILES)


def _durations(
    counts: CountRow, values: dict[tuple[str, float], float | None], prefix: str
) -> Durations:
    field = DURATIONS[prefix]
    return Durations(
        count=counts[f"{prefix}_count"],
        pending=counts[f"{prefix}_pending"],
        median_seconds=values.get((field, PERCENTILES[0])),
        p90_seconds=values.get((field, PERCENTILES[1])),
        within_target=counts[f"{prefix}_within"],
    )


def _figures(counts: CountRow, values: dict[tuple[str, float], float | None]) -> Figures:
    resolved, rated = counts["res_count"], counts["rated"]
    return Figures(
        volume=counts["volume"],
        first_response=_durations(counts, values, "fr"),
        resolution=_durations(counts, values, "res"),
        reroutes=Rate(count=counts["rerouted"], base=counts["volume"]),
        reopens=Rate(count=counts["reopened"], base=resolved),
        satisfaction=Satisfaction(
            rated=rated,
            resolved=resolved,
            # Exact integers from the database; the division is the same on every backend.
            average=counts["rating_sum"] / rated if rated else None,
            satisfied=counts["satisfied"],
        ),
    )


def _breakdown(
    queryset: InquiryQuerySet,
    groups: dict[Key, CountRow],
    position: int,
    field: str,
    totals: Percentiles,
) -> dict[Hashable, Figures]:
    """Figures per unit (position 0), request type (position 1) or channel (position 3)."""
    counts = roll_up(groups, lambda key: key[position])
    values = _percentiles(queryset, field, ("fr", "res"), set(counts), totals)
    return {key: _figures(row, values.get(key, NO_PERCENTILES)) for key, row in counts.items()}


def _trend(
    queryset: InquiryQuerySet,
    groups: dict[Key, CountRow],
    period: PeriodIndex,
    starts: list[datetime],
    totals: Percentiles,
) -> tuple[TrendPoint, ...]:
    counts = roll_up(groups, lambda key: key[2])
    values = _percentiles(queryset, period, ("fr",), set(counts), totals)
    return tuple(
        TrendPoint(
            start=timezone.localtime(start).date(),
            volume=counts.get(index, ZERO)["volume"],
            first_response=_durations(
                counts.get(index, ZERO), values.get(index, NO_PERCENTILES), "fr"
            ),
        )
        for index, start in enumerate(starts)
    )


def _backlog(filters: Filters, now: datetime) -> Backlog:
    """Open requests now by age; `submitted_at <= cutoff[d]` means at least d days old."""
    cutoffs = {
        days: DEFAULT_CALENDAR.subtract_days(now, days)
        for _label, low, high in BACKLOG_BUCKETS
        for days in (low, (high or 0) + 1)
        if days
    }
    aggregates: dict[str, Any] = {
        "awaiting": rows_where(Q(status=Inquiry.Status.AWAITING_CUSTOMER)),
    }
    for label, low, high in BACKLOG_BUCKETS:
        condition = Q()
        if low:
            condition &= Q(submitted_at__lte=cutoffs[low])
        if high is not None:
            condition &= Q(submitted_at__gt=cutoffs[high + 1])
        aggregates[label] = rows_where(condition) if condition else Count("*")
    row = _narrowed(Inquiry.objects.open(), filters).order_by().aggregate(**aggregates)
    return Backlog(
        buckets=tuple(
            BacklogBucket(label=label, min_days=low, max_days=high, count=row[label])
            for label, low, high in BACKLOG_BUCKETS
        ),
        awaiting_requester=row["awaiting"],
    )


def _flows(queryset: InquiryQuerySet) -> tuple[Flow, ...]:
    # reroute_count > 0 is implied by a transfer; saying it lets the database skip the rest.
    transfers = (
        RoutingDecision.objects.filter(
            kind=RoutingDecision.Kind.TRANSFER,
            inquiry__in=queryset.filter(reroute_count__gt=0).values("pk"),
        )
        .order_by()
        .values("from_unit__code", "unit__code")
        .annotate(count=Count("*"))
    )
    flows = [
        Flow(from_unit=row["from_unit__code"] or "", to_unit=row["unit__code"], count=row["count"])
        for row in transfers
    ]
    return tuple(sorted(flows, key=lambda flow: (-flow.count, flow.from_unit, flow.to_unit)))


def _rows(
    figures: dict[Hashable, Figures], model: type[Unit] | type[RequestType]
) -> tuple[Row, ...]:
    # The catalogue order: units by code, request types by their order in the catalogue.
    objects = model.objects.filter(pk__in=[key for key in figures if key is not None])
    rows = [Row(code=obj.code, name=obj.name, figures=figures[obj.pk]) for obj in objects]
    if None in figures:  # requests not yet routed to any unit
        rows.append(Row(code="", name="", figures=figures[None]))
    return tuple(rows)


def _channel_rows(figures: dict[Hashable, Figures]) -> tuple[Row, ...]:
    # In the order of Inquiry.Channel; named in the active language.
    return tuple(
        Row(code=code, name=str(label), figures=figures[code])
        for code, label in Inquiry.Channel.choices
        if code in figures
    )


@contextmanager
def _room_to_sort(alias: str) -> Iterator[None]:
    """Give PostgreSQL's sorts and hash tables room in memory, for this transaction only."""
    if connections[alias].vendor != "postgresql":
        yield
        return
    # The percentiles sort a period's durations (about 24 MB per million requests) and the
    # counts hash a few hundred groups, which the planner, unable to estimate groups of
    # width_bucket(), sizes as if there were one per request: with the default 4 MB both
    # spill to disk. SET LOCAL ends with the transaction.
    with transaction.atomic(using=alias):
        with connections[alias].cursor() as cursor:
            cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        yield


def compute(filters: Filters, *, now: datetime) -> Dashboard:
    """Compute the dashboard for the filters; the backlog is counted as it stands at `now`."""
    queryset = requests_in(filters)
    with _room_to_sort(queryset.db):
        return _compute(queryset, filters, now)


def _compute(queryset: InquiryQuerySet, filters: Filters, now: datetime) -> Dashboard:
    starts = period_starts(filters.start, filters.end, filters.trend_by)
    period = PeriodIndex("submitted_at", starts[1:])
    groups = count_groups(queryset, period)
    totals = percentiles_of(queryset, None, list(DURATIONS.values()), PERCENTILES)
    total_counts = roll_up(groups, lambda key: None).get(None, ZERO)
    by_unit = _breakdown(queryset, groups, 0, "unit_id", totals)
    by_type = _breakdown(queryset, groups, 1, "request_type_id", totals)
    by_channel = _breakdown(queryset, groups, 3, "channel", totals)
    return Dashboard(
        filters=filters,
        computed_at=now,
        totals=_figures(total_counts, totals.get(None, NO_PERCENTILES)),
        backlog=_backlog(filters, now),
        flows=_flows(queryset),
        trend=_trend(queryset, groups, period, starts, totals),
        by_unit=_rows(by_unit, Unit),
        by_request_type=_rows(by_type, RequestType),
        by_channel=_channel_rows(by_channel),
    )


def request_rows(filters: Filters) -> Iterator[tuple[Any, ...]]:
    """Yield the filtered requests as tuples of REQUEST_ROW_COLUMNS, oldest first, streamed."""
    rows = (
        requests_in(filters)
        .order_by("submitted_at", "pk")
        .values_list(*_REQUEST_ROW_FIELDS)
        .iterator(chunk_size=2000)
    )
    yield from rows
