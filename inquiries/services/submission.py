"""A new inquiry: saved, routed to a unit by the rules, its clocks started."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from crm.models import Company, Contact, Unit, User
from notifications import outbox
from notifications.models import Notification
from routing.engine import choose_unit
from routing.models import RequestType, RoutingRule

from ..attachments import CheckedFile
from ..models import Inquiry, ReferenceCounter, RoutingDecision, TrackingLink
from ._base import now_or_current, save_attachments, take_transition, write_log

SUBJECT_FROM_DESCRIPTION_CHARS = 80
Kind = Notification.Kind


@dataclass(frozen=True)
class Submission:
    """What a requester sends, already validated (by the API serializer or a form).

    A request recorded by staff (from a call, a visit, an event) names who recorded it, and may
    have no e-mail address (then a phone number): no mail goes to such a requester.
    """

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
    attachments: tuple[CheckedFile, ...] = ()
    recorded_by: User | None = None


@dataclass(frozen=True)
class Submitted:
    inquiry: Inquiry
    tracking_token: str  # shown once: only its hash is stored


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
    details = {
        "name": submission.contact_name,
        "language": submission.language,
        **({"phone": submission.phone} if submission.phone else {}),
        **({"company": company} if company else {}),
    }
    if not email:
        # Recorded by staff with a phone number only: the same number is the same person.
        same_phone = Contact.objects.filter(email="", phone=submission.phone).first()
        if submission.phone and same_phone is not None:
            Contact.objects.filter(pk=same_phone.pk).update(**details)
            same_phone.refresh_from_db()
            return same_phone
        return Contact.objects.create(email="", **details)
    contact, _created = Contact.objects.update_or_create(email=email, defaults=details)
    return contact


@transaction.atomic
def submit_inquiry(*, submission: Submission, now: datetime | None = None) -> Submitted:
    """Save a new inquiry from a requester, route it and start its clocks."""
    now = now_or_current(now)
    company = _upsert_company(submission.company_name, submission.business_id)
    contact = _upsert_contact(submission, company)
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
        submitted_at=now,
    )
    token = TrackingLink.objects.create_for(inquiry, now=now)
    write_log(inquiry, "submit", "", now=now, contact=contact, user=submission.recorded_by)
    save_attachments(inquiry, submission.attachments, now=now)
    route_inquiry(inquiry=inquiry, now=now)
    outbox.notify_requester(
        inquiry, Kind.RECEIPT, now=now, context={"tracking_url": tracking_url(token)}
    )
    outbox.notify_staff(inquiry, Kind.NEW_IN_UNIT, outbox.unit_members(inquiry.unit), now=now)
    return Submitted(inquiry=inquiry, tracking_token=token)


def tracking_url(token: str) -> str:
    """Return the requester's private, absolute tracking link."""
    return settings.SITE_URL + reverse("portal:track", kwargs={"token": token})


def route_inquiry(*, inquiry: Inquiry, now: datetime) -> RoutingDecision:
    """Place a new inquiry in a unit by the routing rules, with its due times."""
    rules = RoutingRule.objects.as_engine_rules()
    text = f"{inquiry.subject}\n{inquiry.description}"
    decision = choose_unit(text, inquiry.request_type.code, rules)
    unit = Unit.objects.get(code=decision.unit)
    take_transition(
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
