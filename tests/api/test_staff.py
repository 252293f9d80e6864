"""The staff API: who gets in, the queue with the workspace's filters, one request, companies."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from crm.models import Unit
from inquiries import services
from inquiries.filters import InquiryFilterSet
from inquiries.models import Inquiry
from inquiries.views.workspace.queue import PER_PAGE
from tests.conftest import MONDAY_MORNING
from tests.factories import CompanyFactory, UserFactory, _ytunnus

pytestmark = pytest.mark.django_db

QUEUE = reverse("api:queue")
COMPANIES = reverse("api:company-list")
# The default policy from Monday 08:00: the first response is at risk from Tuesday 12:00.
BEFORE_RISK = MONDAY_MORNING + timedelta(hours=2)
AT_RISK = MONDAY_MORNING + timedelta(days=1, hours=5)


def detail(inquiry: Inquiry) -> str:
    return reverse("api:inquiry-detail", kwargs={"reference": inquiry.reference})


@pytest.fixture
def new(submit):
    """Submit a request (urban development unless told otherwise)."""

    def _new(now=MONDAY_MORNING, request_type: str = "business-plot", **fields) -> Inquiry:
        return submit(request_type=request_type, now=now, **fields).inquiry

    return _new


# -- who gets in ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", [QUEUE, COMPANIES, "/api/v1/inquiries/BP-2026-000001/", reverse("api:metrics")]
)
def test_without_credentials_the_answer_is_401_asking_for_a_token(api, url):
    response = api.get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert set(response.json()) == {"detail"}


def test_a_wrong_token_is_401(api):
    api.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert api.get(QUEUE).status_code == 401


def test_someone_in_no_unit_is_refused(token_client):
    # given an account that works in no unit (not staff of the workspace)
    response = token_client(UserFactory(username="nobody")).get(QUEUE)
    assert response.status_code == 403


def test_an_inactive_handlers_token_stops_working(token_client, handler):
    client = token_client(handler)
    handler.is_active = False
    handler.save()
    assert client.get(QUEUE).status_code == 401


def test_the_workspace_session_signs_in_too(handler, queued_inquiry):
    # given a handler signed in to the workspace in this browser
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(handler)
    # then the API answers them as themselves
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert [row["reference"] for row in response.json()["results"]] == [queued_inquiry.reference]


def test_a_session_without_the_csrf_token_cannot_act(handler, queued_inquiry):
    # given a browser session (a page of another site could make the browser post)
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(handler)
    url = reverse("api:inquiry-claim", kwargs={"reference": queued_inquiry.reference})
    # then a post without the CSRF token is refused and nothing changes
    assert client.post(url, {}).status_code == 403
    assert Inquiry.objects.get(pk=queued_inquiry.pk).assignee is None


# -- the queue ------------------------------------------------------------------------------------


def references(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["reference"] for row in response.json()["results"]]


def test_queue_holds_the_open_requests_of_my_units_most_urgent_first(as_handler, new, handler):
    # given requests of my unit (one claimed, one closed) and one of another unit
    later = new(now=MONDAY_MORNING + timedelta(hours=3))
    first = new()
    services.claim_inquiry(inquiry_id=later.pk, handler=handler)
    closed = new()
    services.close_inquiry_unactioned(inquiry_id=closed.pk, handler=handler, reason="spam")
    new(request_type="recruitment")  # employment services
    # when I read the queue
    response = as_handler.get(QUEUE)
    # then only my unit's open requests are there, the most urgent first
    assert references(response) == [first.reference, later.reference]
    row = response.json()["results"][1]
    assert row["assignee"] == {"username": "hanna.handler", "name": "Hanna Handler"}
    assert row["unit"]["code"] == "urban-development"
    assert row["url"].endswith(detail(later))
    assert row["sla_state"] in {"on_track", "at_risk", "breached"}


def api_refs(client, **params) -> list[str]:
    return references(client.get(QUEUE, params))


def web_refs(user, now, **params) -> list[str]:
    request = RequestFactory().get("/staff/queue/", params)
    request.user = user
    return [
        inquiry.reference for inquiry in InquiryFilterSet(request.GET, request=request, now=now).qs
    ]


FILTERS = [
    {},
    {"status": "queued"},
    {"status": ["queued", "awaiting_customer"]},
    {"assignee": "me"},
    {"assignee": "unassigned"},
    {"sla": "at_risk"},
    {"sla": "on_track"},
    {"request_type": "zoning"},
    {"unit": "urban-development"},
    {"language": "sv"},
    {"channel": "web"},
    {"q": "Bageri"},
    {"submitted_after": "2026-09-08"},
    {"submitted_before": "2026-09-07"},
    {"ordering": "-submitted"},
    {"ordering": "-due"},
    {"ordering": "changed"},
]


@pytest.mark.parametrize("params", FILTERS, ids=[str(p) for p in FILTERS])
def test_queue_filters_are_the_workspace_queues(as_handler, new, handler, params):
    # given requests that differ in every way the filters look at
    company = CompanyFactory(name="Borgå Bageri Oy")
    new()
    new(request_type="zoning", language="sv")
    new(company_name=company.name, business_id=company.business_id)
    new(now=MONDAY_MORNING + timedelta(days=1))
    mine = new(now=MONDAY_MORNING + timedelta(hours=1))
    services.claim_inquiry(inquiry_id=mine.pk, handler=handler)
    asked = new(now=MONDAY_MORNING + timedelta(hours=2))
    services.claim_inquiry(inquiry_id=asked.pk, handler=handler)
    services.ask_customer(inquiry_id=asked.pk, handler=handler, question="Mikä tontti?")
    # when the API and the workspace's FilterSet are asked the same, at the same moment
    with time_machine.travel(AT_RISK, tick=False):
        from_api = api_refs(as_handler, **params)
    # then they answer the same
    assert from_api == web_refs(handler, AT_RISK, **params)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "closed"}, "status"),  # not an open status
        ({"unit": "employment-services"}, "unit"),  # not my unit
        ({"request_type": "fishing"}, "request_type"),
        ({"sla": "late"}, "sla"),
        ({"submitted_after": "7.9.2026"}, "submitted_after"),
        ({"ordering": "subject"}, "ordering"),
        ({"q": "a\x00b"}, "q"),
        ({"status": ""}, "status"),  # a parameter without a value
        ({"page": "0"}, "page"),
        ({"page": "x"}, "page"),
    ],
)
def test_a_filter_that_is_not_valid_is_a_400_naming_it(as_handler, queued_inquiry, params, field):
    response = as_handler.get(QUEUE, params)
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert all(isinstance(message, str) for message in response.json()[field])


def test_queue_comes_50_a_page(as_handler, new):
    for n in range(53):
        new(now=MONDAY_MORNING + timedelta(minutes=n))
    first = as_handler.get(QUEUE).json()
    assert first["count"] == 53 and len(first["results"]) == 50
    second = as_handler.get(first["next"])
    assert len(second.json()["results"]) == 3 and second.json()["next"] is None
    assert as_handler.get(QUEUE, {"page": 3}).status_code == 404


def test_a_service_manager_sees_every_units_queue(token_client, service_manager, new):
    ours, theirs = new(), new(request_type="recruitment")
    refs = references(token_client(service_manager).get(QUEUE))
    assert set(refs) == {ours.reference, theirs.reference}


def _count_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(QUEUE)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("user", ["handler", "manager"])
def test_queue_queries_do_not_grow_with_rows(token_client, new, handler, request, user):
    client = token_client(request.getfixturevalue(user))

    def rows(first: int, count: int) -> None:
        for n in range(first, first + count):
            inquiry = new(
                now=MONDAY_MORNING + timedelta(minutes=n),
                company_name=f"Yritys {n} Oy",
                business_id=_ytunnus(3_000_000 + 10 * n),
            )
            services.claim_inquiry(inquiry_id=inquiry.pk, handler=handler, now=BEFORE_RISK)

    rows(0, 5)
    five = _count_queries(client)
    rows(5, 45)
    assert len(client.get(QUEUE).json()["results"]) == 50
    assert _count_queries(client) == five


# -- one request ----------------------------------------------------------------------------------


def test_a_request_with_its_whole_timeline_for_staff(as_handler, claimed_inquiry, handler):
    # given a request with a reply, an internal note and a transfer reason in its history
    pk = claimed_inquiry.pk
    services.reply_to_inquiry(inquiry_id=pk, handler=handler, body="Selvitämme asiaa.")
    services.add_internal_note(inquiry_id=pk, handler=handler, body="Soitin asiakkaalle.")
    # when the handler reads it
    response = as_handler.get(detail(claimed_inquiry))
    # then everything is there, the internal note marked as internal
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["reference"] == claimed_inquiry.reference
    assert body["status"] == "in_progress"
    assert body["contact"]["email"] == "yrittaja@example.fi"
    entries = body["timeline"]
    assert entries[0]["kind"] == "request"
    route = next(e for e in entries if e["step"] and e["step"]["name"] == "route")
    assert route["routing"]["unit"] == "urban-development"
    note = next(e for e in entries if e["body"] == "Soitin asiakkaalle.")
    assert note["internal"] is True and note["message_kind"] == "note"
    reply = next(e for e in entries if e["body"] == "Selvitämme asiaa.")
    assert reply["internal"] is False
    # and what the handler may do now, as on the request page
    assert body["actions"] == ["transfer", "reply", "note", "ask", "resolve", "close"]
    # and where each promise stands (answered late, in this test's September)
    levels = body["service_levels"]
    assert [level["label"] for level in levels] == ["First response", "Resolution"]
    assert [level["state"] for level in levels] == ["missed", "breached"]


def test_a_transfer_reason_is_read_by_staff(token_client, manager, queued_inquiry):
    employment = Unit.objects.get(code="employment-services")
    services.transfer_inquiry(
        inquiry_id=queued_inquiry.pk, actor=manager, unit=employment, reason="Ei meille."
    )
    client = token_client(UserFactory(username="sm", is_service_manager=True))
    entries = client.get(detail(queued_inquiry)).json()["timeline"]
    transfer = next(e for e in entries if e["step"] and e["step"]["name"] == "transfer")
    assert transfer["routing"]["reason"] == "Ei meille."
    assert transfer["routing"]["from_unit"] == "urban-development"


def test_another_units_request_is_not_found(token_client, outsider, queued_inquiry):
    response = token_client(outsider).get(detail(queued_inquiry))
    assert response.status_code == 404
    assert set(response.json()) == {"detail"}


@pytest.mark.parametrize("reference", ["BP-2026-999999", "x" * 21, "a b", "%00"])
def test_an_unknown_reference_is_not_found(as_handler, reference):
    assert as_handler.get(f"/api/v1/inquiries/{reference}/").status_code == 404


def test_detail_queries_do_not_grow_with_the_timeline(as_handler, claimed_inquiry, handler):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert as_handler.get(detail(claimed_inquiry)).status_code == 200
        return len(captured)

    services.add_internal_note(inquiry_id=claimed_inquiry.pk, handler=handler, body="1")
    few = count()
    for n in range(10):
        services.add_internal_note(inquiry_id=claimed_inquiry.pk, handler=handler, body=str(n))
        services.reply_to_inquiry(inquiry_id=claimed_inquiry.pk, handler=handler, body=str(n))
    assert count() == few


# -- companies ------------------------------------------------------------------------------------


@pytest.fixture
def bakery(new):
    """A company with one request in urban development and one in employment services."""
    company = CompanyFactory(name="Borgå Bageri Oy")
    fields = {"company_name": company.name, "business_id": company.business_id}
    ours = new(**fields)
    theirs = new(request_type="recruitment", email="toinen@example.fi", **fields)
    return company, ours, theirs


def company_url(company) -> str:
    return reverse("api:company-detail", kwargs={"pk": company.pk})


def test_companies_are_those_with_requests_i_may_see(token_client, handler, outsider, bakery):
    company, _ours, _theirs = bakery
    lonely = CompanyFactory(name="Aavikko Oy")  # no requests at all
    handler_rows = token_client(handler).get(COMPANIES).json()["results"]
    assert [row["name"] for row in handler_rows] == ["Borgå Bageri Oy"]
    assert handler_rows[0]["url"].endswith(company_url(company))
    manager = token_client(UserFactory(username="sm", is_service_manager=True))
    assert [row["name"] for row in manager.get(COMPANIES).json()["results"]] == [
        lonely.name,
        "Borgå Bageri Oy",
    ]
    searched = manager.get(COMPANIES, {"q": company.business_id}).json()["results"]
    assert [row["id"] for row in searched] == [company.pk]


def test_a_company_with_the_requests_and_people_i_may_see(token_client, handler, bakery):
    company, ours, _theirs = bakery
    body = token_client(handler).get(company_url(company)).json()
    assert body["business_id"] == company.business_id
    # only the request of my unit, and only the person behind it
    assert [row["reference"] for row in body["requests"]] == [ours.reference]
    assert [person["email"] for person in body["contacts"]] == ["yrittaja@example.fi"]
    assert body["open_count"] == 1 and body["request_count"] == 1
    assert body["next"] is None and body["previous"] is None


def test_a_company_s_requests_come_a_page_at_a_time_with_as_many_queries(
    token_client, handler, new
):
    # given a company with one request, and another with more than a page of them
    def company_with(count: int, name: str):
        company = CompanyFactory(name=name)
        for n in range(count):
            new(
                company_name=name,
                business_id=company.business_id,
                email=f"person{n}@{company.pk}.example",
                now=MONDAY_MORNING + timedelta(minutes=n),
            )
        return company

    client = token_client(handler)

    def read(company, **query):
        client.get(company_url(company), query)  # warm: the token, content types
        with CaptureQueriesContext(connection) as captured:
            body = client.get(company_url(company), query).json()
        return body, len(captured)

    _small, few = read(company_with(1, "Pieni Oy"))
    big = company_with(PER_PAGE + 2, "Iso Oy")
    # when the handler reads the big one: the newest 50, a link on, every request counted
    first, first_queries = read(big)
    assert len(first["requests"]) == PER_PAGE and first["request_count"] == PER_PAGE + 2
    assert first["open_count"] == PER_PAGE + 2 and len(first["contacts"]) == PER_PAGE + 2
    assert first["next"].endswith("?page=2") and first["previous"] is None
    second, second_queries = read(big, page=2)
    assert len(second["requests"]) == 2 and second["next"] is None
    # then the references of both pages are every request once, newest first
    references = [row["reference"] for row in first["requests"] + second["requests"]]
    assert references == sorted(references, reverse=True) and len(set(references)) == PER_PAGE + 2
    # and a page takes as many queries however many requests the company has
    assert first_queries == second_queries == few
    # and a page that is not one is a 400 naming it
    response = client.get(company_url(big), {"page": "x"})
    assert response.status_code == 400 and "page" in response.json()


def test_a_company_none_of_whose_requests_i_may_see_is_not_found(token_client, bakery):
    lonely = CompanyFactory(name="Aavikko Oy")
    handler_of_posintra = UserFactory(username="pia.posintra")
    handler_of_posintra.memberships.create(unit=Unit.objects.get(code="posintra"))
    client = token_client(handler_of_posintra)
    assert client.get(company_url(bakery[0])).status_code == 404
    assert client.get(company_url(lonely)).status_code == 404
    assert client.get(COMPANIES).json()["results"] == []
    assert client.get(f"{COMPANIES}{2**70}/").status_code == 404
