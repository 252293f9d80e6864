"""POST /api/v1/inquiries/<reference>/transitions/<name>/: the request page's actions."""

from __future__ import annotations

import dataclasses

import pytest
from django.urls import reverse
from django_fsm import ConcurrentTransition

from crm.models import Unit
from inquiries import services
from inquiries.api.transitions import TRANSITIONS
from inquiries.models import Inquiry, Message, RoutingDecision
from inquiries.views.workspace.detail_forms import ACTIONS

pytestmark = pytest.mark.django_db


def url(inquiry: Inquiry, name: str) -> str:
    return reverse(f"api:inquiry-{name}", kwargs={"reference": inquiry.reference})


def fresh(inquiry: Inquiry) -> Inquiry:
    return Inquiry.objects.get(pk=inquiry.pk)


def test_every_action_of_the_request_page_is_a_transition():
    assert set(TRANSITIONS) == set(ACTIONS)
    for name in ACTIONS:
        assert reverse(f"api:inquiry-{name}", kwargs={"reference": "BP-2026-000001"}).endswith(
            f"/transitions/{name}/"
        )


def test_claim_makes_it_mine_and_a_second_claim_is_409(
    as_handler, token_client, other_handler, queued_inquiry
):
    response = as_handler.post(url(queued_inquiry, "claim"))
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "in_progress"
    assert response.json()["assignee"]["username"] == "hanna.handler"
    # when another handler of the unit claims it too
    second = token_client(other_handler).post(url(queued_inquiry, "claim"))
    # then they are told who has it, and nothing changes
    assert second.status_code == 409
    assert second.json() == {
        "detail": f"Request {queued_inquiry.reference} was already taken by Hanna Handler."
    }
    assert fresh(queued_inquiry).assignee.username == "hanna.handler"
    assert fresh(queued_inquiry).transitions.filter(name="claim").count() == 1


def test_a_service_manager_may_not_claim(token_client, service_manager, queued_inquiry):
    response = token_client(service_manager).post(url(queued_inquiry, "claim"))
    assert response.status_code == 403
    assert fresh(queued_inquiry).assignee is None


def test_another_units_request_is_not_found_for_any_action(token_client, outsider, queued_inquiry):
    client = token_client(outsider)
    for name in ACTIONS:
        assert client.post(url(queued_inquiry, name), {"body": "x"}).status_code == 404
    assert fresh(queued_inquiry).status == "queued"


def test_assign_is_for_unit_managers(as_handler, as_manager, handler, outsider, queued_inquiry):
    assert as_handler.post(url(queued_inquiry, "assign"), {"assignee": "olli"}).status_code == 403
    # a handler of another unit is not among the choices
    refused = as_manager.post(url(queued_inquiry, "assign"), {"assignee": outsider.username})
    assert refused.status_code == 400
    assert refused.json() == {"assignee": ["Choose a handler of the request's unit."]}
    assert as_manager.post(url(queued_inquiry, "assign"), {}).json() == {
        "assignee": ["Choose the handler to assign the request to."]
    }
    response = as_manager.post(url(queued_inquiry, "assign"), {"assignee": handler.username})
    assert response.status_code == 200, response.content
    assert fresh(queued_inquiry).assignee == handler
    # the one who has it is no longer a choice (as on the page)
    again = as_manager.post(url(queued_inquiry, "assign"), {"assignee": handler.username})
    assert again.status_code == 400


def test_transfer_needs_another_unit_and_a_reason(as_handler, handler, queued_inquiry):
    same = as_handler.post(
        url(queued_inquiry, "transfer"), {"unit": "urban-development", "reason": "Hm."}
    )
    assert same.json() == {"unit": ["Choose another unit than the current one."]}
    no_reason = as_handler.post(
        url(queued_inquiry, "transfer"), {"unit": "employment-services", "reason": "  "}
    )
    assert no_reason.json() == {"reason": ["Say why the request belongs to another unit."]}
    assert as_handler.post(url(queued_inquiry, "transfer"), {"unit": 7, "reason": "x"}).json() == {
        "unit": ["Choose another unit than the current one."]
    }
    # when it is transferred with a reason
    response = as_handler.post(
        url(queued_inquiry, "transfer"),
        {"unit": "employment-services", "reason": "Rekrytointi, ei tontti."},
    )
    # then it is in the other unit, counted as a routing miss, and no longer the handler's
    assert response.status_code == 200, response.content
    assert response.json()["unit"]["code"] == "employment-services"
    inquiry = fresh(queued_inquiry)
    assert inquiry.unit.code == "employment-services" and inquiry.reroute_count == 1
    decision = inquiry.routing_decisions.get(kind=RoutingDecision.Kind.TRANSFER)
    assert decision.reason == "Rekrytointi, ei tontti." and decision.decided_by == handler
    assert (
        as_handler.get(reverse("api:inquiry-detail", args=[inquiry.reference])).status_code == 404
    )


