"""Received mail is a log: after MAILIN_KEEP_DAYS its personal data goes; the request keeps its."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from .models import InboundFile, InboundMail

REMOVED = "—"


def forget_old_mail(*, now: datetime | None = None) -> int:
    """Remove addresses, subjects, texts and files of mail received long ago (not waiting)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.MAILIN_KEEP_DAYS)
    old = InboundMail.objects.filter(received_at__lt=cutoff, forgotten_at=None).exclude(
        review=InboundMail.Review.PENDING
    )
    return forget_mail(old, now=now)


def forget_mail(mails: QuerySet[InboundMail], *, now: datetime, discard: bool = False) -> int:
    """Remove the personal data of these mails (and their files); `discard` also ends a
    pending review (a data-protection erasure: nobody is to act on them any more)."""
    with transaction.atomic():
        # Locked by id: a filter through a nullable join cannot take FOR UPDATE (PostgreSQL).
        chosen = list(mails.values_list("pk", flat=True))
        locked = InboundMail.objects.filter(pk__in=chosen).select_for_update()
        ids = list(locked.values_list("pk", flat=True))
        if discard:
            InboundMail.objects.filter(pk__in=ids, review=InboundMail.Review.PENDING).update(
                review=InboundMail.Review.DISCARDED, reviewed_at=now
            )
        files = list(InboundFile.objects.filter(mail__in=ids))
        stored = [(kept.file.storage, kept.file.name) for kept in files]
        InboundFile.objects.filter(mail__in=ids).delete()
        count = InboundMail.objects.filter(pk__in=ids).update(
            envelope_from="",
            recipient="",
            from_address="",
            from_name="",
            subject=REMOVED,
            references="",
            body="",
            note="",
            forgotten_at=now,
        )
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in stored])
    return count
