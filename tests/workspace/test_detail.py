"""The workspace's request page: what it shows, the actions it offers, how each is taken."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.forms.renderers import get_default_renderer
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_fsm import ConcurrentTransition

from crm.models import Unit
from inquiries import services
from inquiries.attachments import check_file
from inquiries.models import CannedResponse, Inquiry, Message, RoutingDecision
from inquiries.views.workspace.detail_forms import ACTIONS
from notifications.models import Notification
from tests.conftest import MONDAY_MORNING
from tests.factories import CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
# The default policy from Monday 7.9.2026 08:00: the first response is at risk from Tuesday
# 12:00 (12 of 16 business hours) and due Tuesday 16:00.
ON_TRACK = MONDAY_MORNING + timedelta(hours=2)
AT_RISK = MONDAY_MORNING + timedelta(days=1, hours=5)
BREACHED = MONDAY_MORNING + timedelta(days=1, hours=9)


@pytest.fixture
def client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def sign_in(client: Client, user) -> Client:
    """Sign the user in; the workspace speaks the staff member's own language: English here."""
    user.language = "en"
    user.save(update_fields=["language"])
    client.force_login(user)
    return client


def page_url(inquiry: Inquiry) -> str:
    return reverse("workspace:inquiry", kwargs={"reference": inquiry.reference})


def action_url(inquiry: Inquiry, action: str) -> str:
    return reverse(
        "workspace:inquiry-action", kwargs={"reference": inquiry.reference, "action": action}
    )


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def words(page: str) -> str:
    """The page as a person reads it: no tags, single spaces."""
    return " ".join(re.sub(r"<[^>]+>", " ", page).split()).replace(" :", ":")


def act(client: Client, inquiry: Inquiry, action: str, seen: str | None = None, **fields):
    """Post one action as the page does: prefixed fields and the status the page showed."""
    if seen is None:
        inquiry.refresh_from_db()
        seen = inquiry.status
    data = {f"{action}-{name}": value for name, value in fields.items()}
    data["seen_status"] = seen
    return client.post(action_url(inquiry, action), data)


def follow(client: Client, response) -> str:
    assert response.status_code == 302, response.status_code
    return text_of(client.get(response["Location"]))


def offered(client: Client, inquiry: Inquiry) -> set[str]:
    page = client.get(page_url(inquiry)).content.decode()
    return {name for name in ACTIONS if f'action="{action_url(inquiry, name)}' in page}


def error_beside(page: str, field_id: str) -> str:
    """The error text shown beside a field (its *_error element, which the field points to)."""
    match = re.search(rf'id="{field_id}_error">(.*?)</div>', page, re.S)
    assert match, f"no error beside {field_id}"
    assert re.search(rf'aria-describedby="[^"]*{field_id}_error', page), "not tied to the field"
    return re.sub(r"<[^>]+>", "", match.group(1))


@pytest.fixture
def swedish(submit):
    """A Swedish requester's business-plot request from a company, queued in urban development."""
    company = CompanyFactory(name="Borgå Bageri Ab")
    return submit(
        request_type="business-plot",
        subject="Tomt för ett bageri",
        description="Vi söker en tomt för ett nytt bageri.",
        language="sv",
        company_name=company.name,
        business_id=company.business_id,
        phone="+358401234567",
        now=MONDAY_MORNING,
    ).inquiry


@pytest.fixture
def canned(unit) -> CannedResponse:
    return CannedResponse.objects.create(
        unit=unit,
        name_fi="Tonttilista",
        name_sv="Tomtlistan",
        name_en="The plot list",
        body_fi="Vapaat tontit löytyvät tonttilistasta.",
        body_sv="De lediga tomterna finns i tomtlistan.",
        body_en="The free plots are in the plot list.",
    )


# -- what the page shows -----------------------------------------------------------------------


