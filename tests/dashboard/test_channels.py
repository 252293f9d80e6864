"""The dashboard by channel: web, API, e-mail, phone, visit, event; in snapshots too."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.test import Client

from inquiries import metrics
from inquiries.metrics import snapshots
from inquiries.metrics.types import Dashboard
from inquiries.models import DashboardSnapshot
from tests.dashboard.test_dashboard_views import NOW, at, page, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def by_channel(submit):
    """Two web requests, one by e-mail, one recorded from a phone call, one from an event."""
    for channel, day in (("web", 7), ("web", 8), ("email", 8), ("phone", 9), ("event", 10)):
        submit(request_type="business-plot", channel=channel, now=at(day, 9))


def test_the_breakdown_follows_the_order_of_the_channels(by_channel, service_manager):
    filters, _errors = metrics.parse_filters({}, user=service_manager, now=NOW)
    result = metrics.compute(filters, now=NOW)
    assert [(row.code, row.figures.volume) for row in result.by_channel] == [
        ("web", 2),
        ("email", 1),
        ("phone", 1),
        ("event", 1),
    ]


def test_a_snapshot_keeps_the_channels(by_channel, service_manager):
    filters, _errors = metrics.parse_filters({}, user=service_manager, now=NOW)
    computed = metrics.compute(filters, now=NOW)
    stored = snapshots.to_json(computed)
    assert [row["code"] for row in stored["by_channel"]] == ["web", "email", "phone", "event"]
    assert snapshots.from_json(Dashboard, stored) == computed


def test_a_snapshot_stored_before_channels_were_counted_still_reads(by_channel, service_manager):
    # given a snapshot written by the previous version: no by_channel in its figures
    filters, _errors = metrics.parse_filters({}, user=service_manager, now=NOW)
    stored = snapshots.to_json(metrics.compute(filters, now=NOW))
    del stored["by_channel"]
    # when it is read back, then it has no channel rows and everything else
    restored = snapshots.from_json(Dashboard, stored)
    assert restored.by_channel == () and restored.volume == 5


def test_the_page_shows_the_channels_in_the_readers_language(by_channel, service_manager):
    # given figures computed (in Finnish) by beat, read by a Swedish service manager
    metrics.refresh_snapshots(now=NOW)
    assert DashboardSnapshot.objects.exists()
    html = page(sign_in(Client(), service_manager, language="sv"))
    table = re.search(r'id="chart-channels-table-caption".*?</table>', html, re.S).group(0)
    rows = re.findall(r'<th scope="row">([^<]+)</th>\s*<td>(\d+)</td>', table)
    assert rows == [("Webbformulär", "2"), ("E-post", "1"), ("Telefon", "1"), ("Evenemang", "1")]
    assert 'id="chart-channels"' in html


def test_the_channel_filter_narrows_the_breakdown_too(by_channel, service_manager):
    html = page(sign_in(Client(), service_manager), channel=["phone", "event"])
    table = re.search(r'id="chart-channels-table-caption".*?</table>', html, re.S).group(0)
    assert re.findall(r'<th scope="row">([^<]+)</th>', table) == ["Phone", "Event"]
