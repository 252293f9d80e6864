"""POST requests: with an API key, checked by the REST API's rules, answered with our reference."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from crm.models import Company, Contact
from inquiries.models import Inquiry, TransitionLog
from notifications.models import Notification
from open311.models import ApiKey

from .conftest import error_descriptions, json_document, xml_document

pytestmark = pytest.mark.django_db


def valid(api_key: str, **overrides: Any) -> dict[str, Any]:
    form = {
        "api_key": api_key,
        "jurisdiction_id": "porvoo.fi",
        "service_code": "building-permit",
        "description": "Tarvitsemme rakennusluvan myymälän laajennukselle.",
        "first_name": "Aino",
        "last_name": "Asiakas",
        "email": "aino@example.fi",
        "phone": "040 123 4567",
        "attribute[business_id]": "0114162-2",
        "attribute[company_name]": "Porvoon Rauta Oy",
        "attribute[subject]": "Laajennus",
        "attribute[language]": "sv",
    }
    return {key: value for key, value in (form | overrides).items() if value is not None}


def nothing_saved() -> bool:
    return not (
        Inquiry.objects.exists()
        or Company.objects.exists()
        or Contact.objects.exists()
        or TransitionLog.objects.exists()
    )


def test_a_request_with_a_good_key_is_saved_from_the_api_and_answered_with_its_reference(
    open311, api_key
):
    # when a partner's system posts a request with its key
    response = open311.post(valid(api_key), params="?locale=en")
    # then it is answered with our reference and what happens next, and nothing else
    assert response.status_code == 200, response.content
    [created] = json_document(response)
    inquiry = Inquiry.objects.get()
    assert created["service_request_id"] == inquiry.reference
    assert created["account_id"] is None
    assert set(created) == {"service_request_id", "service_notice", "account_id"}
    assert "Urban development will answer by" in created["service_notice"]
    assert "/track/" not in response.content.decode()  # the tracking link is the requester's
    # and the request is saved as the REST API saves it, from the API channel
    assert inquiry.channel == Inquiry.Channel.API
    assert inquiry.status == Inquiry.Status.QUEUED and inquiry.unit.code == "urban-development"
    assert inquiry.request_type.code == "building-permit"
    assert inquiry.subject == "Laajennus" and inquiry.language == "sv"
    assert inquiry.contact.name == "Aino Asiakas" and inquiry.contact.email == "aino@example.fi"
    assert inquiry.contact.phone == "+358401234567"
    assert inquiry.company.business_id == "0114162-2" and inquiry.company_name == "Porvoon Rauta Oy"
    # the requester is sent the receipt with their tracking link
    receipt = Notification.objects.get(kind=Notification.Kind.RECEIPT)
    assert receipt.recipient_email == "aino@example.fi" and "/track/" in receipt.body_text
    # and the key's last use is recorded
    assert ApiKey.objects.get().last_used_at is not None


def test_the_answer_in_xml(open311, api_key):
    response = open311.post(valid(api_key), "xml")
    assert response.status_code == 200
    [created] = xml_document(response, "service_requests")
    assert created["service_request_id"] == Inquiry.objects.get().reference
    assert created["account_id"] is None


def test_only_the_required_fields_and_a_multipart_body(open311, api_key):
    # the 6Aika profile also sends multipart/form-data
    form = {
        "api_key": api_key,
        "service_code": "other",
        "description": "Mihin voin ottaa yhteyttä?",
        "last_name": "Asiakas",
        "email": "aino@example.fi",
        "media": SimpleUploadedFile("x.txt", b"ignored"),
    }
    response = open311.client.post(open311.url("requests"), form)
    assert response.status_code == 200, response.content
    inquiry = Inquiry.objects.get()
    assert inquiry.contact.name == "Asiakas" and inquiry.language == "fi"
    assert inquiry.company is None and inquiry.subject == "Mihin voin ottaa yhteyttä?"


# -- the key --------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_no_key_is_403_and_nothing_is_saved(open311, fmt):
    response = open311.post(valid(api_key=None), fmt)
    [description] = error_descriptions(response, 403, fmt)
    assert description.startswith("api_key:")
    assert nothing_saved()


def test_a_wrong_key_is_403(open311, api_key):
    response = open311.post(valid(api_key[:-1] + ("A" if api_key[-1] != "A" else "B")))
    assert error_descriptions(response, 403)[0].startswith("api_key:")
    assert nothing_saved()


def test_a_revoked_key_is_403(open311, api_key):
    ApiKey.objects.update(is_active=False)
    response = open311.post(valid(api_key))
    assert error_descriptions(response, 403)[0].startswith("api_key:")
    assert nothing_saved()


def test_the_key_is_stored_only_as_its_hash(api_key):
    stored = ApiKey.objects.get()
    assert stored.key_hash == hashlib.sha256(api_key.encode()).hexdigest()
    assert api_key not in {str(value) for value in ApiKey.objects.values().get().values()}


def test_a_key_sends_at_most_its_rate_and_other_keys_are_not_slowed(open311, api_key, settings):
    settings.SUBMIT_THROTTLE_RATE = "2/minute"
    other = ApiKey(name="Toinen")
    other_secret = other.new_secret()
    other.save()
    assert open311.post(valid(api_key)).status_code == 200
    assert open311.post(valid(api_key)).status_code == 200
    # the third within the minute waits
    response = open311.post(valid(api_key))
    assert error_descriptions(response, 429)
    assert int(response["Retry-After"]) > 0
    assert Inquiry.objects.count() == 2
    # another partner's key is counted on its own
    assert open311.post(valid(other_secret)).status_code == 200


# -- the fields -----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_missing_fields_are_400_each_named_and_nothing_is_saved(open311, api_key, fmt):
    form = valid(api_key, description=None, email=None, first_name=None, last_name=None)
    response = open311.post(form, fmt, params="?locale=en")
    descriptions = error_descriptions(response, 400, fmt)
    assert sorted(descriptions) == [
        "description: This field is required.",
        "email: This field is required.",
        "first_name / last_name: This field is required.",
    ]
    assert nothing_saved()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("attribute[business_id]", "1234567-8"),
        ("attribute[language]", "de"),
        ("attribute[subject]", "x" * 201),
        ("email", "not-an-address"),
        ("phone", "12"),
        ("description", " "),
        ("service_code", ""),
    ],
)
def test_invalid_fields_are_400_naming_the_field_and_nothing_is_saved(
    open311, api_key, field, value
):
    response = open311.post(valid(api_key, **{field: value}))
    [description] = error_descriptions(response, 400)
    assert description.startswith(f"{field}: ")
    assert nothing_saved()


def test_an_unknown_service_code_is_404(open311, api_key):
    response = open311.post(valid(api_key, service_code="pothole"))
    [description] = error_descriptions(response, 404)
    assert description.startswith("service_code:") and "pothole" in description
    assert nothing_saved()


def test_an_attribute_the_service_does_not_define_is_400(open311, api_key):
    response = open311.post(valid(api_key, **{"attribute[colour]": "red", "attribute[x][]": "1"}))
    descriptions = error_descriptions(response, 400)
    assert sorted(d.split(":")[0] for d in descriptions) == ["attribute[colour]", "attribute[x][]"]
    assert nothing_saved()


def test_another_jurisdiction_is_404(open311, api_key):
    response = open311.post(valid(api_key, jurisdiction_id="helsinki.fi"))
    assert error_descriptions(response, 404)[0].startswith("jurisdiction_id:")
    assert nothing_saved()


def test_errors_come_in_the_language_asked_for(open311, api_key):
    form = valid(api_key, email=None)
    finnish = error_descriptions(open311.post(form), 400)
    swedish = error_descriptions(open311.post(form, params="?locale=sv"), 400)
    english = error_descriptions(open311.post(form, params="?locale=en"), 400)
    assert english == ["email: This field is required."]
    assert len({finnish[0], swedish[0], english[0]}) == 3
    assert all(d.startswith("email: ") for d in finnish + swedish)


def test_a_posted_request_can_be_followed(open311, api_key):
    [created] = json_document(open311.post(valid(api_key)))
    [request] = json_document(
        open311.get("request", service_request_id=created["service_request_id"])
    )
    assert (request["status"], request["service_code"]) == ("open", "building-permit")


def test_a_null_character_in_the_form_is_400(open311, api_key):
    response = open311.post(valid(api_key + "\x00"))
    assert error_descriptions(response, 400)[0].startswith("api_key:")
    response = open311.post(valid(api_key, description="Tontti\x00"))
    assert error_descriptions(response, 400)[0].startswith("description:")
    assert nothing_saved()


def test_partners_post_without_a_csrf_token(api_key):
    # a partner's server has no session and no CSRF cookie: the API key is what counts
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("open311:requests", kwargs={"fmt": "json"}), valid(api_key))
    assert response.status_code == 200, response.content
