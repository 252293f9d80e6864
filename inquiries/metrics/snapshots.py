"""Dashboards computed ahead: the figures of a filter set, kept for a few minutes.

`compute()` is exact and reads every request of the period: at a million requests that takes
seconds (the percentiles sort every duration; see docs/PERFORMANCE.md). The figures describe
weeks and months, so a few minutes' age changes nothing a manager reads; the page therefore
serves the newest snapshot younger than DASHBOARD_SNAPSHOT_SECONDS and says when it was
computed, the reader may ask for a new computation, and a beat task (`refresh_snapshots`)
recomputes the usual views and every view opened in the last day before anyone waits.

A snapshot is keyed by its filters as the reader chose them: a period relative to now ("the
last 90 days") is recomputed for the new now; fixed days stay those days. The units are part of
the key, and `parse_filters` never lets a reader choose units they may not see.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import logging
import types
import typing
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import override

from crm.models import Unit
from routing.models import RequestType

from ..models import DashboardSnapshot, Inquiry
from . import types as figure_types
from .filters import DEFAULT_DAYS, YEAR_DAYS
from .queries import compute
from .types import Dashboard, Filters, Row

logger = logging.getLogger(__name__)

Spec = dict[str, Any]

# Snapshots nobody opened for this long are dropped by the refresh.
FORGET_AFTER = timedelta(days=7)
# The refresh recomputes the views opened within this time (and the usual ones).
KEEP_FRESH_FOR = timedelta(days=1)
# At most this many computations per refresh run (the oldest first).
REFRESH_LIMIT = 40


def max_age() -> timedelta:
    return timedelta(seconds=settings.DASHBOARD_SNAPSHOT_SECONDS)


# -- which filters ---------------------------------------------------------------------------


def spec_of(filters: Filters, *, now: datetime) -> Spec:
    """Describe the filters so that they can be computed again later, relative to that now."""
    if filters.end == now:  # "up to now": the reader gave no last day
        span = filters.end - filters.start
        period: Spec = (
            {"days": span.days}
            if span == timedelta(days=span.days)
            else {"start": filters.start.isoformat()}
        )
    else:
        period = {"start": filters.start.isoformat(), "end": filters.end.isoformat()}
    return {
        **period,
        "units": _listed(filters.units),
        "request_types": _listed(filters.request_types),
        "languages": _listed(filters.languages),
        "channels": _listed(filters.channels),
        "trend_by": filters.trend_by,
    }


def _listed(values: tuple[str, ...] | None) -> list[str] | None:
    return None if values is None else sorted(values)


def _tupled(values: list[str] | None) -> tuple[str, ...] | None:
    return None if values is None else tuple(values)


def filters_of(spec: Spec, *, now: datetime) -> Filters:
    """The filters a spec describes, with "now" as given."""
    end = datetime.fromisoformat(spec["end"]) if "end" in spec else now
    if "days" in spec:
        start = end - timedelta(days=spec["days"])
    else:
        start = datetime.fromisoformat(spec["start"])
    return Filters(
        start=start,
        end=end,
        units=_tupled(spec["units"]),
        request_types=_tupled(spec["request_types"]),
        languages=_tupled(spec["languages"]),
        channels=_tupled(spec["channels"]),
        trend_by=spec["trend_by"],
    )


def key_of(spec: Spec) -> str:
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()


def usual_specs() -> list[Spec]:
    """The views opened most: the default period and the last 12 months, all units and each."""
    unit_choices: list[list[str] | None] = [None]
    unit_choices += [[code] for code in Unit.objects.values_list("code", flat=True)]
    return [
        {
            "days": days,
            "units": units,
            "request_types": None,
            "languages": None,
            "channels": None,
            "trend_by": trend_by,
        }
        for days, trend_by in ((DEFAULT_DAYS, "week"), (YEAR_DAYS, "month"))
        for units in unit_choices
    ]


# -- the figures as JSON ------------------------------------------------------------------------


def to_json(value: Any) -> Any:
    """A Dashboard (frozen dataclasses, tuples, dates) as plain JSON values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: to_json(getattr(value, field.name)) for field in _fields(value)}
    if isinstance(value, tuple | list):
        return [to_json(item) for item in value]
    if isinstance(value, date):  # datetime too
        return value.isoformat()
    return value


