"""Every e-mail the service desk receives, what became of it, and what still waits for a person."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from crm.models import User


class InboundMailQuerySet(models.QuerySet["InboundMail"]):
    def pending(self) -> Self:
        return self.filter(review=InboundMail.Review.PENDING)

    def reviewable_by(self, user: User) -> Self:
        """Mail this member of staff may confirm or discard.

        Held replies: the handlers of the request's unit (and service managers). Triage: the
        members of a triage unit (and service managers).
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        waiting = self.filter(outcome__in=[InboundMail.Outcome.HELD, InboundMail.Outcome.TRIAGE])
        if user.is_service_manager or user.is_superuser:
            return waiting
        memberships = user.unit_memberships()
        held = Q(
            outcome=InboundMail.Outcome.HELD, inquiry__unit_id__in=[m.unit_id for m in memberships]
        )
        if any(m.unit.is_triage for m in memberships):
            return waiting.filter(held | Q(outcome=InboundMail.Outcome.TRIAGE))
        return waiting.filter(held)


class InboundMail(models.Model):
    """One message received by the gateway or the IMAP poller.

    Only plain text is kept: HTML is reduced to text when the message is read, and the raw
    message is not stored. Held replies and triage items keep their files (InboundFile) until
    a person confirms or discards them.
    """

    class Via(models.TextChoices):
        SMTP = "smtp", "SMTP"
        LMTP = "lmtp", "LMTP"
        IMAP = "imap", "IMAP"

    class Outcome(models.TextChoices):
        ATTACHED = "attached", _("Added to its request")
        NEW_REQUEST = "new_request", _("New request")
        HELD = "held", _("Held for a handler to confirm")
        TRIAGE = "triage", _("Sent to triage")
        AUTO_REPLY = "auto_reply", _("Automatic reply: recorded, not answered")
        BOUNCE = "bounce", _("Delivery failure report: recorded, not answered")
        REJECTED = "rejected", _("Rejected")

    class Reason(models.TextChoices):
        NONE = "", _("–")
        OTHER_SENDER = "other_sender", _("Sent from another address than the requester's")
        BAD_SIGNATURE = (
            "bad_signature",
            _("Sent to a reply address we never gave out (a missing or forged signature)"),
        )
        UNSIGNED_REPLY = (
            "unsigned_reply",
            _("Looks like an answer about a request, but not to the request's reply address"),
        )
        UNKNOWN_REQUEST = "unknown_request", _("The request it names does not exist")
        NOT_OPEN = "not_open", _("The request is no longer open")
        TOO_MANY = "too_many", _("Too many new requests from this address within an hour")
        EMPTY = "empty", _("Nothing new in it: only quoted text")
        TOO_LARGE = "too_large", _("Too large")
        NO_SENDER = "no_sender", _("No sender address")
        FROM_US = "from_us", _("Sent from our own address")
        UNREADABLE = "unreadable", _("Could not be read")

    class Review(models.TextChoices):
        NONE = "", _("Nothing to review")
        PENDING = "pending", _("Waiting for a person")
        CONFIRMED = "confirmed", _("Added to a request")
        MADE_REQUEST = "made_request", _("Made into a new request")
        DISCARDED = "discarded", _("Discarded")

    received_at = models.DateTimeField(_("received"))
    via = models.CharField(_("received by"), max_length=4, choices=Via.choices)
    envelope_from = models.CharField(_("envelope sender"), max_length=320, blank=True)
    recipient = models.CharField(_("sent to"), max_length=320, blank=True)
    from_address = models.CharField(_("from"), max_length=320, blank=True)
    from_name = models.CharField(_("sender's name"), max_length=200, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    in_reply_to = models.CharField(_("In-Reply-To"), max_length=255, blank=True)
    references = models.TextField(_("References"), blank=True)
    auto_submitted = models.CharField(_("Auto-Submitted"), max_length=100, blank=True)
    precedence = models.CharField(_("Precedence"), max_length=50, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"))

    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    reason = models.CharField(_("why"), max_length=20, choices=Reason.choices, blank=True)
    # The request the address named: verified when the outcome is attached or held.
    claimed_reference = models.CharField(_("request named"), max_length=20, blank=True)
    inquiry = models.ForeignKey(
        "inquiries.Inquiry",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_mail",
        verbose_name=_("request"),
    )
    inquiry_message = models.ForeignKey(
        "inquiries.Message", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The new text as plain text (quoted history cut off); never HTML.
    body = models.TextField(_("text"), blank=True)
    note = models.TextField(_("note"), blank=True)

    review = models.CharField(_("review"), max_length=12, choices=Review.choices, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    # Personal data (addresses, subject, text, files) removed after MAILIN_KEEP_DAYS.
    forgotten_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = InboundMailQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("received e-mail")
        verbose_name_plural = _("received e-mail")
        constraints = [
            # The same message twice (the poller and the gateway, a retry) is handled once.
            models.UniqueConstraint(
                fields=["message_id"],
                condition=~Q(message_id=""),
                name="inboundmail_message_id_unique",
            ),
        ]
        indexes = [
            # The review pages: what waits for a person, oldest first.
            models.Index(
                fields=["received_at"], condition=Q(review="pending"), name="inboundmail_pending"
            ),
            # New requests per sender within an hour (the flood guard).
            models.Index(fields=["from_address", "received_at"], name="inboundmail_sender"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.received_at:%Y-%m-%d %H:%M} {self.from_address}: {self.get_outcome_display()}"
        )

    @property
    def is_pending(self) -> bool:
        return self.review == self.Review.PENDING


def inbound_file_path(instance: InboundFile, filename: str) -> str:
    # A random stored name: the original name is kept only as data, never as a path.
    return f"mailin/{secrets.token_hex(16)}"


class InboundFile(models.Model):
    """A checked attachment of a held or triaged message, kept until someone decides."""

    mail = models.ForeignKey(InboundMail, models.CASCADE, related_name="files")
    file = models.FileField(upload_to=inbound_file_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


class ImapCursor(models.Model):
    """How far the poller has read a mailbox it may not change: UIDs up to `last_uid` are done."""

    mailbox = models.CharField(max_length=300, unique=True)
    uid_validity = models.BigIntegerField()
    last_uid = models.BigIntegerField(default=0)
    polled_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.mailbox}: {self.last_uid}"
