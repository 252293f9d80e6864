"""The queue's search (inquiries.search): every word, anywhere; a reference exactly.

The same tests run on SQLite and on PostgreSQL, where the trigram indexes of migration
inquiries 0005 and 0006 serve the same conditions.
"""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from inquiries import services
from inquiries.filters import InquiryFilterSet
from inquiries.search import normal_reference, search_condition
from tests.conftest import MONDAY_MORNING

pytestmark = pytest.mark.django_db


@pytest.fixture
def new(submit):
    def _new(**fields):
        return submit(now=MONDAY_MORNING, **fields).inquiry

    return _new


def found(user, text: str) -> list[str]:
    request = RequestFactory().get("/staff/queue/", {"q": text})
    request.user = user
    filterset = InquiryFilterSet(request.GET, request=request, now=MONDAY_MORNING)
    return sorted(inquiry.reference for inquiry in filterset.qs)


def test_every_word_must_match_somewhere(handler, new):
    # given a bakery's plot request and a sawmill's extension
    bakery = new(subject="Tontti leipomolle", company_name="Borgå Bageri Ab")
    sawmill = new(subject="Laajennus", company_name="Sahaus Oy")
    # then words from different fields narrow together, in any order and case
    assert found(handler, "bageri TONTTI") == [bakery.reference]
    assert found(handler, "  tontti   bageri ") == [bakery.reference]
    assert found(handler, "bageri laajennus") == []
    assert found(handler, "oy") == [sawmill.reference]
    # and a part of a compound word is found (Finnish: "tontti" in "Tonttihaku")
    plot = new(subject="Tonttihaku tuotantohallille")
    assert found(handler, "tontti") == sorted([bakery.reference, plot.reference])


def test_the_requester_by_name_or_email(handler, new):
    mine = new(contact_name="Selma Sjöholm", email="selma@sagverk.example")
    other = new(contact_name="Olli Other", email="olli@example.fi")
    assert found(handler, "sjöholm") == [mine.reference]
    assert found(handler, "SAGVERK") == [mine.reference]
    assert found(handler, "olli@") == [other.reference]


def test_a_reference_exactly_however_it_is_typed(handler, new):
    first, second = new(), new()
    number = int(first.reference.rsplit("-", 1)[1])
    year = first.reference.split("-")[1]
    assert found(handler, first.reference) == [first.reference]
    assert found(handler, first.reference.lower()) == [first.reference]
    assert found(handler, f"BP-{year}-{number}") == [first.reference]  # zeros left out
    assert found(handler, second.reference) == [second.reference]
    assert normal_reference("bp-2026-12") == "BP-2026-000012"
    assert normal_reference("2026-12") is None


def test_a_business_id_whole_or_in_part(handler, new):
    bakery = new(company_name="Borgå Bageri Ab", business_id="1572860-0")
    new(company_name="Sahaus Oy", business_id="0737546-2")
    assert found(handler, "1572860-0") == [bakery.reference]
    assert found(handler, "1572860") == [bakery.reference]


def test_wildcards_are_plain_characters(handler, new):
    new(subject="Kasvu 100 %")
    new(subject="Tontti")
    assert found(handler, "%") == [found(handler, "kasvu")[0]]
    assert found(handler, "_") == []


def test_closed_requests_and_other_units_are_not_found(handler, new):
    # given a request in another unit and one the handler's unit has closed
    elsewhere = new(request_type="recruitment", subject="Tontti muualla")
    closed = new(subject="Tontti suljettu")
    services.claim_inquiry(inquiry_id=closed.pk, handler=handler, now=MONDAY_MORNING)
    services.close_inquiry_unactioned(
        inquiry_id=closed.pk, handler=handler, reason="spam", now=MONDAY_MORNING
    )
    # then the queue's search finds neither
    assert found(handler, "tontti") == []
    assert elsewhere.reference not in found(handler, elsewhere.reference)


def test_nothing_to_search_for_narrows_nothing():
    assert search_condition("") is None
    assert search_condition("   ") is None
