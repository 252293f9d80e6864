"""Data protection: personal data of long-closed requests is removed; the numbers stay."""

from __future__ import annotations

from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction

from crm.models import Contact
from notifications.models import Notification

from ..models import Inquiry
from ._base import lock_inquiry, now_or_current, write_log

REMOVED = "—"
ENDED = [Inquiry.Status.CLOSED, Inquiry.Status.WITHDRAWN]


def _anonymise_contact_if_unused(contact: Contact) -> None:
    # The person may have newer requests; their contact details stay until those go too.
    if contact.inquiries.filter(anonymised_at=None).exists():
        return
    Contact.objects.filter(pk=contact.pk).update(
        name=REMOVED,
        email=f"anonymised-{contact.pk}@invalid.invalid",
        phone="",
        company=None,
    )


@transaction.atomic
def anonymise_inquiry(*, inquiry_id: int, now: datetime | None = None, reason: str = "") -> bool:
    """Remove the personal data of one ended inquiry; keep its times, states and counts."""
    now = now_or_current(now)
    inquiry = lock_inquiry(inquiry_id)
    if inquiry.anonymised_at is not None or inquiry.status not in ENDED:
        return False
    for attachment in inquiry.attachments.all():
        attachment.file.delete(save=False)
    inquiry.attachments.all().delete()
    inquiry.messages.update(body=REMOVED)
    inquiry.tracking_links.all().delete()
    inquiry.transitions.update(note="")
    inquiry.routing_decisions.update(reason="", matched_words="")
    Notification.objects.filter(inquiry=inquiry).update(
        recipient_email="removed@invalid.invalid", subject=REMOVED, body_text="", body_html=""
    )
    Inquiry.objects.filter(pk=inquiry.pk).update(
        subject=REMOVED, description=REMOVED, company_name="", anonymised_at=now
    )
    inquiry.anonymised_at = now
    write_log(inquiry, "anonymise", inquiry.status, now=now, note=reason)
    _anonymise_contact_if_unused(inquiry.contact)
    return True


def anonymise_old_inquiries(*, now: datetime | None = None) -> int:
    """Anonymise every request that ended longer ago than RETENTION_MONTHS."""
    now = now_or_current(now)
    cutoff = now - relativedelta(months=settings.RETENTION_MONTHS)
    ids = Inquiry.objects.filter(
        status__in=ENDED, closed_at__lte=cutoff, anonymised_at=None
    ).values_list("pk", flat=True)
    return sum(anonymise_inquiry(inquiry_id=pk, now=now) for pk in list(ids))
