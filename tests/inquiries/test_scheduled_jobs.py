"""Beat jobs: the SLA scan, reminders to requesters, and retention."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from inquiries import services
from inquiries.models import Inquiry, Message
from notifications.models import Notification

pytestmark = pytest.mark.django_db
HEL = ZoneInfo("Europe/Helsinki")
Kind = Notification.Kind


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=HEL)


def sent(kind: str, inquiry: Inquiry) -> list[str]:
    return list(
        Notification.objects.filter(kind=kind, inquiry=inquiry).values_list(
            "recipient_email", flat=True
        )
    )


# queued_inquiry: submitted Monday 7.9.2026 08:00; first response due Tue 8.9. 16:00 (16 h),
# at risk after 12 h (75 %): Tue 8.9. 12:00. Resolution due Fri 18.9. 16:00 (80 h), at risk
# after 60 h: Wed 16.9. 12:00.


def test_first_response_at_risk_then_breached_each_told_once(queued_inquiry, handler, manager):
    scan = services.scan_service_levels
    assert sum(scan(now=at(2026, 9, 8, 11, 59)).values()) == 0
    # at 75 % of the target the unit's people hear it once (nobody has claimed it)
    scan(now=at(2026, 9, 8, 12, 0))
    scan(now=at(2026, 9, 8, 13, 0))
    assert sorted(sent(Kind.AT_RISK, queued_inquiry)) == sorted([handler.email, manager.email])
    # past the due time the unit manager hears of the breach, once
    scan(now=at(2026, 9, 8, 16, 0))
    scan(now=at(2026, 9, 9, 9, 0))
    assert sent(Kind.BREACHED, queued_inquiry) == [manager.email]
    queued_inquiry.refresh_from_db()
    assert queued_inquiry.first_response_risk_flagged_at == at(2026, 9, 8, 12, 0)
    assert queued_inquiry.first_response_breach_flagged_at == at(2026, 9, 8, 16, 0)


def test_at_risk_goes_to_the_assignee_only(claimed_inquiry, handler, other_handler):
    services.scan_service_levels(now=at(2026, 9, 8, 12, 0))
    assert sent(Kind.AT_RISK, claimed_inquiry) == [handler.email]


def test_a_request_found_already_breached_is_not_also_reported_at_risk(queued_inquiry, manager):
    services.scan_service_levels(now=at(2026, 9, 9, 12, 0))
    assert sent(Kind.BREACHED, queued_inquiry) == [manager.email]
    assert sent(Kind.AT_RISK, queued_inquiry) == []
    queued_inquiry.refresh_from_db()
    assert queued_inquiry.first_response_risk_flagged_at is not None  # never reported later


def test_answered_in_time_never_flags_the_first_response(claimed_inquiry, handler):
    services.reply_to_inquiry(
        inquiry_id=claimed_inquiry.pk, handler=handler, body="Hei!", now=at(2026, 9, 7, 10)
    )
    services.scan_service_levels(now=at(2026, 9, 9, 12, 0))
    assert sent(Kind.AT_RISK, claimed_inquiry) == sent(Kind.BREACHED, claimed_inquiry) == []


def test_no_resolution_alarm_while_we_wait_for_the_requester(claimed_inquiry, handler, manager):
    services.ask_customer(
        inquiry_id=claimed_inquiry.pk, handler=handler, question="?", now=at(2026, 9, 7, 10)
    )
    services.scan_service_levels(now=at(2026, 9, 25, 12, 0))  # long past the original due
    assert sent(Kind.BREACHED, claimed_inquiry) == []
    # when the answer comes on Thu 24.9. 10:00, after 104 business hours (13 days) of waiting,
    # then both instants moved by 13 business days: Fri 18.9. 16:00 to Wed 7.10. 16:00, and
    # Wed 16.9. 12:00 to Mon 5.10. 12:00
    services.add_customer_message(
        inquiry_id=claimed_inquiry.pk,
        contact=claimed_inquiry.contact,
        body="Vastaus",
        now=at(2026, 9, 24, 10),
    )
    claimed_inquiry.refresh_from_db()
    assert claimed_inquiry.awaiting_seconds == 104 * 3600
    assert claimed_inquiry.resolution_due == at(2026, 10, 7, 16, 0)
    assert claimed_inquiry.resolution_risk_at == at(2026, 10, 5, 12, 0)
    services.scan_service_levels(now=at(2026, 10, 5, 11, 59))
    assert sent(Kind.AT_RISK, claimed_inquiry) == []
    services.scan_service_levels(now=at(2026, 10, 5, 12, 0))
    assert sent(Kind.AT_RISK, claimed_inquiry) == [claimed_inquiry.assignee.email]


def test_requester_is_reminded_once_after_five_business_days(claimed_inquiry, handler):
    services.ask_customer(
        inquiry_id=claimed_inquiry.pk, handler=handler, question="Koko?", now=at(2026, 9, 7, 10)
    )
    # 40 business hours from Mon 10:00 is the next Mon 10:00
    assert services.remind_requesters(now=at(2026, 9, 14, 9, 59)) == 0
    assert services.remind_requesters(now=at(2026, 9, 14, 10, 0)) == 1
    assert services.remind_requesters(now=at(2026, 9, 15, 10, 0)) == 0
    reminder = Notification.objects.get(kind=Kind.REMINDER)
    assert reminder.recipient_email == claimed_inquiry.contact.email
    # a new question after the answer may be reminded of again
    services.add_customer_message(
        inquiry_id=claimed_inquiry.pk,
        contact=claimed_inquiry.contact,
        body="5000 m²",
        now=at(2026, 9, 15, 10),
    )
    services.ask_customer(
        inquiry_id=claimed_inquiry.pk,
        handler=handler,
        question="Milloin?",
        now=at(2026, 9, 15, 11),
    )
    assert services.remind_requesters(now=at(2026, 9, 22, 11, 0)) == 1


# -- retention --------------------------------------------------------------------------------


def closed(claimed: Inquiry, handler, when: datetime) -> Inquiry:
    services.resolve_inquiry(inquiry_id=claimed.pk, handler=handler, outcome="Valmis", now=when)
    services.close_resolved_inquiries(now=when + timedelta(days=14))
    claimed.refresh_from_db()
    return claimed


def test_personal_data_is_anonymised_24_months_after_closing_and_numbers_stay(
    claimed_inquiry, handler
):
    # given a request closed on 21.9.2026 with a note, its requester with no other request
    services.add_internal_note(
        inquiry_id=claimed_inquiry.pk, handler=handler, body="Soitin Yrjölle", now=at(2026, 9, 7, 9)
    )
    inquiry = closed(claimed_inquiry, handler, at(2026, 9, 7, 12))
    numbers = (
        inquiry.status, inquiry.unit_id, inquiry.first_response_seconds,
        inquiry.resolution_seconds, inquiry.submitted_at, inquiry.closed_at, inquiry.reference,
    )  # fmt: skip
    assert inquiry.status == Inquiry.Status.CLOSED
    # when the retention job runs one day short of 24 months, nothing changes
    assert services.anonymise_old_inquiries(now=at(2028, 9, 20, 12)) == 0
    # and on the day, the personal data goes
    assert services.anonymise_old_inquiries(now=at(2028, 9, 21, 13)) == 1
    inquiry.refresh_from_db()
    assert inquiry.anonymised_at is not None
    assert "Valmis" not in inquiry.description and inquiry.company_name == ""
    assert not Message.objects.filter(inquiry=inquiry).exclude(body="—").exists()
    assert not Notification.objects.filter(inquiry=inquiry).exclude(body_text="").exists()
    assert not inquiry.tracking_links.exists()
    contact = inquiry.contact
    contact.refresh_from_db()
    assert contact.name == "—" and contact.email.endswith("@invalid.invalid")
    # the numbers stay, and the act is logged
    assert (
        inquiry.status, inquiry.unit_id, inquiry.first_response_seconds,
        inquiry.resolution_seconds, inquiry.submitted_at, inquiry.closed_at, inquiry.reference,
    ) == numbers  # fmt: skip
    assert inquiry.transitions.filter(name="anonymise").exists()
    # and running again changes nothing
    assert services.anonymise_old_inquiries(now=at(2028, 9, 22, 13)) == 0


def test_a_requester_with_a_newer_request_keeps_their_contact_details(
    submit, claimed_inquiry, handler
):
    inquiry = closed(claimed_inquiry, handler, at(2026, 9, 7, 12))
    submit(now=at(2028, 1, 10, 9))  # the same e-mail address, a newer request
    services.anonymise_old_inquiries(now=at(2028, 10, 1, 12))
    inquiry.refresh_from_db()
    inquiry.contact.refresh_from_db()
    assert inquiry.anonymised_at is not None
    assert inquiry.contact.email == "yrittaja@example.fi"


def test_open_requests_are_never_anonymised(queued_inquiry):
    assert services.anonymise_old_inquiries(now=at(2030, 1, 1, 12)) == 0


def test_the_tracking_link_of_an_anonymised_request_stops_working(client, submit, handler):
    submitted = submit(now=at(2026, 9, 7, 8))
    services.claim_inquiry(inquiry_id=submitted.inquiry.pk, handler=handler, now=at(2026, 9, 7, 9))
    closed(submitted.inquiry, handler, at(2026, 9, 7, 12))
    # (anonymise removes the link rows; the query also refuses anonymised requests)
    url = f"/track/{submitted.tracking_token}/"
    assert client.get(url).status_code == 200
    services.anonymise_old_inquiries(now=at(2029, 1, 1, 12))
    assert client.get(url).status_code == 404
