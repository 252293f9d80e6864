"""Write e-mails to the outbox in the same transaction as the event; deliver after commit.

Services call the `notify_*` functions. Each renders the mail in its reader's language now,
stores it as a Notification row, and asks Celery to deliver it once the transaction commits.
If the broker is down the row simply waits: the sweep (`delivery.sweep`) sends it later.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from email.utils import make_msgid
from functools import partial
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from crm.models import Contact, Membership, Unit, User
from crm.translation import pick_language

from .models import Notification

if TYPE_CHECKING:
    from inquiries.models import Inquiry, Message

logger = logging.getLogger(__name__)
Kind = Notification.Kind


@dataclass(frozen=True)
class Recipient:
    email: str
    language: str
    name: str
    user: User | None = None
    contact: Contact | None = None


def requester_of(inquiry: Inquiry) -> Recipient:
    contact = inquiry.contact
    return Recipient(contact.email, inquiry.language, contact.name, contact=contact)


def staff_member(user: User) -> Recipient:
    return Recipient(user.email, pick_language(user.language), str(user), user=user)


def _members(unit: Unit, *roles: str) -> list[Recipient]:
    users = (
        User.objects.filter(memberships__unit=unit, memberships__role__in=roles, is_active=True)
        .exclude(email="")
        .order_by("pk")
    )
    return [staff_member(user) for user in users]


def unit_members(unit: Unit) -> list[Recipient]:
    return _members(unit, Membership.Role.HANDLER, Membership.Role.MANAGER)


def unit_managers(unit: Unit) -> list[Recipient]:
    """The unit's managers; without any, the service managers, so a breach never goes unseen."""
    managers = _members(unit, Membership.Role.MANAGER)
    if managers:
        return managers
    users = User.objects.filter(Q(is_service_manager=True), is_active=True).exclude(email="")
    return [staff_member(user) for user in users.order_by("pk")]


def staff_inquiry_url(inquiry: Inquiry) -> str:
    """The page where staff open this request."""
    return settings.SITE_URL + reverse("workspace:inquiry", kwargs={"reference": inquiry.reference})


def tracking_url_for(inquiry: Inquiry, *, now: datetime) -> str:
    """A new private link for the requester (each mail has its own; all lead to the request)."""
    from inquiries.models import TrackingLink

    token = TrackingLink.objects.create_for(inquiry, now=now)
    return settings.SITE_URL + reverse("portal:track", kwargs={"token": token})


def _message_id() -> str:
    domain = settings.EMAIL_MESSAGE_ID_DOMAIN or urlsplit(settings.SITE_URL).hostname
    return make_msgid(domain=domain or "localhost")


def enqueue(
    kind: str,
    inquiry: Inquiry | None,
    recipient: Recipient,
    *,
    now: datetime,
    context: dict[str, Any] | None = None,
) -> Notification:
    """Render one mail in the recipient's language, store it, and deliver it after commit."""
    ctx = {"inquiry": inquiry, "recipient": recipient, "site_url": settings.SITE_URL}
    ctx |= context or {}
    if inquiry is not None and recipient.contact is not None and "tracking_url" not in ctx:
        ctx["tracking_url"] = tracking_url_for(inquiry, now=now)
    if inquiry is not None and recipient.user is not None:
        ctx.setdefault("staff_url", staff_inquiry_url(inquiry))
    with translation.override(recipient.language):
        subject = " ".join(render_to_string(f"emails/{kind}.subject.txt", ctx).split())
        text = render_to_string(f"emails/{kind}.txt", ctx)
        html = render_to_string(f"emails/{kind}.html", ctx)
    notification = Notification.objects.create(
        inquiry=inquiry,
        kind=kind,
        language=recipient.language,
        recipient_email=recipient.email,
        recipient_user=recipient.user,
        recipient_contact=recipient.contact,
        subject=subject[:255],
        body_text=text,
        body_html=html,
        message_id=_message_id(),
        created_at=now,
        next_attempt_at=now,
    )
    if _deliver_after_commit.get():
        transaction.on_commit(partial(send_soon, notification.pk))
    return notification


_deliver_after_commit: ContextVar[bool] = ContextVar("deliver_after_commit", default=True)


@contextmanager
def held_for_sweep() -> Iterator[None]:
    """Write outbox rows without enqueueing each one (bulk work); the sweep delivers them."""
    token = _deliver_after_commit.set(False)
    try:
        yield
    finally:
        _deliver_after_commit.reset(token)


def send_soon(notification_id: int) -> None:
    """Hand a notification to Celery; if the broker is down, the sweep delivers it later."""
    from .tasks import deliver_notification

    try:
        deliver_notification.apply_async((notification_id,), retry=False)
    except Exception:  # noqa: BLE001 - any broker failure: the row is safe in the outbox
        logger.warning("Broker unavailable; notification %s waits for the sweep", notification_id)


# -- what the services call -------------------------------------------------------------------


def notify_requester(
    inquiry: Inquiry,
    kind: str,
    *,
    now: datetime,
    message: Message | None = None,
    context: dict[str, Any] | None = None,
) -> Notification | None:
    """Write a mail to the requester; none when they gave no e-mail address (recorded by staff)."""
    if not inquiry.contact.email:
        return None
    ctx = {"message": message} | (context or {})
    return enqueue(kind, inquiry, requester_of(inquiry), now=now, context=ctx)


def notify_staff(
    inquiry: Inquiry,
    kind: str,
    recipients: list[Recipient],
    *,
    now: datetime,
    message: Message | None = None,
    context: dict[str, Any] | None = None,
) -> list[Notification]:
    ctx = {"message": message} | (context or {})
    return [enqueue(kind, inquiry, r, now=now, context=ctx) for r in recipients]


def handlers_of(inquiry: Inquiry) -> list[Recipient]:
    """The assignee if there is one, else everyone in the unit."""
    if inquiry.assignee_id and inquiry.assignee.is_active and inquiry.assignee.email:
        return [staff_member(inquiry.assignee)]
    return unit_members(inquiry.unit)
