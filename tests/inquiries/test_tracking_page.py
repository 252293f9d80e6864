"""The requester's private tracking page: only the link opens it; internal notes never show."""

from __future__ import annotations

import pytest

from inquiries import services
from inquiries.models import TrackingLink

pytestmark = pytest.mark.django_db


@pytest.fixture
def tracked(submit, handler):
    submitted = submit(description="Etsimme tonttia varastolle.", language="sv")
    inquiry = submitted.inquiry
    services.claim_inquiry(inquiry_id=inquiry.pk, handler=handler)
    services.add_internal_note(
        inquiry_id=inquiry.pk, handler=handler, body="SECRET: call the planner first"
    )
    services.ask_customer(inquiry_id=inquiry.pk, handler=handler, question="Hur stor tomt?")
    return submitted


def test_link_shows_status_and_public_messages_but_no_internal_note(client, tracked):
    response = client.get(f"/track/{tracked.tracking_token}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert tracked.inquiry.reference in page
    assert "Hur stor tomt?" in page
    assert "SECRET" not in page
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "strict-origin"


def test_token_is_stored_only_as_a_hash(tracked):
    stored = TrackingLink.objects.filter(inquiry=tracked.inquiry).values_list(
        "token_hash", flat=True
    )
    assert stored and all(tracked.tracking_token not in value for value in stored)
    assert len(tracked.tracking_token) >= 43  # 256 bits, URL-safe base64


@pytest.mark.parametrize("token", ["x", "a" * 43, "../../admin"])
def test_wrong_token_is_404(client, tracked, token):
    assert client.get(f"/track/{token}/").status_code == 404


def test_staff_session_does_not_open_the_page_without_the_link(client, tracked, handler):
    client.force_login(handler)
    assert client.get("/track/not-the-token/").status_code == 404


@pytest.mark.parametrize(
    ("language", "status_text"),
    [("fi", "Odottaa"), ("sv", "Väntar"), ("en", "Awaiting the requester")],
)
def test_page_speaks_the_chosen_language(client, tracked, language, status_text):
    response = client.get(f"/track/{tracked.tracking_token}/", HTTP_ACCEPT_LANGUAGE=language)
    assert status_text in response.content.decode()
