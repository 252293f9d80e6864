"""What every service shares: the clock, the row lock, the checks, the log and message rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed, can_proceed

from crm.models import Contact, User

from ..attachments import CheckedFile
from ..models import Attachment, Inquiry, Message, TransitionLog


def now_or_current(now: datetime | None) -> datetime:
    return now or timezone.now()


def write_log(
    inquiry: Inquiry,
    name: str,
    source: str,
    *,
    now: datetime,
    user: User | None = None,
    contact: Contact | None = None,
    note: str = "",
) -> TransitionLog:
    return TransitionLog.objects.create(
        inquiry=inquiry,
        name=name,
        source=source,
        target=inquiry.status,
        actor_user=user,
        actor_contact=contact,
        at=now,
        note=note,
    )


def write_message(
    inquiry: Inquiry,
    kind: str,
    body: str,
    *,
    now: datetime,
    user: User | None = None,
    contact: Contact | None = None,
) -> Message:
    visibility = Message.Visibility.INTERNAL if kind == Message.Kind.NOTE else "public"
    return Message.objects.create(
        inquiry=inquiry,
        kind=kind,
        visibility=visibility,
        body=body,
        author_user=user,
        author_contact=contact,
        created_at=now,
    )


def lock_inquiry(inquiry_id: int) -> Inquiry:
    # Row lock until commit: concurrent actions on one inquiry run one after the other,
    # and each sees the state the previous one left.
    return Inquiry.objects.select_for_update(of=("self",)).select_related("unit").get(pk=inquiry_id)


def require_perm(user: User, perm: str, inquiry: Inquiry) -> None:
    if not user.has_perm(perm, inquiry):
        raise PermissionDenied(_("You may not do this to request %s.") % inquiry.reference)


def take_transition(
    inquiry: Inquiry,
    method: Callable[..., Any],
    *args: Any,
    now: datetime,
    user: User | None = None,
    contact: Contact | None = None,
    note: str = "",
    **kwargs: Any,
) -> TransitionLog:
    """Take one transition, save, and write its log row."""
    if not can_proceed(method):
        raise TransitionNotAllowed(
            _("Request %(reference)s is %(status)s now; this step is no longer possible.")
            % {"reference": inquiry.reference, "status": inquiry.get_status_display()},
            object=inquiry,
            method=method,
        )
    source = inquiry.status
    method(*args, now=now, **kwargs)
    inquiry.save()
    return write_log(
        inquiry, method.__name__, source, now=now, user=user, contact=contact, note=note
    )


def require_text(field: str, text: str, message: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError({field: message})
    return text


def save_attachments(
    inquiry: Inquiry, files: Sequence[CheckedFile], *, now: datetime, message: Message | None = None
) -> list[Attachment]:
    """Store checked files with the inquiry (and the message they came with)."""
    saved = []
    for checked in files:
        attachment = Attachment(
            inquiry=inquiry,
            message=message,
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            created_at=now,
        )
        # The stored name is random (attachment_path); the original is kept only as data.
        attachment.file.save(checked.name, checked.file, save=False)
        attachment.save()
        saved.append(attachment)
    return saved