def test_reply_and_note(as_handler, claimed_inquiry):
    assert as_handler.post(url(claimed_inquiry, "reply"), {}).json() == {
        "body": ["Write the reply."]
    }
    reply = as_handler.post(url(claimed_inquiry, "reply"), {"body": "Selvitämme asiaa."})
    note = as_handler.post(url(claimed_inquiry, "note"), {"body": "Soitin asiakkaalle."})
    assert (reply.status_code, note.status_code) == (200, 200)
    messages = {m.kind: m.visibility for m in fresh(claimed_inquiry).messages.all()}
    assert messages == {Message.Kind.REPLY: "public", Message.Kind.NOTE: "internal"}
    assert fresh(claimed_inquiry).first_response_at is not None


def test_ask_and_resolve_are_the_assignees(as_handler, as_manager, claimed_inquiry):
    # given a request the handler has: the manager is told someone else has it (409)
    refused = as_manager.post(url(claimed_inquiry, "ask"), {"question": "Koko?"})
    assert refused.status_code == 409
    assert "Hanna Handler" in refused.json()["detail"]
    # the assignee asks: the request waits for the requester
    assert as_handler.post(url(claimed_inquiry, "ask"), {"question": ""}).json() == {
        "question": ["Write the question."]
    }
    asked = as_handler.post(url(claimed_inquiry, "ask"), {"question": "Kuinka suuri tontti?"})
    assert asked.status_code == 200 and asked.json()["status"] == "awaiting_customer"
    # resolving needs the request in handling: 409 saying what it is now
    early = as_handler.post(url(claimed_inquiry, "resolve"), {"outcome": "Tontti 12."})
    assert early.status_code == 409
    assert "Awaiting the requester" in early.json()["detail"]
    services.add_customer_message(
        inquiry_id=claimed_inquiry.pk, contact=claimed_inquiry.contact, body="5000 m²."
    )
    resolved = as_handler.post(url(claimed_inquiry, "resolve"), {"outcome": "Tontti 12."})
    assert resolved.status_code == 200 and resolved.json()["status"] == "resolved"


def test_a_handler_who_may_not_resolve_a_queued_request_is_refused(as_handler, queued_inquiry):
    # nobody has it yet: resolving is the assignee's (403, as the page)
    response = as_handler.post(url(queued_inquiry, "resolve"), {"outcome": "Valmis."})
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        ({}, {"reason": ["Choose duplicate, spam or out of scope."]}),
        ({"reason": "boring"}, {"reason": ["Choose duplicate, spam or out of scope."]}),
        (
            {"reason": "duplicate"},
            {"duplicate_of": ["Give the reference of the request this one repeats."]},
        ),
        (
            {"reason": "duplicate", "duplicate_of": "BP-1999-000001"},
            {"duplicate_of": ["Give the reference of the request this one repeats."]},
        ),
        (
            {"reason": "out_of_scope", "message": " "},
            {"message": ["Tell the requester where to turn instead (a referral)."]},
        ),
    ],
)
def test_close_checks_what_the_page_checks(as_handler, queued_inquiry, payload, errors):
    response = as_handler.post(url(queued_inquiry, "close"), payload)
    assert response.status_code == 400
    assert response.json() == errors
    assert fresh(queued_inquiry).status == "queued"


def test_close_a_duplicate(as_handler, submit, queued_inquiry):
    copy = submit().inquiry
    response = as_handler.post(
        url(copy, "close"),
        {"reason": "duplicate", "duplicate_of": queued_inquiry.reference.lower()},
    )
    assert response.status_code == 200, response.content
    closed = fresh(copy)
    assert closed.status == "closed" and closed.duplicate_of == queued_inquiry
    # and then nothing more can be done to it but a note
    assert as_handler.post(url(copy, "reply"), {"body": "Hei"}).status_code == 409
    assert as_handler.post(url(copy, "claim")).status_code == 409
    assert as_handler.post(url(copy, "note"), {"body": "Kaksoiskappale."}).status_code == 200


def test_a_concurrent_change_is_409(as_handler, queued_inquiry, monkeypatch):
    # given another transaction that saves the request first
    def loses(*args):
        raise ConcurrentTransition("Cannot save object! The state has been changed")

    monkeypatch.setitem(ACTIONS, "claim", dataclasses.replace(ACTIONS["claim"], perform=loses))
    response = as_handler.post(url(queued_inquiry, "claim"))
    # then the API says it changed and what it is now; FSM's own words are not shown
    assert response.status_code == 409
    assert "Cannot save object" not in response.json()["detail"]
    assert "it is now Queued" in response.json()["detail"]


@pytest.mark.parametrize("body", ["[1, 2]", '"claim"', "{not json"])
def test_a_body_that_is_not_an_object_is_400(as_handler, queued_inquiry, body):
    response = as_handler.generic(
        "POST", url(queued_inquiry, "note"), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]


def test_nul_and_overlong_names_never_reach_the_database(as_manager, queued_inquiry):
    for assignee in ["a\x00b", "x" * 151, ["list"], {"a": 1}]:
        response = as_manager.post(url(queued_inquiry, "assign"), {"assignee": assignee})
        assert response.status_code == 400, assignee
    for unit in ["posintra\x00", "ä" * 60]:
        response = as_manager.post(url(queued_inquiry, "transfer"), {"unit": unit, "reason": "x"})
        assert response.status_code == 400
    assert Unit.objects.filter(code="posintra").exists()
