"""What a requester does, authenticated by their tracking link or sign-in link."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed

from crm.models import Contact
from notifications import outbox
from notifications.models import Notification

from ..attachments import CheckedFile
from ..models import Inquiry, Message
from ._base import (
    lock_inquiry,
    now_or_current,
    require_text,
    save_attachments,
    take_transition,
    write_log,
    write_message,
)

Kind = Notification.Kind


def require_requester(contact: Contact, inquiry: Inquiry) -> None:
    if contact.pk != inquiry.contact_id:
        raise PermissionDenied(_("This request is not yours."))


@transaction.atomic
def add_customer_message(
    *,
    inquiry_id: int,
    contact: Contact,
    body: str,
    attachments: Sequence[CheckedFile] = (),
    now: datetime | None = None,
) -> Message:
    """Add the requester's message (and files); an answer to our question restarts the clock."""
    now = now_or_current(now)
    if attachments and not body.strip():
        body = _("(files attached)")
    body = require_text("body", body, _("Write your message."))
    inquiry = lock_inquiry(inquiry_id)
    require_requester(contact, inquiry)
    if inquiry.status == Inquiry.Status.AWAITING_CUSTOMER:
        take_transition(inquiry, inquiry.customer_reply, now=now, contact=contact)
    elif not inquiry.is_open:
        raise TransitionNotAllowed(
            _("Request %s is no longer open. Reopen it or send a new request.") % inquiry.reference,
            object=inquiry,
        )
    message = write_message(inquiry, Message.Kind.CUSTOMER, body, now=now, contact=contact)
    save_attachments(inquiry, attachments, now=now, message=message)
    outbox.notify_staff(
        inquiry, Kind.REQUESTER_REPLIED, outbox.handlers_of(inquiry), now=now, message=message
    )
    return message


@transaction.atomic
def reopen_inquiry(
    *, inquiry_id: int, contact: Contact, reason: str, now: datetime | None = None
) -> Inquiry:
    """Reopen a resolved inquiry within the reopening period; counted as a reopen."""
    now = now_or_current(now)
    reason = require_text("reason", reason, _("Tell us what is still missing."))
    inquiry = lock_inquiry(inquiry_id)
    require_requester(contact, inquiry)
    deadline = inquiry.reopen_deadline()
    if deadline is not None and now > deadline:
        raise TransitionNotAllowed(
            _("Request %(reference)s can no longer be reopened: %(days)s days have passed.")
            % {"reference": inquiry.reference, "days": settings.REOPEN_WINDOW_DAYS},
            object=inquiry,
        )
    take_transition(inquiry, inquiry.reopen, now=now, contact=contact, note=reason)
    message = write_message(inquiry, Message.Kind.CUSTOMER, reason, now=now, contact=contact)
    outbox.notify_staff(
        inquiry,
        Kind.REQUESTER_REPLIED,
        outbox.handlers_of(inquiry),
        now=now,
        message=message,
        context={"reopened": True},
    )
    return inquiry


@transaction.atomic
def withdraw_inquiry(
    *, inquiry_id: int, contact: Contact, reason: str = "", now: datetime | None = None
) -> Inquiry:
    """Withdraw an open inquiry at the requester's wish."""
    now = now_or_current(now)
    inquiry = lock_inquiry(inquiry_id)
    require_requester(contact, inquiry)
    take_transition(inquiry, inquiry.withdraw, now=now, contact=contact, note=reason.strip())
    return inquiry


@transaction.atomic
def rate_inquiry(
    *,
    inquiry_id: int,
    contact: Contact,
    rating: int,
    comment: str = "",
    now: datetime | None = None,
) -> Inquiry:
    """Record the requester's rating (1 to 5) of how their resolved request was served, once."""
    now = now_or_current(now)
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Choose a rating from 1 to 5.")})
    comment = comment.strip()
    if len(comment) > 2000:
        raise ValidationError({"comment": _("Keep the comment under 2,000 characters.")})
    inquiry = lock_inquiry(inquiry_id)
    require_requester(contact, inquiry)
    if not inquiry.can_be_rated:
        raise TransitionNotAllowed(
            _("Request %s cannot be rated now: it is rated already or not resolved.")
            % inquiry.reference,
            object=inquiry,
        )
    Inquiry.objects.filter(pk=inquiry.pk).update(
        rating=rating, rating_comment=comment, rated_at=now
    )
    inquiry.rating, inquiry.rating_comment, inquiry.rated_at = rating, comment, now
    write_log(inquiry, "rate", inquiry.status, now=now, contact=contact, note=str(rating))
    return inquiry
