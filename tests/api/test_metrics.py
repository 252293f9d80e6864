"""GET /api/v1/metrics/: the dashboard's figures, for those who may see the dashboard."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.http import QueryDict
from django.urls import reverse

from inquiries import metrics, services
from inquiries.api.metrics import DashboardSerializer
from tests.conftest import MONDAY_MORNING

pytestmark = pytest.mark.django_db

URL = reverse("api:metrics")
NOW = MONDAY_MORNING + timedelta(days=10)
PERIOD = {"start": "2026-09-01", "end": "2026-09-30"}


@pytest.fixture
def requests(submit, handler):
    """Three requests in urban development (one answered, one resolved), one in employment."""
    plots = [submit(now=MONDAY_MORNING + timedelta(hours=n)).inquiry for n in range(3)]
    services.claim_inquiry(inquiry_id=plots[0].pk, handler=handler, now=MONDAY_MORNING)
    services.reply_to_inquiry(
        inquiry_id=plots[0].pk, handler=handler, body="Hei", now=MONDAY_MORNING + timedelta(hours=3)
    )
    services.claim_inquiry(inquiry_id=plots[1].pk, handler=handler, now=MONDAY_MORNING)
    services.resolve_inquiry(
        inquiry_id=plots[1].pk,
        handler=handler,
        outcome="OK",
        now=MONDAY_MORNING + timedelta(days=1),
    )
    submit(request_type="recruitment", now=MONDAY_MORNING)
    return plots


def figures_for(client, **params):
    with time_machine.travel(NOW, tick=False):
        return client.get(URL, params)


def test_handlers_are_refused_as_on_the_dashboard(as_handler, token_client, outsider):
    assert figures_for(as_handler).status_code == 403
    assert figures_for(token_client(outsider)).status_code == 403


def test_a_unit_manager_gets_the_dashboards_figures_for_their_units(as_manager, manager, requests):
    # when the unit manager asks for September
    response = figures_for(as_manager, **PERIOD)
    # then the figures are those of the dashboard, for their own unit only
    assert response.status_code == 200, response.content
    body = response.json()
    filters, errors = metrics.parse_filters(QueryDict(mutable=True) | PERIOD, user=manager, now=NOW)
    assert not errors
    expected = DashboardSerializer(metrics.compute(filters, now=NOW)).data
    assert body == expected
    assert body["filters"]["units"] == ["urban-development"]
    totals = body["totals"]
    assert totals["volume"] == 3
    assert totals["first_response"]["count"] == 2
    # answered in 3 and 7 business hours (Monday 09:00 to Tuesday 08:00)
    assert totals["first_response"]["median_hours"] == pytest.approx(5.0)
    assert totals["resolution"]["count"] == 1
    assert [row["code"] for row in body["by_unit"]] == ["urban-development"]
    assert [(row["code"], row["figures"]["volume"]) for row in body["by_channel"]] == [("web", 3)]
    assert body["backlog"]["total"] == 2


def test_a_service_manager_sees_every_unit(token_client, service_manager, requests):
    body = figures_for(token_client(service_manager), **PERIOD).json()
    assert body["filters"]["units"] is None
    assert body["totals"]["volume"] == 4
    assert {row["code"] for row in body["by_unit"]} == {"urban-development", "employment-services"}


def test_filters_narrow_as_on_the_dashboard(token_client, service_manager, requests):
    client = token_client(service_manager)
    body = figures_for(client, unit="employment-services", trend="month", **PERIOD).json()
    assert body["totals"]["volume"] == 1
    assert body["filters"]["trend_by"] == "month"
    assert [point["start"] for point in body["trend"]] == ["2026-09-01"]
    both = figures_for(client, unit=["employment-services", "urban-development"], **PERIOD)
    assert both.json()["totals"]["volume"] == 4


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"unit": "employment-services"}, "unit"),  # not the manager's unit
        ({"request_type": "fishing"}, "request_type"),
        ({"language": "de"}, "language"),
        ({"channel": "pigeon"}, "channel"),
        ({"start": "1.9.2026"}, "start"),
        ({"start": "2026-09-30", "end": "2026-09-01"}, "end"),
        ({"trend": "day"}, "trend"),
        ({"end": "9999-12-31"}, "end"),  # a day past the calendar's end: never a 500
        ({"start": "0001-01-01"}, "start"),
        ({"start": ""}, "start"),  # a parameter without a value
    ],
)
def test_a_filter_that_is_not_valid_is_a_400_naming_it(as_manager, params, field):
    response = figures_for(as_manager, **params)
    assert response.status_code == 400
    assert list(response.json()) == [field]
