"""GET requests and GET requests/<id>: the fields, the filters and the spec's defaults."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inquiries import services
from inquiries.models import Inquiry
from open311.render import w3c

from .conftest import (
    NOW,
    assert_same_in_both,
    error_descriptions,
    json_document,
    many_inquiries,
)

pytestmark = pytest.mark.django_db


def listed(open311, **params) -> list[str]:
    response = open311.get("requests", params=params)
    assert response.status_code == 200, response.content
    return [request["service_request_id"] for request in json_document(response)]


def test_a_request_shows_its_type_unit_state_and_times_and_nothing_else(
    open311, clock, claimed_inquiry
):
    # when a client lists the requests and opens the one there is, in both formats
    listing = assert_same_in_both(open311, "requests", "service_requests")
    detail = assert_same_in_both(
        open311, "request", "service_requests", service_request_id=claimed_inquiry.reference
    )
    # then both show exactly the spec's public fields, with W3C times and the due time expected
    claimed_inquiry.refresh_from_db()
    expected = {
        "service_request_id": claimed_inquiry.reference,
        "status": "open",
        "service_name": "Yritystontti",
        "service_code": "business-plot",
        "agency_responsible": "Kaupunkikehitys",
        "requested_datetime": "2026-09-07T08:00:00+03:00",
        "updated_datetime": w3c(claimed_inquiry.updated_at),
        "expected_datetime": w3c(claimed_inquiry.resolution_due),
    }
    assert listing == detail == [expected]


def test_names_follow_the_locale(open311, clock, queued_inquiry):
    [request] = json_document(open311.get("requests", params={"locale": "sv"}))
    assert (request["service_name"], request["agency_responsible"]) == (
        "Företagstomt",
        "Stadsutveckling",
    )


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_request_is_404_in_open311_format(open311, fmt):
    response = open311.get("request", fmt, service_request_id="BP-2026-999999")
    [description] = error_descriptions(response, 404, fmt)
    assert description.startswith("service_request_id:") and "BP-2026-999999" in description


# -- open and closed ------------------------------------------------------------------------------


def resolve(inquiry, handler, at):
    services.claim_inquiry(inquiry_id=inquiry.pk, handler=handler, now=at)
    services.resolve_inquiry(
        inquiry_id=inquiry.pk, handler=handler, outcome="Tontti 12 on varattu.", now=at
    )


@pytest.fixture
def one_of_each(submit, handler, requester):
    """A request in each state Open311 can see, sent a day apart from 2026-09-07 on."""
    start = NOW - timedelta(days=10)
    made = {}
    for day, state in enumerate(
        ["queued", "in_progress", "awaiting", "resolved", "closed", "unactioned", "withdrawn"]
    ):
        at = start + timedelta(days=day)
        inquiry = submit(now=at).inquiry
        made[state] = inquiry
        later = at + timedelta(hours=1)
        if state in ("in_progress", "awaiting"):
            services.claim_inquiry(inquiry_id=inquiry.pk, handler=handler, now=later)
        if state == "awaiting":
            services.ask_customer(
                inquiry_id=inquiry.pk, handler=handler, question="Koko?", now=later
            )
        if state in ("resolved", "closed"):
            resolve(inquiry, handler, later)
        if state == "closed":
            assert services.close_resolved_inquiry(
                inquiry_id=inquiry.pk, now=later + timedelta(days=15)
            )
        if state == "unactioned":
            services.close_inquiry_unactioned(
                inquiry_id=inquiry.pk, handler=handler, reason="spam", now=later
            )
        if state == "withdrawn":
            services.withdraw_inquiry(inquiry_id=inquiry.pk, contact=requester, now=later)
    return made


def test_open_and_closed_follow_our_states(open311, clock, one_of_each):
    # when a client asks for each request
    statuses = {
        state: json_document(open311.get("request", service_request_id=inquiry.reference))[0][
            "status"
        ]
        for state, inquiry in one_of_each.items()
    }
    # then what is still being worked on is open; resolved, closed and withdrawn are closed
    assert statuses == {
        "queued": "open",
        "in_progress": "open",
        "awaiting": "open",
        "resolved": "closed",
        "closed": "closed",
        "unactioned": "closed",
        "withdrawn": "closed",
    }


def test_updated_datetime_of_a_closed_request_is_when_it_was_closed(open311, clock, one_of_each):
    for state in ("resolved", "closed", "unactioned", "withdrawn"):
        inquiry = Inquiry.objects.get(pk=one_of_each[state].pk)
        closed = inquiry.last_resolved_at if state == "resolved" else inquiry.closed_at
        [shown] = json_document(open311.get("request", service_request_id=inquiry.reference))
        assert shown["updated_datetime"] == w3c(closed), state


def test_status_filter(open311, clock, one_of_each):
    reference = {state: inquiry.reference for state, inquiry in one_of_each.items()}
    opened = {reference[s] for s in ("queued", "in_progress", "awaiting")}
    assert set(listed(open311, status="open")) == opened
    assert set(listed(open311, status="closed")) == set(reference.values()) - opened
    assert set(listed(open311, status="open,closed")) == set(reference.values())
    response = open311.get("requests", params={"status": "open,pending"})
    [description] = error_descriptions(response, 400)
    assert description.startswith("status:") and "pending" in description


# -- the filters ----------------------------------------------------------------------------------


def test_service_code_filter_takes_one_or_several_codes(open311, clock, submit):
    at = NOW - timedelta(days=1)
    plot = submit(now=at, request_type="business-plot").inquiry.reference
    zoning = submit(now=at, request_type="zoning").inquiry.reference
    hiring = submit(now=at, request_type="recruitment").inquiry.reference
    assert listed(open311, service_code="zoning") == [zoning]
    assert set(listed(open311, service_code="zoning,recruitment")) == {zoning, hiring}
    # declared several times, as the spec allows
    response = open311.client.get(
        open311.url("requests") + "?service_code=business-plot&service_code=zoning"
    )
    assert {r["service_request_id"] for r in json_document(response)} == {plot, zoning}
    assert listed(open311, service_code="pothole") == []


def test_service_request_id_overrides_every_other_filter(open311, clock, submit):
    # given a request sent long before the default 90 days, and a recent one
    old = submit(now=NOW - timedelta(days=200)).inquiry.reference
    recent = submit(now=NOW - timedelta(days=1)).inquiry.reference
    # then by their ids both are found, whatever the dates, status and code say
    found = listed(
        open311,
        service_request_id=f"{old},{recent},BP-2026-999999",
        status="closed",
        service_code="zoning",
        start_date="2026-09-01T00:00:00Z",
        end_date="2026-09-02T00:00:00Z",
    )
    assert found == [recent, old]  # newest first


def test_default_window_is_the_last_90_days(open311, clock, submit):
    # given requests sent 91 and 89 days ago
    outside = submit(now=NOW - timedelta(days=91)).inquiry.reference
    inside = submit(now=NOW - timedelta(days=89)).inquiry.reference
    # when a client lists requests without dates, then only the recent one is there
    assert listed(open311) == [inside]
    # a start date alone covers the 90 days from it; an end date alone the 90 days before it
    start = (NOW - timedelta(days=100)).isoformat()
    assert listed(open311, start_date=start) == [inside, outside]
    assert listed(open311, end_date=(NOW - timedelta(days=90)).isoformat()) == [outside]


def test_start_and_end_date_include_their_own_instants(open311, clock, submit):
    at = NOW - timedelta(days=3)
    sent = submit(now=at).inquiry.reference
    submit(now=at - timedelta(seconds=1))
    submit(now=at + timedelta(seconds=1))
    assert listed(open311, start_date=at.isoformat(), end_date=at.isoformat()) == [sent]


@pytest.mark.parametrize(
    "start_date",
    [
        "2026-09-07T05:00:00Z",  # UTC
        "2026-09-07T08:00:00+03:00",  # with an offset
        "2026-09-07T08:00:00 03:00",  # the "+" unencoded in a query string: a space
        "2026-09-07T08:00:00",  # no offset: Helsinki time
    ],
)
def test_dates_in_the_w3c_format(open311, clock, queued_inquiry, start_date):
    # the request was sent 2026-09-07 08:00 Helsinki time (05:00 UTC)
    assert listed(open311, start_date=start_date) == [queued_inquiry.reference]
    later = start_date.replace("08:00:00", "08:00:01").replace("05:00:00", "05:00:01")
    assert listed(open311, start_date=later) == []


def test_a_date_alone_is_that_day_from_midnight(open311, clock, queued_inquiry):
    assert listed(open311, start_date="2026-09-07") == [queued_inquiry.reference]
    assert listed(open311, start_date="2026-09-08") == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start_date": "yesterday"}, "start_date"),
        ({"end_date": "2026-13-01T00:00:00Z"}, "end_date"),
        ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"}, "end_date"),
        ({"start_date": "2026-06-01T00:00:00Z", "end_date": "2026-05-01T00:00:00Z"}, "end_date"),
        ({"end_date": "0001-01-01T00:00:00Z"}, "end_date"),
        ({"start_date": "9999-12-31"}, "start_date"),
        ({"extensions": "maybe"}, "extensions"),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_parameters_are_400_naming_the_parameter(open311, params, field, fmt):
    response = open311.get("requests", fmt, params=params)
    [description] = error_descriptions(response, 400, fmt)
    assert description.startswith(f"{field}:")


def test_at_most_1000_requests_newest_first(open311, clock, db):
    # given 1,001 requests within the default window
    made = many_inquiries(1001, newest=NOW - timedelta(hours=1))
    # when a client lists them, then the 1,000 newest come, newest first
    found = listed(open311)
    assert len(found) == 1000
    assert found == [inquiry.reference for inquiry in made[:1000]]


@pytest.mark.parametrize("extensions", ["false", "true"])
def test_listing_takes_the_same_queries_for_5_and_50_requests(open311, clock, handler, extensions):
    def queries_for(count: int) -> list[str]:
        Inquiry.objects.all().delete()
        many_inquiries(count, newest=NOW - timedelta(hours=1), claimed_by=handler)
        with CaptureQueriesContext(connection) as context:
            assert len(listed(open311, extensions=extensions)) == count
        return [query["sql"] for query in context.captured_queries]

    queries_for(1)  # anything the first request of a process looks up once is looked up now
    five, fifty = queries_for(5), queries_for(50)
    assert len(five) == len(fifty), "\n".join(fifty)


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/open311/v2/requests.json?service_code=a%00b", "service_code"),
        ("/open311/v2/requests.json?service_request_id=BP%00", "service_request_id"),
        ("/open311/v2/requests/BP-2026%00.json", "service_request_id"),
        ("/open311/v2/services.json?jurisdiction_id=porvoo.fi%00", "jurisdiction_id"),
    ],
)
def test_a_null_character_is_400_not_a_database_error(client, url, field):
    response = client.get(url)
    [description] = error_descriptions(response, 400)
    assert description.startswith(f"{field}:")
