"""Every change to an inquiry: one atomic function each, the log row in the same transaction.

Views, the API, tasks and the admin call these; nothing else calls a transition.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed, can_proceed

from crm.models import Company, Contact, Membership, Unit, User
from routing.engine import choose_unit
from routing.models import RequestType, RoutingRule

from .models import (
    Inquiry,
    Message,
    ReferenceCounter,
    RoutingDecision,
    TransitionLog,
    hash_token,
    new_token,
)

SUBJECT_FROM_DESCRIPTION_CHARS = 80


@dataclass(frozen=True)
class Submission:
    """What a requester sends, already validated (by the API serializer or a form)."""

    request_type: RequestType
    description: str
    contact_name: str
    email: str
    subject: str = ""
    company_name: str = ""
    business_id: str = ""  # normalised, 1234567-8, or empty
    phone: str = ""  # E.164, or empty
    language: str = "fi"
    channel: str = Inquiry.Channel.WEB


@dataclass(frozen=True)
class Submitted:
    inquiry: Inquiry
    tracking_token: str  # shown once: only its hash is stored


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def subject_from(description: str) -> str:
    """Return the start of the description, cut at a word, as a subject."""
    text = " ".join(description.split())
    if len(text) <= SUBJECT_FROM_DESCRIPTION_CHARS:
        return text
    cut = text[:SUBJECT_FROM_DESCRIPTION_CHARS].rsplit(" ", 1)[0]
    return cut + "…"


def _next_reference(year: int) -> str:
    # The UPDATE locks the year's row until commit, so two submissions never share a number.
    if not ReferenceCounter.objects.filter(year=year).update(last=F("last") + 1):
        try:
            with transaction.atomic():
                ReferenceCounter.objects.create(year=year, last=1)
        except IntegrityError:
            # Another submission created the row first; take the next number after it.
            ReferenceCounter.objects.filter(year=year).update(last=F("last") + 1)
    last = ReferenceCounter.objects.get(year=year).last
    return f"BP-{year}-{last:06d}"


def _upsert_company(name: str, business_id: str) -> Company | None:
    if not business_id:
        return None
    company, created = Company.objects.get_or_create(
        business_id=business_id, defaults={"name": name or business_id}
    )
    if not created and name and company.name == company.business_id:
        company.name = name
        company.save(update_fields=["name"])
    return company


def _upsert_contact(submission: Submission, company: Company | None) -> Contact:
    email = submission.email.strip().lower()
    contact, _created = Contact.objects.update_or_create(
        email=email,
        defaults={
            "name": submission.contact_name,
            "language": submission.language,
            **({"phone": submission.phone} if submission.phone else {}),
            **({"company": company} if company else {}),
        },
    )
    return contact


def _log(
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


def _message(
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


def _locked(inquiry_id: int) -> Inquiry:
    # Row lock until commit: concurrent actions on one inquiry run one after the other,
    # and each sees the state the previous one left.
    return Inquiry.objects.select_for_update(of=("self",)).select_related("unit").get(pk=inquiry_id)


def _require(user: User, perm: str, inquiry: Inquiry) -> None:
    if not user.has_perm(perm, inquiry):
        raise PermissionDenied(_("You may not do this to request %s.") % inquiry.reference)


def _run(
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
    return _log(inquiry, method.__name__, source, now=now, user=user, contact=contact, note=note)


# -- submission and routing ------------------------------------------------------------------


@transaction.atomic
def submit_inquiry(*, submission: Submission, now: datetime | None = None) -> Submitted:
    """Save a new inquiry from a requester, route it and start its clocks."""
    now = _now(now)
    company = _upsert_company(submission.company_name, submission.business_id)
    contact = _upsert_contact(submission, company)
    token = new_token()
    inquiry = Inquiry.objects.create(
        reference=_next_reference(timezone.localtime(now).year),
        channel=submission.channel,
        request_type=submission.request_type,
        contact=contact,
        company=company,
        company_name=submission.company_name or (company.name if company else ""),
        language=submission.language,
        subject=submission.subject or subject_from(submission.description),
        description=submission.description,
        tracking_token_hash=hash_token(token),
        submitted_at=now,
    )
    _log(inquiry, "submit", "", now=now, contact=contact)
    route_inquiry(inquiry=inquiry, now=now)
    return Submitted(inquiry=inquiry, tracking_token=token)


def route_inquiry(*, inquiry: Inquiry, now: datetime) -> RoutingDecision:
    """Place a new inquiry in a unit by the routing rules, with its due times."""
    rules = RoutingRule.objects.as_engine_rules()
    text = f"{inquiry.subject}\n{inquiry.description}"
    decision = choose_unit(text, inquiry.request_type.code, rules)
    unit = Unit.objects.get(code=decision.unit)
    _run(
        inquiry,
        inquiry.route,
        unit=unit,
        policy=inquiry.request_type.policy(),
        priority=decision.rule.priority if decision.rule else None,
        now=now,
        note=decision.rule.name if decision.rule else "",
    )
    return RoutingDecision.objects.create(
        inquiry=inquiry,
        kind=RoutingDecision.Kind.RULE if decision.rule else RoutingDecision.Kind.FALLBACK,
        rule_id=decision.rule.id if decision.rule else None,
        rule_name=decision.rule.name if decision.rule else "",
        matched_words=", ".join(decision.matched)[:500],
        unit=unit,
        decided_at=now,
    )


# -- handlers --------------------------------------------------------------------------------


@transaction.atomic
def claim_inquiry(*, inquiry_id: int, handler: User, now: datetime | None = None) -> Inquiry:
    """Take an unassigned inquiry of one's unit into one's own work."""
    now = _now(now)
    inquiry = _locked(inquiry_id)
    _require(handler, "inquiries.claim_inquiry", inquiry)
    if inquiry.assignee_id is not None:
        raise TransitionNotAllowed(
            _("Request %(reference)s was already taken by %(name)s.")
            % {"reference": inquiry.reference, "name": inquiry.assignee},
            object=inquiry,
        )
    _run(inquiry, inquiry.claim, handler, now=now, user=handler)
    return inquiry


@transaction.atomic
def assign_inquiry(
    *, inquiry_id: int, manager: User, assignee: User, now: datetime | None = None
) -> Inquiry:
    """Give an inquiry to a handler of its unit (unit managers)."""
    now = _now(now)
    inquiry = _locked(inquiry_id)
    _require(manager, "inquiries.assign_inquiry", inquiry)
    if not Membership.objects.filter(user=assignee, unit_id=inquiry.unit_id).exists():
        raise ValidationError(
            {
                "assignee": _("%(name)s is not a handler of %(unit)s.")
                % {"name": assignee, "unit": inquiry.unit}
            }
        )
    _run(inquiry, inquiry.assign, assignee, now=now, user=manager, note=str(assignee))
    return inquiry


@transaction.atomic
def transfer_inquiry(
    *, inquiry_id: int, actor: User, unit: Unit, reason: str, now: datetime | None = None
) -> Inquiry:
    """Send an inquiry to another unit with a reason; counted as a routing miss."""
    now = _now(now)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the request belongs to another unit.")})
    inquiry = _locked(inquiry_id)
    _require(actor, "inquiries.transfer_inquiry", inquiry)
    if unit.pk == inquiry.unit_id:
        raise ValidationError({"unit": _("The request is already in %(unit)s.") % {"unit": unit}})
    from_unit = inquiry.unit
    _run(inquiry, inquiry.transfer, unit, now=now, user=actor, note=reason)
    RoutingDecision.objects.create(
        inquiry=inquiry,
        kind=RoutingDecision.Kind.TRANSFER,
        from_unit=from_unit,
        unit=unit,
        reason=reason,
        decided_by=actor,
        decided_at=now,
    )
    return inquiry


def _require_text(field: str, text: str, message: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError({field: message})
    return text


@transaction.atomic
def reply_to_inquiry(
    *, inquiry_id: int, handler: User, body: str, now: datetime | None = None
) -> Message:
    """Send the requester a public reply; the first one is the first response."""
    now = _now(now)
    body = _require_text("body", body, _("Write the reply."))
    inquiry = _locked(inquiry_id)
    _require(handler, "inquiries.reply_inquiry", inquiry)
    if not inquiry.is_open:
        raise TransitionNotAllowed(
            _("Request %s is no longer open; it cannot be replied to.") % inquiry.reference,
            object=inquiry,
        )
    if inquiry.first_response_at is None:
        inquiry.note_first_response(now)
        inquiry.save(update_fields=["first_response_at", "first_response_seconds", "updated_at"])
    return _message(inquiry, Message.Kind.REPLY, body, now=now, user=handler)


@transaction.atomic
def add_internal_note(
    *, inquiry_id: int, handler: User, body: str, now: datetime | None = None
) -> Message:
    """Add a note only staff can read."""
    now = _now(now)
    body = _require_text("body", body, _("Write the note."))
    inquiry = _locked(inquiry_id)
    _require(handler, "inquiries.note_inquiry", inquiry)
    return _message(inquiry, Message.Kind.NOTE, body, now=now, user=handler)


@transaction.atomic
def ask_customer(
    *, inquiry_id: int, handler: User, question: str, now: datetime | None = None
) -> Message:
    """Ask the requester something; the clock pauses until they answer."""
    now = _now(now)
    question = _require_text("question", question, _("Write the question."))
    inquiry = _locked(inquiry_id)
    _require(handler, "inquiries.ask_customer", inquiry)
    _run(inquiry, inquiry.ask_customer, now=now, user=handler)
    return _message(inquiry, Message.Kind.QUESTION, question, now=now, user=handler)


@transaction.atomic
def resolve_inquiry(
    *, inquiry_id: int, handler: User, outcome: str, now: datetime | None = None
) -> Message:
    """Resolve an inquiry with a public message that tells the outcome."""
    now = _now(now)
    outcome = _require_text("outcome", outcome, _("Tell the requester the outcome."))
    inquiry = _locked(inquiry_id)
    _require(handler, "inquiries.resolve_inquiry", inquiry)
    _run(inquiry, inquiry.resolve, now=now, user=handler)
    return _message(inquiry, Message.Kind.RESOLUTION, outcome, now=now, user=handler)


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
    now = _now(now)
    message = message.strip()
    if reason not in Inquiry.CloseReason.values:
        raise ValidationError({"reason": _("Choose duplicate, spam or out of scope.")})
    inquiry = _locked(inquiry_id)
    _require(handler, "inquiries.close_inquiry_unactioned", inquiry)
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
    _run(
        inquiry,
        inquiry.close_unactioned,
        reason=reason,
        duplicate_of=original,
        now=now,
        user=handler,
        note=duplicate_of if original else message,
    )
    if message:
        _message(inquiry, Message.Kind.CLOSURE, message, now=now, user=handler)
    return inquiry


# -- requesters (authenticated by their tracking link or sign-in link) ------------------------


def _require_requester(contact: Contact, inquiry: Inquiry) -> None:
    if contact.pk != inquiry.contact_id:
        raise PermissionDenied(_("This request is not yours."))


@transaction.atomic
def add_customer_message(
    *, inquiry_id: int, contact: Contact, body: str, now: datetime | None = None
) -> Message:
    """Add the requester's message; an answer to our question restarts the clock."""
    now = _now(now)
    body = _require_text("body", body, _("Write your message."))
    inquiry = _locked(inquiry_id)
    _require_requester(contact, inquiry)
    if inquiry.status == Inquiry.Status.AWAITING_CUSTOMER:
        _run(inquiry, inquiry.customer_reply, now=now, contact=contact)
    elif not inquiry.is_open:
        raise TransitionNotAllowed(
            _("Request %s is no longer open. Reopen it or send a new request.") % inquiry.reference,
            object=inquiry,
        )
    return _message(inquiry, Message.Kind.CUSTOMER, body, now=now, contact=contact)


