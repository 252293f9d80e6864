"""The request workflow: every transition, who may take it, and what it records."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm import TransitionNotAllowed

from crm.models import Unit
from inquiries import services
from inquiries.models import Inquiry, Message, RoutingDecision

from ..factories import ContactFactory

pytestmark = pytest.mark.django_db
HEL = ZoneInfo("Europe/Helsinki")
S = Inquiry.Status


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=HEL)


def names(inquiry: Inquiry) -> list[str]:
    return list(inquiry.transitions.values_list("name", flat=True))


# -- submission and routing ------------------------------------------------------------------


def test_submission_is_routed_with_due_times_and_logged(submit):
    # given a business-plot request sent on Monday 7.9.2026 at 08:00
    submitted = submit(now=at(2026, 9, 7, 8, 0))
    inquiry = submitted.inquiry
    # then it waits in urban development's queue with the default promises (16 h / 80 h)
    assert inquiry.status == S.QUEUED
    assert inquiry.unit.code == "urban-development"
    assert inquiry.first_response_due == at(2026, 9, 8, 16, 0)
    assert inquiry.resolution_due == at(2026, 9, 18, 16, 0)
    assert inquiry.reference == "BP-2026-000001"
    # and the log shows the submission and the routing, the decision names its rule
    assert names(inquiry) == ["submit", "route"]
    decision = inquiry.routing_decisions.get()
    assert decision.kind == RoutingDecision.Kind.RULE
    assert decision.rule is not None and decision.rule.request_type.code == "business-plot"


def test_references_count_up_within_a_year_and_restart_each_year(submit):
    first = submit(now=at(2026, 12, 31, 12)).inquiry
    second = submit(now=at(2026, 12, 31, 13)).inquiry
    next_year = submit(now=at(2027, 1, 1, 0, 30)).inquiry
    assert [first.reference, second.reference, next_year.reference] == [
        "BP-2026-000001",
        "BP-2026-000002",
        "BP-2027-000001",
    ]


def test_weekend_submission_starts_the_clock_on_monday(submit):
    inquiry = submit(now=at(2026, 9, 12, 11, 0)).inquiry  # a Saturday
    assert inquiry.first_response_due == at(2026, 9, 15, 16, 0)  # Mon 08-16 + Tue 08-16


def test_unplaced_other_request_goes_to_the_service_desk_and_says_so(submit):
    inquiry = submit(
        request_type="other", description="Haluaisin antaa palautetta kaupungin tapahtumasta."
    ).inquiry
    assert inquiry.unit.code == "business-desk"
    decision = inquiry.routing_decisions.get()
    assert decision.kind == RoutingDecision.Kind.FALLBACK and decision.rule is None


def test_other_request_is_routed_by_its_words_and_the_decision_keeps_them(submit):
    inquiry = submit(
        request_type="other",
        description="Vi behöver rekrytera fem montörer till vår fabrik i Borgå.",
        language="sv",
    ).inquiry
    assert inquiry.unit.code == "employment-services"
    decision = inquiry.routing_decisions.get()
    assert decision.rule is not None and decision.rule.request_type is None
    assert "rekrytera" in decision.matched_words


def test_subject_defaults_to_the_start_of_the_description(submit):
    long_text = "Tarvitsemme rakennusluvan myymälän laajennukselle. " * 10
    inquiry = submit(description=long_text).inquiry
    assert inquiry.subject.startswith("Tarvitsemme rakennusluvan")
    assert len(inquiry.subject) <= 81 and inquiry.subject.endswith("…")


def test_company_is_reused_by_business_id_and_contact_by_email(submit):
    a = submit(business_id="0114162-2", company_name="Porvoon Leipomo Oy").inquiry
    b = submit(
        business_id="0114162-2", company_name="Borgå Bageri Ab", email="YRITTAJA@example.fi"
    ).inquiry
    assert a.company_id == b.company_id
    assert a.contact_id == b.contact_id
    assert b.company_name == "Borgå Bageri Ab"  # what this requester typed is kept


# -- claim, assign, transfer -----------------------------------------------------------------


def test_handler_claims_a_queued_request(queued_inquiry, handler):
    inquiry = services.claim_inquiry(inquiry_id=queued_inquiry.pk, handler=handler)
    assert inquiry.status == S.IN_PROGRESS and inquiry.assignee == handler
    log = inquiry.transitions.get(name="claim")
    assert (log.source, log.target, log.actor_user) == (S.QUEUED, S.IN_PROGRESS, handler)


def test_second_claim_loses_cleanly(queued_inquiry, handler, other_handler):
    # given a request already claimed by one handler
    services.claim_inquiry(inquiry_id=queued_inquiry.pk, handler=handler)
    # when the second one claims the same request
    with pytest.raises(TransitionNotAllowed, match="already taken"):
        services.claim_inquiry(inquiry_id=queued_inquiry.pk, handler=other_handler)
    # then the first claim stands and one log row exists
    queued_inquiry.refresh_from_db()
    assert queued_inquiry.assignee == handler
    assert queued_inquiry.transitions.filter(name="claim").count() == 1


def test_outsider_cannot_claim_or_see_another_units_request(queued_inquiry, outsider):
    with pytest.raises(PermissionDenied):
        services.claim_inquiry(inquiry_id=queued_inquiry.pk, handler=outsider)
    assert not Inquiry.objects.visible_to(outsider).filter(pk=queued_inquiry.pk).exists()
    assert names(Inquiry.objects.get(pk=queued_inquiry.pk)) == ["submit", "route"]


def test_service_manager_sees_every_unit(queued_inquiry, service_manager):
    assert Inquiry.objects.visible_to(service_manager).filter(pk=queued_inquiry.pk).exists()


def test_unit_manager_assigns_but_a_handler_may_not(
    queued_inquiry, manager, handler, other_handler
):
    with pytest.raises(PermissionDenied):
        services.assign_inquiry(
            inquiry_id=queued_inquiry.pk, manager=handler, assignee=other_handler
        )
    inquiry = services.assign_inquiry(
        inquiry_id=queued_inquiry.pk, manager=manager, assignee=other_handler
    )
    assert inquiry.assignee == other_handler and inquiry.status == S.IN_PROGRESS


def test_assign_only_to_a_handler_of_the_unit(queued_inquiry, manager, outsider):
    with pytest.raises(ValidationError) as error:
        services.assign_inquiry(inquiry_id=queued_inquiry.pk, manager=manager, assignee=outsider)
    assert "assignee" in error.value.message_dict


def test_transfer_needs_a_reason_clears_the_assignee_and_keeps_the_clock(
    claimed_inquiry, handler, other_unit
):
    due = claimed_inquiry.first_response_due
    with pytest.raises(ValidationError) as error:
        services.transfer_inquiry(
            inquiry_id=claimed_inquiry.pk, actor=handler, unit=other_unit, reason="  "
        )
    assert "reason" in error.value.message_dict

    inquiry = services.transfer_inquiry(
        inquiry_id=claimed_inquiry.pk, actor=handler, unit=other_unit, reason="A hiring question"
    )
    assert (inquiry.status, inquiry.unit, inquiry.assignee) == (S.QUEUED, other_unit, None)
    assert inquiry.reroute_count == 1
    assert inquiry.first_response_due == due  # the promise was made to the requester
    decision = inquiry.routing_decisions.last()
    assert decision.kind == RoutingDecision.Kind.TRANSFER
    assert (decision.from_unit.code, decision.unit, decision.reason) == (
        "urban-development",
        other_unit,
        "A hiring question",
    )
    # and the former unit no longer sees it
    assert not Inquiry.objects.visible_to(handler).filter(pk=inquiry.pk).exists()


def test_transfer_to_the_same_unit_is_refused(claimed_inquiry, handler, unit):
    with pytest.raises(ValidationError):
        services.transfer_inquiry(
            inquiry_id=claimed_inquiry.pk, actor=handler, unit=unit, reason="oops"
        )


# -- replies, questions, the paused clock ----------------------------------------------------


def test_first_public_reply_is_the_first_response(submit, handler):
    inquiry = submit(now=at(2026, 9, 7, 9, 0)).inquiry  # Monday 09:00
    services.reply_to_inquiry(
        inquiry_id=inquiry.pk,
        handler=handler,
        body="Kiitos, palaamme asiaan.",
        now=at(2026, 9, 7, 15, 30),
    )
    services.reply_to_inquiry(
        inquiry_id=inquiry.pk, handler=handler, body="Lisätietoja.", now=at(2026, 9, 8, 10, 0)
    )
    inquiry.refresh_from_db()
    assert inquiry.first_response_at == at(2026, 9, 7, 15, 30)
    assert inquiry.first_response_seconds == 6.5 * 3600


def test_internal_note_is_internal_and_is_not_a_response(claimed_inquiry, handler):
    note = services.add_internal_note(
        inquiry_id=claimed_inquiry.pk, handler=handler, body="Soitin kaavoittajalle."
    )
    claimed_inquiry.refresh_from_db()
    assert note.visibility == Message.Visibility.INTERNAL
    assert claimed_inquiry.first_response_at is None


def test_only_the_assignee_asks_and_resolves(claimed_inquiry, other_handler):
    with pytest.raises(PermissionDenied):
        services.ask_customer(inquiry_id=claimed_inquiry.pk, handler=other_handler, question="?")
    with pytest.raises(PermissionDenied):
        services.resolve_inquiry(inquiry_id=claimed_inquiry.pk, handler=other_handler, outcome="x")


def test_waiting_for_the_customer_pauses_the_resolution_clock(submit, handler):
    # given a request sent Monday 7.9.2026 08:00 (resolution due Fri 18.9. 16:00)
    inquiry = submit(now=at(2026, 9, 7, 8, 0)).inquiry
    services.claim_inquiry(inquiry_id=inquiry.pk, handler=handler, now=at(2026, 9, 7, 9, 0))
    # when the handler asks on Tuesday 08:00 and the requester answers Thursday 08:00
    services.ask_customer(
        inquiry_id=inquiry.pk,
        handler=handler,
        question="Kuinka suuri tontti?",
        now=at(2026, 9, 8, 8, 0),
    )
    services.add_customer_message(
        inquiry_id=inquiry.pk,
        contact=inquiry.contact,
        body="Noin 5000 m².",
        now=at(2026, 9, 10, 8, 0),
    )
    inquiry.refresh_from_db()
    # then the 16 business hours of waiting moved the resolution due time by two business days
    assert inquiry.status == S.IN_PROGRESS
    assert inquiry.awaiting_seconds == 16 * 3600
    assert inquiry.resolution_due == at(2026, 9, 22, 16, 0)
    # and the question was the first response (8 business hours after submission)
    assert inquiry.first_response_seconds == 8 * 3600
    # when it is resolved on Friday 11.9. 16:00
    services.resolve_inquiry(
        inquiry_id=inquiry.pk,
        handler=handler,
        outcome="Tontti varattu.",
        now=at(2026, 9, 11, 16, 0),
    )
    inquiry.refresh_from_db()
    # then the resolution took 40 business hours less 16 waiting: 24
    assert inquiry.resolution_seconds == 24 * 3600
    assert names(inquiry)[-3:] == ["ask_customer", "customer_reply", "resolve"]


def test_a_customer_message_while_we_work_does_not_change_the_state(claimed_inquiry):
    services.add_customer_message(
        inquiry_id=claimed_inquiry.pk, contact=claimed_inquiry.contact, body="Lisäys."
    )
    claimed_inquiry.refresh_from_db()
    assert claimed_inquiry.status == S.IN_PROGRESS


def test_someone_elses_contact_cannot_act_for_the_requester(claimed_inquiry):
    stranger = ContactFactory()
    with pytest.raises(PermissionDenied):
        services.add_customer_message(inquiry_id=claimed_inquiry.pk, contact=stranger, body="Hello")
    with pytest.raises(PermissionDenied):
        services.withdraw_inquiry(inquiry_id=claimed_inquiry.pk, contact=stranger)


# -- resolution, reopening, closing ----------------------------------------------------------


def resolved(claimed: Inquiry, handler, now: datetime) -> Inquiry:
    services.resolve_inquiry(inquiry_id=claimed.pk, handler=handler, outcome="Done.", now=now)
    claimed.refresh_from_db()
    return claimed


def test_resolve_sends_a_public_outcome(claimed_inquiry, handler):
    inquiry = resolved(claimed_inquiry, handler, at(2026, 9, 7, 12))
    assert inquiry.status == S.RESOLVED
    assert inquiry.messages.get(kind=Message.Kind.RESOLUTION).is_public
    assert inquiry.first_response_at == at(2026, 9, 7, 12)


def test_reopen_within_14_days_counts_and_keeps_the_first_resolution(claimed_inquiry, handler):
    inquiry = resolved(claimed_inquiry, handler, at(2026, 9, 7, 12))
    first_resolution = (inquiry.resolved_at, inquiry.resolution_seconds)
    services.reopen_inquiry(
        inquiry_id=inquiry.pk,
        contact=inquiry.contact,
        reason="Puuttuu liite.",
        now=at(2026, 9, 20, 12),
    )
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.reopen_count, inquiry.assignee) == (S.IN_PROGRESS, 1, handler)
    resolved(inquiry, handler, at(2026, 9, 22, 12))
    inquiry.refresh_from_db()
    assert (inquiry.resolved_at, inquiry.resolution_seconds) == first_resolution
    assert inquiry.last_resolved_at == at(2026, 9, 22, 12)


def test_reopen_after_14_days_is_refused(claimed_inquiry, handler):
    inquiry = resolved(claimed_inquiry, handler, at(2026, 9, 7, 12))
    with pytest.raises(TransitionNotAllowed, match="14"):
        services.reopen_inquiry(
            inquiry_id=inquiry.pk, contact=inquiry.contact, reason="x", now=at(2026, 9, 21, 13)
        )


def test_resolved_requests_close_after_14_days_and_only_once(claimed_inquiry, handler, submit):
    inquiry = resolved(claimed_inquiry, handler, at(2026, 9, 7, 12))
    assert services.close_resolved_inquiries(now=at(2026, 9, 21, 11)) == 0
    assert services.close_resolved_inquiries(now=at(2026, 9, 21, 12)) == 1
    assert services.close_resolved_inquiries(now=at(2026, 9, 22, 12)) == 0
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.closed_at) == (S.CLOSED, at(2026, 9, 21, 12))
    assert inquiry.transitions.get(name="close").actor_label == "system"


@pytest.mark.parametrize("state", ["queued", "in_progress", "awaiting_customer"])
def test_requester_withdraws_any_open_request(state, queued_inquiry, handler):
    if state != "queued":
        services.claim_inquiry(inquiry_id=queued_inquiry.pk, handler=handler)
    if state == "awaiting_customer":
        services.ask_customer(inquiry_id=queued_inquiry.pk, handler=handler, question="?")
    inquiry = services.withdraw_inquiry(
        inquiry_id=queued_inquiry.pk, contact=queued_inquiry.contact, reason="Ratkesi muuten."
    )
    assert inquiry.status == S.WITHDRAWN and inquiry.closed_at is not None
    assert inquiry.awaiting_since is None


def test_withdrawn_request_can_no_longer_be_touched(queued_inquiry, handler):
    services.withdraw_inquiry(inquiry_id=queued_inquiry.pk, contact=queued_inquiry.contact)
    with pytest.raises(TransitionNotAllowed):
        services.claim_inquiry(inquiry_id=queued_inquiry.pk, handler=handler)
    with pytest.raises(TransitionNotAllowed):
        services.withdraw_inquiry(inquiry_id=queued_inquiry.pk, contact=queued_inquiry.contact)
    with pytest.raises(TransitionNotAllowed):
        services.reply_to_inquiry(inquiry_id=queued_inquiry.pk, handler=handler, body="Hei")


def test_close_unactioned_as_duplicate_names_the_original(submit, handler):
    original = submit().inquiry
    copy = submit().inquiry
    with pytest.raises(ValidationError) as error:
        services.close_inquiry_unactioned(
            inquiry_id=copy.pk, handler=handler, reason="duplicate", duplicate_of=copy.reference
        )
    assert "duplicate_of" in error.value.message_dict
    inquiry = services.close_inquiry_unactioned(
        inquiry_id=copy.pk, handler=handler, reason="duplicate", duplicate_of=original.reference
    )
    assert (inquiry.status, inquiry.close_reason, inquiry.duplicate_of) == (
        S.CLOSED,
        "duplicate",
        original,
    )


def test_out_of_scope_needs_a_referral_and_spam_gets_no_answer(submit, handler):
    out_of_scope, spam = submit().inquiry, submit().inquiry
    with pytest.raises(ValidationError) as error:
        services.close_inquiry_unactioned(
            inquiry_id=out_of_scope.pk, handler=handler, reason="out_of_scope"
        )
    assert "message" in error.value.message_dict
    services.close_inquiry_unactioned(
        inquiry_id=out_of_scope.pk,
        handler=handler,
        reason="out_of_scope",
        message="Kääntykää Uudenmaan ELY-keskuksen puoleen.",
    )
    services.close_inquiry_unactioned(
        inquiry_id=spam.pk, handler=handler, reason="spam", message="buy now"
    )
    assert out_of_scope.messages.filter(kind=Message.Kind.CLOSURE, visibility="public").exists()
    assert not spam.messages.exists()


def test_status_cannot_be_assigned_directly(queued_inquiry):
    with pytest.raises(AttributeError):
        queued_inquiry.status = S.RESOLVED


def test_available_transitions_follow_the_user(claimed_inquiry, handler, other_handler, manager):
    def available(user) -> set[str]:
        return {t.name for t in claimed_inquiry.get_available_user_status_transitions(user)}

    assert {"resolve", "ask_customer", "transfer"} <= available(handler)
    assert "resolve" not in available(other_handler)
    assert "assign" in available(manager) and "assign" not in available(handler)


def test_a_failed_step_saves_nothing(claimed_inquiry, handler, monkeypatch):
    # given a database error while the message of a resolution is written
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.handling, "write_message", broken)
    with pytest.raises(RuntimeError):
        services.resolve_inquiry(inquiry_id=claimed_inquiry.pk, handler=handler, outcome="x")
    # then neither the state nor the log changed
    claimed_inquiry.refresh_from_db()
    assert claimed_inquiry.status == S.IN_PROGRESS
    assert "resolve" not in names(claimed_inquiry)


def test_triage_unit_exists_and_is_marked():
    assert Unit.objects.get(code="business-desk").is_triage
