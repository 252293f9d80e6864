"""Deliver outbox rows: each claimed by a conditional UPDATE, so no two workers send one twice."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import F
from django.utils import timezone

from mailin.addresses import reply_address, thread_headers

from .models import Notification

logger = logging.getLogger(__name__)
Status = Notification.Status


class Outcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"
    SKIPPED = "skipped"  # not pending, not yet due, or another worker has it


def retry_delay(attempts: int) -> timedelta:
    """Back off exponentially after each failed attempt, up to the cap."""
    base = settings.OUTBOX_RETRY_BASE_SECONDS
    return timedelta(
        seconds=min(base * 2 ** max(attempts - 1, 0), settings.OUTBOX_RETRY_MAX_SECONDS)
    )


def _claim(notification_id: int, now: datetime) -> bool:
    return bool(
        Notification.objects.filter(
            pk=notification_id, status=Status.PENDING, next_attempt_at__lte=now
        ).update(status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )


def _email(notification: Notification) -> EmailMultiAlternatives:
    headers = {
        "Message-ID": notification.message_id,
        # Automatic mail: out-of-office replies should not answer it.
        "Auto-Submitted": "auto-generated",
    }
    reply_to = []
    if notification.inquiry is not None and notification.recipient_contact_id is not None:
        # The requester answers to the request's own signed address (mailin), and mail
        # programs keep every mail about one request in one thread.
        reply_to = [reply_address(notification.inquiry.reference)]
        headers |= thread_headers(notification.inquiry.reference)
    mail = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient_email],
        reply_to=reply_to,
        headers=headers,
        connection=get_connection(timeout=settings.EMAIL_TIMEOUT),
    )
    mail.attach_alternative(notification.body_html, "text/html")
    return mail


def deliver(notification_id: int, *, now: datetime | None = None) -> Outcome:
    """Send one pending notification if it is due and nobody else is sending it."""
    now = now or timezone.now()
    if not _claim(notification_id, now):
        return Outcome.SKIPPED
    notification = Notification.objects.select_related("inquiry").get(pk=notification_id)
    try:
        _email(notification).send()
    except Exception as exc:  # noqa: BLE001 - any failure to hand over is retried
        return _failed(notification, exc, now)
    Notification.objects.filter(pk=notification_id, status=Status.SENDING).update(
        status=Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return Outcome.SENT


def _failed(notification: Notification, exc: Exception, now: datetime) -> Outcome:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    if notification.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        Notification.objects.filter(pk=notification.pk).update(
            status=Status.FAILED, last_error=error
        )
        logger.error("Notification %s failed for good: %s", notification.pk, error)
        return Outcome.FAILED
    Notification.objects.filter(pk=notification.pk).update(
        status=Status.PENDING,
        last_error=error,
        next_attempt_at=now + retry_delay(notification.attempts),
    )
    logger.warning(
        "Notification %s not sent (attempt %s): %s", notification.pk, notification.attempts, error
    )
    return Outcome.RETRY


def reclaim_stale(*, now: datetime | None = None) -> int:
    """Put back rows whose worker died while sending them (claimed longer than a task may run)."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT_SECONDS)
    return Notification.objects.filter(status=Status.SENDING, claimed_at__lt=stale).update(
        status=Status.PENDING, next_attempt_at=now
    )


def due_ids(*, now: datetime | None = None, limit: int = 1000) -> list[int]:
    """Pending notifications whose next attempt is due, oldest first."""
    now = now or timezone.now()
    return list(
        Notification.objects.filter(status=Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def retry_now(notification_ids: list[int], *, now: datetime | None = None) -> int:
    """Give failed or pending notifications a fresh start (the admin's action)."""
    now = now or timezone.now()
    return Notification.objects.filter(
        pk__in=notification_ids, status__in=[Status.FAILED, Status.PENDING]
    ).update(status=Status.PENDING, attempts=0, next_attempt_at=now, last_error="")
