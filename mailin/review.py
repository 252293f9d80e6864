"""What a person decides about a message that waits: confirm it, make a request of it, pass it on
to its request, or discard it. One atomic function each, the message row locked meanwhile.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed

from crm.models import User
from inquiries.attachments import CheckedFile
from inquiries.models import Inquiry, Message, TransitionLog
from inquiries.services import Submission, Submitted, add_customer_message, submit_inquiry
from routing.models import RequestType

from .models import InboundMail

Outcome, Review = InboundMail.Outcome, InboundMail.Review


class AlreadyReviewed(TransitionNotAllowed):
    """Someone decided about the message first."""


def _lock(mail_id: int, user: User) -> InboundMail:
    # Row lock until commit: two people deciding at once decide one after the other, and the
    # second is told the first one's decision.
    mail = InboundMail.objects.select_for_update(of=("self",)).get(pk=mail_id)
    if not user.has_perm("mailin.review_mail", mail):
        raise PermissionDenied(_("You may not decide about this message."))
    if mail.review != Review.PENDING:
        raise AlreadyReviewed(
            _("This message was already handled: %(review)s.")
            % {"review": mail.get_review_display()}
        )
    return mail


def _kept_files(mail: InboundMail) -> list[CheckedFile]:
    return [
        CheckedFile(
            File(kept.file.open("rb"), kept.original_name),
            kept.original_name,
            kept.content_type,
            kept.size,
        )
        for kept in mail.files.all()
    ]


def _done(mail: InboundMail, review: str, user: User, now: datetime) -> None:
    mail.review, mail.reviewed_by, mail.reviewed_at = review, user, now
    mail.save()
    # The files now live with the request (or nowhere): remove the kept copies after commit.
    stored = [(kept.file.storage, kept.file.name) for kept in mail.files.all()]
    mail.files.all().delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in stored])


def _log(inquiry: Inquiry, user: User, note: str, now: datetime) -> None:
    TransitionLog.objects.create(
        inquiry=inquiry,
        name="confirm_mail",
        source=inquiry.status,
        target=inquiry.status,
        actor_user=user,
        at=now,
        note=note,
    )


def _attach(mail: InboundMail, inquiry: Inquiry, user: User, now: datetime) -> Message:
    """The message becomes the requester's public message on the request, with its files."""
    message = add_customer_message(
        inquiry_id=inquiry.pk,
        contact=inquiry.contact,
        body=mail.body,
        attachments=_kept_files(mail),
        now=now,
    )
    inquiry.refresh_from_db()
    _log(inquiry, user, _("E-mail from %(address)s") % {"address": mail.from_address}, now)
    mail.inquiry_message, mail.inquiry = message, inquiry
    return message


@transaction.atomic
def confirm_mail(*, mail_id: int, user: User, now: datetime | None = None) -> Message:
    """Add a held answer to its request as the requester's message (it moves the request on)."""
    now = now or timezone.now()
    mail = _lock(mail_id, user)
    if mail.outcome != Outcome.HELD or mail.inquiry_id is None:
        raise ValidationError(_("Only an answer held for its request can be confirmed."))
    inquiry = Inquiry.objects.select_related("contact").get(pk=mail.inquiry_id)
    message = _attach(mail, inquiry, user, now)
    _done(mail, Review.CONFIRMED, user, now)
    return message


@transaction.atomic
def discard_mail(*, mail_id: int, user: User, now: datetime | None = None) -> InboundMail:
    """Decide that a waiting message goes nowhere (its files are removed)."""
    now = now or timezone.now()
    mail = _lock(mail_id, user)
    _done(mail, Review.DISCARDED, user, now)
    return mail


@transaction.atomic
def make_request_from_mail(
    *,
    mail_id: int,
    user: User,
    request_type: RequestType,
    language: str,
    now: datetime | None = None,
) -> Submitted:
    """Make a new request of a waiting message: routed and timed, a receipt to the sender."""
    now = now or timezone.now()
    mail = _lock(mail_id, user)
    text = mail.body.strip() or mail.subject.strip()
    if not text:
        raise ValidationError({"request_type": _("The message has no text to make a request of.")})
    submitted = submit_inquiry(
        submission=Submission(
            request_type=request_type,
            description=text[:10_000],
            contact_name=(mail.from_name or mail.from_address.partition("@")[0])[:200],
            email=mail.from_address,
            subject=mail.subject[:200],
            language=language,
            channel=Inquiry.Channel.EMAIL,
            attachments=tuple(_kept_files(mail)),
            recorded_by=user,
        ),
        now=now,
    )
    mail.inquiry = submitted.inquiry
    _done(mail, Review.MADE_REQUEST, user, now)
    return submitted


@transaction.atomic
def attach_mail_to(
    *, mail_id: int, user: User, reference: str, now: datetime | None = None
) -> InboundMail:
    """Put a triaged message with the request it is about.

    Someone who may see the request adds it there at once; otherwise it is held for that
    request's handlers to confirm.
    """
    now = now or timezone.now()
    mail = _lock(mail_id, user)
    if mail.outcome != Outcome.TRIAGE:
        raise ValidationError(_("Only a message in triage can be put with a request."))
    reference = reference.strip().upper()
    inquiry = Inquiry.objects.select_related("contact").filter(reference=reference).first()
    if inquiry is None or inquiry.anonymised_at is not None:
        raise ValidationError({"reference": _("No request %s.") % (reference or "–")})
    if not Inquiry.objects.visible_to(user).filter(pk=inquiry.pk).exists():
        mail.outcome, mail.inquiry, mail.claimed_reference = Outcome.HELD, inquiry, reference
        note = _("Passed on from triage by %(name)s.") % {"name": user}
        mail.note = "\n".join(line for line in (mail.note, note) if line)
        mail.save()  # still pending: now the request's handlers decide
        return mail
    if not inquiry.is_open:
        raise ValidationError(
            {"reference": _("Request %s is no longer open: make a new request of it.") % reference}
        )
    _attach(mail, inquiry, user, now)
    _done(mail, Review.CONFIRMED, user, now)
    return mail
