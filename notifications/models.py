from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.models import Language


class Notification(models.Model):
    """One e-mail in the outbox: written with the event that causes it, delivered after commit."""

    class Kind(models.TextChoices):
        # to the requester
        RECEIPT = "receipt", _("Receipt")
        REPLY = "reply", _("Reply")
        QUESTION = "question", _("Question")
        REMINDER = "reminder", _("Reminder")
        RESOLUTION = "resolution", _("Resolution")
        CLOSURE = "closure", _("Closure")
        SIGN_IN = "sign_in", _("Sign-in link")
        # to staff
        NEW_IN_UNIT = "new_in_unit", _("New request in the unit")
        ASSIGNED = "assigned", _("Assigned to you")
        REQUESTER_REPLIED = "requester_replied", _("The requester wrote")
        AT_RISK = "at_risk", _("At risk")
        BREACHED = "breached", _("Breached")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    inquiry = models.ForeignKey(
        "inquiries.Inquiry", models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    recipient_email = models.EmailField(_("recipient"))
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recipient_contact = models.ForeignKey(
        "crm.Contact", models.SET_NULL, null=True, blank=True, related_name="notifications"
    )
    # Rendered when the event happens: the mail says what was true then, in the reader's language.
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField()
    body_html = models.TextField()
    message_id = models.CharField(max_length=255, unique=True)

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"))
    next_attempt_at = models.DateTimeField(_("next attempt"))
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            # Serves the sweep: pending rows due for an attempt, and stale claims.
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="notification_pending",
            ),
            models.Index(
                fields=["claimed_at"],
                condition=models.Q(status="sending"),
                name="notification_sending",
            ),
            models.Index(fields=["inquiry", "kind"], name="notification_inquiry"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipient_email} ({self.status})"
