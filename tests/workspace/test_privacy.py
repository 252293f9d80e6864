"""Data-protection requests: a service manager exports and erases what is held about an address."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from crm.models import Contact, DataProtectionAct
from inquiries import services
from inquiries.models import Inquiry, Message, ServiceFeedback
from inquiries.services import privacy
from mailin.models import InboundMail
from notifications.models import Notification

pytestmark = pytest.mark.django_db

PAGE = reverse("workspace:privacy")
EXPORT = reverse("workspace:privacy-export")
ERASE = reverse("workspace:privacy-erase")
EMAIL = "maija.meikalainen@example.fi"


@pytest.fixture
def person(submit, handler):
    """Maija: one request resolved, one awaiting her answer, general feedback; and a stranger."""
    first = submit(email=EMAIL, contact_name="Maija Meikäläinen", description="Tontti satamasta.")
    services.claim_inquiry(inquiry_id=first.inquiry.pk, handler=handler)
    services.add_internal_note(inquiry_id=first.inquiry.pk, handler=handler, body="Soitin hänelle.")
    services.resolve_inquiry(inquiry_id=first.inquiry.pk, handler=handler, outcome="Tontti 12.")
    second = submit(email=EMAIL, contact_name="Maija Meikäläinen", description="Rekrytointi.")
    services.claim_inquiry(inquiry_id=second.inquiry.pk, handler=handler)
    services.ask_customer(inquiry_id=second.inquiry.pk, handler=handler, question="Montako?")
    services.leave_service_feedback(
        message="Hyvä palvelu!", name="Maija", email=EMAIL, language="fi"
    )
    stranger = submit(email="other@example.fi", description="Toisen ihmisen asia.")
    mail = InboundMail.objects.create(
        received_at=timezone.now(),
        via=InboundMail.Via.SMTP,
        from_address=EMAIL.upper(),
        from_name="Maija",
        subject="Kysymys",
        body="Soittakaa minulle numeroon 040 123 4567.",
        size=100,
        outcome=InboundMail.Outcome.HELD,
        review=InboundMail.Review.PENDING,
    )
    return {"first": first, "second": second, "stranger": stranger, "mail": mail}


def signed_in(user) -> Client:
    client = Client()
    user.language = "en"
    user.save(update_fields=["language"])
    client.force_login(user)
    return client


def test_the_page_shows_what_is_held(service_manager, person):
    html = signed_in(service_manager).post(PAGE, {"email": EMAIL.upper()}).content.decode()
    assert "Held about this address" in html
    found = privacy.find(EMAIL)
    assert (found.requests, found.open_requests, found.feedback) == (2, 1, 1)
    assert found.emails_received == 1
    assert found.messages == 3 and found.emails_sent >= 2  # note, resolution; question
    assert "Download everything (JSON)" in html and "Erase the personal data" in html


def test_the_export_holds_everything_and_is_recorded_without_the_address(service_manager, person):
    response = signed_in(service_manager).post(EXPORT, {"email": EMAIL})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["contact"]["name"] == "Maija Meikäläinen"
    assert [item["description"] for item in data["requests"]] == [
        "Tontti satamasta.",
        "Rekrytointi.",
    ]
    notes = [m for m in data["requests"][0]["messages"] if m["visibility"] == "internal"]
    assert [note["body"] for note in notes] == ["Soitin hänelle."]
    assert data["service_feedback"][0]["message"] == "Hyvä palvelu!"
    assert data["emails_received"][0]["text"] == "Soittakaa minulle numeroon 040 123 4567."
    assert all(mail["to"] == EMAIL for mail in data["emails_sent"])
    assert "Toisen ihmisen asia." not in response.content.decode()
    act = DataProtectionAct.objects.get()
    assert act.kind == "export" and act.actor == service_manager
    assert act.email_hash == privacy.email_hash(EMAIL) and EMAIL not in json.dumps(act.summary)


def test_erasure_needs_the_confirmation(service_manager, person):
    response = signed_in(service_manager).post(ERASE, {"erase-email": EMAIL})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Tick the box to confirm the erasure." in html
    assert 'id="id_erase-confirm_error"' in html or "field--error" in html
    assert not DataProtectionAct.objects.exists()
    assert Inquiry.objects.filter(contact__email=EMAIL, anonymised_at=None).count() == 2


def test_erasure_removes_the_person_and_keeps_the_numbers(client, service_manager, person):
    before = Inquiry.objects.count()
    track = reverse("portal:track", kwargs={"token": person["second"].tracking_token})
    assert client.get(track).status_code == 200
    response = signed_in(service_manager).post(ERASE, {"erase-email": EMAIL, "erase-confirm": "on"})
    assert response.status_code == 200
    assert "The personal data of 2 requests was erased." in response.content.decode()
    # every request of hers: ended, anonymised, texts gone; counted still
    mine = Inquiry.objects.filter(pk__in=[person["first"].inquiry.pk, person["second"].inquiry.pk])
    assert {inquiry.status for inquiry in mine} == {"closed", "withdrawn"}
    assert all(inquiry.anonymised_at and inquiry.description == "—" for inquiry in mine)
    assert not Message.objects.filter(inquiry__in=mine).exclude(body="—").exists()
    assert Inquiry.objects.count() == before
    assert not Contact.objects.filter(email=EMAIL).exists()
    assert not Notification.objects.filter(recipient_email=EMAIL).exists()
    assert not ServiceFeedback.objects.filter(message="Hyvä palvelu!").exists()
    mail = InboundMail.objects.get(pk=person["mail"].pk)
    assert (mail.from_address, mail.body, mail.review) == ("", "", InboundMail.Review.DISCARDED)
    assert client.get(track).status_code == 404
    # the stranger is untouched
    stranger = Inquiry.objects.get(pk=person["stranger"].inquiry.pk)
    assert stranger.anonymised_at is None and stranger.description == "Toisen ihmisen asia."
    act = DataProtectionAct.objects.get(kind="erase")
    assert act.summary["requests"] == 2 and act.email_hash == privacy.email_hash(EMAIL)


def test_a_wrong_address_is_named_beside_the_field(service_manager):
    response = signed_in(service_manager).post(PAGE, {"email": "not an address"})
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()


@pytest.mark.parametrize("persona", ["handler", "manager"])
def test_only_service_managers(request, persona, person):
    client = signed_in(request.getfixturevalue(persona))
    assert client.get(PAGE).status_code == 403
    assert client.post(ERASE, {"erase-email": EMAIL, "erase-confirm": "on"}).status_code == 403
    assert Inquiry.objects.filter(contact__email=EMAIL, anonymised_at=None).count() == 2
