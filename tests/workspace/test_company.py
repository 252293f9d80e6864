"""The company view: the company, its contacts, and every request of it the user may see."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from crm.models import Company, Membership, Unit
from inquiries import services
from inquiries.views.workspace.company import PER_PAGE
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


@pytest.fixture
def bakery_plot(submit):
    """Submit a business-plot request of Borgå Bageri from its n-th person."""

    def _plot(n: int, **fields):
        return submit(
            **{
                "request_type": "business-plot",
                "company_name": "Borgå Bageri Ab",
                "business_id": BUSINESS_ID,
                "email": f"person{n}@bageri.example",
                "contact_name": f"Person {n}",
                "now": MONDAY_MORNING,
            }
            | fields
        ).inquiry

    return _plot


def test_requests_come_a_page_at_a_time_open_ones_first(client, handler, bakery_plot):
    # given a company with more requests than a page: the oldest three resolved, the rest open
    def plot(n: int):
        return bakery_plot(n, subject=f"Tontti {n}", now=MONDAY_MORNING + timedelta(minutes=n))

    requests = [plot(n) for n in range(PER_PAGE + 4)]
    for inquiry in requests[:3]:
        services.claim_inquiry(inquiry_id=inquiry.pk, handler=handler, now=MONDAY_MORNING)
        services.resolve_inquiry(
            inquiry_id=inquiry.pk, handler=handler, outcome="Tontti 5", now=MONDAY_MORNING
        )
    open_newest_first = [inquiry.reference for inquiry in reversed(requests[3:])]
    resolved_newest_first = [inquiry.reference for inquiry in reversed(requests[:3])]
    company = requests[0].company
    sign_in(client, handler)
    # when the handler opens the company: the first page
    first = client.get(company_url(company)).content.decode()
    # then every request is counted, and the page shows the newest open ones
    assert f"{PER_PAGE + 4} requests" in first and f"({PER_PAGE + 1} open)" in first
    shown = re.findall(r">(BP-\d{4}-\d{6})</a>", first.split('id="company-requests-caption"')[1])
    assert shown == open_newest_first[:PER_PAGE]
    # and the pages are a navigation of their own, the current one marked
    nav = re.search(r'<nav class="pagination" aria-label="Pages">(.*?)</nav>', first, re.S)
    assert nav and 'aria-current="page"' in nav.group(1) and "?page=2" in nav.group(1)
    # and the contacts are the people behind every request, not only this page's
    assert "Person 0" in first and f"Person {PER_PAGE + 3}" in first
    # when they go to the second page: the last open one, then the resolved ones, newest first
    second = client.get(company_url(company), {"page": 2}).content.decode()
    shown = re.findall(r">(BP-\d{4}-\d{6})</a>", second.split('id="company-requests-caption"')[1])
    assert shown == open_newest_first[PER_PAGE:] + resolved_newest_first
    assert "Resolved" in second
    # and a page number out of range shows the last page, never an error
    beyond = client.get(company_url(company), {"page": 99})
    assert beyond.status_code == 200 and resolved_newest_first[0] in beyond.content.decode()


def test_a_page_runs_as_many_queries_however_many_requests_the_company_has(
    client, handler, bakery_plot
):
    def add(count: int) -> Company:
        for n in range(count):
            bakery_plot(n)
        return Company.objects.get(business_id=BUSINESS_ID)

    sign_in(client, handler)

    def count(company: Company, page: int = 1) -> tuple[int, int]:
        client.get(company_url(company), {"page": page})  # warm: the session, content types
        with CaptureQueriesContext(connection) as captured:
            response = client.get(company_url(company), {"page": page})
        rows = response.content.decode().count('<th scope="row" class="col-reference">')
        return len(captured), rows

    # given a company with a few requests, then with three pages of them
    few = count(add(3))
    company = add(3 * PER_PAGE - 3)
    # then the first and the last page take the same queries as before, a page of rows at most
    assert count(company) == (few[0], PER_PAGE)
    assert count(company, page=3) == (few[0], PER_PAGE)
    assert few[1] == 3


def test_an_anonymised_request_is_counted_but_its_person_not_shown(client, handler, submit):
    # given two requests of the company from one person, one of them ended and anonymised
    def plot(subject: str):
        return submit(
            request_type="business-plot",
            company_name="Borgå Bageri Ab",
            business_id=BUSINESS_ID,
            subject=subject,
            now=MONDAY_MORNING,
        ).inquiry

    kept, gone = plot("Tontti leipomolle"), plot("Toinen tontti")
    services.close_inquiry_unactioned(
        inquiry_id=gone.pk, handler=handler, reason="spam", now=MONDAY_MORNING
    )
    assert services.anonymise_inquiry(inquiry_id=gone.pk, now=MONDAY_MORNING)
    # when a handler opens the company
    html = sign_in(client, handler).get(company_url(kept.company)).content.decode()
    # then both requests are counted, and the person is shown with the one request still theirs
    assert "2 requests" in html and "(1 open)" in html
    person = re.search(r"<tr>\s*<th scope=\"row\">Yrjö Yrittäjä</th>(.*?)</tr>", html, re.S)
    assert person and "<td>1</td>" in person.group(1)
