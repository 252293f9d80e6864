"""A new inquiry: saved, routed to a unit by the rules, its clocks started."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from crm.models import Company, Contact, Unit, User
from notifications import outbox
from notifications.models import Notification
from routing.engine import choose_unit
from routing.models import RequestType, RoutingRule

from ..attachments import CheckedFile
from ..models import Inquiry, ReferenceCounter, RoutingDecision, TrackingLink, TransitionLog
from ._base import now_or_current, save_attachments

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
    last = _take_number(year)
    if last is None:
        try:
            with transaction.atomic():
                ReferenceCounter.objects.create(year=year, last=1)
            last = 1
        except IntegrityError:
            # Another submission created the row first; take the next number after it.
            last = _take_number(year)
    return f"BP-{year}-{last:06d}"


def _take_number(year: int) -> int | None:
    """Add one to the year's counter and return it (one statement); None if the year has none."""
    table = connection.ops.quote_name(ReferenceCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE {table} SET "last" = "last" + 1 WHERE "year" = %s RETURNING "last"', [year]
        )
        row = cursor.fetchone()
    return row[0] if row else None


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
    return _save_contact_by_email(email, details)


def _save_contact_by_email(email: str, details: dict[str, Any]) -> Contact:
    """Insert the contact, or update the one with this address: one statement, race-free.

    As `update_or_create` would (the row stays locked until commit), without its SELECT and
    savepoints. `details` are the fields to set; fields not in it keep their stored values.
    """
    company = details.get("company")
    values = {
        "email": email,
        "name": details["name"],
        "language": details["language"],
        "phone": details.get("phone", ""),
        "company_id": company.pk if company else None,
        "created_at": Contact._meta.get_field("created_at").get_db_prep_value(
            timezone.now(), connection
        ),
    }
    updated = ["name", "language", *(["phone"] if "phone" in details else [])]
    updated += ["company_id"] if company else []
    quote = connection.ops.quote_name
    fields = Contact._meta.concrete_fields
    sql = (
        f"INSERT INTO {quote(Contact._meta.db_table)} ({', '.join(map(quote, values))}) "
        f"VALUES ({', '.join(['%s'] * len(values))}) "
        # The target is the partial unique index contact_email_unique (its own condition).
        f"ON CONFLICT ({quote('email')}) WHERE NOT ({quote('email')} = '') DO UPDATE SET "
        + ", ".join(f"{quote(c)} = EXCLUDED.{quote(c)}" for c in updated)
        + f" RETURNING {', '.join(quote(f.column) for f in fields)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(values.values()))
        row = cursor.fetchone()
    contact = Contact.from_db(connection.alias, [f.attname for f in fields], row)
    if company is not None:
        contact.company = company
    return contact


@transaction.atomic
def submit_inquiry(*, submission: Submission, now: datetime | None = None) -> Submitted:
    """Save a new inquiry from a requester, route it and start its clocks."""
    now = now_or_current(now)
    company = _upsert_company(submission.company_name, submission.business_id)
    contact = _upsert_contact(submission, company)
    inquiry = Inquiry(
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
    # Routed before it is first saved: one INSERT of the queued inquiry, its log rows together.
    decision = route_inquiry(inquiry=inquiry, now=now)
    # The number last: the year's counter row stays locked until commit, and every other
    # submission waits for it (what follows is the inserts and the mails).
    inquiry.reference = _next_reference(timezone.localtime(now).year)
    inquiry.save()
    TransitionLog.objects.bulk_create(
        [
            TransitionLog(
                inquiry=inquiry,
                name="submit",
                source="",
                target=Inquiry.Status.NEW,
                actor_user=submission.recorded_by,
                actor_contact=contact,
                at=now,
            ),
            TransitionLog(
                inquiry=inquiry,
                name="route",
                source=Inquiry.Status.NEW,
                target=inquiry.status,
                at=now,
                note=decision.rule_name,
            ),
        ]
    )
    decision.inquiry = inquiry
    decision.save()
    token = TrackingLink.objects.create_for(inquiry, now=now)
    save_attachments(inquiry, submission.attachments, now=now)
    with outbox.one_task():  # the receipt and the unit's notices: one Celery task after commit
        outbox.notify_requester(
            inquiry, Kind.RECEIPT, now=now, context={"tracking_url": tracking_url(token)}
        )
        outbox.notify_staff(inquiry, Kind.NEW_IN_UNIT, outbox.unit_members(inquiry.unit), now=now)
    return Submitted(inquiry=inquiry, tracking_token=token)


def tracking_url(token: str) -> str:
    """Return the requester's private, absolute tracking link."""
    return settings.SITE_URL + reverse("portal:track", kwargs={"token": token})


def route_inquiry(*, inquiry: Inquiry, now: datetime) -> RoutingDecision:
    """Place a new, not yet saved inquiry in a unit by the routing rules, with its due times.

    Takes the route transition on `inquiry` (the caller saves it and writes the log) and returns
    the decision, unsaved, to be stored with it.
    """
    rows = list(RoutingRule.objects.active().order_by("order", "pk"))
    text = f"{inquiry.subject}\n{inquiry.description}"
    decision = choose_unit(text, inquiry.request_type.code, [row.as_engine_rule() for row in rows])
    # The rules' units are already read; only the fallback unit (no rule matched) needs a query.
    units = {row.unit.code: row.unit for row in rows}
    unit = units.get(decision.unit) or Unit.objects.get(code=decision.unit)
    inquiry.route(
        unit=unit,
        policy=inquiry.request_type.policy(),
        priority=decision.rule.priority if decision.rule else None,
        now=now,
    )
    return RoutingDecision(
        kind=RoutingDecision.Kind.RULE if decision.rule else RoutingDecision.Kind.FALLBACK,
        rule_id=decision.rule.id if decision.rule else None,
        rule_name=decision.rule.name if decision.rule else "",
        matched_words=", ".join(decision.matched)[:500],
        unit=unit,
        decided_at=now,
    )
