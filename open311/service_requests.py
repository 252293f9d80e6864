"""Service requests as Open311 shows them: type, unit, state and times; nothing else.

A business request is confidential. What leaves is chosen here field by field, and the query
does not even read the columns that hold the request's text or the requester (``only()``).

Status (GeoReport v2)   our states
  open                  new, queued, in_progress, awaiting_customer
  closed                resolved, closed, withdrawn

detailed_status (6Aika / CitySDK extension, ``extensions=true``)
  RECEIVED              new, queued: received and placed in a unit, nobody handles it yet
  IN_PROCESS            in_progress, awaiting_customer
  PROCESSED             resolved (the requester may still reopen it for 14 days)
  ARCHIVED              closed after its resolution (the automatic close after 14 days)
  REJECTED              closed without a resolution: closed as a duplicate, spam or out of
                        scope, or withdrawn by the requester

request_log (6Aika request log extension): one entry per step, its time and one of
  allocated             placed in a unit: routed on submission, or transferred to another unit
  handling              taken on by a handler (claimed or assigned), or reopened by the requester
  done                  resolved, closed without action, or withdrawn
with no note and no handler: notes are internal and names are personal data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from inquiries.models import Inquiry, TransitionLog

from .render import Many, Open311Error

Status = Inquiry.Status

# The spec's defaults: the most recent 90 days, and at most 1,000 requests.
DEFAULT_SPAN = timedelta(days=90)
MAX_RESULTS = 1000

OPEN, CLOSED = "open", "closed"
OPEN311_STATUS = {state: OPEN for state in Inquiry.OPEN_STATES} | {
    Status.RESOLVED: CLOSED,
    Status.CLOSED: CLOSED,
    Status.WITHDRAWN: CLOSED,
}
DETAILED_STATUS = {
    Status.NEW: "RECEIVED",
    Status.QUEUED: "RECEIVED",
    Status.IN_PROGRESS: "IN_PROCESS",
    Status.AWAITING_CUSTOMER: "IN_PROCESS",
    Status.RESOLVED: "PROCESSED",
    Status.WITHDRAWN: "REJECTED",
    # Status.CLOSED: ARCHIVED or REJECTED, by whether it was closed without action.
}
# TransitionLog names -> request_log status.
LOG_STATUS = {
    "route": "allocated",
    "transfer": "allocated",
    "claim": "handling",
    "assign": "handling",
    "reopen": "handling",
    "resolve": "done",
    "close_unactioned": "done",
    "withdraw": "done",
}

# The only columns read: none holds text a person wrote or anything about the requester.
COLUMNS = (
    "reference",
    "status",
    "close_reason",
    "submitted_at",
    "updated_at",
    "last_resolved_at",
    "closed_at",
    "resolution_due",
    "request_type__code",
    "request_type__name_fi",
    "request_type__name_sv",
    "request_type__name_en",
    "unit__name_fi",
    "unit__name_sv",
    "unit__name_en",
)

_UNENCODED_PLUS = re.compile(r" (\d\d:?\d\d)$")
BAD_DATE = _("Give a date and time in the W3C format, for example 2026-01-31T08:00:00+02:00.")


@dataclass(frozen=True)
class Query:
    """What GET requests asked for, checked."""

    references: tuple[str, ...] = ()  # when given, the other filters do not apply
    service_codes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None


def _values(params: QueryDict, name: str) -> tuple[str, ...]:
    """A parameter given several times, comma-separated, or both."""
    found = (part.strip() for value in params.getlist(name) for part in value.split(","))
    return tuple(dict.fromkeys(value for value in found if value))


def _instant(params: QueryDict, name: str, problems: list[str]) -> datetime | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    # An offset's "+" sent unencoded in a query string arrives as a space.
    raw = _UNENCODED_PLUS.sub(r"+\1", raw)
    try:
        moment = parse_datetime(raw)
        if moment is None and (day := parse_date(raw)) is not None:
            moment = datetime.combine(day, time.min)
    except ValueError:
        moment = None
    # The first and last year are refused: 90 days before or after them cannot be counted.
    if moment is None or not datetime.min.year < moment.year < datetime.max.year:
        problems.append(f"{name}: {BAD_DATE}")
        return None
    # The spec asks for an offset; one without is taken as Helsinki time.
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def parse_query(params: QueryDict, *, now: datetime) -> Query:
    """Check the parameters of GET requests and apply the spec's defaults (the last 90 days)."""
    problems: list[str] = []
    statuses = _values(params, "status")
    if unknown := [status for status in statuses if status not in (OPEN, CLOSED)]:
        problems.append(
            "status: "
            + str(
                _("Unknown status “%(value)s”; give open, closed or both.") % {"value": unknown[0]}
            )
        )
    start, end = _instant(params, "start_date", problems), _instant(params, "end_date", problems)
    if problems:
        raise Open311Error(400, *problems)
    if start is None and end is None:
        start, end = now - DEFAULT_SPAN, now
    elif start is None:
        start = end - DEFAULT_SPAN
    elif end is None:
        end = start + DEFAULT_SPAN
    if end < start:
        raise Open311Error(400, "end_date: " + str(_("The end date is before the start date.")))
    if end - start > DEFAULT_SPAN:
        raise Open311Error(
            400, "end_date: " + str(_("The date range may not span more than 90 days."))
        )
    return Query(
        references=_values(params, "service_request_id"),
        service_codes=_values(params, "service_code"),
        statuses=statuses,
        start=start,
        end=end,
    )


