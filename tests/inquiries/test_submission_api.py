"""POST /api/v1/inquiries/: the public submission endpoint, exactly as DESIGN.md says."""

from __future__ import annotations

import json
import os
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from rest_framework.test import APIClient

from crm.models import Company, Contact, Membership, Unit
from inquiries.models import Inquiry, TransitionLog
from notifications.models import Notification

from ..factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/inquiries/"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def valid(**overrides) -> dict:
    payload = {
        "request_type": "building-permit",
        "subject": "Laajennus",
        "description": "Tarvitsemme rakennusluvan myymälän laajennukselle.",
        "company_name": "Porvoon Rauta Oy",
        "business_id": "0114162-2",
        "contact_name": "Aino Asiakas",
        "email": "aino@example.fi",
        "phone": "040 123 4567",
        "language": "sv",
    }
    return payload | overrides


def nothing_saved() -> bool:
    return not (
        Inquiry.objects.exists()
        or Company.objects.exists()
        or Contact.objects.exists()
        or TransitionLog.objects.exists()
    )


def test_url_is_the_contract():
    assert reverse("api:inquiry-submit") == URL


def test_submit_answers_201_with_reference_unit_link_and_due_times(api):
    response = api.post(URL, valid(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {
        "reference",
        "status",
        "unit",
        "tracking_url",
        "first_response_due",
        "resolution_due",
    }
    assert body["reference"].startswith("BP-") and len(body["reference"]) == 14
    assert body["status"] == "queued"
    # the unit's name is in the requester's language (Swedish here)
    assert body["unit"] == {"code": "urban-development", "name": "Stadsutveckling"}
    assert body["tracking_url"].startswith("https://business.example.test/track/")
    inquiry = Inquiry.objects.get(reference=body["reference"])
    assert parse_datetime(body["first_response_due"]) == inquiry.first_response_due
    assert parse_datetime(body["resolution_due"]) == inquiry.resolution_due
    assert inquiry.channel == "api"
    assert inquiry.company.business_id == "0114162-2"
    assert inquiry.contact.phone == "+358401234567"


def test_tracking_link_opens_the_request_and_only_it(api, client):
    body = api.post(URL, valid(), format="json").json()
    path = body["tracking_url"].removeprefix("https://business.example.test")
    page = client.get(path)
    assert page.status_code == 200
    assert body["reference"] in page.content.decode()
    assert client.get(path[:-5] + "xxxx/").status_code == 404


def test_minimal_submission_defaults_language_and_subject(api):
    response = api.post(
        URL,
        {
            "request_type": "other",
            "description": "Etsimme 200 neliön toimitilaa keskustasta vuokralle.",
            "contact_name": "Pekka",
            "email": "pekka@example.fi",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    inquiry = Inquiry.objects.get()
    assert inquiry.language == "fi"
    assert inquiry.subject == "Etsimme 200 neliön toimitilaa keskustasta vuokralle."
    assert response.json()["unit"]["code"] == "posintra"
    assert inquiry.company is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"business_id": "1234567-8"}, "business_id"),  # wrong check digit
        ({"business_id": "not an id"}, "business_id"),
        ({"request_type": "fishing-licence"}, "request_type"),
        ({"request_type": None}, "request_type"),
        ({"email": "not-an-address"}, "email"),
        ({"email": ""}, "email"),
        ({"description": ""}, "description"),
        ({"description": "x" * 10_001}, "description"),
        ({"language": "de"}, "language"),
        ({"contact_name": ""}, "contact_name"),
        ({"phone": "12"}, "phone"),
        ({"subject": "s" * 201}, "subject"),
        ({"description": "null\x00byte"}, "description"),
    ],
)
def test_bad_field_answers_400_naming_it_and_saves_nothing(api, overrides, field):
    response = api.post(URL, valid(**overrides), format="json")
    assert response.status_code == 400
    errors = response.json()
    assert field in errors and errors[field] and all(isinstance(m, str) for m in errors[field])
    assert nothing_saved()


@pytest.mark.parametrize("missing", ["request_type", "description", "contact_name", "email"])
def test_missing_required_field_is_named(api, missing):
    payload = valid()
    del payload[missing]
    response = api.post(URL, payload, format="json")
    assert response.status_code == 400 and missing in response.json()
    assert nothing_saved()


@pytest.mark.parametrize(
    ("language", "words"), [("en", "business ID"), ("fi", "Y-tunnus"), ("sv", "FO-nummer")]
)
def test_business_id_message_is_clear_in_each_language(api, language, words):
    response = api.post(
        URL, valid(business_id="1234567-8"), format="json", HTTP_ACCEPT_LANGUAGE=language
    )
    assert words in response.json()["business_id"][0]


def test_unknown_request_type_message_names_the_value(api):
    response = api.post(URL, valid(request_type="fishing-licence"), format="json")
    assert "fishing-licence" in response.json()["request_type"][0]


