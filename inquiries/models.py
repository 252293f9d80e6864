from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Count, F, Q, TextField, Value, When
from django.db.models.functions import Cast, Concat, Upper
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from crm.models import Language, Membership
from crm.tokens import hash_token, new_token
from crm.translation import TranslatedNameMixin, pick_language
from routing.calendar import DEFAULT_CALENDAR, shift_due_for_pause
from routing.models import Priority

if TYPE_CHECKING:
    from crm.models import Unit, User
    from routing.models import SLAPolicy


# "At risk" when this share of a target is used.
AT_RISK_SHARE = 0.75
# The requester is reminded after this many business hours (5 days) without an answer.
REMINDER_AFTER_BUSINESS_HOURS = 5 * 8


# Inquiry.OPEN_STATES as plain values, for the partial indexes' conditions.
OPEN_STATE_VALUES = ["new", "queued", "in_progress", "awaiting_customer"]
# What the queue reads besides the unit and the status: the assignee, the running clock's due and
# at-risk instants (its order and SLA state), and the filters (inquiry_open_queue covers them).
QUEUE_COLUMNS = [
    "id",
    "assignee",
    "first_response_at",
    "first_response_due",
    "resolution_due",
    "first_response_risk_at",
    "resolution_risk_at",
    "request_type",
    "language",
    "channel",
    "submitted_at",
    "updated_at",
]


def search_text() -> Concat:
    """The columns the queue's search reads on the request itself, in one text (inquiries.search).

    One expression, so one trigram index scan answers a word (three ORed columns made the
    planner prefer reading every open request). Spaces between: a searched word has none, so it
    never matches across two columns. The index (inquiry_open_search) is on exactly what
    icontains makes of it, UPPER((this)::text); keep the two in step.
    """
    return Concat(
        "reference", Value(" "), "subject", Value(" "), "company_name", output_field=TextField()
    )


# What the dashboard's queries read besides submitted_at and the unit (inquiries.metrics).
METRICS_COLUMNS = [
    "id",
    "request_type",
    "language",
    "channel",
    "status",
    "first_response_seconds",
    "resolution_seconds",
    "reroute_count",
    "reopen_count",
    "rating",
]


class InquiryQuerySet(models.QuerySet["Inquiry"]):
    def open(self) -> Self:
        return self.filter(status__in=Inquiry.OPEN_STATES)

    def visible_to(self, user: User) -> Self:
        """Inquiries a member of staff may see: a service manager all, a handler their units'."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_service_manager or user.is_superuser:
            return self.all()
        # A semi-join on the user's units (not a join through them): PostgreSQL then reads only
        # those units' entries of the indexes that lead with the unit (inquiry_open_queue).
        return self.filter(unit__in=Membership.objects.filter(user=user).values("unit"))

    def queue_for(self, user: User) -> Self:
        """Open inquiries of the user's units, most urgent first."""
        return (
            self.visible_to(user)
            .open()
            .select_related("unit", "assignee", "company", "request_type", "contact")
            .order_by(F("first_response_due").asc(nulls_last=True), "pk")
        )

    # -- service levels: the clock that is running, computed in the database ----------------

    class SLAState(models.TextChoices):
        ON_TRACK = "on_track", _("On track")
        AT_RISK = "at_risk", _("At risk")
        BREACHED = "breached", _("Breached")

    @staticmethod
    def _running(first_response: str, resolution: str) -> Case:
        # The first-response clock runs until the first response; then the resolution clock.
        return Case(
            When(first_response_at__isnull=True, then=F(first_response)),
            default=F(resolution),
        )

    def with_sla(self, now: datetime) -> Self:
        """Annotate the running clock's due and at-risk instants and its state at `now`."""
        states = InquiryQuerySet.SLAState
        return self.annotate(
            sla_due=self._running("first_response_due", "resolution_due"),
            sla_risk_at=self._running("first_response_risk_at", "resolution_risk_at"),
        ).annotate(
            sla_state=Case(
                # Waiting for the requester pauses the clock: nothing comes due meanwhile.
                When(status=Inquiry.Status.AWAITING_CUSTOMER, then=Value(states.ON_TRACK)),
                When(~Q(status__in=Inquiry.OPEN_STATES), then=Value(None)),
                When(sla_due__lte=now, then=Value(states.BREACHED)),
                When(sla_risk_at__lte=now, then=Value(states.AT_RISK)),
                default=Value(states.ON_TRACK),
                output_field=models.CharField(null=True),
            )
        )

    def most_urgent_first(self) -> Self:
        """Order by the running clock's due time, the undated last."""
        due = self._running("first_response_due", "resolution_due")
        return self.order_by(due.asc(nulls_last=True), "pk")

    def quick_counts(self, user: User) -> dict[str, int]:
        """How many of these inquiries (`with_sla`) each quick filter of the queue shows.

        One grouped query. Counting with a FILTER clause each repeats the running clock's CASE
        in every clause, and building those took twice the Python time of this (the database's
        time is the same: one unit's entries of inquiry_open_queue).
        """
        states = InquiryQuerySet.SLAState
        counts = dict.fromkeys(("all", "unassigned", "mine", "at_risk", "breached", "awaiting"), 0)
        groups = (
            self.order_by()
            .values_list("assignee_id", "status", "sla_state")
            .annotate(count=Count("pk"))
        )
        for assignee, status, state, count in groups:
            counts["all"] += count
            if assignee is None:
                counts["unassigned"] += count
            elif assignee == user.pk:
                counts["mine"] += count
            if state in (states.AT_RISK, states.BREACHED):
                counts[state] += count
            if status == Inquiry.Status.AWAITING_CUSTOMER:
                counts["awaiting"] += count
        return counts

    def with_tracking_token(self, token: str) -> Self:
        """The inquiry a private tracking link opens (none once it is anonymised)."""
        return self.filter(tracking_links__token_hash=hash_token(token), anonymised_at__isnull=True)


