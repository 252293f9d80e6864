"""Recording a request heard by phone, at the desk or at an event, on the requester's behalf."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from crm.models import Contact
from inquiries import services
from inquiries.models import Inquiry, TransitionLog
from notifications.models import Notification
from tests.conftest import MONDAY_MORNING

pytestmark = pytest.mark.django_db
RECORD = reverse("workspace:record")


@pytest.fixture(autouse=True)
def monday():
    with time_machine.travel(MONDAY_MORNING, tick=False):
        yield


def sign_in(user, language: str = "en") -> Client:
    user.language = language
    user.save(update_fields=["language"])
    client = Client()
    client.force_login(user)
    return client


def form(**fields: str) -> dict[str, str]:
    return {
        "channel": "phone",
        "request_type": "business-plot",
        "description": "Soitti: etsii 3000 m² tonttia Kuninkaanportista verstaalle.",
        "company_name": "Verstas Oy",
        "business_id": "1572860-0",
        "contact_name": "Pekka Puhelin",
        "email": "pekka@verstas.fi",
        "phone": "040 123 4567",
        "language": "fi",
    } | fields


def test_a_call_becomes_a_routed_and_timed_request_with_a_receipt(handler):
    # when a handler records a request that came by phone
    response = sign_in(handler).post(RECORD, form())
    # then it is routed like any other, and they are taken to it
    inquiry = Inquiry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:inquiry", args=[inquiry.reference])
    assert (inquiry.channel, inquiry.unit.code, inquiry.status) == (
        Inquiry.Channel.PHONE,
        "urban-development",
        Inquiry.Status.QUEUED,
    )
    assert inquiry.first_response_due is not None and inquiry.resolution_due is not None
    assert (inquiry.company.business_id, inquiry.company_name) == ("1572860-0", "Verstas Oy")
    assert (inquiry.contact.email, inquiry.contact.phone) == ("pekka@verstas.fi", "+358401234567")
    # who recorded it is in its log, and its page says so
    submit = TransitionLog.objects.get(inquiry=inquiry, name="submit")
    assert (submit.actor_user, submit.actor_contact) == (handler, inquiry.contact)
    page = sign_in(handler).get(response["Location"]).content.decode()
    assert "Recorded by Hanna Handler (Phone)" in page
    # and the requester gets the receipt in their language
    receipt = Notification.objects.get(inquiry=inquiry, kind=Notification.Kind.RECEIPT)
    assert (receipt.recipient_email, receipt.language) == ("pekka@verstas.fi", "fi")


def test_a_phone_number_alone_is_enough_and_no_mail_is_written(handler):
    response = sign_in(handler).post(RECORD, form(email="", channel="visit"))
    inquiry = Inquiry.objects.get()
    assert response.status_code == 302
    assert (inquiry.channel, inquiry.contact.email) == (Inquiry.Channel.VISIT, "")
    assert not Notification.objects.filter(recipient_contact=inquiry.contact).exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("tell the requester the reference yourself" in m for m in messages)
    # later steps that would mail the requester write nothing either, and the page says so
    services.claim_inquiry(inquiry_id=inquiry.pk, handler=handler)
    page = sign_in(handler).get(reverse("workspace:inquiry", args=[inquiry.reference]))
    assert "are not told by e-mail: call +358401234567" in page.content.decode()
    services.reply_to_inquiry(inquiry_id=inquiry.pk, handler=handler, body="Soitan huomenna.")
    assert not Notification.objects.filter(recipient_contact=inquiry.contact).exists()


def test_the_same_phone_number_is_the_same_requester(handler):
    client = sign_in(handler)
    client.post(RECORD, form(email="", contact_name="Pekka"))
    client.post(RECORD, form(email="", contact_name="Pekka P.", description="Toinen asia."))
    assert Inquiry.objects.count() == 2
    assert Contact.objects.filter(phone="+358401234567").count() == 1


def test_a_request_is_recorded_without_a_name(handler):
    sign_in(handler).post(RECORD, form(contact_name="", company_name="", email="", channel="event"))
    assert Inquiry.objects.get().contact.name == "+358401234567"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"email": "", "phone": ""},
            "email",
            "e-mail address or phone number, so that we can answer",
        ),
        ({"business_id": "1234567-8"}, "business_id", "Enter a valid Finnish business ID"),
        ({"phone": "12"}, "phone", "Enter a valid phone number."),
        ({"email": "pekka@"}, "email", "Enter an e-mail address like name@example.fi."),
        ({"channel": "web"}, "channel", "Select a valid choice."),
        ({"request_type": "nonsense"}, "request_type", "Unknown request type"),
        ({"description": ""}, "description", "Describe the request."),
        ({"description": "x" * 10_001}, "description", "The description is too long"),
    ],
)
def test_bad_input_is_said_beside_its_field_and_nothing_is_saved(handler, fields, field, message):
    response = sign_in(handler).post(RECORD, form(**fields))
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        f'id="id_{field}_error"' in html
        or f'id="id_{field}_0_error"' in html
        or (field == "channel" and message in html)
    )
    assert message in html
    assert "Please correct the following" in html and 'role="alert"' in html
    assert not Inquiry.objects.exists() and not Contact.objects.exists()
    # what was typed is kept
    assert "Soitti: etsii 3000" in html or field == "description"


def test_someone_of_another_unit_records_it_and_is_told_where_it_went(outsider):
    response = sign_in(outsider).post(RECORD, form())
    assert response.status_code == 302 and response["Location"] == RECORD
    messages = [str(m) for m in response.wsgi_request._messages]
    inquiry = Inquiry.objects.get()
    assert any(inquiry.reference in m and "Urban development" in m for m in messages)


def test_a_recorded_request_is_found_by_its_channel_in_the_queue(handler, submit):
    submit(request_type="business-plot")  # by the web form
    sign_in(handler).post(RECORD, form())
    html = sign_in(handler).get(reverse("workspace:queue"), {"channel": "phone"}).content.decode()
    recorded = Inquiry.objects.get(channel=Inquiry.Channel.PHONE)
    web = Inquiry.objects.get(channel=Inquiry.Channel.WEB)
    assert recorded.reference in html and web.reference not in html


@pytest.mark.parametrize(
    ("language", "words"),
    [("fi", 'lang="fi"'), ("sv", 'lang="sv"'), ("en", "Record a request")],
)
def test_the_form_speaks_the_staff_members_language(handler, language, words):
    response = sign_in(handler, language).get(RECORD)
    assert response.status_code == 200
    html = response.content.decode()
    assert words in html
    # every control has its label
    for name in ("description", "email", "phone", "company_name", "business_id", "subject"):
        assert f'<label for="id_{name}">' in html
    assert "<legend>" in html and 'name="channel"' in html


def test_visitors_are_sent_to_sign_in(client):
    response = Client().get(RECORD)
    assert response.status_code == 302 and "/staff/login/" in response["Location"]
