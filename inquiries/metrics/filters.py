"""The dashboard's filters from a query string, scoped to the units the user may see."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.models import Language, Membership, Unit, User
from routing.models import RequestType

from ..models import Inquiry
from .types import Filters, TrendBy

DEFAULT_DAYS = 90
FIRST_YEAR, LAST_YEAR = 2000, 2099
YEAR_DAYS = 365
# "The last N days": the presets offer 30, 90 and 365; at most two years.
MAX_DAYS = 2 * YEAR_DAYS
# Periods up to this long are shown by week, longer ones by month (unless `trend` says).
WEEKLY_UP_TO = timedelta(days=92)
TREND_CHOICES: tuple[TrendBy, ...] = ("week", "month")


def dashboard_units(user: User) -> QuerySet[Unit]:
    """Return the units whose figures the user may see: all for a service manager, else managed."""
    if not user.is_authenticated or not user.is_active:
        return Unit.objects.none()
    if user.is_service_manager or user.is_superuser:
        return Unit.objects.all()
    return Unit.objects.filter(
        memberships__user=user, memberships__role=Membership.Role.MANAGER
    ).distinct()


def default_filters(*, now: datetime) -> Filters:
    """Every unit and type, the last 90 days to now, by week."""
    return Filters(start=now - timedelta(days=DEFAULT_DAYS), end=now)


def _values(data: QueryDict | Mapping[str, Any], name: str) -> list[str]:
    """Return the non-empty values of a parameter, from a QueryDict or a plain dict."""
    if isinstance(data, QueryDict):
        raw: list[Any] = data.getlist(name)
    else:
        value = data.get(name)
        raw = [] if value is None else list(value) if isinstance(value, list | tuple) else [value]
    return [str(item).strip() for item in raw if str(item).strip()]


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time()), timezone.get_default_timezone())


def _parse_day(data: QueryDict | Mapping[str, Any], name: str, errors: dict[str, list[str]]):
    values = _values(data, name)
    if not values:
        return None
    try:
        day = date.fromisoformat(values[0])
    except ValueError:
        errors.setdefault(name, []).append(_("Enter a date as YYYY-MM-DD."))
        return None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:  # (also keeps day + 1 within the calendar)
        errors.setdefault(name, []).append(
            _("Enter a date between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
        return None
    return day


def _parse_days(data: QueryDict | Mapping[str, Any], errors: dict[str, list[str]]) -> int | None:
    value = _values(data, "days")[0]
    if value.isdigit() and 1 <= int(value) <= MAX_DAYS:
        return int(value)
    errors.setdefault("days", []).append(
        _("Enter a number of days from 1 to %(max)s.") % {"max": MAX_DAYS}
    )
    return None


def _period(
    data: QueryDict | Mapping[str, Any], now: datetime, errors: dict[str, list[str]]
) -> tuple[datetime, datetime]:
    """[start, end): from the start day's midnight to the midnight after the end day (Helsinki).

    Without either day, `days` (1 to MAX_DAYS) gives the last that many days up to now.
    """
    first, last = _parse_day(data, "start", errors), _parse_day(data, "end", errors)
    span = DEFAULT_DAYS
    if first is None and last is None and _values(data, "days"):
        span = _parse_days(data, errors) or DEFAULT_DAYS
    end = now if last is None else _day_start(last + timedelta(days=1))
    start = end - timedelta(days=span) if first is None else _day_start(first)
    if start >= end:
        errors.setdefault("end", []).append(_("The end date must not be before the start date."))
        return now - timedelta(days=DEFAULT_DAYS), now
    return start, end


def _choices(
    data: QueryDict | Mapping[str, Any],
    name: str,
    allowed: set[str],
    message: str,
    errors: dict[str, list[str]],
) -> tuple[str, ...] | None:
    """The chosen codes (None: none chosen); an unknown one is an error and matches nothing."""
    chosen = _values(data, name)
    if not chosen:
        return None
    unknown = [value for value in chosen if value not in allowed]
    if unknown:
        errors.setdefault(name, []).append(message % {"values": ", ".join(unknown)})
        return ()
    return tuple(dict.fromkeys(chosen))


def parse_filters(
    data: QueryDict | Mapping[str, Any], *, user: User, now: datetime
) -> tuple[Filters, dict[str, list[str]]]:
    """Read the filters and the errors per field; never wider than the user's units.

    Parameters: `start` and `end` (YYYY-MM-DD, both days included; default the last `days` days
    to now, 90 unless given), `unit`, `request_type`, `language`, `channel` (codes, each may
    repeat), `trend` (week or month; default by week up to 92 days, else by month). An invalid
    value is reported and its filter matches nothing. A unit manager who chooses no unit sees
    their own units.
    """
    errors: dict[str, list[str]] = {}
    start, end = _period(data, now, errors)
    visible = dashboard_units(user)
    sees_all = user.is_authenticated and (user.is_service_manager or user.is_superuser)
    allowed_units = set(visible.values_list("code", flat=True))
    units = _choices(data, "unit", allowed_units, _("Not one of your units: %(values)s."), errors)
    if units is None and not sees_all:
        units = tuple(sorted(allowed_units))
    request_types = _choices(
        data,
        "request_type",
        set(RequestType.objects.values_list("code", flat=True)),
        _("Unknown request type: %(values)s."),
        errors,
    )
    languages = _choices(
        data, "language", set(Language.values), _("Unknown language: %(values)s."), errors
    )
    channels = _choices(
        data, "channel", set(Inquiry.Channel.values), _("Unknown channel: %(values)s."), errors
    )
    trend = _values(data, "trend")
    trend_by: TrendBy = "week" if end - start <= WEEKLY_UP_TO else "month"
    if trend and trend[0] in TREND_CHOICES:
        trend_by = "week" if trend[0] == "week" else "month"
    elif trend:
        errors.setdefault("trend", []).append(_("Choose week or month."))
    filters = Filters(
        start=start,
        end=end,
        units=units,
        request_types=request_types,
        languages=languages,
        channels=channels,
        trend_by=trend_by,
    )
    return filters, errors