@transaction.atomic
def reopen_inquiry(
    *, inquiry_id: int, contact: Contact, reason: str, now: datetime | None = None
) -> Inquiry:
    """Reopen a resolved inquiry within the reopening period; counted as a reopen."""
    now = _now(now)
    reason = _require_text("reason", reason, _("Tell us what is still missing."))
    inquiry = _locked(inquiry_id)
    _require_requester(contact, inquiry)
    deadline = inquiry.reopen_deadline()
    if deadline is not None and now > deadline:
        raise TransitionNotAllowed(
            _("Request %(reference)s can no longer be reopened: %(days)s days have passed.")
            % {"reference": inquiry.reference, "days": settings.REOPEN_WINDOW_DAYS},
            object=inquiry,
        )
    _run(inquiry, inquiry.reopen, now=now, contact=contact, note=reason)
    _message(inquiry, Message.Kind.CUSTOMER, reason, now=now, contact=contact)
    return inquiry


@transaction.atomic
def withdraw_inquiry(
    *, inquiry_id: int, contact: Contact, reason: str = "", now: datetime | None = None
) -> Inquiry:
    """Withdraw an open inquiry at the requester's wish."""
    now = _now(now)
    inquiry = _locked(inquiry_id)
    _require_requester(contact, inquiry)
    _run(inquiry, inquiry.withdraw, now=now, contact=contact, note=reason.strip())
    return inquiry


# -- system ----------------------------------------------------------------------------------


@transaction.atomic
def close_resolved_inquiry(*, inquiry_id: int, now: datetime | None = None) -> bool:
    """Close a resolved inquiry whose reopening period has ended; False if it no longer applies."""
    now = _now(now)
    inquiry = _locked(inquiry_id)
    deadline = inquiry.reopen_deadline()
    if inquiry.status != Inquiry.Status.RESOLVED or deadline is None or now < deadline:
        return False  # reopened or closed meanwhile: a re-run of the task is harmless
    _run(inquiry, inquiry.close, now=now)
    return True


def close_resolved_inquiries(*, now: datetime | None = None) -> int:
    """Close every resolved inquiry past its reopening period; return how many."""
    now = _now(now)
    cutoff = now - timedelta(days=settings.REOPEN_WINDOW_DAYS)
    due = Inquiry.objects.filter(
        status=Inquiry.Status.RESOLVED, last_resolved_at__lte=cutoff
    ).values_list("pk", flat=True)
    return sum(close_resolved_inquiry(inquiry_id=pk, now=now) for pk in list(due))
