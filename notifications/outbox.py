"""Write e-mails to the outbox in the same transaction as the event; deliver after commit.

Services call the `notify_*` functions. Each renders the mail in its reader's language now,
stores it as a Notification row, and asks Celery to deliver it once the transaction commits.
If the broker is down the row simply waits: the sweep (`delivery.sweep`) sends it later.

A notice to several staff members is rendered once per language, not once per reader: staff
templates may use only the reader's name (`recipient.name`, the greeting), which is put into
each copy afterwards; every copy is the text a rendering of its own would give
(tests/notifications/test_emails.py compares them). Its rows are written with one INSERT and
handed to Celery as one task. Inside `one_task()` every mail the block writes goes out with one
INSERT and one task (a submission: the receipt and the unit's notices).
"""

from __future__ import annotations

import logging
import secrets
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
from django.utils.html import conditional_escape
from django.utils.text import wrap

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
    notification = _row(kind, inquiry, recipient, _render(kind, ctx, recipient.language), now=now)
    notification.save()
    _send_after_commit([notification.pk])
    return notification


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def _render(kind: str, ctx: dict[str, Any], language: str) -> Rendered:
    with translation.override(language):
        subject = " ".join(render_to_string(f"emails/{kind}.subject.txt", ctx).split())
        text = render_to_string(f"emails/{kind}.txt", ctx)
        html = render_to_string(f"emails/{kind}.html", ctx)
    return Rendered(subject, text, html)


def _row(
    kind: str, inquiry: Inquiry | None, recipient: Recipient, mail: Rendered, *, now: datetime
) -> Notification:
    return Notification(
        inquiry=inquiry,
        kind=kind,
        language=recipient.language,
        recipient_email=recipient.email,
        recipient_user=recipient.user,
        recipient_contact=recipient.contact,
        subject=mail.subject[:255],
        body_text=mail.text,
        body_html=mail.html,
        message_id=_message_id(),
        created_at=now,
        next_attempt_at=now,
    )


# The text templates wrap at this width ({% filter wordwrap:78 %}; test_emails checks it).
TEXT_WIDTH = 78


def _rendered_for_each(
    kind: str, ctx: dict[str, Any], language: str, recipients: list[Recipient]
) -> list[Rendered]:
    """One rendering for all `recipients` (same language), with each one's name put in.

    Staff templates use only `recipient.name`. The mail is rendered once with a placeholder for
    the name; each copy gets its reader's name (escaped in the HTML), exactly where a rendering
    of its own would have put it. In the text the name's line must be a paragraph of its own
    that `wordwrap` leaves as it is; a name that would be wrapped gets a rendering of its own.
    """
    if len(recipients) == 1:
        return [_render(kind, ctx | {"recipient": recipients[0]}, language)]
    placeholder = f"recipient-name-{secrets.token_hex(8)}"
    shared = _render(kind, ctx | {"recipient": Recipient("", language, placeholder)}, language)
    lines = shared.text.split("\n")
    name_lines = [i for i, line in enumerate(lines) if placeholder in line]
    standalone = all(
        (i == 0 or not lines[i - 1].strip()) and (i == len(lines) - 1 or not lines[i + 1].strip())
        for i in name_lines
    )
    mails = []
    for recipient in recipients:
        name = recipient.name
        named = [lines[i].replace(placeholder, name) for i in name_lines]
        if not standalone or any(wrap(line, TEXT_WIDTH) != line for line in named):
            mails.append(_render(kind, ctx | {"recipient": recipient}, language))
            continue
        mails.append(
            Rendered(
                " ".join(shared.subject.replace(placeholder, name).split()),
                shared.text.replace(placeholder, name),
                shared.html.replace(placeholder, conditional_escape(name)),
            )
        )
    return mails


def _write_together(notifications: list[Notification]) -> list[Notification]:
    """Store the rows with one INSERT and hand them to Celery as one task after commit."""
    Notification.objects.bulk_create(notifications)
    _send_after_commit([n.pk for n in notifications])
    return notifications


_deliver_after_commit: ContextVar[bool] = ContextVar("deliver_after_commit", default=True)
_one_task: ContextVar[list[int] | None] = ContextVar("outbox_one_task", default=None)


@contextmanager
def held_for_sweep() -> Iterator[None]:
    """Write outbox rows without enqueueing each one (bulk work); the sweep delivers them."""
    token = _deliver_after_commit.set(False)
    try:
        yield
    finally:
        _deliver_after_commit.reset(token)


@contextmanager
def one_task() -> Iterator[None]:
    """Deliver every mail the block writes with one Celery task after commit (not one each).

    Use it inside the event's transaction. If the block raises, nothing is enqueued (and the
    transaction's rollback takes the rows away).
    """
    ids: list[int] = []
    token = _one_task.set(ids)
    try:
        yield
    finally:
        _one_task.reset(token)
    _send_after_commit(ids)


def _send_after_commit(notification_ids: list[int]) -> None:
    if not notification_ids or not _deliver_after_commit.get():
        return
    collected = _one_task.get()
    if collected is not None:
        collected.extend(notification_ids)
    else:
        transaction.on_commit(partial(send_soon, notification_ids))


def send_soon(notification_ids: list[int]) -> None:
    """Hand notifications to Celery (one task); if the broker is down, the sweep sends them."""
    from .tasks import deliver_notifications

    try:
        deliver_notifications.apply_async((list(notification_ids),), retry=False)
    except Exception:  # noqa: BLE001 - any broker failure: the rows are safe in the outbox
        logger.warning(
            "Broker unavailable; notification %s waits for the sweep",
            ", ".join(map(str, notification_ids)),
        )


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
    """Write a mail to each staff member: rendered once per language, stored with one INSERT."""
    ctx = {"message": message} | (context or {})
    if any(r.user is None or r.contact is not None for r in recipients):
        # Not (only) staff: each reader gets a mail of their own (a requester, their own link).
        return [enqueue(kind, inquiry, r, now=now, context=ctx) for r in recipients]
    ctx = {"inquiry": inquiry, "site_url": settings.SITE_URL} | ctx
    if inquiry is not None:
        ctx.setdefault("staff_url", staff_inquiry_url(inquiry))
    by_language: dict[str, list[int]] = {}
    for index, recipient in enumerate(recipients):
        by_language.setdefault(recipient.language, []).append(index)
    rows: list[Notification | None] = [None] * len(recipients)
    for language, indexes in by_language.items():
        mails = _rendered_for_each(kind, ctx, language, [recipients[i] for i in indexes])
        for index, mail in zip(indexes, mails, strict=True):
            rows[index] = _row(kind, inquiry, recipients[index], mail, now=now)
    return _write_together([row for row in rows if row is not None])


def handlers_of(inquiry: Inquiry) -> list[Recipient]:
    """The assignee if there is one, else everyone in the unit."""
    if inquiry.assignee_id and inquiry.assignee.is_active and inquiry.assignee.email:
        return [staff_member(inquiry.assignee)]
    return unit_members(inquiry.unit)
