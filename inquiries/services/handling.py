"""What handlers and unit managers do to an inquiry of their unit."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed

from crm.models import Membership, Unit, User
from notifications import outbox
from notifications.models import Notification

from ..models import Inquiry, Message, RoutingDecision
from ._base import (
    lock_inquiry,
    now_or_current,
    require_perm,
    require_text,
    take_transition,
    write_message,
)

Kind = Notification.Kind


@transaction.atomic
def claim_inquiry(*, inquiry_id: int, handler: User, now: datetime | None = None) -> Inquiry:
    """Take an unassigned inquiry of one's unit into one's own work."""
    now = now_or_current(now)
    inquiry = lock_inquiry(inquiry_id)
    require_perm(handler, "inquiries.claim_inquiry", inquiry)
    if inquiry.assignee_id is not None:
        raise TransitionNotAllowed(
            _("Request %(reference)s was already taken by %(name)s.")
            % {"reference": inquiry.reference, "name": inquiry.assignee},
            object=inquiry,
        )
    take_transition(inquiry, inquiry.claim, handler, now=now, user=handler)
    return inquiry


@transaction.atomic
def assign_inquiry(
    *, inquiry_id: int, manager: User, assignee: User, now: datetime | None = None
) -> Inquiry:
    """Give an inquiry to a handler of its unit (unit managers)."""
    now = now_or_current(now)
    inquiry = lock_inquiry(inquiry_id)
    require_perm(manager, "inquiries.assign_inquiry", inquiry)
    if not Membership.objects.filter(user=assignee, unit_id=inquiry.unit_id).exists():
        raise ValidationError(
            {
                "assignee": _("%(name)s is not a handler of %(unit)s.")
                % {"name": assignee, "unit": inquiry.unit}
            }
        )
    take_transition(inquiry, inquiry.assign, assignee, now=now, user=manager, note=str(assignee))
    if assignee.pk != manager.pk:
        outbox.notify_staff(inquiry, Kind.ASSIGNED, [outbox.staff_member(assignee)], now=now)
    return inquiry


@transaction.atomic
def transfer_inquiry(
    *, inquiry_id: int, actor: User, unit: Unit, reason: str, now: datetime | None = None
) -> Inquiry:
    """Send an inquiry to another unit with a reason; counted as a routing miss."""
    now = now_or_current(now)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the request belongs to another unit.")})
    inquiry = lock_inquiry(inquiry_id)
    require_perm(actor, "inquiries.transfer_inquiry", inquiry)
    if unit.pk == inquiry.unit_id:
        raise ValidationError({"unit": _("The request is already in %(unit)s.") % {"unit": unit}})
    from_unit = inquiry.unit
    take_transition(inquiry, inquiry.transfer, unit, now=now, user=actor, note=reason)
    RoutingDecision.objects.create(
        inquiry=inquiry,
        kind=RoutingDecision.Kind.TRANSFER,
        from_unit=from_unit,
        unit=unit,
        reason=reason,
        decided_by=actor,
        decided_at=now,
    )
    outbox.notify_staff(
        inquiry,
        Kind.NEW_IN_UNIT,
        outbox.unit_members(unit),
        now=now,
        context={"transfer_reason": reason, "from_unit": from_unit},
    )
    return inquiry


@transaction.atomic
def reply_to_inquiry(
    *, inquiry_id: int, handler: User, body: str, now: datetime | None = None
) -> Message:
    """Send the requester a public reply; the first one is the first response."""
    now = now_or_current(now)
    body = require_text("body", body, _("Write the reply."))
    inquiry = lock_inquiry(inquiry_id)
    require_perm(handler, "inquiries.reply_inquiry", inquiry)
    if not inquiry.is_open:
        raise TransitionNotAllowed(
            _("Request %s is no longer open; it cannot be replied to.") % inquiry.reference,
            object=inquiry,
        )
    if inquiry.first_response_at is None:
        inquiry.note_first_response(now)
        inquiry.save(update_fields=["first_response_at", "first_response_seconds", "updated_at"])
    message = write_message(inquiry, Message.Kind.REPLY, body, now=now, user=handler)
    outbox.notify_requester(inquiry, Kind.REPLY, now=now, message=message)
    return message


@transaction.atomic
def add_internal_note(
    *, inquiry_id: int, handler: User, body: str, now: datetime | None = None
) -> Message:
    """Add a note only staff can read."""
    now = now_or_current(now)
    body = require_text("body", body, _("Write the note."))
    inquiry = lock_inquiry(inquiry_id)
    require_perm(handler, "inquiries.note_inquiry", inquiry)
    return write_message(inquiry, Message.Kind.NOTE, body, now=now, user=handler)


@transaction.atomic
def ask_customer(
    *, inquiry_id: int, handler: User, question: str, now: datetime | None = None
) -> Message:
    """Ask the requester something; the clock pauses until they answer."""
    now = now_or_current(now)
    question = require_text("question", question, _("Write the question."))
    inquiry = lock_inquiry(inquiry_id)
    require_perm(handler, "inquiries.ask_customer", inquiry)
    take_transition(inquiry, inquiry.ask_customer, now=now, user=handler)
    message = write_message(inquiry, Message.Kind.QUESTION, question, now=now, user=handler)
    outbox.notify_requester(inquiry, Kind.QUESTION, now=now, message=message)
    return message


@transaction.atomic
def resolve_inquiry(
    *, inquiry_id: int, handler: User, outcome: str, now: datetime | None = None
) -> Message:
    """Resolve an inquiry with a public message that tells the outcome."""
    now = now_or_current(now)
    outcome = require_text("outcome", outcome, _("Tell the requester the outcome."))
    inquiry = lock_inquiry(inquiry_id)
    require_perm(handler, "inquiries.resolve_inquiry", inquiry)
    take_transition(inquiry, inquiry.resolve, now=now, user=handler)
    message = write_message(inquiry, Message.Kind.RESOLUTION, outcome, now=now, user=handler)
    outbox.notify_requester(inquiry, Kind.RESOLUTION, now=now, message=message)
    return message


@transaction.atomic
def close_inquiry_unactioned(
    *,
    inquiry_id: int,
    handler: User,
    reason: str,
    message: str = "",
    duplicate_of: str = "",
    now: datetime | None = None,
) -> Inquiry:
    """Close without handling: a duplicate (of a reference), spam, or out of scope (referral)."""
    now = now_or_current(now)
    message = message.strip()
    if reason not in Inquiry.CloseReason.values:
        raise ValidationError({"reason": _("Choose duplicate, spam or out of scope.")})
    inquiry = lock_inquiry(inquiry_id)
    require_perm(handler, "inquiries.close_inquiry_unactioned", inquiry)
    original = None
    if reason == Inquiry.CloseReason.DUPLICATE:
        original = Inquiry.objects.exclude(pk=inquiry.pk).filter(reference=duplicate_of).first()
        if original is None:
            raise ValidationError(
                {"duplicate_of": _("Give the reference of the request this one repeats.")}
            )
    if reason == Inquiry.CloseReason.OUT_OF_SCOPE and not message:
        raise ValidationError(
            {"message": _("Tell the requester where to turn instead (a referral).")}
        )
    if reason == Inquiry.CloseReason.SPAM:
        message = ""  # nobody answers spam
    take_transition(
        inquiry,
        inquiry.close_unactioned,
        reason=reason,
        duplicate_of=original,
        now=now,
        user=handler,
        note=duplicate_of if original else message,
    )
    if message:
        closure = write_message(inquiry, Message.Kind.CLOSURE, message, now=now, user=handler)
        outbox.notify_requester(inquiry, Kind.CLOSURE, now=now, message=closure)
    return inquiry