def _base(*, extensions: bool) -> QuerySet[Inquiry]:
    inquiries = Inquiry.objects.select_related("request_type", "unit").only(*COLUMNS)
    if extensions:
        steps = TransitionLog.objects.filter(name__in=LOG_STATUS).only("inquiry_id", "name", "at")
        inquiries = inquiries.prefetch_related(
            Prefetch("transitions", queryset=steps.order_by("at", "pk"), to_attr="open311_log")
        )
    return inquiries


def matching(query: Query, *, extensions: bool) -> QuerySet[Inquiry]:
    """The requests the query names, newest first, at most MAX_RESULTS."""
    inquiries = _base(extensions=extensions)
    if query.references:
        # The spec: service_request_id overrides all other arguments.
        inquiries = inquiries.filter(reference__in=query.references[:MAX_RESULTS])
    else:
        inquiries = inquiries.filter(submitted_at__gte=query.start, submitted_at__lte=query.end)
        if query.service_codes:
            inquiries = inquiries.filter(request_type__code__in=query.service_codes)
        if query.statuses:
            states = [state for state, status in OPEN311_STATUS.items() if status in query.statuses]
            inquiries = inquiries.filter(status__in=states)
    return inquiries.order_by("-submitted_at", "-pk")[:MAX_RESULTS]


def one(reference: str, *, extensions: bool) -> Inquiry:
    try:
        return _base(extensions=extensions).get(reference=reference)
    except Inquiry.DoesNotExist:
        raise Open311Error(
            404,
            "service_request_id: " + str(_("No request “%(value)s”.") % {"value": reference[:50]}),
        ) from None


def updated_at(inquiry: Inquiry) -> datetime:
    """The last change; for a closed request, the spec's "the date the request was closed"."""
    if inquiry.status == Status.RESOLVED and inquiry.last_resolved_at:
        return inquiry.last_resolved_at
    if inquiry.status in (Status.CLOSED, Status.WITHDRAWN) and inquiry.closed_at:
        return inquiry.closed_at
    return inquiry.updated_at


def detailed_status(inquiry: Inquiry) -> str:
    if inquiry.status == Status.CLOSED:
        return "REJECTED" if inquiry.close_reason else "ARCHIVED"
    return DETAILED_STATUS[inquiry.status]


def request_log(steps: Iterable[TransitionLog]) -> Many:
    return Many("entry", [{"time": step.at, "status": LOG_STATUS[step.name]} for step in steps])


def entry(inquiry: Inquiry, language: str, *, extensions: bool) -> dict[str, Any]:
    """One request as Open311 shows it: no text, no person, no company."""
    shown: dict[str, Any] = {
        "service_request_id": inquiry.reference,
        "status": OPEN311_STATUS[inquiry.status],
        "service_name": inquiry.request_type.name_in(language),
        "service_code": inquiry.request_type.code,
        "agency_responsible": inquiry.unit.name_in(language) if inquiry.unit else None,
        "requested_datetime": inquiry.submitted_at,
        "updated_datetime": updated_at(inquiry),
        "expected_datetime": inquiry.resolution_due,
    }
    if extensions:
        shown["extended_attributes"] = {
            "detailed_status": detailed_status(inquiry),
            "request_log": request_log(inquiry.open311_log),
        }
    return shown


def entries(inquiries: Iterable[Inquiry], language: str, *, extensions: bool) -> Many:
    return Many("request", [entry(i, language, extensions=extensions) for i in inquiries])
