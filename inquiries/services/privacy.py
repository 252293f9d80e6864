"""Data-protection requests: everything held about an e-mail address, exported or erased.

A service manager serves them from the workspace. The export is what the service desk holds
about the person (their contact details, requests, messages both public and internal, file
names, e-mails sent to them, general feedback, sign-in links), for the manager to review and
send. The erasure ends the person's open requests (withdrawn on their behalf) and anonymises
every request as the retention job does: personal data and texts go, numbers and times stay.
Each act is recorded in `DataProtectionAct` with the address's hash only.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, Q

from crm.models import Contact, DataProtectionAct, User
from mailin.models import InboundMail
from mailin.retention import forget_mail
from notifications.models import Notification

from ..models import Attachment, Inquiry, ServiceFeedback
from ._base import lock_inquiry, now_or_current, write_log
from .retention import REMOVED, anonymise_inquiry


def normalise(email: str) -> str:
    return email.strip().lower()


def email_hash(email: str) -> str:
    return hashlib.sha256(normalise(email).encode()).hexdigest()


@dataclass(frozen=True)
class Found:
    """How much is held about an address (what the page shows before export or erasure)."""

    contacts: int
    requests: int
    open_requests: int
    anonymised_requests: int
    messages: int
    files: int
    emails_sent: int
    emails_received: int
    feedback: int

    @property
    def anything(self) -> bool:
        return bool(self.contacts or self.feedback or self.emails_sent or self.emails_received)


def _contact(email: str) -> Contact | None:
    address = normalise(email)
    return Contact.objects.filter(email=address).first() if address else None


def _notifications(email: str, contact: Contact | None):
    condition = Q(recipient_email__iexact=normalise(email))
    if contact is not None:
        condition |= Q(recipient_contact=contact)
    return Notification.objects.filter(condition)


def _received(email: str, contact: Contact | None):
    address = normalise(email)
    condition = Q(from_address__iexact=address) | Q(envelope_from__iexact=address)
    if contact is not None:
        condition |= Q(inquiry__contact=contact)
    return InboundMail.objects.filter(condition, forgotten_at=None)


def find(email: str) -> Found:
    """Count what is held about the address, in a fixed number of queries."""
    contact = _contact(email)
    inquiries = Inquiry.objects.filter(contact=contact) if contact else Inquiry.objects.none()
    counts = inquiries.aggregate(
        requests=Count("pk"),
        open=Count("pk", filter=Q(status__in=Inquiry.OPEN_STATES)),
        anonymised=Count("pk", filter=Q(anonymised_at__isnull=False)),
    )
    return Found(
        contacts=int(contact is not None),
        requests=counts["requests"],
        open_requests=counts["open"],
        anonymised_requests=counts["anonymised"],
        messages=inquiries.aggregate(n=Count("messages"))["n"] if contact else 0,
        files=Attachment.objects.filter(inquiry__in=inquiries).count() if contact else 0,
        emails_sent=_notifications(email, contact).count(),
        emails_received=_received(email, contact).count(),
        feedback=ServiceFeedback.objects.filter(email__iexact=normalise(email)).count(),
    )


def _when(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def export_personal_data(*, email: str, actor: User, now: datetime | None = None) -> dict[str, Any]:
    """Everything held about the address, as JSON-ready data; the act is recorded."""
    now = now_or_current(now)
    contact = _contact(email)
    data: dict[str, Any] = {"email": normalise(email), "exported_at": now.isoformat()}
    data["contact"] = None
    data["requests"] = []
    if contact is not None:
        data["contact"] = {
            "name": contact.name,
            "email": contact.email,
            "phone": contact.phone,
            "language": contact.language,
            "company": contact.company.name if contact.company else None,
            "business_id": contact.company.business_id if contact.company else None,
            "first_seen": _when(contact.created_at),
        }
        inquiries = (
            Inquiry.objects.filter(contact=contact)
            .select_related("unit", "request_type")
            .prefetch_related("messages", "attachments", "transitions")
            .order_by("submitted_at", "pk")
        )
        data["requests"] = [_request(inquiry) for inquiry in inquiries]
    data["emails_sent"] = [
        {
            "to": mail.recipient_email,
            "subject": mail.subject,
            "status": mail.status,
            "created_at": _when(mail.created_at),
            "sent_at": _when(mail.sent_at),
        }
        for mail in _notifications(email, contact).order_by("created_at", "pk")
    ]
    data["emails_received"] = [
        {
            "from": mail.from_address,
            "name": mail.from_name,
            "to": mail.recipient,
            "subject": mail.subject,
            "received_at": _when(mail.received_at),
            "text": mail.body,
            "outcome": mail.outcome,
        }
        for mail in _received(email, contact).order_by("received_at", "pk")
    ]
    data["service_feedback"] = [
        {"name": item.name, "message": item.message, "received": _when(item.created_at)}
        for item in ServiceFeedback.objects.filter(email__iexact=normalise(email))
    ]
    data["sign_in_links"] = (
        [
            {"created_at": _when(link.created_at), "used_at": _when(link.used_at)}
            for link in contact.sign_in_links.order_by("created_at")
        ]
        if contact
        else []
    )
    DataProtectionAct.objects.create(
        kind=DataProtectionAct.Kind.EXPORT,
        email_hash=email_hash(email),
        actor=actor,
        at=now,
        summary=asdict(find(email)),
    )
    return data


def _request(inquiry: Inquiry) -> dict[str, Any]:
    return {
        "reference": inquiry.reference,
        "submitted_at": _when(inquiry.submitted_at),
        "status": inquiry.status,
        "channel": inquiry.channel,
        "unit": inquiry.unit.code if inquiry.unit else None,
        "request_type": inquiry.request_type.code,
        "subject": inquiry.subject,
        "description": inquiry.description,
        "company_name": inquiry.company_name,
        "language": inquiry.language,
        "anonymised_at": _when(inquiry.anonymised_at),
        "messages": [
            {
                "at": _when(message.created_at),
                "kind": message.kind,
                # Internal notes are personal data too; the manager decides what is sent.
                "visibility": message.visibility,
                "body": message.body,
            }
            for message in sorted(inquiry.messages.all(), key=lambda item: item.created_at)
        ],
        "files": [
            {"name": attachment.original_name, "size": attachment.size}
            for attachment in inquiry.attachments.all()
        ],
        "history": [
            {"at": _when(step.at), "step": step.name, "status": step.target}
            for step in sorted(inquiry.transitions.all(), key=lambda item: item.at)
        ],
    }


@transaction.atomic
def erase_personal_data(*, email: str, actor: User, now: datetime | None = None) -> Found:
    """End and anonymise every request of the address, and remove its other personal data.

    Returns what was found before the erasure (as recorded with the act).
    """
    now = now_or_current(now)
    found = find(email)
    contact = _contact(email)
    if contact is not None:
        for inquiry_id in contact.inquiries.order_by("pk").values_list("pk", flat=True):
            _end(inquiry_id, contact, now)
            anonymise_inquiry(inquiry_id=inquiry_id, now=now, reason="data-protection request")
        contact.sign_in_links.all().delete()
    address = normalise(email)
    forget_mail(_received(email, contact), now=now, discard=True)
    _notifications(email, None).update(
        recipient_email="removed@invalid.invalid", subject=REMOVED, body_text="", body_html=""
    )
    ServiceFeedback.objects.filter(email__iexact=address).update(name="", email="", message=REMOVED)
    DataProtectionAct.objects.create(
        kind=DataProtectionAct.Kind.ERASE,
        email_hash=email_hash(email),
        actor=actor,
        at=now,
        summary=asdict(found),
    )
    return found


def _end(inquiry_id: int, contact: Contact, now: datetime) -> None:
    """Withdraw an open request and close a resolved one, so that it can be anonymised."""
    inquiry = lock_inquiry(inquiry_id)
    if inquiry.status in Inquiry.OPEN_STATES:
        status = inquiry.status
        inquiry.withdraw(now=now)
        inquiry.save()
        write_log(inquiry, "withdraw", status, now=now, contact=contact, note="data-protection")
    elif inquiry.status == Inquiry.Status.RESOLVED:
        inquiry.close(now=now)
        inquiry.save()
        write_log(inquiry, "close", Inquiry.Status.RESOLVED, now=now, note="data-protection")