class Inquiry(ConcurrentTransitionMixin, models.Model):
    """One request from an entrepreneur, from submission to closure."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        QUEUED = "queued", _("Queued")
        IN_PROGRESS = "in_progress", _("In progress")
        AWAITING_CUSTOMER = "awaiting_customer", _("Awaiting the requester")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Channel(models.TextChoices):
        WEB = "web", _("Web form")
        API = "api", _("API")
        EMAIL = "email", _("E-mail")
        PHONE = "phone", _("Phone")
        VISIT = "visit", _("Visit")
        EVENT = "event", _("Event")

    class CloseReason(models.TextChoices):
        DUPLICATE = "duplicate", _("Duplicate")
        SPAM = "spam", _("Spam")
        OUT_OF_SCOPE = "out_of_scope", _("Out of scope")

    OPEN_STATES = (
        Status.NEW,
        Status.QUEUED,
        Status.IN_PROGRESS,
        Status.AWAITING_CUSTOMER,
    )

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    status = FSMField(_("status"), choices=Status.choices, default=Status.NEW, protected=True)
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB
    )
    request_type = models.ForeignKey(
        "routing.RequestType", models.PROTECT, related_name="inquiries"
    )
    unit = models.ForeignKey(
        "crm.Unit", models.PROTECT, null=True, blank=True, related_name="inquiries"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_inquiries",
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    contact = models.ForeignKey("crm.Contact", models.PROTECT, related_name="inquiries")
    company = models.ForeignKey(
        "crm.Company", models.PROTECT, null=True, blank=True, related_name="inquiries"
    )
    # As the requester typed it: a company without a business ID has no Company row.
    company_name = models.CharField(_("company name"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.FI
    )
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"), max_length=10_000)

    submitted_at = models.DateTimeField(_("submitted"))
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    resolved_at = models.DateTimeField(
        _("first resolved"), null=True, blank=True, help_text=_("The first resolution.")
    )
    last_resolved_at = models.DateTimeField(_("last resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(
        _("closed"), null=True, blank=True, help_text=_("Closed or withdrawn.")
    )
    updated_at = models.DateTimeField(_("last change"), auto_now=True)

    first_response_due = models.DateTimeField(_("first response due"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("resolution due"), null=True, blank=True)
    # Business-hour durations, stored when the event happens so metrics are plain aggregates.
    first_response_seconds = models.PositiveIntegerField(null=True, blank=True, editable=False)
    resolution_seconds = models.PositiveIntegerField(null=True, blank=True, editable=False)
    awaiting_since = models.DateTimeField(null=True, blank=True, editable=False)
    awaiting_seconds = models.PositiveIntegerField(default=0, editable=False)
    # When 75 % of each target is used: "at risk". Moved by pauses like the due times.
    first_response_risk_at = models.DateTimeField(null=True, blank=True, editable=False)
    resolution_risk_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set once each, by a conditional UPDATE in the SLA scan, so each is notified once.
    first_response_risk_flagged_at = models.DateTimeField(null=True, blank=True, editable=False)
    first_response_breach_flagged_at = models.DateTimeField(null=True, blank=True, editable=False)
    resolution_risk_flagged_at = models.DateTimeField(null=True, blank=True, editable=False)
    resolution_breach_flagged_at = models.DateTimeField(null=True, blank=True, editable=False)
    # A reminder to the requester after 5 business days without their answer.
    reminder_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)
    # The requester's rating of the service after resolution, once.
    rating = models.PositiveSmallIntegerField(
        _("rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    rating_comment = models.TextField(_("rating comment"), blank=True, max_length=2000)
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)

    reroute_count = models.PositiveIntegerField(_("re-routes"), default=0)
    reopen_count = models.PositiveIntegerField(_("reopens"), default=0)
    close_reason = models.CharField(
        _("closed because"), max_length=20, choices=CloseReason.choices, blank=True
    )
    duplicate_of = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="duplicates"
    )

    objects = InquiryQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        indexes = [
            # The queue (InquiryQuerySet.queue_for, the workspace and the API): a unit's open
            # requests with every column its count, quick counts, filters and due-time order
            # read, so PostgreSQL answers those from the index alone (docs/PERFORMANCE.md).
            models.Index(
                fields=["unit", "status"],
                include=QUEUE_COLUMNS,
                condition=Q(status__in=OPEN_STATE_VALUES),
                name="inquiry_open_queue",
            ),
            # The queue's search (inquiries.search): the open requests of the matching companies
            # and requesters; and the words themselves, by trigram (PostgreSQL only: migration
            # 0005 and 0006 build it there, SQLite scans).
            models.Index(
                fields=["company"],
                condition=Q(status__in=OPEN_STATE_VALUES),
                name="inquiry_open_company",
            ),
            models.Index(
                fields=["contact"],
                condition=Q(status__in=OPEN_STATE_VALUES),
                name="inquiry_open_contact",
            ),
            GinIndex(
                OpClass(Upper(Cast(search_text(), TextField())), name="gin_trgm_ops"),
                condition=Q(status__in=OPEN_STATE_VALUES),
                fastupdate=False,  # no pending list to scan: inserts pay, searches do not
                name="inquiry_open_search",
            ),
            models.Index(fields=["assignee", "status"], name="inquiry_assignee"),
            models.Index(fields=["submitted_at"], name="inquiry_submitted"),
            # Serve the dashboard (inquiries.metrics): a period's requests with every column its
            # queries read, so PostgreSQL answers from the index alone (index-only scans).
            models.Index(
                fields=["submitted_at"],
                include=[*METRICS_COLUMNS, "unit"],
                name="inquiry_metrics",
            ),
            # The same for one unit's (or a few units') dashboard: only their rows are read.
            models.Index(
                fields=["unit", "submitted_at"],
                include=METRICS_COLUMNS,
                name="inquiry_unit_metrics",
            ),
            # The dashboard's backlog: the open requests (Inquiry.OPEN_STATES) by age.
            models.Index(
                fields=["submitted_at"],
                include=["unit", "request_type", "language", "channel", "status"],
                condition=Q(status__in=["new", "queued", "in_progress", "awaiting_customer"]),
                name="inquiry_open_by_age",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="new") | Q(unit__isnull=False), name="inquiry_routed_has_unit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.subject}"

    # -- reading ---------------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATES

    @property
    def can_be_rated(self) -> bool:
        """Resolved (or closed after a resolution) and not rated yet."""
        ended_well = self.status == self.Status.RESOLVED or (
            self.status == self.Status.CLOSED and self.resolved_at is not None
        )
        return ended_well and self.rated_at is None and self.anonymised_at is None

    def tracking_link_works(self, now: datetime) -> bool:
        """A private link opens the request until it is withdrawn or anonymised, and for
        TRACKING_LINK_DAYS_AFTER_CLOSE days after it closed (the outcome stays readable)."""
        if self.status == self.Status.WITHDRAWN or self.anonymised_at is not None:
            return False
        if self.status == self.Status.CLOSED and self.closed_at is not None:
            return now < self.closed_at + timedelta(days=settings.TRACKING_LINK_DAYS_AFTER_CLOSE)
        return True

    def reopen_deadline(self) -> datetime | None:
        if self.last_resolved_at is None:
            return None
        return self.last_resolved_at + timedelta(days=settings.REOPEN_WINDOW_DAYS)

    def _business_seconds(self, start: datetime, end: datetime) -> int:
        return int(DEFAULT_CALENDAR.between(start, end).total_seconds())

    def note_first_response(self, now: datetime) -> None:
        if self.first_response_at is None:
            self.first_response_at = now
            self.first_response_seconds = self._business_seconds(self.submitted_at, now)

    # -- transitions: each changes fields on self and nothing else; each is told the moment ---

    def is_unassigned(self) -> bool:
        return self.assignee_id is None

    @transition(field=status, source=Status.NEW, target=Status.QUEUED)
    def route(self, *, unit: Unit, policy: SLAPolicy, priority: str | None, now: datetime) -> None:
        self.unit = unit
        if priority:
            self.priority = priority
        # The clock starts at submission (or the next opening), not when routing ran.
        start, hours = self.submitted_at, DEFAULT_CALENDAR.add_hours
        self.first_response_due = hours(start, policy.first_response_hours)
        self.resolution_due = hours(start, policy.resolution_hours)
        self.first_response_risk_at = hours(start, policy.first_response_hours * AT_RISK_SHARE)
        self.resolution_risk_at = hours(start, policy.resolution_hours * AT_RISK_SHARE)

    @transition(
        field=status,
        source=[Status.QUEUED, Status.IN_PROGRESS],
        target=Status.IN_PROGRESS,
        conditions=[is_unassigned],
        permission="inquiries.claim_inquiry",
    )
    def claim(self, handler: User, *, now: datetime) -> None:
        self.assignee = handler

    @transition(
        field=status,
        source=[Status.QUEUED, Status.IN_PROGRESS],
        target=Status.IN_PROGRESS,
        permission="inquiries.assign_inquiry",
    )
    def assign(self, handler: User, *, now: datetime) -> None:
        self.assignee = handler

    @transition(
        field=status,
        source=[Status.QUEUED, Status.IN_PROGRESS],
        target=Status.QUEUED,
        permission="inquiries.transfer_inquiry",
    )
    def transfer(self, unit: Unit, *, now: datetime) -> None:
        # The clock keeps running: the promise was made to the requester, not to a unit.
        self.unit = unit
        self.assignee = None
        self.reroute_count += 1

    @transition(
        field=status,
        source=Status.IN_PROGRESS,
        target=Status.AWAITING_CUSTOMER,
        permission="inquiries.ask_customer",
    )
    def ask_customer(self, *, now: datetime) -> None:
        self.note_first_response(now)
        self.awaiting_since = now
        self.reminder_due_at = DEFAULT_CALENDAR.add_hours(now, REMINDER_AFTER_BUSINESS_HOURS)
        self.reminder_sent_at = None

    @transition(field=status, source=Status.AWAITING_CUSTOMER, target=Status.IN_PROGRESS)
    def customer_reply(self, *, now: datetime) -> None:
        paused_from, self.awaiting_since = self.awaiting_since, None
        if paused_from is None:  # pragma: no cover - ask_customer always sets it
            return
        self.awaiting_seconds += self._business_seconds(paused_from, now)
        self.reminder_due_at = None
        if self.resolved_at is None and self.resolution_due is not None:
            self.resolution_due = shift_due_for_pause(
                DEFAULT_CALENDAR, self.resolution_due, paused_from, now
            )
        if self.resolved_at is None and self.resolution_risk_at is not None:
            self.resolution_risk_at = shift_due_for_pause(
                DEFAULT_CALENDAR, self.resolution_risk_at, paused_from, now
            )

    @transition(
        field=status,
        source=Status.IN_PROGRESS,
        target=Status.RESOLVED,
        permission="inquiries.resolve_inquiry",
    )
    def resolve(self, *, now: datetime) -> None:
        self.note_first_response(now)
        if self.resolved_at is None:
            self.resolved_at = now
            # Time awaiting the requester does not count against the promise.
            elapsed = self._business_seconds(self.submitted_at, now) - self.awaiting_seconds
            self.resolution_seconds = max(elapsed, 0)
        self.last_resolved_at = now

    @transition(field=status, source=Status.RESOLVED, target=Status.IN_PROGRESS)
    def reopen(self, *, now: datetime) -> None:
        self.reopen_count += 1
        self.last_resolved_at = None

    @transition(field=status, source=Status.RESOLVED, target=Status.CLOSED)
    def close(self, *, now: datetime) -> None:
        self.closed_at = now

    @transition(
        field=status,
        source=[Status.QUEUED, Status.IN_PROGRESS],
        target=Status.CLOSED,
        permission="inquiries.close_inquiry_unactioned",
    )
    def close_unactioned(self, *, reason: str, duplicate_of: Inquiry | None, now: datetime) -> None:
        self.close_reason = reason
        self.duplicate_of = duplicate_of
        self.closed_at = now

    @transition(
        field=status,
        source=[Status.NEW, Status.QUEUED, Status.IN_PROGRESS, Status.AWAITING_CUSTOMER],
        target=Status.WITHDRAWN,
    )
    def withdraw(self, *, now: datetime) -> None:
        self.reminder_due_at = None
        if self.awaiting_since is not None:
            self.awaiting_seconds += self._business_seconds(self.awaiting_since, now)
            self.awaiting_since = None
        self.closed_at = now


class TrackingLinkQuerySet(models.QuerySet["TrackingLink"]):
    def create_for(self, inquiry: Inquiry, *, now: datetime) -> str:
        """Store a new private link to the inquiry; return its token (shown once)."""
        token = new_token()
        self.create(inquiry=inquiry, token_hash=hash_token(token), created_at=now)
        return token


class TrackingLink(models.Model):
    """A private link to one inquiry; only the hash of its token is kept."""

    inquiry = models.ForeignKey(Inquiry, models.CASCADE, related_name="tracking_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()

    objects = TrackingLinkQuerySet.as_manager()

    def __str__(self) -> str:
        return f"link to {self.inquiry_id} ({self.created_at:%Y-%m-%d})"


class ReferenceCounter(models.Model):
    """The last reference number given in a year (BP-2026-000123)."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class RoutingDecision(models.Model):
    """Why an inquiry is in its unit: the rule that placed it, or a handler's transfer."""

    class Kind(models.TextChoices):
        RULE = "rule", _("Routing rule")
        FALLBACK = "fallback", _("No rule matched")
        TRANSFER = "transfer", _("Transfer by a handler")

    inquiry = models.ForeignKey(Inquiry, models.CASCADE, related_name="routing_decisions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    rule = models.ForeignKey(
        "routing.RoutingRule", models.SET_NULL, null=True, blank=True, related_name="decisions"
    )
    # Kept as text too: the rule may be edited or deleted later.
    rule_name = models.CharField(max_length=200, blank=True)
    matched_words = models.CharField(max_length=500, blank=True)
    from_unit = models.ForeignKey(
        "crm.Unit", models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey("crm.Unit", models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["decided_at", "pk"]
        indexes = [
            models.Index(fields=["inquiry", "decided_at"], name="routingdecision_inquiry"),
            # The dashboard's "where re-routed requests went": the transfers alone.
            models.Index(
                fields=["inquiry"],
                include=["from_unit", "unit"],
                condition=Q(kind="transfer"),
                name="routingdecision_transfers",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inquiry_id} → {self.unit_id} ({self.kind})"


class Message(models.Model):
    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        INTERNAL = "internal", _("Internal note")

    class Kind(models.TextChoices):
        REQUEST = "request", _("Request")
        REPLY = "reply", _("Reply")
        QUESTION = "question", _("Question to the requester")
        CUSTOMER = "customer", _("Message from the requester")
        RESOLUTION = "resolution", _("Resolution")
        CLOSURE = "closure", _("Closure")
        NOTE = "note", _("Internal note")

    inquiry = models.ForeignKey(Inquiry, models.CASCADE, related_name="messages")
    visibility = models.CharField(max_length=10, choices=Visibility.choices)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_contact = models.ForeignKey(
        "crm.Contact", models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    body = models.TextField(max_length=10_000)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["inquiry", "created_at"], name="message_inquiry")]

    def __str__(self) -> str:
        return f"{self.inquiry_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC


def attachment_path(instance: Attachment, filename: str) -> str:
    # A random stored name: the original name is kept only as data, never as a path.
    return f"attachments/{instance.inquiry_id}/{secrets.token_hex(16)}"


class Attachment(models.Model):
    inquiry = models.ForeignKey(Inquiry, models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        Message, models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class TransitionLog(models.Model):
    """One row per workflow step: who, when, from, to, and a note."""

    inquiry = models.ForeignKey(Inquiry, models.CASCADE, related_name="transitions")
    name = models.CharField(max_length=30)
    source = models.CharField(max_length=20)
    target = models.CharField(max_length=20)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_contact = models.ForeignKey(
        "crm.Contact", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["inquiry", "at"], name="transitionlog_inquiry_at")]

    def __str__(self) -> str:
        return f"{self.inquiry_id} {self.name}: {self.source} → {self.target}"

    @property
    def actor_label(self) -> str:
        if self.actor_user_id:
            return str(self.actor_user)
        if self.actor_contact_id:
            return str(_("requester"))
        return str(_("system"))


class ServiceFeedback(models.Model):
    """Feedback on Business Porvoo's service in general, from the portal's feedback form."""

    message = models.TextField(_("feedback"), max_length=5000)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    created_at = models.DateTimeField(_("received"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("service feedback")
        verbose_name_plural = _("service feedback")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d}: {self.message[:60]}"


class CannedResponse(TranslatedNameMixin):
    """A ready answer a unit's handlers start a reply from, in fi, sv and en (kept in the admin)."""

    unit = models.ForeignKey("crm.Unit", models.CASCADE, related_name="canned_responses")
    body_fi = models.TextField(_("text (fi)"))
    body_sv = models.TextField(_("text (sv)"))
    body_en = models.TextField(_("text (en)"))
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["unit", "order", "pk"]
        verbose_name = _("canned response")
        verbose_name_plural = _("canned responses")

    def __str__(self) -> str:
        return self.name_en or self.name_fi

    def body_in(self, language: str | None) -> str:
        """The text in the requester's language (Finnish if that one is empty)."""
        return getattr(self, f"body_{pick_language(language)}") or self.body_fi


class DashboardSnapshot(models.Model):
    """The dashboard's figures for one filter set, as computed at `computed_at`.

    Written by `inquiries.metrics.snapshots`: the page serves a snapshot younger than
    DASHBOARD_SNAPSHOT_SECONDS and a beat task keeps the usual views fresh, so nobody waits
    for the seconds a million requests take to compute. `spec` says how to compute it again
    (a period relative to now, or fixed days); `figures` is the `Dashboard` as JSON.
    """

    key = models.CharField(_("key"), max_length=64, unique=True)
    spec = models.JSONField(_("filters"))
    figures = models.JSONField(_("figures"))
    computed_at = models.DateTimeField(_("computed"))
    viewed_at = models.DateTimeField(_("last viewed"), db_index=True)

    class Meta:
        verbose_name = _("dashboard snapshot")
        verbose_name_plural = _("dashboard snapshots")

    def __str__(self) -> str:
        return f"{self.key[:12]} @ {self.computed_at:%Y-%m-%d %H:%M}"