def test_page_shows_the_request_its_requester_and_how_to_write_to_them(client, swedish, handler):
    # given a Swedish requester's request from a company
    sign_in(client, handler)
    # when a handler of the unit opens it
    response = client.get(page_url(swedish))
    page = text_of(response)
    # then everything about it is there, the company linked to its own page
    assert response.status_code == 200
    company = swedish.company
    read = words(page)
    for text in (
        swedish.reference,
        "Tomt för ett bageri",
        "Status: Queued",
        company.business_id,
        swedish.contact.name,
        swedish.contact.email,
        "+358401234567",
        "Swedish",
        "Business plot",
        "Urban development",
        "Unassigned",
        "Normal",
        "Web form",
        "First response due",
        "Resolution due",
    ):
        assert text in read, text
    assert f'href="{reverse("workspace:company", kwargs={"pk": company.pk})}"' in page
    # and the handler is told which language the requester reads
    assert "The requester reads Swedish." in page


@pytest.mark.parametrize(
    ("moment", "state", "icon", "text"),
    [
        (ON_TRACK, "on-track", "✓", "On track"),
        (AT_RISK, "at-risk", "!", "At risk"),
        (BREACHED, "breached", "✕", "Breached"),
    ],
)
def test_due_time_carries_its_mark_in_words_and_symbol(
    client, queued_inquiry, handler, moment, state, icon, text
):
    sign_in(client, handler)
    # given the first response due Tuesday 16:00, when the page is opened at a moment
    with time_machine.travel(moment, tick=False):
        page = text_of(client.get(page_url(queued_inquiry)))
    # then the first-response mark says where it stands in words; the icon only repeats it
    first_response = page.split('class="wsi-due__item"')[1]
    assert "First response due" in first_response
    icon_html = f'<span class="sla__icon" aria-hidden="true">{icon}</span>'
    assert f'<span class="sla sla--{state}">{icon_html} {text}</span>' in first_response


def test_a_question_pauses_the_clock_on_the_page(client, claimed_inquiry, handler):
    services.ask_customer(inquiry_id=claimed_inquiry.pk, handler=handler, question="Koko?")
    sign_in(client, handler)
    page = text_of(client.get(page_url(claimed_inquiry)))
    assert "Paused: awaiting the requester" in page
    assert "Status: Awaiting the requester" in words(page)


def test_timeline_holds_everything_in_order_with_internal_notes_marked(client, submit, handler):
    # given an "other" request placed by its words, with a file, a reply, a note and an answer
    inquiry = submit(
        request_type="other",
        description="Vi behöver rekrytera fem montörer till vår fabrik i Borgå.",
        language="sv",
        attachments=(check_file(_pdf("ritning.pdf")),),
    ).inquiry
    employment_handler = UserFactory(username="eva.employment", first_name="Eva")
    inquiry.unit.memberships.create(user=employment_handler)
    services.claim_inquiry(inquiry_id=inquiry.pk, handler=employment_handler)
    services.reply_to_inquiry(inquiry_id=inquiry.pk, handler=employment_handler, body="SVAR-1")
    services.add_internal_note(inquiry_id=inquiry.pk, handler=employment_handler, body="NOTE-2")
    services.add_customer_message(
        inquiry_id=inquiry.pk,
        contact=inquiry.contact,
        body="ANSWER-3",
        attachments=(check_file(_pdf("bilaga.pdf")),),
    )
    sign_in(client, employment_handler)
    # when the handler opens the page
    page = text_of(client.get(page_url(inquiry)))
    # then the routing decision names its rule and the words that matched
    decision = inquiry.routing_decisions.get()
    assert decision.rule_name in page and "rekrytera" in page
    assert "Matched words" in page
    # and the steps and messages come in time order
    order = [
        "Request received",
        "Vi behöver rekrytera",
        "ritning.pdf",
        "Routed",
        "Claimed",
        "Status: Queued → In progress",
        "SVAR-1",
        "NOTE-2",
        "ANSWER-3",
        "bilaga.pdf",
    ]
    timeline = page[page.index('id="wsi-timeline-title"') :]
    positions = [timeline.index(text) for text in order]
    assert positions == sorted(positions)
    # and the internal note is marked as one
    note = page[page.rindex("<li", 0, page.index("NOTE-2")) : page.index("NOTE-2")]
    assert "Internal note – not shown to the requester" in note
    assert "wsi-entry--internal" in note
    # and each file has a download link on the staff page
    for attachment in inquiry.attachments.all():
        url = reverse(
            "workspace:inquiry-file",
            kwargs={"reference": inquiry.reference, "attachment_id": attachment.pk},
        )
        assert f'href="{url}"' in page