@pytest.mark.parametrize("raw", ["{not json", "[1, 2]", '"a string"', "null", ""])
def test_malformed_json_answers_400(api, raw):
    response = api.generic("POST", URL, raw, content_type="application/json")
    assert response.status_code == 400
    assert response.json()
    assert nothing_saved()


def test_errors_come_in_the_requested_language(api):
    response = api.post(URL, valid(email="x"), format="json", HTTP_ACCEPT_LANGUAGE="fi")
    assert response.status_code == 400
    assert "sähköposti" in response.json()["email"][0].lower()


def test_lowercase_business_id_without_dash_is_normalised(api):
    response = api.post(URL, valid(business_id=" 01141622 "), format="json")
    assert response.status_code == 201, response.content
    assert Company.objects.get().business_id == "0114162-2"


def test_submissions_are_throttled_per_client_address(api, settings):
    settings.SUBMIT_THROTTLE_RATE = "3/minute"
    codes = [
        api.post(URL, valid(), format="json", REMOTE_ADDR="192.0.2.1").status_code for _ in range(4)
    ]
    assert codes == [201, 201, 201, 429]
    # another client address is not affected
    assert api.post(URL, valid(), format="json", REMOTE_ADDR="192.0.2.2").status_code == 201
    throttled = api.post(URL, valid(), format="json", REMOTE_ADDR="192.0.2.1")
    assert int(throttled["Retry-After"]) > 0
    assert Inquiry.objects.count() == 4


@pytest.mark.redis
def test_throttle_counts_are_shared_through_redis(api, settings):
    # given the production cache (Redis), shared by every web process
    # (a fresh key prefix instead of clear(): that would flush the whole Redis database)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": f"test-throttle-{uuid.uuid4().hex}",
        }
    }
    settings.SUBMIT_THROTTLE_RATE = "2/minute"
    codes = [
        api.post(URL, valid(), format="json", REMOTE_ADDR="198.51.100.7").status_code
        for _ in range(3)
    ]
    assert codes == [201, 201, 429]


def test_schema_describes_the_submission_endpoint(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    operation = schema["paths"][URL]["post"]
    assert "201" in operation["responses"]


def test_submission_query_count_does_not_grow_with_data(api):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.post(URL, valid(), format="json").status_code == 201
        return len(queries)

    # given a submission after the year's counter exists
    count()
    few = count()
    # when 40 more requests exist, then a submission takes as many queries as before
    for _ in range(40):
        count()
    assert count() == few


@pytest.mark.parametrize(
    "value", ["\x00", "business-plot\x00", 12, ["other"], {"code": "x"}, "ä" * 300]
)
def test_request_type_that_cannot_be_a_code_is_refused_before_any_query(api, value):
    response = api.post(URL, valid(request_type=value), format="json")
    assert response.status_code == 400 and "request_type" in response.json()


def test_a_broken_throttle_cache_lets_submissions_through(api, settings):
    # given a cache server that is down (nothing listens on port 9)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }
    # then requests are still accepted and saved
    assert api.post(URL, valid(), format="json").status_code == 201
    assert Inquiry.objects.count() == 1


def test_a_second_request_from_an_address_updates_its_contact_and_keeps_what_was_not_given(api):
    # given a requester who gave a phone number and a company
    assert api.post(URL, valid(), format="json").status_code == 201
    first = Contact.objects.get()
    # when they write again from the same address, in another case, without phone or company
    again = valid(
        email="AINO@example.fi", contact_name="Aino Asiakas-Uusi", language="en", phone=""
    )
    again |= {"business_id": "", "company_name": ""}
    assert api.post(URL, again, format="json").status_code == 201
    # then it is the same contact, with the new name and language and the old phone and company
    contact = Contact.objects.get()
    assert contact.pk == first.pk and contact.created_at == first.created_at
    assert (contact.name, contact.language) == ("Aino Asiakas-Uusi", "en")
    assert (contact.phone, contact.company_id) == (first.phone, first.company_id)
    assert list(Inquiry.objects.values_list("contact_id", flat=True)) == [first.pk] * 2


def test_a_submission_takes_as_many_queries_whatever_the_size_of_the_unit(api):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.post(URL, valid(), format="json").status_code == 201
        return len(queries)

    unit = Unit.objects.get(code="urban-development")
    count()  # the year's counter exists from now on
    Membership.objects.create(user=UserFactory(), unit=unit, role=Membership.Role.HANDLER)
    one = count()
    for _ in range(6):
        Membership.objects.create(user=UserFactory(), unit=unit, role=Membership.Role.HANDLER)
    # then the seven notices are written together: no query more than for one
    assert count() == one
    assert Notification.objects.filter(kind=Notification.Kind.NEW_IN_UNIT).count() == 1 + 7
    # the request type; BEGIN; the company; the contact (one upsert); the reference; the rules;
    # the service level; the request, its two log rows, its routing decision, its tracking link;
    # the receipt; the unit's members, their notices (one INSERT); COMMIT
    assert one == 15
