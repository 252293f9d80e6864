"""The requester's "my requests" sign-in by e-mail, and general feedback on the service."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from crm.models import Contact, SignInLink
from crm.tokens import hash_token, new_token
from notifications import outbox
from notifications.models import Notification

from ..models import ServiceFeedback
from ._base import now_or_current

SIGN_IN_VALID = timedelta(minutes=30)


@transaction.atomic
def request_sign_in_link(*, email: str, language: str, now: datetime | None = None) -> bool:
    """E-mail a one-time link to every request of this address; say nothing if there are none."""
    now = now_or_current(now)
    contact = Contact.objects.filter(email=email.strip().lower()).first()
    if contact is None or not contact.inquiries.filter(anonymised_at=None).exists():
        return False  # the page answers the same either way: no hint who has asked us
    token = new_token()
    SignInLink.objects.create(
        contact=contact,
        token_hash=hash_token(token),
        created_at=now,
        expires_at=now + SIGN_IN_VALID,
    )
    url = settings.SITE_URL + reverse("portal:sign-in", kwargs={"token": token})
    recipient = outbox.Recipient(contact.email, language, contact.name, contact=contact)
    outbox.enqueue(
        Notification.Kind.SIGN_IN,
        None,
        recipient,
        now=now,
        context={"sign_in_url": url, "valid_minutes": int(SIGN_IN_VALID.total_seconds() // 60)},
    )
    return True


@transaction.atomic
def redeem_sign_in_link(*, token: str, now: datetime | None = None) -> Contact | None:
    """Use a sign-in link once; return its contact, or None if it is unknown, used or expired."""
    now = now_or_current(now)
    used = SignInLink.objects.filter(
        token_hash=hash_token(token), used_at=None, expires_at__gt=now
    ).update(used_at=now)
    if not used:
        return None
    return SignInLink.objects.select_related("contact").get(token_hash=hash_token(token)).contact


def leave_service_feedback(
    *, message: str, language: str, name: str = "", email: str = "", now: datetime | None = None
) -> ServiceFeedback:
    """Keep feedback about Business Porvoo's service for the service managers."""
    return ServiceFeedback.objects.create(
        message=message.strip(),
        name=name.strip(),
        email=email.strip().lower(),
        language=language,
        created_at=now_or_current(now),
    )
