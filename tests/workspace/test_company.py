"""The company view: the company, its contacts, and every request of it the user may see."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from crm.models import Company, Membership, Unit
from inquiries import services
from tests.conftest import MONDAY_MORNING
from tests.factories import CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db

BUSINESS_ID = "1572860-0"


@pytest.fixture
def client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def sign_in(client: Client, user) -> Client:
    user.language = "en"
    user.save(update_fields=["language"])
    client.force_login(user)
    return client


def company_url(company: Company) -> str:
    return reverse("workspace:company", kwargs={"pk": company.pk})


@pytest.fixture
def bakery_requests(submit):
    """Borgå Bageri: a plot request (urban development, resolved and rated by the requester)
    and a recruitment request (employment services) from another person."""
    plot = submit(
        request_type="business-plot",
        company_name="Borgå Bageri Ab",
        business_id=BUSINESS_ID,
        subject="Tontti leipomolle",
        now=MONDAY_MORNING,
    ).inquiry
    job = submit(
        request_type="recruitment",
        company_name="Borgå Bageri Ab",
        business_id=BUSINESS_ID,
        subject="Leipuri haussa",
        email="hr@bageri.example",
        contact_name="Henna Henkilöstö",
        now=MONDAY_MORNING,
    ).inquiry
    return plot, job


def test_handler_sees_the_company_with_their_units_requests_only(client, handler, bakery_requests):
    # given a company with requests in two units; the plot one resolved and rated
    plot, job = bakery_requests
    later = MONDAY_MORNING + timedelta(hours=2)
    services.claim_inquiry(inquiry_id=plot.pk, handler=handler, now=later)
    services.resolve_inquiry(inquiry_id=plot.pk, handler=handler, outcome="Tontti 5", now=later)
    services.rate_inquiry(inquiry_id=plot.pk, contact=plot.contact, rating=5, now=later)
    # when a handler of urban development opens the company
    response = sign_in(client, handler).get(company_url(plot.company))
    # then they see the company, its business ID, their unit's request with its outcome...
    html = response.content.decode()
    assert response.status_code == 200
    assert "Borgå Bageri Ab" in html and BUSINESS_ID in html
    assert plot.reference in html and "Resolved" in html and "5 / 5" in html
    assert "Yrjö Yrittäjä" in html
    # ...and nothing of the other unit's request, not even the person who sent it
    assert job.reference not in html
    assert "Henna Henkilöstö" not in html


def test_outsider_sees_their_unit_side(client, outsider, bakery_requests):
    plot, job = bakery_requests
    html = sign_in(client, outsider).get(company_url(plot.company)).content.decode()
    assert job.reference in html and plot.reference not in html
    assert "Henna Henkilöstö" in html


def test_service_manager_sees_every_request(client, service_manager, bakery_requests):
    plot, job = bakery_requests
    html = sign_in(client, service_manager).get(company_url(plot.company)).content.decode()
    assert plot.reference in html and job.reference in html


def test_company_without_visible_requests_is_not_found(client, bakery_requests):
    # given a handler of a unit that has no request from the company
    plot, _job = bakery_requests
    stranger = UserFactory(username="pia.posintra")
    Membership.objects.create(user=stranger, unit=Unit.objects.get(code="posintra"))
    # when they open the company: 404, as for a company that does not exist
    sign_in(client, stranger)
    assert client.get(company_url(plot.company)).status_code == 404
    assert client.get(reverse("workspace:company", kwargs={"pk": 999_999})).status_code == 404


def test_service_manager_sees_a_company_without_requests(client, service_manager):
    company = CompanyFactory()
    assert sign_in(client, service_manager).get(company_url(company)).status_code == 200


def test_company_view_needs_a_workspace_user(client, bakery_requests):
    plot, _job = bakery_requests
    url = company_url(plot.company)
    assert client.get(url)["Location"].startswith(reverse("workspace:login"))
    sign_in(client, UserFactory(username="nobody"))
    assert client.get(url).status_code == 403


def test_closed_unactioned_shows_its_reason(client, handler, bakery_requests):
    plot, _job = bakery_requests
    services.close_inquiry_unactioned(
        inquiry_id=plot.pk, handler=handler, reason="spam", now=MONDAY_MORNING
    )
    html = sign_in(client, handler).get(company_url(plot.company)).content.decode()
    assert "Spam" in html and "Closed" in html


def test_company_view_queries_do_not_grow_with_requests(client, handler, submit):
    def add(count: int) -> Company:
        for n in range(count):
            submit(
                request_type="business-plot",
                company_name="Borgå Bageri Ab",
                business_id=BUSINESS_ID,
                email=f"person{n}@bageri.example",
                contact_name=f"Person {n}",
                now=MONDAY_MORNING,
            )
        return Company.objects.get(business_id=BUSINESS_ID)

    sign_in(client, handler)

    def count(company: Company) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(company_url(company)).status_code == 200
        return len(captured)

    with_5 = count(add(5))
    with_50 = count(add(45))
    assert with_5 == with_50
