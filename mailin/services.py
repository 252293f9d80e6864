"""One received e-mail, from raw bytes to what it asks for: the one door of both inbound paths.

The SMTP/LMTP gateway (gateway.py) and the IMAP poller (imap.py) hand each message to
`receive_message`, which records it (InboundMail) and then, in the same transaction:

- a delivery failure report or an automatic reply is recorded and never answered (a failure
  about a mail to a requester also leaves an internal note on the request);
- an answer to a request's signed reply address from the request's contact becomes their
  public message on it, as a portal reply does (it moves `awaiting_customer` on);
- the same from another address, or about a request no longer open, is held for a handler of
  the request's unit to confirm;
- an unsigned or forged reply address, or what looks like an answer sent to the desk address,
  goes to the service desk's triage;
- anything else sent to the desk address is a new request of type "other", routed by its text,
  with a receipt to the sender.

The same message twice (by Message-ID) is handled once.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed

from inquiries.models import Inquiry, Message
from inquiries.services import Submission, add_customer_message, submit_inquiry
from notifications.models import Notification
from routing.models import RequestType

from . import addresses, files, parsing
from .addresses import Kind, Target
from .models import InboundMail
from .parsing import Automatic, ParsedMail

logger = logging.getLogger(__name__)
Outcome, Reason, Review = InboundMail.Outcome, InboundMail.Reason, InboundMail.Review

DESCRIPTION_MAX = 10_000
OTHER = "other"  # the request type of a request by e-mail ("not sure": routed by its text)
_REFERENCE_IN_TEXT = re.compile(r"\b([A-Z]{1,5}-\d{4}-\d{6})\b")


@dataclass(frozen=True)
class Envelope:
    """How the message came: by which path, and what the sending server said (SMTP/LMTP)."""

    via: str
    sender: str | None = None  # MAIL FROM: "" is the null sender; None when unknown (IMAP)
    recipients: tuple[str, ...] = ()  # RCPT TO; empty when unknown (IMAP)


def receive_message(
    raw: bytes, *, envelope: Envelope, size: int | None = None, now: datetime | None = None
) -> InboundMail:
    """Record one received message and do what it asks; the same Message-ID only once."""
    now = now or timezone.now()
    size = len(raw) if size is None else size
    if size > settings.MAILIN_MAX_BYTES:
        return _record(_headers_of(raw), envelope, size, now, Reason.TOO_LARGE)
    try:
        parsed = parsing.parse(raw, envelope_from=envelope.sender)
    except Exception:  # noqa: BLE001 - a message the parser cannot read is recorded as such
        logger.exception("An e-mail could not be read; recorded as unreadable")
        return _record(_headers_of(raw), envelope, size, now, Reason.UNREADABLE)
    with transaction.atomic():
        mail = _start(parsed, envelope, size, now)
        if mail.pk is None:  # seen before: that record stands
            return InboundMail.objects.get(message_id=parsed.message_id)
        _handle(mail, parsed, envelope, now)
        mail.save()
    return mail


def record_failure(
    raw: bytes, *, envelope: Envelope, error: str, now: datetime | None = None
) -> InboundMail:
    """Record a message whose handling failed unexpectedly, so that a poller can move on."""
    now = now or timezone.now()
    parsed = _headers_of(raw)
    note = f"{error} (Message-ID {parsed.message_id})" if parsed.message_id else error
    parsed.message_id = ""  # not a duplicate of itself: a later copy is tried again
    mail = _record(parsed, envelope, len(raw), now, Reason.UNREADABLE)
    InboundMail.objects.filter(pk=mail.pk).update(note=note[:2000])
    return mail


def _headers_of(raw: bytes) -> ParsedMail:
    try:
        return parsing.parse_headers(raw)
    except Exception:  # noqa: BLE001 - headers too broken to read: a record without them
        return ParsedMail()


# -- the record ---------------------------------------------------------------------------------


def _new_record(parsed: ParsedMail, envelope: Envelope, size: int, now: datetime) -> InboundMail:
    return InboundMail(
        received_at=now,
        via=envelope.via,
        envelope_from=(envelope.sender or "")[:320],
        from_address=parsed.from_address[:320],
        from_name=parsed.from_name,
        subject=parsed.subject,
        message_id=parsed.message_id,
        in_reply_to=parsed.in_reply_to,
        references=" ".join(parsed.references)[:5000],
        auto_submitted=parsed.auto_submitted,
        precedence=parsed.precedence,
        content_type=parsed.content_type,
        size=size,
        outcome=Outcome.REJECTED,
    )


def _start(parsed: ParsedMail, envelope: Envelope, size: int, now: datetime) -> InboundMail:
    """Insert the record first: a second copy of the message stops here (unsaved)."""
    mail = _new_record(parsed, envelope, size, now)
    if parsed.message_id and InboundMail.objects.filter(message_id=parsed.message_id).exists():
        return mail
    try:
        with transaction.atomic():
            mail.save()
    except IntegrityError:  # the same message, handled at this moment by another process
        mail.pk = None
    return mail


def _record(
    parsed: ParsedMail, envelope: Envelope, size: int, now: datetime, reason: str
) -> InboundMail:
    """Record a message that is rejected outright."""
    mail = _new_record(parsed, envelope, size, now)
    mail.reason = reason
    mail.recipient = _target(parsed, envelope).address[:320]
    with transaction.atomic():
        if parsed.message_id:
            existing = InboundMail.objects.filter(message_id=parsed.message_id).first()
            if existing is not None:
                return existing
        try:
            with transaction.atomic():
                mail.save()
        except IntegrityError:
            return InboundMail.objects.get(message_id=parsed.message_id)
    return mail


# -- where it was sent, and what it is -----------------------------------------------------------


def _target(parsed: ParsedMail, envelope: Envelope) -> Target:
    """The address that decides: a signed reply address, else any reply address, else the desk.

    Mail read from the desk's own mailbox is the desk's whatever its headers say.
    """
    targets = [addresses.read(a) for a in (envelope.recipients or parsed.addressed_to)]
    for wanted in (
        lambda t: t.kind is Kind.REPLY and t.signed,
        lambda t: t.kind is Kind.REPLY,
        lambda t: t.kind is Kind.DESK,
    ):
        found = next((target for target in targets if wanted(target)), None)
        if found is not None:
            return found
    return Target(Kind.DESK, addresses.desk_address())


def _from_us(address: str) -> bool:
    ours = {addresses.desk_address(), parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower()}
    return address in ours or addresses.read(address).kind is not Kind.FOREIGN


def _valid_address(address: str) -> bool:
    try:
        validate_email(address)
    except ValidationError:
        return False
    return True


def _handle(mail: InboundMail, parsed: ParsedMail, envelope: Envelope, now: datetime) -> None:
    target = _target(parsed, envelope)
    mail.recipient = target.address[:320]
    mail.claimed_reference = target.reference
    if parsed.automatic is Automatic.BOUNCE:
        return _bounce(mail, parsed, target, now)
    if parsed.automatic is Automatic.AUTO_REPLY:
        mail.outcome, mail.body = Outcome.AUTO_REPLY, parsed.new_text
        mail.inquiry = _signed_inquiry(target)
        return None
    mail.body = parsed.new_text
    if not parsed.from_address or not _valid_address(parsed.from_address):
        mail.reason = Reason.NO_SENDER
        return None
    if _from_us(parsed.from_address):
        mail.reason = Reason.FROM_US  # never our own mail again: no loops
        return None
    if target.kind is Kind.REPLY:
        if target.signed:
            return _reply(mail, parsed, target.reference, now)
        return _to_triage(mail, parsed, Reason.BAD_SIGNATURE)
    answered = _answered_inquiry(parsed)
    if answered is not None:
        mail.claimed_reference = answered.reference
        return _to_triage(mail, parsed, Reason.UNSIGNED_REPLY)
    return _new_request(mail, parsed, now)


def _signed_inquiry(target: Target) -> Inquiry | None:
    if not target.signed:
        return None
    return Inquiry.objects.filter(reference=target.reference).first()


def _answered_inquiry(parsed: ParsedMail) -> Inquiry | None:
    """The request a message to the desk seems to be about: it answers our mail, or names it."""
    ids = [i for i in [parsed.in_reply_to, *parsed.references] if i]
    if ids:
        notification = Notification.objects.filter(message_id__in=ids).exclude(inquiry=None).first()
        if notification is not None:
            return notification.inquiry
        domain = re.escape(addresses.message_id_domain())
        for message_id in ids:
            found = re.fullmatch(rf"<([A-Za-z]{{1,5}}-\d{{4}}-\d+)@{domain}>", message_id)
            if found:
                inquiry = Inquiry.objects.filter(reference=found.group(1).upper()).first()
                if inquiry is not None:
                    return inquiry
    named = _REFERENCE_IN_TEXT.search(parsed.subject.upper())
    if named:
        return Inquiry.objects.filter(reference=named.group(1)).first()
    return None


def _add_note(mail: InboundMail, text: str) -> None:
    mail.note = "\n".join(line for line in (mail.note, text) if line)[:5000]


def write_internal_note(inquiry: Inquiry, body: str, *, now: datetime) -> Message:
    """A note for the request's handlers, written by the system (never shown to the requester)."""
    return Message.objects.create(
        inquiry=inquiry,
        kind=Message.Kind.NOTE,
        visibility=Message.Visibility.INTERNAL,
        body=body[:DESCRIPTION_MAX],
        created_at=now,
    )