def _pdf(name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_staff_download_any_file_of_a_visible_request(client, submit, handler, outsider):
    inquiry = submit(attachments=(check_file(_pdf("asemakaava.pdf")),)).inquiry
    attachment = inquiry.attachments.get()
    url = reverse(
        "workspace:inquiry-file",
        kwargs={"reference": inquiry.reference, "attachment_id": attachment.pk},
    )
    # when a handler of the unit downloads it
    response = sign_in(client, handler).get(url)
    # then it comes as a download that the browser may not reinterpret
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert "asemakaava.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    # and a handler of another unit gets nothing, nor does a file of another request
    assert sign_in(Client(), outsider).get(url).status_code == 404
    other = submit().inquiry
    wrong = reverse(
        "workspace:inquiry-file",
        kwargs={"reference": other.reference, "attachment_id": attachment.pk},
    )
    assert client.get(wrong).status_code == 404


# -- which actions are offered ------------------------------------------------------------------

EVERYONE_OF_THE_UNIT = {"transfer", "reply", "note", "close"}


@pytest.mark.parametrize(
    ("state", "persona", "expected"),
    [
        ("queued", "handler", EVERYONE_OF_THE_UNIT | {"claim"}),
        ("queued", "manager", EVERYONE_OF_THE_UNIT | {"claim", "assign"}),
        ("queued", "service_manager", EVERYONE_OF_THE_UNIT | {"assign"}),
        ("claimed", "handler", EVERYONE_OF_THE_UNIT | {"ask", "resolve"}),
        ("claimed", "other_handler", EVERYONE_OF_THE_UNIT),
        ("claimed", "manager", EVERYONE_OF_THE_UNIT | {"assign"}),
        ("claimed", "service_manager", EVERYONE_OF_THE_UNIT | {"assign"}),
        ("awaiting", "handler", {"reply", "note"}),
        ("resolved", "handler", {"note"}),
    ],
)
def test_only_the_actions_this_user_may_take_now_are_offered(
    request, client, queued_inquiry, handler, state, persona, expected
):
    # given a request in a state
    inquiry = queued_inquiry
    if state != "queued":
        services.claim_inquiry(inquiry_id=inquiry.pk, handler=handler)
    if state == "awaiting":
        services.ask_customer(inquiry_id=inquiry.pk, handler=handler, question="Koko?")
    if state == "resolved":
        services.resolve_inquiry(inquiry_id=inquiry.pk, handler=handler, outcome="Valmis.")
    # when a person opens it
    sign_in(client, request.getfixturevalue(persona))
    # then exactly their actions are offered
    assert offered(client, inquiry) == expected


def test_a_step_not_offered_is_refused(client, claimed_inquiry, other_handler, handler):
    # a handler who is not the assignee cannot resolve; a handler cannot assign
    sign_in(client, other_handler)
    assert act(client, claimed_inquiry, "assign", assignee=handler.pk).status_code == 403
    sign_in(client, handler)
    assert act(client, claimed_inquiry, "assign", assignee=handler.pk).status_code == 403
    assert client.post(action_url(claimed_inquiry, "launch")).status_code == 404


# -- each action through the page ---------------------------------------------------------------


def test_claim(client, queued_inquiry, handler):
    sign_in(client, handler)
    page = follow(client, act(client, queued_inquiry, "claim"))
    queued_inquiry.refresh_from_db()
    assert queued_inquiry.assignee == handler
    assert queued_inquiry.status == Inquiry.Status.IN_PROGRESS
    assert "You took the request into your work." in page
    assert "Status: In progress" in words(page)


def test_assign_by_the_unit_manager(client, queued_inquiry, manager, other_handler):
    sign_in(client, manager)
    # the select offers the unit's handlers
    page = client.get(page_url(queued_inquiry)).content.decode()
    assert f'<option value="{other_handler.pk}">Olli Other</option>' in page
    # when the manager assigns the request to one of them
    page = follow(client, act(client, queued_inquiry, "assign", assignee=other_handler.pk))
    # then it is theirs
    queued_inquiry.refresh_from_db()
    assert queued_inquiry.assignee == other_handler
    assert "The request is now assigned to Olli Other." in page
    assert "Assigned to Olli Other" in page  # the timeline says so too


def test_assign_to_someone_outside_the_unit_is_refused_beside_the_field(
    client, queued_inquiry, manager, outsider
):
    sign_in(client, manager)
    response = act(client, queued_inquiry, "assign", assignee=outsider.pk)
    assert response.status_code == 400
    assert "Choose a handler of the request's unit." in error_beside(
        text_of(response), "id_assign-assignee"
    )


def test_transfer_with_a_reason(client, claimed_inquiry, handler, other_unit, outsider):
    sign_in(client, handler)
    # when the handler moves the request to another unit with a reason
    response = act(
        client, claimed_inquiry, "transfer", unit=other_unit.pk, reason="Kyse on rekrytoinnista."
    )
    # then it is there, unassigned, and the miss is recorded with its reason and who made it
    page = follow(client, response)
    assert "The request was moved to Employment services." in page
    claimed_inquiry.refresh_from_db()
    assert claimed_inquiry.unit == other_unit and claimed_inquiry.assignee is None
    decision = claimed_inquiry.routing_decisions.get(kind=RoutingDecision.Kind.TRANSFER)
    assert decision.reason == "Kyse on rekrytoinnista." and decision.decided_by == handler
    # and the handler, no longer seeing it, is told where it went instead of a bare 404
    page = follow(client, client.get(page_url(claimed_inquiry)))
    assert "was moved to Employment services and is no longer in your units" in page
    # and the receiving unit sees the transfer with from, to, reason and who
    page = text_of(sign_in(Client(), outsider).get(page_url(claimed_inquiry)))
    transfer = page[page.index("Transferred to another unit") :]
    for text in (
        "Urban development",
        "Employment services",
        "Kyse on rekrytoinnista.",
        "Hanna Handler",
    ):
        assert text in transfer


def test_transfer_without_a_reason_is_refused_beside_the_field(
    client, claimed_inquiry, handler, other_unit
):
    sign_in(client, handler)
    response = act(client, claimed_inquiry, "transfer", unit=other_unit.pk, reason="  ")
    assert response.status_code == 400
    page = text_of(response)
    assert "Say why the request belongs to another unit." in error_beside(
        page, "id_transfer-reason"
    )
    # the summary links to the field, the form stays open with the unit still chosen
    assert 'href="#id_transfer-reason"' in page
    assert '<details class="wsi-action" id="action-transfer" open>' in page
    assert f'<option value="{other_unit.pk}" selected>' in page
    assert page.startswith("<!doctype html>") and "<title>Error:" in page
    claimed_inquiry.refresh_from_db()
    assert claimed_inquiry.unit.code == "urban-development"


def test_the_current_unit_is_not_a_transfer_target(client, claimed_inquiry, handler, unit):
    sign_in(client, handler)
    page = client.get(page_url(claimed_inquiry)).content.decode()
    select = page[
        page.index('name="transfer-unit"') : page.index(
            "</select>", page.index('name="transfer-unit"')
        )
    ]
    assert f'value="{unit.pk}"' not in select
    assert len(re.findall(r'<option value="\d+"', select)) == Unit.objects.count() - 1


def test_reply_with_a_canned_response_in_the_requesters_language(client, swedish, handler, canned):
    services.claim_inquiry(inquiry_id=swedish.pk, handler=handler)
    sign_in(client, handler)
    # given the reply form, whose canned responses carry the requester's (Swedish) text
    page = text_of(client.get(page_url(swedish)))
    assert f'data-text="{canned.body_sv}"' in page
    # when the handler inserts one after their greeting (no JavaScript)
    response = client.post(
        action_url(swedish, "reply"),
        {"reply-canned": canned.pk, "reply-body": "Hej!", "insert": "1"},
    )
    # then the form comes back with the Swedish text added, nothing sent yet
    assert response.status_code == 200
    page = text_of(response)
    assert f"Hej!\n\n{canned.body_sv}</textarea>" in page
    assert not swedish.messages.filter(kind=Message.Kind.REPLY).exists()
    # when they send it
    body = f"Hej!\n\n{canned.body_sv}"
    page = follow(client, act(client, swedish, "reply", body=body))
    # then the requester gets it, by e-mail in Swedish
    assert "Your reply was sent to the requester." in page
    reply = swedish.messages.get(kind=Message.Kind.REPLY)
    assert reply.body == body and reply.is_public
    mail = Notification.objects.get(inquiry=swedish, kind=Notification.Kind.REPLY)
    assert mail.language == "sv" and canned.body_sv in mail.body_text


def test_insert_without_a_choice_says_so_beside_the_select(
    client, claimed_inquiry, handler, canned
):
    sign_in(client, handler)
    response = client.post(
        action_url(claimed_inquiry, "reply"),
        {"reply-canned": "", "reply-body": "Hyvä yrittäjä,", "insert": "1"},
    )
    assert response.status_code == 400
    page = text_of(response)
    assert "Choose the canned response to insert." in error_beside(page, "id_reply-canned")
    assert "Hyvä yrittäjä,</textarea>" in page


def test_reply_without_text_is_refused(client, claimed_inquiry, handler):
    sign_in(client, handler)
    response = act(client, claimed_inquiry, "reply", body=" ")
    assert response.status_code == 400
    assert "Write the reply." in error_beside(text_of(response), "id_reply-body")


def test_internal_note(client, claimed_inquiry, other_handler):
    sign_in(client, other_handler)
    page = follow(client, act(client, claimed_inquiry, "note", body="Soitin asiakkaalle."))
    assert "The internal note was added." in page
    note = claimed_inquiry.messages.get(kind=Message.Kind.NOTE)
    assert note.body == "Soitin asiakkaalle." and not note.is_public
    assert not Notification.objects.filter(
        inquiry=claimed_inquiry, recipient_contact__isnull=False, body_text__contains="Soitin"
    ).exists()


def test_ask_the_requester(client, claimed_inquiry, handler):
    sign_in(client, handler)
    page = follow(client, act(client, claimed_inquiry, "ask", question="Kuinka suuri tontti?"))
    claimed_inquiry.refresh_from_db()
    assert claimed_inquiry.status == Inquiry.Status.AWAITING_CUSTOMER
    assert claimed_inquiry.messages.get(kind=Message.Kind.QUESTION).body == "Kuinka suuri tontti?"
    assert "Your question was sent to the requester." in page


def test_resolve_with_the_outcome(client, claimed_inquiry, handler):
    sign_in(client, handler)
    page = follow(client, act(client, claimed_inquiry, "resolve", outcome="Tontti varattu."))
    claimed_inquiry.refresh_from_db()
    assert claimed_inquiry.status == Inquiry.Status.RESOLVED
    assert claimed_inquiry.messages.get(kind=Message.Kind.RESOLUTION).body == "Tontti varattu."
    assert "The request is resolved" in page and "Status: Resolved" in words(page)


def test_resolve_without_an_outcome_is_refused_beside_the_field(client, claimed_inquiry, handler):
    sign_in(client, handler)
    response = act(client, claimed_inquiry, "resolve", outcome="")
    assert response.status_code == 400
    assert "Tell the requester the outcome." in error_beside(
        text_of(response), "id_resolve-outcome"
    )
    claimed_inquiry.refresh_from_db()
    assert claimed_inquiry.status == Inquiry.Status.IN_PROGRESS


def test_close_as_a_duplicate_needs_the_original(client, submit, queued_inquiry, handler):
    sign_in(client, handler)
    original = submit().inquiry
    # without a reference: refused beside the field
    response = act(client, queued_inquiry, "close", reason="duplicate", duplicate_of="")
    assert response.status_code == 400
    assert "Give the reference" in error_beside(text_of(response), "id_close-duplicate_of")
    # with a reference that does not exist: the service's refusal lands beside it too
    response = act(
        client, queued_inquiry, "close", reason="duplicate", duplicate_of="BP-1999-000001"
    )
    assert response.status_code == 400
    assert "Give the reference" in error_beside(text_of(response), "id_close-duplicate_of")
    # with the original's reference: closed as its duplicate
    page = follow(
        client,
        act(
            client,
            queued_inquiry,
            "close",
            reason="duplicate",
            duplicate_of=original.reference.lower(),
        ),
    )
    queued_inquiry.refresh_from_db()
    assert queued_inquiry.status == Inquiry.Status.CLOSED
    assert queued_inquiry.duplicate_of == original
    assert "The request was closed without handling." in page
    assert f"repeats {original.reference}" in page


def test_close_as_spam_sends_nothing(client, queued_inquiry, handler):
    sign_in(client, handler)
    follow(client, act(client, queued_inquiry, "close", reason="spam", message="Ei kiitos."))
    queued_inquiry.refresh_from_db()
    assert queued_inquiry.close_reason == Inquiry.CloseReason.SPAM
    assert not queued_inquiry.messages.filter(kind=Message.Kind.CLOSURE).exists()


def test_close_out_of_scope_needs_a_referral(client, queued_inquiry, handler):
    sign_in(client, handler)
    response = act(client, queued_inquiry, "close", reason="out_of_scope", message="")
    assert response.status_code == 400
    assert "where to turn instead" in error_beside(text_of(response), "id_close-message")
    follow(
        client,
        act(
            client,
            queued_inquiry,
            "close",
            reason="out_of_scope",
            message="Kääntykää verottajan puoleen.",
        ),
    )
    queued_inquiry.refresh_from_db()
    assert queued_inquiry.close_reason == Inquiry.CloseReason.OUT_OF_SCOPE
    assert queued_inquiry.messages.get(kind=Message.Kind.CLOSURE).body.startswith("Kääntykää")


def test_close_without_a_reason_is_refused(client, queued_inquiry, handler):
    sign_in(client, handler)
    response = act(client, queued_inquiry, "close")
    assert response.status_code == 400
    page = text_of(response)
    assert "Choose duplicate, spam or out of scope." in page
    assert 'href="#id_close-reason_0"' in page


# -- a request that changed meanwhile -----------------------------------------------------------


def test_second_claim_gets_already_taken(client, queued_inquiry, handler, other_handler):
    # given two handlers who opened the queued request
    first, second = sign_in(client, handler), sign_in(Client(), other_handler)
    assert "claim" in offered(first, queued_inquiry) and "claim" in offered(second, queued_inquiry)
    act(first, queued_inquiry, "claim", seen="queued")
    # when the second one claims it from their page
    response = act(second, queued_inquiry, "claim", seen="queued")
    # then they are told who has it, on the page as it is now
    page = follow(second, response)
    assert f"Request {queued_inquiry.reference} was already taken by Hanna Handler." in page
    assert "Status: In progress" in words(page)
    queued_inquiry.refresh_from_db()
    assert queued_inquiry.assignee == handler
    assert queued_inquiry.transitions.filter(name="claim").count() == 1


def test_claim_losing_inside_the_service_is_a_message_too(client, claimed_inquiry, other_handler):
    # the page was up to date (in progress) but the request is taken: the service refuses
    sign_in(client, other_handler)
    page = follow(client, act(client, claimed_inquiry, "claim", seen="in_progress"))
    assert "was already taken by Hanna Handler" in page


def test_stale_step_is_not_taken_and_the_typed_text_is_kept(
    client, queued_inquiry, handler, other_handler, other_unit
):
    # given a handler looking at the queued request while another one claims it
    sign_in(client, handler)
    services.claim_inquiry(inquiry_id=queued_inquiry.pk, handler=other_handler)
    # when the first one transfers it from their outdated page
    response = act(
        client,
        queued_inquiry,
        "transfer",
        seen="queued",
        unit=other_unit.pk,
        reason="Väärä yksikkö",
    )
    # then nothing is done, they are told the current state, and their reason is still there
    assert response.status_code == 409
    page = text_of(response)
    assert "This request changed since you opened it: it is now In progress (Olli Other)." in page
    assert "Väärä yksikkö</textarea>" in page
    assert 'name="seen_status" value="in_progress"' in page  # sending again acts on the new state
    queued_inquiry.refresh_from_db()
    assert queued_inquiry.unit.code == "urban-development"
    assert queued_inquiry.assignee == other_handler


def test_stale_step_without_text_redirects_with_the_message(
    client, queued_inquiry, manager, handler, other_handler
):
    sign_in(client, manager)
    services.claim_inquiry(inquiry_id=queued_inquiry.pk, handler=handler)
    page = follow(
        client, act(client, queued_inquiry, "assign", seen="queued", assignee=other_handler.pk)
    )
    assert "it is now In progress (Hanna Handler)" in page
    queued_inquiry.refresh_from_db()
    assert queued_inquiry.assignee == handler


def test_text_for_a_step_no_longer_possible_is_kept_on_the_page(
    client, claimed_inquiry, handler, manager, other_handler
):
    # given the assignee writing the outcome while the manager gives the request to another
    sign_in(client, handler)
    services.assign_inquiry(inquiry_id=claimed_inquiry.pk, manager=manager, assignee=other_handler)
    # when the first one resolves it
    response = act(client, claimed_inquiry, "resolve", outcome="Tontti on varattu teille.")
    # then it is not resolved, they are told, and their text waits for them to copy
    assert response.status_code == 409
    page = text_of(response)
    assert "it is now In progress (Olli Other)" in page
    assert "Your text was not sent" in page and "Tontti on varattu teille.</textarea>" in page
    claimed_inquiry.refresh_from_db()
    assert claimed_inquiry.status == Inquiry.Status.IN_PROGRESS


def test_reply_to_a_request_closed_meanwhile_keeps_the_text(client, claimed_inquiry, handler):
    sign_in(client, handler)
    services.resolve_inquiry(inquiry_id=claimed_inquiry.pk, handler=handler, outcome="Valmis.")
    response = act(client, claimed_inquiry, "reply", seen="in_progress", body="Vielä yksi asia.")
    assert response.status_code == 409
    page = text_of(response)
    assert "no longer open" in page and "Vielä yksi asia.</textarea>" in page
    assert not claimed_inquiry.messages.filter(kind=Message.Kind.REPLY).exists()


def test_a_reply_may_be_added_whatever_status_the_page_showed(client, claimed_inquiry, handler):
    sign_in(client, handler)
    services.ask_customer(inquiry_id=claimed_inquiry.pk, handler=handler, question="Koko?")
    follow(client, act(client, claimed_inquiry, "reply", seen="in_progress", body="Lisäksi..."))
    assert claimed_inquiry.messages.filter(kind=Message.Kind.REPLY).count() == 1


def test_concurrent_transition_is_a_message_not_an_error(
    client, queued_inquiry, handler, monkeypatch
):
    def lost(**kwargs):
        raise ConcurrentTransition("changed")

    monkeypatch.setattr(services, "claim_inquiry", lost)
    sign_in(client, handler)
    page = follow(client, act(client, queued_inquiry, "claim"))
    assert "This request changed since you opened it: it is now Queued." in page


# -- who may come in ----------------------------------------------------------------------------


def test_another_units_request_is_not_found_for_page_actions_and_files(
    client, submit, outsider, handler
):
    inquiry = submit(attachments=(check_file(_pdf("kartta.pdf")),)).inquiry
    file_url = reverse(
        "workspace:inquiry-file",
        kwargs={"reference": inquiry.reference, "attachment_id": inquiry.attachments.get().pk},
    )
    sign_in(client, outsider)
    assert client.get(page_url(inquiry)).status_code == 404
    assert client.get(file_url).status_code == 404
    for action in ACTIONS:
        assert act(client, inquiry, action, body="x", reason="x").status_code == 404, action
    assert (
        client.get(page_url(inquiry).replace(inquiry.reference, "BP-2026-999999")).status_code
        == 404
    )
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.QUEUED and not inquiry.messages.exists()


def test_anonymous_is_sent_to_sign_in(client, queued_inquiry):
    for response in (
        client.get(page_url(queued_inquiry)),
        client.post(action_url(queued_inquiry, "claim"), {"seen_status": "queued"}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("workspace:login"))
    queued_inquiry.refresh_from_db()
    assert queued_inquiry.assignee is None


def test_signed_in_person_of_no_unit_is_refused(client, queued_inquiry):
    sign_in(client, UserFactory(username="nobody"))
    assert client.get(page_url(queued_inquiry)).status_code == 403
    assert act(client, queued_inquiry, "claim").status_code == 403


def test_actions_take_posts_only(client, queued_inquiry, handler):
    sign_in(client, handler)
    assert client.get(action_url(queued_inquiry, "claim")).status_code == 405


def test_staff_mails_link_to_this_page(client, handler, queued_inquiry):
    # a handler told of the new request follows the link in the mail
    mail = Notification.objects.get(
        inquiry=queued_inquiry, kind=Notification.Kind.NEW_IN_UNIT, recipient_user=handler
    )
    link = f"{settings.SITE_URL}/staff/requests/{queued_inquiry.reference}/"
    assert link in mail.body_text
    sign_in(client, handler)
    assert client.get(link.removeprefix(settings.SITE_URL)).status_code == 200


# -- queries ------------------------------------------------------------------------------------


def _with_history(submit, handler, items: int) -> Inquiry:
    """A request with a transfer back and forth, a question and `items` messages (and files)."""
    inquiry = submit(attachments=(check_file(_pdf("liite.pdf")),)).inquiry
    services.claim_inquiry(inquiry_id=inquiry.pk, handler=handler)
    services.ask_customer(inquiry_id=inquiry.pk, handler=handler, question="Koko?")
    for number in range(items):
        if number % 3 == 0:
            services.add_internal_note(inquiry_id=inquiry.pk, handler=handler, body=f"n{number}")
        elif number % 3 == 1:
            services.reply_to_inquiry(inquiry_id=inquiry.pk, handler=handler, body=f"r{number}")
        else:
            services.add_customer_message(
                inquiry_id=inquiry.pk,
                contact=inquiry.contact,
                body=f"c{number}",
                attachments=(check_file(_pdf(f"f{number}.pdf")),),
            )
    return inquiry


def test_the_page_takes_as_many_queries_for_5_items_as_for_50(client, submit, handler, canned):
    short, long = _with_history(submit, handler, 5), _with_history(submit, handler, 50)
    sign_in(client, handler)
    counts = []
    for inquiry in (short, long):
        client.get(page_url(inquiry))  # warm: the session, the content types
        with CaptureQueriesContext(connection) as queries:
            page = client.get(page_url(inquiry)).content.decode()
        assert page.count('class="wsi-entry ') >= 5
        counts.append(len(queries))
    print("QUERIES", counts)
    assert counts[0] == counts[1], counts


# -- the controls -------------------------------------------------------------------------------


@pytest.mark.parametrize("posted", [False, True], ids=["empty", "posted"])
def test_controls_are_the_html_djangos_widget_templates_give(
    swedish, canned, handler, other_handler, other_unit, posted
):
    # given every action form, empty or posted with a choice made and text that needs escaping
    tricky = "<b>\"Tontti\" & 'hinta'</b>\n"
    choices = {"assignee": other_handler.pk, "unit": other_unit.pk, "canned": canned.pk}
    for name, action in ACTIONS.items():
        fields = action.form(prefix=name, inquiry=swedish).fields
        data = {f"{name}-{field}": choices.get(field, tricky) for field in fields} | {
            f"{name}-reason": "spam" if name == "close" else tricky
        }
        kwargs = {"data": data} if posted else {}
        quick = action.form(prefix=name, inquiry=swedish, **kwargs)
        django = action.form(
            prefix=name, inquiry=swedish, renderer=get_default_renderer(), **kwargs
        )
        if posted:  # errors add aria-invalid and aria-describedby to the controls
            quick.is_valid(), django.is_valid()
        # when the page renders them, then each control is exactly what Django would render
        for mine, theirs in zip(quick, django, strict=True):
            assert str(mine) == str(theirs), (name, mine.name)
            for radio, same in zip(mine, theirs, strict=True):
                assert (radio.tag(), str(radio)) == (same.tag(), str(same))
