"""The countable figures, in one GROUP BY (unit, request type, week or month, channel) query.

Counts and sums add up, so the totals, the breakdowns and the trend are sums of these few
rows (at most units × request types × periods × channels); only the percentiles need queries
of their own.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any

from django.db.models import Count, Expression, F, PositiveIntegerField, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from routing.models import SLAPolicy

from ..models import Inquiry, InquiryQuerySet
from .types import SECONDS_PER_HOUR

# (unit id, request type id, period index, channel) -> {figure: count}
Key = tuple[int | None, int, int, str]
CountRow = dict[str, int]


def rows_where(condition: Q) -> Count:
    """Count the rows meeting a condition (COUNT(*) FILTER, which Django spells with a column)."""
    # submitted_at is never NULL and is in every dashboard index, so counting it keeps the
    # scan index-only (counting "id" would read the table).
    return Count("submitted_at", filter=condition)


def _target_seconds(hours_field: str) -> Expression:
    """The row's target in seconds: its request type's own policy, else the default policy."""
    default = SLAPolicy.objects.filter(is_default=True).order_by().values(hours_field)[:1]
    hours = Coalesce(
        F(f"request_type__sla_policy__{hours_field}"),
        Subquery(default),
        output_field=PositiveIntegerField(),
    )
    return hours * Value(SECONDS_PER_HOUR)


def _duration_counts(prefix: str, field: str, hours_field: str) -> dict[str, Any]:
    waiting = Q(**{f"{field}__isnull": True, "status__in": Inquiry.OPEN_STATES})
    return {
        f"{prefix}_count": Count(field),
        f"{prefix}_pending": rows_where(waiting),  # still open without it
        f"{prefix}_within": rows_where(Q(**{f"{field}__lte": _target_seconds(hours_field)})),
    }


COUNTS: dict[str, Any] = {
    "volume": Count("*"),
    **_duration_counts("fr", "first_response_seconds", "first_response_hours"),
    **_duration_counts("res", "resolution_seconds", "resolution_hours"),
    "rerouted": rows_where(Q(reroute_count__gt=0)),
    "reopened": rows_where(Q(reopen_count__gt=0)),
    "rated": Count("rating"),
    "rating_sum": Coalesce(Sum("rating"), 0),
    "satisfied": rows_where(Q(rating__gte=4)),
}
ZERO: CountRow = dict.fromkeys(COUNTS, 0)


def count_groups(queryset: InquiryQuerySet, period: Expression) -> dict[Key, CountRow]:
    """Return the counts of the requests per (unit, request type, period index, channel)."""
    rows = (
        queryset.order_by()
        .annotate(period=period)
        .values("unit_id", "request_type_id", "period", "channel")
        .annotate(**COUNTS)
    )
    return {
        (row.pop("unit_id"), row.pop("request_type_id"), row.pop("period"), row.pop("channel")): row
        for row in rows
    }


def roll_up(groups: dict[Key, CountRow], by: Callable[[Key], Hashable]) -> dict[Hashable, CountRow]:
    """Add the groups' counts up per `by(key)`: None for the totals, a unit id, a period…"""
    sums: dict[Hashable, CountRow] = {}
    for key, row in groups.items():
        target = sums.setdefault(by(key), dict(ZERO))
        for name, value in row.items():
            target[name] += value
    return sums


def distinct(groups: Iterable[Key], position: int) -> set[Any]:
    return {key[position] for key in groups}
