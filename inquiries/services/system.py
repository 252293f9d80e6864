"""Scheduled work on inquiries, run by Celery beat. Each job is safe to run twice at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce

from notifications import outbox
from notifications.models import Notification

from ..models import Inquiry, Message
from ._base import lock_inquiry, now_or_current, take_transition

Kind = Notification.Kind
S = Inquiry.Status


@transaction.atomic
def close_resolved_inquiry(*, inquiry_id: int, now: datetime | None = None) -> bool:
    """Close a resolved inquiry whose reopening period has ended; False if it no longer applies."""
    now = now_or_current(now)
    inquiry = lock_inquiry(inquiry_id)
    deadline = inquiry.reopen_deadline()
    if inquiry.status != S.RESOLVED or deadline is None or now < deadline:
        return False  # reopened or closed meanwhile: a re-run of the task is harmless
    take_transition(inquiry, inquiry.close, now=now)
    outbox.notify_requester(inquiry, Kind.CLOSURE, now=now)
    return True


def close_resolved_inquiries(*, now: datetime | None = None) -> int:
    """Close every resolved inquiry past its reopening period; return how many."""
    now = now_or_current(now)
    cutoff = now - timedelta(days=settings.REOPEN_WINDOW_DAYS)
    due = Inquiry.objects.filter(status=S.RESOLVED, last_resolved_at__lte=cutoff).values_list(
        "pk", flat=True
    )
    return sum(close_resolved_inquiry(inquiry_id=pk, now=now) for pk in list(due))


# -- service levels ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Clock:
    """One promise to watch: which instant trips it, the flag that records it, whom to tell."""

    flag: str
    instant: str
    kind: str
    waiting: Q  # the inquiries whose clock runs

    def due(self, now: datetime) -> Q:
        return self.waiting & Q(**{self.flag: None, f"{self.instant}__lte": now})


# The resolution clock stops while we wait for the requester; the first-response clock stops
# at the first response.
_RESOLUTION_RUNS = Q(status__in=[S.QUEUED, S.IN_PROGRESS])
_FIRST_RESPONSE_RUNS = _RESOLUTION_RUNS & Q(first_response_at=None)
# Breaches first: a request found already breached is not also reported "at risk".
CLOCKS = (
    Clock(
        "first_response_breach_flagged_at",
        "first_response_due",
        Kind.BREACHED,
        _FIRST_RESPONSE_RUNS,
    ),
    Clock("resolution_breach_flagged_at", "resolution_due", Kind.BREACHED, _RESOLUTION_RUNS),
    Clock(
        "first_response_risk_flagged_at",
        "first_response_risk_at",
        Kind.AT_RISK,
        _FIRST_RESPONSE_RUNS,
    ),
    Clock("resolution_risk_flagged_at", "resolution_risk_at", Kind.AT_RISK, _RESOLUTION_RUNS),
)
_RISK_FLAG_OF = {
    "first_response_breach_flagged_at": "first_response_risk_flagged_at",
    "resolution_breach_flagged_at": "resolution_risk_flagged_at",
}


@transaction.atomic
def _flag(inquiry_id: int, clock: Clock, now: datetime) -> bool:
    # The conditional UPDATE is the claim: of two scans running at once, one sets the flag
    # and notifies; the other updates nothing.
    changes: dict[str, Any] = {clock.flag: now}
    if clock.flag in _RISK_FLAG_OF:  # a breach implies the risk, unreported if not yet flagged
        risk = _RISK_FLAG_OF[clock.flag]
        changes[risk] = Coalesce(F(risk), Value(now))
    if not Inquiry.objects.filter(clock.due(now), pk=inquiry_id).update(**changes):
        return False
    inquiry = Inquiry.objects.select_related("unit", "assignee", "contact").get(pk=inquiry_id)
    which = "first_response" if clock.flag.startswith("first_response") else "resolution"
    recipients = (
        outbox.unit_managers(inquiry.unit)
        if clock.kind == Kind.BREACHED
        else outbox.handlers_of(inquiry)
    )
    outbox.notify_staff(inquiry, clock.kind, recipients, now=now, context={"clock": which})
    return True


def scan_service_levels(*, now: datetime | None = None) -> dict[str, int]:
    """Flag, once each, the requests that came at risk or breached a promise, and tell people."""
    now = now_or_current(now)
    counts = {}
    for clock in CLOCKS:
        ids = list(Inquiry.objects.filter(clock.due(now)).values_list("pk", flat=True))
        counts[clock.flag] = sum(_flag(pk, clock, now) for pk in ids)
    return counts


# -- reminders --------------------------------------------------------------------------------


@transaction.atomic
def _remind(inquiry_id: int, now: datetime) -> bool:
    due = Q(status=S.AWAITING_CUSTOMER, reminder_sent_at=None, reminder_due_at__lte=now)
    if not Inquiry.objects.filter(due, pk=inquiry_id).update(reminder_sent_at=now):
        return False
    inquiry = Inquiry.objects.select_related("contact").get(pk=inquiry_id)
    question = inquiry.messages.filter(kind=Message.Kind.QUESTION).order_by("-created_at").first()
    outbox.notify_requester(inquiry, Kind.REMINDER, now=now, message=question)
    return True


def remind_requesters(*, now: datetime | None = None) -> int:
    """Remind, once per question, requesters who have not answered in 5 business days."""
    now = now_or_current(now)
    ids = Inquiry.objects.filter(
        status=S.AWAITING_CUSTOMER, reminder_sent_at=None, reminder_due_at__lte=now
    ).values_list("pk", flat=True)
    return sum(_remind(pk, now) for pk in list(ids))
