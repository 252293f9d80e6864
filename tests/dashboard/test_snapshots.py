"""Dashboards computed ahead: served while young, recomputed on demand and by beat, never wider."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from crm.models import Unit
from inquiries import metrics
from inquiries.metrics import snapshots
from inquiries.metrics.types import Dashboard
from inquiries.models import DashboardSnapshot
from inquiries.tasks import refresh_dashboards
from tests.dashboard.test_dashboard_views import (
    FIGURES_CSV,
    NOW,
    at,
    csv_rows,
    page,
    sign_in,
    streamed,
)

pytestmark = pytest.mark.django_db

AGE = timedelta(minutes=10)  # DASHBOARD_SNAPSHOT_SECONDS in the settings


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def volume(html: str) -> str:
    match = re.search(r'<li class="dash-card">\s*<h3>Requests</h3>\s*<p[^>]*>([^<]*)<', html)
    assert match, "no volume card"
    return match.group(1).strip()


def computed(html: str) -> str:
    match = re.search(r"computed ([^<]*)</span>", html)
    assert match, "no computing time"
    return match.group(1)


def test_a_dashboard_survives_json_unchanged(data_set):
    filters, _errors = metrics.parse_filters({}, user=_service_manager(), now=NOW)
    computed = metrics.compute(filters, now=NOW)
    assert computed.volume == 4
    stored = snapshots.to_json(computed)
    assert snapshots.from_json(Dashboard, stored) == computed


def test_the_page_serves_its_snapshot_until_it_is_ten_minutes_old(
    client, data_set, service_manager, submit, frozen_clock
):
    sign_in(client, service_manager)
    first = page(client)
    assert volume(first) == "4"
    submit(request_type="recruitment", now=at(21, 9))
    frozen_clock.shift(timedelta(minutes=9))
    html = page(client)
    assert volume(html) == "4", "younger than ten minutes: the snapshot"
    assert computed(html) == computed(first), "and it says when it was computed"
    frozen_clock.shift(timedelta(minutes=1, seconds=1))
    assert volume(page(client)) == "5", "older: computed again"


def test_a_reader_may_ask_for_a_new_computation(client, data_set, service_manager, submit):
    sign_in(client, service_manager)
    html = page(client)
    assert volume(html) == "4"
    link = re.search(r'<a href="\?([^"]*)">compute again now</a>', html)
    assert link and "recompute=1" in link.group(1)
    submit(request_type="recruitment", now=at(21, 9))
    assert volume(page(client, recompute="1")) == "5"
    assert volume(page(client)) == "5", "the new computation is the snapshot now"
    links = page(client, language="fi", recompute="1")
    exports = re.findall(r'href="/staff/dashboard/[a-z]+\.csv\?([^"]*)"', links)
    assert exports == ["language=fi", "language=fi"], "the downloads never ask to recompute"


def test_the_last_90_days_are_one_snapshot_whatever_the_minute(data_set, frozen_clock):
    manager = _service_manager()
    first, _ = metrics.parse_filters({}, user=manager, now=NOW)
    later = NOW + timedelta(minutes=3)
    second, _ = metrics.parse_filters({}, user=manager, now=later)
    spec = snapshots.spec_of(first, now=NOW)
    assert spec == snapshots.spec_of(second, now=later)
    assert spec["days"] == 90
    assert snapshots.filters_of(spec, now=later) == second
    fixed, _ = metrics.parse_filters(
        {"start": "2026-09-01", "end": "2026-09-10"}, user=manager, now=NOW
    )
    fixed_spec = snapshots.spec_of(fixed, now=NOW)
    assert snapshots.filters_of(fixed_spec, now=later) == fixed
    assert snapshots.key_of(fixed_spec) != snapshots.key_of(spec)


def test_a_unit_manager_never_gets_the_figures_of_other_units(
    client, data_set, service_manager, manager
):
    sign_in(client, service_manager)
    assert volume(page(client)) == "4"  # all units, stored as a snapshot
    sign_in(client, manager)  # urban development only
    assert volume(page(client)) == "2"
    refused = page(client, unit="employment-services")
    assert "Not one of your units: employment-services." in refused
    assert "No requests in this period." in refused
    assert DashboardSnapshot.objects.count() == 3


def test_names_are_in_the_readers_language_whoever_computed_them(client, data_set, service_manager):
    with translation.override("fi"):
        metrics.refresh_snapshots(now=NOW)
    sign_in(client, service_manager, language="sv")
    html = page(client)
    swedish = Unit.objects.get(code="urban-development").name_sv
    assert f'<th scope="row">{swedish}</th>' in html


def test_the_figures_csv_uses_the_same_snapshot(client, data_set, service_manager, submit):
    sign_in(client, service_manager)
    page(client)
    submit(request_type="recruitment", now=at(21, 9))
    rows = csv_rows(streamed(client.get(FIGURES_CSV)))
    totals = {row[3]: row[4] for row in rows if row[0] == "total"}
    assert totals["volume"] == "4"


def test_beat_refreshes_the_usual_views_and_those_opened_lately(
    data_set, submit, frozen_clock, service_manager
):
    units = Unit.objects.count()
    assert refresh_dashboards.delay().get() == 2 * (units + 1)  # 90 days and 12 months
    assert metrics.refresh_snapshots(now=NOW) == 0, "all fresh: no work twice"
    # A view someone opened: a fixed period, Swedish requests only.
    filters, _ = metrics.parse_filters(
        {"language": "sv", "start": "2026-09-01", "end": "2026-09-30"},
        user=service_manager,
        now=NOW,
    )
    assert metrics.dashboard_for(filters, now=NOW).volume == 1
    submit(request_type="business-plot", language="sv", now=at(21, 9))
    frozen_clock.shift(timedelta(minutes=6))
    later = NOW + timedelta(minutes=6)
    assert metrics.refresh_snapshots(now=later) == 2 * (units + 1) + 1
    assert metrics.dashboard_for(filters, now=later).volume == 2, "refreshed by beat"
    # Nobody opens it for a week: it is forgotten; the usual views stay.
    frozen_clock.shift(timedelta(days=8))
    metrics.refresh_snapshots(now=later + timedelta(days=8))
    keys = set(DashboardSnapshot.objects.values_list("key", flat=True))
    assert snapshots.key_of(snapshots.spec_of(filters, now=NOW)) not in keys
    assert len(keys) == 2 * (units + 1)


def test_a_snapshot_is_read_in_a_constant_number_of_queries(
    client, data_set, service_manager, submit
):
    sign_in(client, service_manager)
    page(client)
    counts = []
    for _round in range(2):
        with CaptureQueriesContext(connection) as queries:
            page(client)
        counts.append(len(queries))
        for _ in range(10):
            submit(request_type="recruitment", now=at(21, 9))
    assert counts[0] == counts[1]


@pytest.mark.parametrize(("days", "shown"), [("30", "Last 30 days"), ("365", "Last 12 months")])
def test_presets_choose_the_last_days_up_to_now(client, data_set, service_manager, days, shown):
    sign_in(client, service_manager)
    html = page(client, days=days)
    assert re.search(
        rf'<a href="\?days={days}&amp;trend=\w+" aria-current="true">{shown}</a>', html
    )
    filters, errors = metrics.parse_filters({"days": days}, user=service_manager, now=NOW)
    assert not errors and filters.end - filters.start == timedelta(days=int(days))


@pytest.mark.parametrize("days", ["0", "731", "x", "-5"])
def test_a_wrong_number_of_days_is_reported(client, service_manager, days):
    sign_in(client, service_manager)
    html = page(client, days=days)
    assert "Enter a number of days from 1 to 730." in html


def _service_manager():
    from tests.factories import UserFactory

    return UserFactory(is_service_manager=True)
