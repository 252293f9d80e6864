"""extensions=true: the 6Aika detailed_status and request log, from the workflow's own log."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crm.models import Membership, Unit
from inquiries import services
from open311.render import w3c

from ..conftest import MONDAY_MORNING
from .conftest import assert_same_in_both, json_document

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)


def shown(open311, inquiry, **params):
    response = open311.get("request", service_request_id=inquiry.reference, params=params)
    [request] = json_document(response)
    return request


def extended(open311, inquiry):
    return shown(open311, inquiry, extensions="true")["extended_attributes"]


def log(open311, inquiry) -> list[tuple[str, str]]:
    return [(entry["status"], entry["time"]) for entry in extended(open311, inquiry)["request_log"]]


def at(hours: float) -> str:
    return w3c(MONDAY_MORNING + timedelta(hours=hours))


def test_without_extensions_there_are_no_extended_attributes(open311, clock, claimed_inquiry):
    assert "extended_attributes" not in shown(open311, claimed_inquiry)
    assert "extended_attributes" not in shown(open311, claimed_inquiry, extensions="false")
    [listed] = json_document(open311.get("requests"))
    assert "extended_attributes" not in listed


def test_a_queued_request_is_received_and_allocated_on_submission(open311, clock, queued_inquiry):
    assert extended(open311, queued_inquiry) == {
        "detailed_status": "RECEIVED",
        "request_log": [{"time": at(0), "status": "allocated"}],
    }


def test_a_claimed_request_is_in_process_and_handled_since_the_claim(
    open311, clock, claimed_inquiry
):
    assert extended(open311, claimed_inquiry)["detailed_status"] == "IN_PROCESS"
    assert log(open311, claimed_inquiry) == [("allocated", at(0)), ("handling", at(1))]


def test_waiting_for_the_requester_is_still_in_process(open311, clock, claimed_inquiry, handler):
    services.ask_customer(
        inquiry_id=claimed_inquiry.pk, handler=handler, question="Koko?", now=MONDAY_MORNING + HOUR
    )
    assert extended(open311, claimed_inquiry)["detailed_status"] == "IN_PROCESS"
    # a question is no step of the log
    assert len(log(open311, claimed_inquiry)) == 2


def test_a_transfer_allocates_again_and_an_assignment_is_handling(
    open311, clock, queued_inquiry, handler, manager, outsider
):
    # given a request transferred to employment services and assigned there
    other = Unit.objects.get(code="employment-services")
    services.transfer_inquiry(
        inquiry_id=queued_inquiry.pk,
        actor=handler,
        unit=other,
        reason="Kuuluu työllisyyspalveluille.",
        now=MONDAY_MORNING + HOUR,
    )
    boss = Membership.objects.create(user=manager, unit=other, role=Membership.Role.MANAGER).user
    services.assign_inquiry(
        inquiry_id=queued_inquiry.pk, manager=boss, assignee=outsider, now=MONDAY_MORNING + 2 * HOUR
    )
    # then the log shows two allocations and the handling
    assert log(open311, queued_inquiry) == [
        ("allocated", at(0)),
        ("allocated", at(1)),
        ("handling", at(2)),
    ]
    assert shown(open311, queued_inquiry)["agency_responsible"] == "Työllisyyspalvelut"


def test_resolved_is_processed_reopened_is_handling_and_closed_after_it_archived(
    open311, clock, claimed_inquiry, handler, requester
):
    services.resolve_inquiry(
        inquiry_id=claimed_inquiry.pk,
        handler=handler,
        outcome="Valmis.",
        now=MONDAY_MORNING + 2 * HOUR,
    )
    assert extended(open311, claimed_inquiry)["detailed_status"] == "PROCESSED"
    services.reopen_inquiry(
        inquiry_id=claimed_inquiry.pk,
        contact=requester,
        reason="Puuttuu.",
        now=MONDAY_MORNING + 3 * HOUR,
    )
    assert extended(open311, claimed_inquiry)["detailed_status"] == "IN_PROCESS"
    services.resolve_inquiry(
        inquiry_id=claimed_inquiry.pk,
        handler=handler,
        outcome="Nyt valmis.",
        now=MONDAY_MORNING + 4 * HOUR,
    )
    closed_at = MONDAY_MORNING + 4 * HOUR + timedelta(days=15)
    assert services.close_resolved_inquiry(inquiry_id=claimed_inquiry.pk, now=closed_at)
    # then the request is archived, and the automatic close adds no step
    assert extended(open311, claimed_inquiry)["detailed_status"] == "ARCHIVED"
    assert log(open311, claimed_inquiry) == [
        ("allocated", at(0)),
        ("handling", at(1)),
        ("done", at(2)),
        ("handling", at(3)),
        ("done", at(4)),
    ]


def test_closed_without_action_is_rejected_and_done(open311, clock, claimed_inquiry, handler):
    services.close_inquiry_unactioned(
        inquiry_id=claimed_inquiry.pk, handler=handler, reason="spam", now=MONDAY_MORNING + 2 * HOUR
    )
    assert extended(open311, claimed_inquiry)["detailed_status"] == "REJECTED"
    assert log(open311, claimed_inquiry)[-1] == ("done", at(2))


def test_withdrawn_is_rejected_and_done(open311, clock, queued_inquiry, requester):
    services.withdraw_inquiry(
        inquiry_id=queued_inquiry.pk, contact=requester, now=MONDAY_MORNING + HOUR
    )
    assert extended(open311, queued_inquiry)["detailed_status"] == "REJECTED"
    assert log(open311, queued_inquiry) == [("allocated", at(0)), ("done", at(1))]


def test_the_log_entries_carry_only_a_time_and_a_status(open311, clock, claimed_inquiry):
    entries = extended(open311, claimed_inquiry)["request_log"]
    assert all(set(entry) == {"time", "status"} for entry in entries)


def test_extensions_read_the_same_in_xml(open311, clock, claimed_inquiry, queued_inquiry):
    # the listing (one request) and one request, with the log as <request_log><entry>…
    for name, kwargs in (
        ("requests", {}),
        ("request", {"service_request_id": claimed_inquiry.reference}),
    ):
        document = assert_same_in_both(
            open311, name, "service_requests", params={"extensions": "true"}, **kwargs
        )
        assert document[0]["extended_attributes"]["request_log"]
