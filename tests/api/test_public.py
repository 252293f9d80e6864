"""The requester's API: their request by its tracking token, a reply, a rating."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from crm.models import Unit
from inquiries import services
from inquiries.models import Inquiry, Message
from notifications.models import Notification
from tests.conftest import MONDAY_MORNING

pytestmark = pytest.mark.django_db

SECRET_NOTE = "Sisäinen huomio: asiakas on vanha tuttu."
SECRET_REASON = "Siirto: tämä kuuluu työllisyyspalveluille, ei meille."


def track(token: str, action: str = "") -> str:
    name = f"api:track-{action}" if action else "api:track"
    return reverse(name, kwargs={"token": token})


@pytest.fixture
def sent(submit):
    """A request in urban development and its tracking token."""
    return submit(now=MONDAY_MORNING)


@pytest.fixture
def asked(sent, handler):
    """The request claimed by the handler, who asked the requester a question."""
    inquiry = sent.inquiry
    services.claim_inquiry(inquiry_id=inquiry.pk, handler=handler)
    services.ask_customer(inquiry_id=inquiry.pk, handler=handler, question="Kuinka suuri tontti?")
    return sent


@pytest.fixture
def resolved(sent, handler):
    services.claim_inquiry(inquiry_id=sent.inquiry.pk, handler=handler)
    services.resolve_inquiry(inquiry_id=sent.inquiry.pk, handler=handler, outcome="Tontti 12.")
    return sent


def test_token_opens_the_request_with_what_the_requester_may_read(api, sent, handler, manager):
    # given a request that was answered, noted on internally, and transferred with a reason
    inquiry = sent.inquiry
    services.reply_to_inquiry(inquiry_id=inquiry.pk, handler=handler, body="Selvitämme asiaa.")
    services.add_internal_note(inquiry_id=inquiry.pk, handler=handler, body=SECRET_NOTE)
    employment = Unit.objects.get(code="employment-services")
    services.transfer_inquiry(
        inquiry_id=inquiry.pk, actor=manager, unit=employment, reason=SECRET_REASON
    )
    # when the requester opens it by the token
    response = api.get(track(sent.tracking_token))
    # then they read the request, the reply and where it went
    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == inquiry.reference
    assert body["status"] == "queued"
    assert body["unit"] == {"code": "employment-services", "name": "Employment services"}
    titles = [entry["title"] for entry in body["timeline"]]
    assert titles[0] == "You sent the request"
    assert "Your request was moved to Employment services" in titles
    assert any(entry["body"] == "Selvitämme asiaa." for entry in body["timeline"])
    assert body["actions"] == ["reply"]
    # and nothing internal: not the note, not the transfer's reason, no staff surname
    text = response.content.decode()
    assert SECRET_NOTE not in text and SECRET_REASON not in text
    assert "Handler" not in text and "Manager" not in text
    # and the answer is kept out of caches and referrers (its URL is a key)
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "strict-origin"


def test_files_sent_with_the_request_have_their_download_link(api, submit):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from inquiries.attachments import check_file

    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
    upload = SimpleUploadedFile("kaava.pdf", pdf, content_type="application/pdf")
    sent = submit(attachments=(check_file(upload),))
    body = api.get(track(sent.tracking_token)).json()
    [file] = body["timeline"][0]["files"]
    assert file["name"] == "kaava.pdf" and file["size"] == len(pdf)
    # the link is the portal's download by the same token
    path = file["url"].removeprefix("https://business.example.test")
    assert api.get(path).status_code == 200


@pytest.mark.parametrize(
    "token",
    ["x" * 43, "short", "a%00b" + "x" * 40, "ä" * 43, "x" * 500],
)
def test_a_token_that_opens_nothing_is_404(api, sent, token):
    response = api.get(f"/api/v1/track/{token}/")
    assert response.status_code == 404
    assert set(response.json()) == {"detail"}


def test_an_anonymised_request_link_opens_nothing(api, resolved):
    # given a request resolved, closed and anonymised (retention)
    inquiry = resolved.inquiry
    later = timezone.now() + timedelta(days=15)
    assert services.close_resolved_inquiry(inquiry_id=inquiry.pk, now=later)
    assert services.anonymise_inquiry(inquiry_id=inquiry.pk, now=later)
    # then its link opens nothing, as on the web
    assert api.get(track(resolved.tracking_token)).status_code == 404
    response = api.post(track(resolved.tracking_token, "rate"), {"rating": 5})
    assert response.status_code == 404


def test_a_withdrawn_requests_link_stops_working_as_on_the_web(api, client, sent):
    # given a request the requester withdrew
    services.withdraw_inquiry(inquiry_id=sent.inquiry.pk, contact=sent.inquiry.contact)
    # then its link opens nothing more, through the API as on the tracking page (410 Gone)
    assert client.get(f"/track/{sent.tracking_token}/").status_code == 410
    response = api.get(track(sent.tracking_token))
    assert response.status_code == 410
    assert response.json() == {
        "detail": f"You withdrew the request {sent.inquiry.reference}; its private link no "
        "longer opens it."
    }
    reply = api.post(track(sent.tracking_token, "reply"), {"body": "Vielä yksi asia."})
    assert reply.status_code == 410
    assert not Message.objects.filter(kind=Message.Kind.CUSTOMER).exists()


def test_a_link_stops_working_some_time_after_the_request_closed(api, resolved, settings):
    inquiry = resolved.inquiry
    closed_at = timezone.now() + timedelta(days=15)
    assert services.close_resolved_inquiry(inquiry_id=inquiry.pk, now=closed_at)
    days = settings.TRACKING_LINK_DAYS_AFTER_CLOSE
    # within the days after closing, the outcome stays readable
    with time_machine.travel(closed_at + timedelta(days=days - 1)):
        assert api.get(track(resolved.tracking_token)).json()["status"] == "closed"
    # after them, the link is gone
    with time_machine.travel(closed_at + timedelta(days=days + 1)):
        response = api.get(track(resolved.tracking_token))
    assert response.status_code == 410
    assert f"closed more than {days} days ago" in response.json()["detail"]


def test_the_answer_to_a_question_moves_the_request_on(api, asked, handler):
    # given a request awaiting the requester's answer
    assert Inquiry.objects.get(pk=asked.inquiry.pk).status == "awaiting_customer"
    # when the requester replies through the API
    response = api.post(track(asked.tracking_token, "reply"), {"body": "Noin 5000 m²."})
    # then it is back in handling, the message is kept and the handler is told
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "in_progress"
    inquiry = Inquiry.objects.get(pk=asked.inquiry.pk)
    assert inquiry.status == "in_progress"
    message = inquiry.messages.get(kind=Message.Kind.CUSTOMER)
    assert message.body == "Noin 5000 m²." and message.author_contact == inquiry.contact
    assert inquiry.transitions.filter(name="customer_reply").count() == 1
    assert Notification.objects.filter(
        kind=Notification.Kind.REQUESTER_REPLIED, recipient_email=handler.email
    ).exists()
    assert response.json()["timeline"][-1]["by_requester"] is True


@pytest.mark.parametrize("payload", [{}, {"body": ""}, {"body": "   "}, {"body": "x" * 10_001}])
def test_a_reply_needs_its_text(api, sent, payload):
    response = api.post(track(sent.tracking_token, "reply"), payload)
    assert response.status_code == 400
    assert list(response.json()) == ["body"]
    assert not Message.objects.filter(kind=Message.Kind.CUSTOMER).exists()


def test_rating_is_for_a_resolved_request_and_only_once(api, sent, handler):
    url = track(sent.tracking_token, "rate")
    # given a request still in handling, then a rating is refused
    response = api.post(url, {"rating": 5})
    assert response.status_code == 409
    assert "cannot be rated now" in response.json()["detail"]
    # given it is resolved, when the requester rates it
    services.claim_inquiry(inquiry_id=sent.inquiry.pk, handler=handler)
    services.resolve_inquiry(inquiry_id=sent.inquiry.pk, handler=handler, outcome="Tontti 12.")
    assert api.get(track(sent.tracking_token)).json()["actions"] == ["rate"]
    response = api.post(url, {"rating": 4, "comment": "Nopeaa palvelua."})
    # then it is kept, and the timeline says so
    assert response.status_code == 200, response.content
    inquiry = Inquiry.objects.get(pk=sent.inquiry.pk)
    assert (inquiry.rating, inquiry.rating_comment) == (4, "Nopeaa palvelua.")
    assert response.json()["rating"] == 4
    assert "You rated our service: 4 out of 5" in [e["title"] for e in response.json()["timeline"]]
    # and a second rating is refused
    assert api.post(url, {"rating": 1}).status_code == 409
    assert Inquiry.objects.get(pk=sent.inquiry.pk).rating == 4


@pytest.mark.parametrize(
    "payload",
    [{}, {"rating": 0}, {"rating": 6}, {"rating": "x"}, {"rating": 4.5}, {"rating": None}],
)
def test_a_rating_is_from_1_to_5(api, resolved, payload):
    response = api.post(track(resolved.tracking_token, "rate"), payload)
    assert response.status_code == 400
    assert response.json() == {"rating": ["Choose a rating from 1 to 5."]}


def test_a_long_comment_is_refused_naming_it(api, resolved):
    response = api.post(
        track(resolved.tracking_token, "rate"), {"rating": 3, "comment": "x" * 2001}
    )
    assert response.status_code == 400
    assert response.json() == {"comment": ["Keep the comment under 2,000 characters."]}


def test_messages_come_in_the_requested_language(api, resolved):
    url = track(resolved.tracking_token, "rate")
    response = api.post(url, {"rating": 9}, HTTP_ACCEPT_LANGUAGE="fi")
    assert response.json()["rating"] == ["Valitse arvosana 1–5."]


def test_reading_by_token_is_throttled_per_address(api, sent, settings):
    # given a limit of 3 reads a minute (guessing tokens is slow)
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]}
        | {"tracking": "3/minute"},
    }
    urls = [track(sent.tracking_token), "/api/v1/track/" + "x" * 43 + "/"] * 2
    codes = [api.get(url, REMOTE_ADDR="192.0.2.9").status_code for url in urls]
    # then the fourth, right or wrong, is refused with a time to wait
    assert codes == [200, 404, 200, 429]
    throttled = api.get(track(sent.tracking_token), REMOTE_ADDR="192.0.2.9")
    assert throttled.status_code == 429 and int(throttled["Retry-After"]) > 0
    assert set(throttled.json()) == {"detail"}
    # and another address is not affected
    assert api.get(track(sent.tracking_token), REMOTE_ADDR="192.0.2.10").status_code == 200


def test_replies_follow_the_portals_limit(api, sent, settings):
    settings.PORTAL_RATE_LIMIT = "2/m"
    url = track(sent.tracking_token, "reply")
    codes = [api.post(url, {"body": f"Viesti {n}"}).status_code for n in range(3)]
    assert codes == [200, 200, 429]
    assert Message.objects.filter(kind=Message.Kind.CUSTOMER).count() == 2


def test_a_reply_after_the_request_was_resolved_is_refused(api, resolved):
    # the portal offers reopening instead (not in this API)
    response = api.post(track(resolved.tracking_token, "reply"), {"body": "Kiitos!"})
    assert response.status_code == 409
    assert "no longer open" in response.json()["detail"]


def test_answer_due_is_shown_until_the_first_answer(api, sent, handler):
    assert api.get(track(sent.tracking_token)).json()["answer_due"] is not None
    services.reply_to_inquiry(
        inquiry_id=sent.inquiry.pk,
        handler=handler,
        body="Selvitämme.",
        now=MONDAY_MORNING + timedelta(hours=1),
    )
    assert api.get(track(sent.tracking_token)).json()["answer_due"] is None
