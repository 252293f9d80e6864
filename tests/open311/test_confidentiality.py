"""No personal data and no description leave through Open311: business requests are confidential."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crm.models import Unit
from inquiries import services
from inquiries.models import Inquiry

from .conftest import NOW, error_descriptions

pytestmark = pytest.mark.django_db

# Everything a person wrote or is, as sent and as stored (normalised).
SECRETS = {
    "description": "Salainen laajennushanke XYZZY-kuvaus Kaisaniemen korttelissa",
    "subject": "Pelikaani-otsikko QQ",
    "company_name": "Pelikaani Salaisuus Oy",
    "business_id": "0114162-2",
    "first_name": "Salli",
    "last_name": "Salaperäinen",
    "email": "salli.salainen@example.fi",
    "phone": "040 765 4321",
    "phone, stored": "+358407654321",
    "reply": "JULKINEN-vastaus-88",
    "question": "KYSYMYS-asiakkaalle-66",
    "customer message": "ASIAKKAAN-viesti-55",
    "internal note": "SISÄINEN-muistio-77",
    "transfer reason": "SIIRTO-syy-99",
    "outcome": "RATKAISU-teksti-44",
    "handler": "Hanna",
    "handler's surname": "Handler",
    "handler's username": "hanna.handler",
}


@pytest.fixture
def worked_on(open311, api_key, clock, handler, service_manager):
    """A request posted through Open311 and worked on with every kind of text, then resolved."""
    form = {
        "api_key": api_key,
        "service_code": "building-permit",
        "description": SECRETS["description"],
        "first_name": SECRETS["first_name"],
        "last_name": SECRETS["last_name"],
        "email": SECRETS["email"],
        "phone": SECRETS["phone"],
        "attribute[business_id]": SECRETS["business_id"],
        "attribute[company_name]": SECRETS["company_name"],
        "attribute[subject]": SECRETS["subject"],
    }
    posted = open311.post(form)
    assert posted.status_code == 200
    inquiry = Inquiry.objects.get()
    step = iter(NOW + timedelta(minutes=n) for n in range(1, 20))
    pk = inquiry.pk
    services.claim_inquiry(inquiry_id=pk, handler=handler, now=next(step))
    services.add_internal_note(
        inquiry_id=pk, handler=handler, body=SECRETS["internal note"], now=next(step)
    )
    services.reply_to_inquiry(inquiry_id=pk, handler=handler, body=SECRETS["reply"], now=next(step))
    services.ask_customer(
        inquiry_id=pk, handler=handler, question=SECRETS["question"], now=next(step)
    )
    services.add_customer_message(
        inquiry_id=pk, contact=inquiry.contact, body=SECRETS["customer message"], now=next(step)
    )
    services.transfer_inquiry(
        inquiry_id=pk,
        actor=handler,
        unit=Unit.objects.get(code="posintra"),
        reason=SECRETS["transfer reason"],
        now=next(step),
    )
    services.transfer_inquiry(
        inquiry_id=pk,
        actor=service_manager,
        unit=Unit.objects.get(code="urban-development"),
        reason=SECRETS["transfer reason"],
        now=next(step),
    )
    services.claim_inquiry(inquiry_id=pk, handler=handler, now=next(step))
    services.resolve_inquiry(
        inquiry_id=pk, handler=handler, outcome=SECRETS["outcome"], now=next(step)
    )
    return inquiry, posted


def every_answer(open311, inquiry):
    """Every GET answer about the request: list and detail, JSON and XML, with and without
    extensions, filtered by its id, its code and its status."""
    for fmt in ("json", "xml"):
        for extensions in ("false", "true"):
            for params in (
                {},
                {"service_request_id": inquiry.reference},
                {"service_code": "building-permit", "status": "closed"},
            ):
                yield open311.get("requests", fmt, params={**params, "extensions": extensions})
            yield open311.get(
                "request",
                fmt,
                service_request_id=inquiry.reference,
                params={"extensions": extensions},
            )


def test_no_personal_data_and_no_text_of_the_request_leave_through_open311(open311, worked_on):
    inquiry, posted = worked_on
    answers = [posted, *every_answer(open311, inquiry)]
    for response in answers:
        # each answer is about the request…
        assert response.status_code == 200
        content = response.content.decode()
        assert inquiry.reference in content
        # …and says nothing a person wrote or is
        leaked = {name for name, secret in SECRETS.items() if secret.lower() in content.lower()}
        assert not leaked, f"{response.request['PATH_INFO']} shows {leaked}"


def test_the_texts_really_are_in_the_request(worked_on):
    # the check above is only worth something if the secrets were stored where Open311 reads
    inquiry, _ = worked_on
    inquiry.refresh_from_db()
    assert inquiry.description == SECRETS["description"]
    assert inquiry.subject == SECRETS["subject"]
    assert inquiry.company_name == SECRETS["company_name"]
    assert inquiry.contact.phone == SECRETS["phone, stored"]
    notes = set(inquiry.transitions.values_list("note", flat=True))
    assert SECRETS["transfer reason"] in notes
    bodies = set(inquiry.messages.values_list("body", flat=True))
    assert {SECRETS["internal note"], SECRETS["reply"], SECRETS["outcome"]} <= bodies


def test_errors_do_not_echo_personal_data(open311, api_key):
    # a request refused for one field must not repeat the others back
    form = {
        "api_key": api_key,
        "service_code": "building-permit",
        "description": SECRETS["description"],
        "first_name": SECRETS["first_name"],
        "email": "not-an-address",
        "phone": SECRETS["phone"],
    }
    response = open311.post(form)
    error_descriptions(response, 400)
    content = response.content.decode()
    assert SECRETS["description"] not in content and SECRETS["first_name"] not in content
