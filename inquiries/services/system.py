"""Scheduled work on inquiries, run by Celery beat."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from ..models import Inquiry
from ._base import lock_inquiry, now_or_current, take_transition


@transaction.atomic
def close_resolved_inquiry(*, inquiry_id: int, now: datetime | None = None) -> bool:
    """Close a resolved inquiry whose reopening period has ended; False if it no longer applies."""
    now = now_or_current(now)
    inquiry = lock_inquiry(inquiry_id)
    deadline = inquiry.reopen_deadline()
    if inquiry.status != Inquiry.Status.RESOLVED or deadline is None or now < deadline:
        return False  # reopened or closed meanwhile: a re-run of the task is harmless
    take_transition(inquiry, inquiry.close, now=now)
    return True


def close_resolved_inquiries(*, now: datetime | None = None) -> int:
    """Close every resolved inquiry past its reopening period; return how many."""
    now = now_or_current(now)
    cutoff = now - timedelta(days=settings.REOPEN_WINDOW_DAYS)
    due = Inquiry.objects.filter(
        status=Inquiry.Status.RESOLVED, last_resolved_at__lte=cutoff
    ).values_list("pk", flat=True)
    return sum(close_resolved_inquiry(inquiry_id=pk, now=now) for pk in list(due))