# -- what becomes of it ---------------------------------------------------------------------------


def _hold(mail: InboundMail, parsed: ParsedMail, outcome: str, reason: str) -> None:
    """Keep the message and its files for a person to decide."""
    checked, refused = files.checked_files(parsed.files)
    mail.outcome, mail.reason, mail.review = outcome, reason, Review.PENDING
    _add_note(mail, files.refusals(refused))
    files.keep_files(mail, checked)


def _to_triage(mail: InboundMail, parsed: ParsedMail, reason: str) -> None:
    _hold(mail, parsed, Outcome.TRIAGE, reason)


def _bounce(mail: InboundMail, parsed: ParsedMail, target: Target, now: datetime) -> None:
    mail.outcome, mail.body = Outcome.BOUNCE, parsed.text[:5000]
    failures = "; ".join(
        " ".join(part for part in (f.recipient, f.status, f.diagnostic) if part)
        for f in parsed.failures
    )
    _add_note(mail, failures)
    bounced = None
    if parsed.bounced_message_id:
        bounced = (
            Notification.objects.filter(message_id=parsed.bounced_message_id)
            .select_related("inquiry")
            .first()
        )
    if bounced is not None and bounced.inquiry is not None:
        mail.inquiry = bounced.inquiry
        if bounced.recipient_contact_id is not None:
            # The handlers should know that the requester does not get our mail.
            write_internal_note(
                bounced.inquiry,
                _("An e-mail to the requester (%(address)s) could not be delivered: %(why)s")
                % {"address": bounced.recipient_email, "why": failures or parsed.subject},
                now=now,
            )
    else:
        mail.inquiry = _signed_inquiry(target)


