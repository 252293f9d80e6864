"""Issue 8, item 5: no page or job runs more queries when there are more requests.

The benchmark's own seeder (COPY) and scenarios (bench/): each page and job is counted at
2,000 and again at 20,000 requests, on the same request, company and searches. A query per row
(an N+1) or per request in the database makes the second count larger. No timing here.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from bench import scenarios, seed
from bench.catalogue import build_catalogue
from bench.measure import count_queries
from inquiries.models import Inquiry, Message, TransitionLog

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

SMALL, LARGE, MONTHS = 2_000, 20_000, 24


def _counts(personas, targets, now) -> dict[str, int]:
    counted = {}
    for scenario in scenarios.page_scenarios(personas, targets, scan_at=now):
        scenario.run()  # warm: sessions, content types, the dashboard's snapshot
        counted[scenario.name], _queries = count_queries(scenario.run)
    return counted


def test_query_counts_do_not_grow_with_the_number_of_requests():
    # given 2,000 requests over two years, seeded as the benchmark seeds them
    now = timezone.now()
    catalogue = build_catalogue(requests=LARGE, seed_value=1)

    def grow_to(total: int, seed_value: int) -> None:
        more = total - Inquiry.objects.count()
        seed.seed_requests(
            count=more,
            months=MONTHS,
            now=now,
            catalogue=catalogue,
            with_logs=True,
            with_messages=True,
            seed=seed_value,
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    grow_to(SMALL, seed_value=1)
    personas = scenarios.make_personas()
    targets = scenarios.find_targets(personas, now=now, csv_rows=500)
    small = _counts(personas, targets, now)
    # when there are ten times as many
    grow_to(LARGE, seed_value=2)
    large = _counts(personas, targets, now)
    # then every page and job runs as many queries as before
    assert Inquiry.objects.count() >= LARGE  # and the few the submission scenario added
    assert large == small
    assert set(small) >= {
        "queue, first page",
        "request page",
        "company view",
        "dashboard, 12 months (snapshot)",
        "CSV export of the requests",
        "SLA scan (beat job)",
        "submission API (POST)",
    }


def test_the_seeded_data_looks_like_the_issue_asks():
    # given the benchmark's catalogue and 3,000 requests
    now = timezone.now()
    catalogue = build_catalogue(requests=3_000, seed_value=3)
    counts = seed.seed_requests(
        count=3_000,
        months=MONTHS,
        now=now,
        catalogue=catalogue,
        with_logs=True,
        with_messages=True,
        seed=3,
    )
    # then about 6 log rows and 3 messages each, most closed, some open, in three languages
    assert 5.0 <= TransitionLog.objects.count() / counts.inquiries <= 7.0
    assert 2.3 <= Message.objects.count() / counts.inquiries <= 3.5
    assert 0 < Inquiry.objects.open().count() == counts.open < counts.inquiries * 0.1
    assert set(Inquiry.objects.values_list("language", flat=True).distinct()) == {"fi", "sv", "en"}
    assert Inquiry.objects.filter(company__isnull=False).count() > counts.inquiries / 2
    # and the references continue where the seeded ones end: a new submission is numbered next
    year = timezone.localtime(now).year
    ours = Inquiry.objects.filter(reference__startswith=f"BP-{year}-").order_by("-reference")
    last = ours.values_list("reference", flat=True).first()
    submitted = scenarios.Submissions().run()
    assert last is not None and submitted > last