def from_json(kind: Any, value: Any) -> Any:
    """Rebuild a value of type `kind` (as annotated in metrics.types) from to_json()'s output."""
    if value is None:
        return None
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        # Only "X | None" occurs; None was handled above.
        (kind,) = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        return from_json(kind, value)
    if origin is tuple:
        (item_kind, _ellipsis) = typing.get_args(kind)
        return tuple(from_json(item_kind, item) for item in value)
    if origin is typing.Literal:
        return value
    if dataclasses.is_dataclass(kind):
        hints = _hints(kind)
        return kind(
            **{
                field.name: from_json(hints[field.name], value[field.name])
                for field in _fields(kind)
                # a field added since the snapshot was stored keeps its default (by_channel)
                if field.name in value
            }
        )
    if kind is datetime:
        return datetime.fromisoformat(value)
    if kind is date:
        return date.fromisoformat(value)
    if kind is float:
        return float(value)
    return value


@functools.cache
def _hints(kind: type) -> dict[str, Any]:
    # Resolving the annotations (strings, under `from __future__ import annotations`) costs
    # more than rebuilding the whole dashboard: once per class.
    return typing.get_type_hints(kind, vars(figure_types))


def _fields(value: Any) -> Iterable[dataclasses.Field[Any]]:
    return (field for field in dataclasses.fields(value) if field.init)


def _renamed(dashboard: Dashboard) -> Dashboard:
    """Units', request types' and channels' names in the reader's language (a snapshot has fi)."""
    units = {unit.code: unit.name for unit in Unit.objects.all()}
    kinds = {kind.code: kind.name for kind in RequestType.objects.all()}
    channels = {code: str(label) for code, label in Inquiry.Channel.choices}

    def rename(rows: tuple[Row, ...], names: dict[str, str]) -> tuple[Row, ...]:
        return tuple(dataclasses.replace(row, name=names.get(row.code, row.name)) for row in rows)

    return dataclasses.replace(
        dashboard,
        by_unit=rename(dashboard.by_unit, units),
        by_request_type=rename(dashboard.by_request_type, kinds),
        by_channel=rename(dashboard.by_channel, channels),
    )


# -- reading and writing ------------------------------------------------------------------------


def store(spec: Spec, dashboard: Dashboard, *, viewed_at: datetime | None = None) -> None:
    """Keep the figures of a spec, replacing older ones (whoever computed at the same time)."""
    snapshot = DashboardSnapshot(
        key=key_of(spec),
        spec=spec,
        figures=to_json(dashboard),
        computed_at=dashboard.computed_at,
        viewed_at=viewed_at or dashboard.computed_at,
    )
    fields = ["spec", "figures", "computed_at"] + (["viewed_at"] if viewed_at else [])
    DashboardSnapshot.objects.bulk_create(
        [snapshot], update_conflicts=True, unique_fields=["key"], update_fields=fields
    )


def dashboard_for(filters: Filters, *, now: datetime, recompute: bool = False) -> Dashboard:
    """The figures for the filters: a snapshot younger than max_age(), else computed now."""
    spec = spec_of(filters, now=now)
    key = key_of(spec)
    if not recompute:
        snapshot = (
            DashboardSnapshot.objects.filter(key=key, computed_at__gt=now - max_age())
            .only("figures", "viewed_at")
            .first()
        )
        if snapshot is not None:
            if snapshot.viewed_at < now - timedelta(minutes=1):  # one write a minute at most
                DashboardSnapshot.objects.filter(pk=snapshot.pk).update(viewed_at=now)
            return _renamed(from_json(Dashboard, snapshot.figures))
    with override("fi"):  # stored names are Finnish; readers get theirs from _renamed()
        dashboard = compute(filters, now=now)
    store(spec, dashboard, viewed_at=now)
    return _renamed(dashboard)


def refresh_snapshots(*, now: datetime) -> int:
    """Recompute the usual views and those opened in the last day; forget the unopened ones.

    A snapshot younger than half of max_age() is left alone: a run that follows another, or a
    reader's fresh computation, does no work twice. Returns how many were computed.
    """
    DashboardSnapshot.objects.filter(viewed_at__lt=now - FORGET_AFTER).delete()
    fresh = set(
        DashboardSnapshot.objects.filter(computed_at__gt=now - max_age() / 2).values_list(
            "key", flat=True
        )
    )
    wanted: dict[str, Spec] = {key_of(spec): spec for spec in usual_specs()}
    viewed = DashboardSnapshot.objects.filter(viewed_at__gte=now - KEEP_FRESH_FOR).order_by(
        "computed_at"
    )
    for key, spec in viewed.values_list("key", "spec"):
        wanted.setdefault(key, spec)
    computed = 0
    for key, spec in wanted.items():
        if key in fresh:
            continue
        if computed >= REFRESH_LIMIT:
            logger.warning("dashboard refresh stopped after %s computations", computed)
            break
        try:
            with transaction.atomic(), override("fi"):
                store(spec, compute(filters_of(spec, now=now), now=now))
        except Exception:  # one bad spec (a unit since deleted…) must not stop the others
            logger.exception("dashboard snapshot %s could not be computed", key[:12])
            continue
        computed += 1
    return computed