def _reply(mail: InboundMail, parsed: ParsedMail, reference: str, now: datetime) -> None:
    inquiry = Inquiry.objects.select_related("contact").filter(reference=reference).first()
    mail.inquiry = inquiry
    if inquiry is None:
        return _to_triage(mail, parsed, Reason.UNKNOWN_REQUEST)
    if inquiry.anonymised_at is not None:
        mail.inquiry = None
        return _to_triage(mail, parsed, Reason.NOT_OPEN)
    if not parsed.new_text and not parsed.files:
        mail.reason = Reason.EMPTY
        return None
    if (inquiry.contact.email or "").lower() != parsed.from_address:
        return _hold(mail, parsed, Outcome.HELD, Reason.OTHER_SENDER)
    if not inquiry.is_open:
        return _hold(mail, parsed, Outcome.HELD, Reason.NOT_OPEN)
    checked, refused = files.checked_files(parsed.files)
    if not parsed.new_text and not checked:
        mail.reason = Reason.EMPTY
        _add_note(mail, files.refusals(refused))
        return None
    try:
        message = add_customer_message(
            inquiry_id=inquiry.pk,
            contact=inquiry.contact,
            body=_shortened(parsed.new_text),
            attachments=checked,
            now=now,
        )
    except TransitionNotAllowed:  # closed meanwhile
        return _hold(mail, parsed, Outcome.HELD, Reason.NOT_OPEN)
    mail.outcome, mail.inquiry_message = Outcome.ATTACHED, message
    _add_note(mail, files.refusals(refused))
    if refused:
        write_internal_note(inquiry, files.refusals(refused), now=now)
    return None


def _shortened(text: str) -> str:
    if len(text) <= DESCRIPTION_MAX:
        return text
    return text[: DESCRIPTION_MAX - 1] + "…"


def _new_request(mail: InboundMail, parsed: ParsedMail, now: datetime) -> None:
    since = now - timedelta(hours=1)
    recent = InboundMail.objects.filter(
        from_address=parsed.from_address, outcome=Outcome.NEW_REQUEST, received_at__gte=since
    ).count()
    request_type = RequestType.objects.filter(code=OTHER).first()
    if recent >= settings.MAILIN_NEW_REQUESTS_PER_HOUR or request_type is None:
        return _to_triage(mail, parsed, Reason.TOO_MANY if request_type else Reason.NONE)
    checked, refused = files.checked_files(parsed.files)
    # A message to the desk is read whole: a forwarded message is the request itself.
    text = parsed.text or parsed.subject or (_("(files attached)") if checked else "")
    if not text.strip():
        mail.reason = Reason.EMPTY
        _add_note(mail, files.refusals(refused))
        return None
    mail.body = text[: parsing.TEXT_LIMIT]
    submitted = submit_inquiry(
        submission=Submission(
            request_type=request_type,
            description=_shortened(text),
            contact_name=(parsed.from_name or parsed.from_address.partition("@")[0])[:200],
            email=parsed.from_address,
            subject=parsed.subject[:200],
            language=parsing.guess_language(text, parsed.content_language),
            channel=Inquiry.Channel.EMAIL,
            attachments=tuple(checked),
        ),
        now=now,
    )
    mail.outcome, mail.inquiry = Outcome.NEW_REQUEST, submitted.inquiry
    _add_note(mail, files.refusals(refused))
    if refused:
        write_internal_note(submitted.inquiry, files.refusals(refused), now=now)
    return None
