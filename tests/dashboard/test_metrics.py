"""The dashboard's figures on a data set small enough to compute every number by hand.

Business hours are 08-16 Helsinki time on Finnish business days. December 2027: Monday 6.12 is
Independence Day; Friday 24.12 is Christmas Eve, then Christmas Day and Boxing Day (a weekend).
January 2028: Saturday 1.1 is New Year's Day, Thursday 6.1 Epiphany.

Every request is made through the workflow services with an explicit clock. The period is
Monday 29.11.2027 - Sunday 2.1.2028 (five weeks); the dashboard is computed on Wednesday
12.1.2028 at 12:00. Policies: the default promises 16 h / 80 h (first response / resolution);
recruitment has its own, 3 h / 24 h.

R1 business-plot, urban, fi, web. Sent Mon 29.11 09:00, answered 11:00: first response 2 h
   (7,200 s). Resolved Tue 30.11 10:00: Mon 09-16 7 h + Tue 08-10 2 h = 9 h (32,400 s). Rated 5.
R2 business-plot, urban, sv, web. Sent Fri 3.12 15:00. Question Tue 7.12 10:00: Fri 1 h + Mon
   (Independence Day) 0 + Tue 08-10 2 h = 3 h (10,800 s). Answered by the requester Thu 9.12
   10:00: paused Tue 6 h + Wed 8 h + Thu 2 h = 16 h. Resolved Fri 10.12 12:00: Fri 1 + Tue 8 +
   Wed 8 + Thu 8 + Fri 4 = 29 h, minus the 16 h pause = 13 h (46,800 s). Reopened Mon 13.12,
   resolved again (the first resolution counts). Rated 2.
R3 zoning, email, fi. Sent Wed 1.12 08:00 to urban, transferred at 09:00 to employment (a
   re-route). Answered Fri 3.12 10:00: Wed 8 + Thu 8 + Fri 2 = 18 h (64,800 s), over 16 h.
   Resolved Tue 7.12 12:00: Wed 8 + Thu 8 + Fri 8 + Mon (holiday) 0 + Tue 4 = 28 h
   (100,800 s). Rated 4.
R4 recruitment, employment, en, phone. Sent Thu 23.12 14:00, answered Mon 27.12 10:00: Thu 2 h
   + (Christmas Eve, the weekend) 0 + Mon 2 h = 4 h (14,400 s), over its 3 h. Resolved Wed 29.12
   16:00: Thu 2 + Mon 8 + Tue 8 + Wed 8 = 26 h (93,600 s), over its 24 h. Not rated.
R5 recruitment, employment, fi. Sent Mon 20.12 08:00; still queued, never answered.
R6 business-plot, urban, fi. Sent Tue 14.12 10:00, answered 10:30: 0.5 h (1,800 s); in progress.
R7 zoning, urban, fi. Sent Wed 29.12 09:00; closed as spam at 10:00, never answered.
Outside the period, for the backlog only:
R8 business-plot, urban. Sent Fri 26.11 10:00; a question on Mon 29.11: awaiting the requester.
R9 business-plot, urban. Sent Mon 10.1.2028 14:00; queued.
R10 recruitment, employment. Sent Tue 4.1.2028 12:00; queued.
R11 zoning, urban. Sent Mon 3.1.2028 08:00; queued.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from crm.models import Membership, Unit
from inquiries import metrics, services
from inquiries.metrics import percentiles as percentiles_module
from inquiries.metrics.percentiles import native_percentiles, portable_percentiles
from inquiries.metrics.periods import PeriodIndex, period_starts
from inquiries.models import Inquiry
from routing.calendar import DEFAULT_CALENDAR as CAL
from routing.models import RequestType, SLAPolicy

from ..factories import UserFactory, submission

pytestmark = pytest.mark.django_db
HEL = ZoneInfo("Europe/Helsinki")
HOUR = 3600


def hel(*args: int) -> datetime:
    return datetime(*args, tzinfo=HEL)


def cont(values: list[int], p: float) -> float:
    """percentile_cont by its definition: h = p(n-1), v[lo] + (v[lo+1] - v[lo]) (h - lo)."""
    ordered = sorted(values)
    h = p * (len(ordered) - 1)
    lo = int(h)
    if lo + 1 == len(ordered):
        return float(ordered[lo])
    return ordered[lo] + (ordered[lo + 1] - ordered[lo]) * (h - lo)


PERIOD = metrics.Filters(start=hel(2027, 11, 29), end=hel(2028, 1, 3), trend_by="week")
NOW = hel(2028, 1, 12, 12)


@pytest.fixture
def employment_handler(other_unit):
    user = UserFactory(username="erkki.employment")
    Membership.objects.create(user=user, unit=other_unit, role=Membership.Role.HANDLER)
    return user


@pytest.fixture
def data(submit, requester, handler, employment_handler, other_unit) -> dict[str, Inquiry]:
    """R1-R11 of the module docstring, made through the services."""
    fast = SLAPolicy.objects.create(name="Fast", first_response_hours=3, resolution_hours=24)
    RequestType.objects.filter(code="recruitment").update(sla_policy=fast)
    urban, employment = handler, employment_handler

    def sent(when: datetime, request_type: str, **fields) -> int:
        return submit(now=when, request_type=request_type, **fields).inquiry.pk

    r1 = sent(hel(2027, 11, 29, 9), "business-plot")
    services.claim_inquiry(inquiry_id=r1, handler=urban, now=hel(2027, 11, 29, 9, 30))
    services.reply_to_inquiry(inquiry_id=r1, handler=urban, body="Hei", now=hel(2027, 11, 29, 11))
    services.resolve_inquiry(inquiry_id=r1, handler=urban, outcome="Ok", now=hel(2027, 11, 30, 10))
    services.rate_inquiry(inquiry_id=r1, contact=requester, rating=5, now=hel(2027, 11, 30, 12))

    r2 = sent(hel(2027, 12, 3, 15), "business-plot", language="sv")
    services.claim_inquiry(inquiry_id=r2, handler=urban, now=hel(2027, 12, 3, 15, 30))
    services.ask_customer(inquiry_id=r2, handler=urban, question="?", now=hel(2027, 12, 7, 10))
    services.add_customer_message(
        inquiry_id=r2, contact=requester, body="Svar", now=hel(2027, 12, 9, 10)
    )
    services.resolve_inquiry(inquiry_id=r2, handler=urban, outcome="Ok", now=hel(2027, 12, 10, 12))
    services.reopen_inquiry(
        inquiry_id=r2, contact=requester, reason="Inte klart", now=hel(2027, 12, 13, 9)
    )
    services.resolve_inquiry(inquiry_id=r2, handler=urban, outcome="Nu", now=hel(2027, 12, 13, 11))
    services.rate_inquiry(inquiry_id=r2, contact=requester, rating=2, now=hel(2027, 12, 14, 9))

    r3 = sent(hel(2027, 12, 1, 8), "zoning", channel="email")
    services.transfer_inquiry(
        inquiry_id=r3, actor=urban, unit=other_unit, reason="Työllisyys", now=hel(2027, 12, 1, 9)
    )
    services.claim_inquiry(inquiry_id=r3, handler=employment, now=hel(2027, 12, 1, 10))
    services.reply_to_inquiry(
        inquiry_id=r3, handler=employment, body="Hei", now=hel(2027, 12, 3, 10)
    )
    services.resolve_inquiry(
        inquiry_id=r3, handler=employment, outcome="Ok", now=hel(2027, 12, 7, 12)
    )
    services.rate_inquiry(inquiry_id=r3, contact=requester, rating=4, now=hel(2027, 12, 8, 9))

    r4 = sent(hel(2027, 12, 23, 14), "recruitment", language="en", channel="phone")
    services.claim_inquiry(inquiry_id=r4, handler=employment, now=hel(2027, 12, 23, 14, 30))
    services.reply_to_inquiry(
        inquiry_id=r4, handler=employment, body="Hi", now=hel(2027, 12, 27, 10)
    )
    services.resolve_inquiry(
        inquiry_id=r4, handler=employment, outcome="Ok", now=hel(2027, 12, 29, 16)
    )

    r5 = sent(hel(2027, 12, 20, 8), "recruitment")

    r6 = sent(hel(2027, 12, 14, 10), "business-plot")
    services.claim_inquiry(inquiry_id=r6, handler=urban, now=hel(2027, 12, 14, 10, 15))
    services.reply_to_inquiry(
        inquiry_id=r6, handler=urban, body="Hei", now=hel(2027, 12, 14, 10, 30)
    )

    r7 = sent(hel(2027, 12, 29, 9), "zoning")
    services.close_inquiry_unactioned(
        inquiry_id=r7, handler=urban, reason="spam", now=hel(2027, 12, 29, 10)
    )

    r8 = sent(hel(2027, 11, 26, 10), "business-plot")
    services.claim_inquiry(inquiry_id=r8, handler=urban, now=hel(2027, 11, 29, 8, 30))
    services.ask_customer(inquiry_id=r8, handler=urban, question="?", now=hel(2027, 11, 29, 9))
    r9 = sent(hel(2028, 1, 10, 14), "business-plot")
    r10 = sent(hel(2028, 1, 4, 12), "recruitment")
    r11 = sent(hel(2028, 1, 3, 8), "zoning")
    ids = [r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11]
    return {f"R{n}": Inquiry.objects.get(pk=pk) for n, pk in enumerate(ids, start=1)}


def test_the_data_set_is_as_described(data):
    # The stored durations the dashboard aggregates, against the hand computations above.
    stored = {
        name: (inquiry.first_response_seconds, inquiry.resolution_seconds, inquiry.unit.code)
        for name, inquiry in data.items()
        if name in {"R1", "R2", "R3", "R4", "R5", "R6", "R7"}
    }
    assert stored == {
        "R1": (2 * HOUR, 9 * HOUR, "urban-development"),
        "R2": (3 * HOUR, 13 * HOUR, "urban-development"),
        "R3": (18 * HOUR, 28 * HOUR, "employment-services"),
        "R4": (4 * HOUR, 26 * HOUR, "employment-services"),
        "R5": (None, None, "employment-services"),
        "R6": (HOUR // 2, None, "urban-development"),
        "R7": (None, None, "urban-development"),
    }
    assert data["R2"].reopen_count == 1 and data["R3"].reroute_count == 1


def test_totals(data):
    dashboard = metrics.compute(PERIOD, now=NOW)
    # Volume: R1-R7 (R8 came before the period, R9-R11 after it).
    assert dashboard.volume == 7
    # First response: 0.5, 2, 3, 4, 18 h (R6, R1, R2, R4, R3); R5 open and unanswered; R7 spam.
    fr = dashboard.first_response
    assert (fr.count, fr.pending) == (5, 1)
    # Median: h = 0.5 * 4 = 2, the third value: 3 h.
    assert fr.median_seconds == 3 * HOUR and fr.median_hours == 3.0
    # p90: h = 0.9 * 4 = 3.6: 4 h + 0.6 * (18 h - 4 h) = 12.4 h (44,640 s).
    assert fr.p90_seconds == 14_400 + (64_800 - 14_400) * (0.9 * 4 - 3)
    assert fr.p90_seconds == pytest.approx(12.4 * HOUR)
    assert fr.p90_seconds == cont([7200, 10800, 64800, 14400, 1800], 0.9)
    # Within target: R1 2 <= 16, R2 3 <= 16, R6 0.5 <= 16; R3 18 > 16; R4 4 > 3 (recruitment).
    assert (fr.within_target, fr.within_target_share) == (3, 3 / 5)
    # Resolution: 9, 13, 26, 28 h (R1, R2, R4, R3); R5 and R6 open and never resolved.
    res = dashboard.resolution
    assert (res.count, res.pending) == (4, 2)
    # Median: h = 1.5: 13 h + 0.5 * (26 h - 13 h) = 19.5 h.
    assert res.median_seconds == 19.5 * HOUR
    # p90: h = 2.7: 26 h + 0.7 * (28 h - 26 h) = 27.4 h.
    assert res.p90_seconds == 93_600 + (100_800 - 93_600) * (0.9 * 3 - 2)
    assert res.p90_seconds == pytest.approx(27.4 * HOUR)
    # Within target: R1, R2 and R3 (28 <= 80); R4 26 > 24 (recruitment).
    assert (res.within_target, res.within_target_share) == (3, 3 / 4)
    # Re-routed: R3 of 7. Reopened: R2 of the 4 resolved.
    assert (dashboard.reroutes.count, dashboard.reroutes.base) == (1, 7)
    assert (dashboard.reopens.count, dashboard.reopens.base, dashboard.reopens.rate) == (1, 4, 0.25)
    # Ratings 5, 2, 4: average 11/3; 4-5: two of three; response rate: 3 rated / 4 resolved.
    satisfaction = dashboard.satisfaction
    assert (satisfaction.rated, satisfaction.resolved) == (3, 4)
    assert satisfaction.average == 11 / 3
    assert (satisfaction.satisfied, satisfaction.satisfied_share) == (2, 2 / 3)
    assert satisfaction.response_rate == 3 / 4


def test_backlog_by_business_days_of_age(data):
    dashboard = metrics.compute(PERIOD, now=NOW)
    # Ages at Wed 12.1.2028 12:00 in business hours (8 h a day):
    # R9 Mon 10.1 14:00: Mon 2 + Tue 8 + Wed 4 = 14 h: 1 day -> 0-2.
    # R10 Tue 4.1 12:00: Tue 4 + Wed 8 + Thu (Epiphany) 0 + Fri 8 + Mon 8 + Tue 8 + Wed 4 = 40 h:
    #     exactly 5 days -> 3-5.
    # R11 Mon 3.1 08:00: 8 more than R10's whole Tuesday... Mon 8 + Tue 8 + Wed 8 + Fri 8 + Mon 8
    #     + Tue 8 + Wed 4 = 52 h: 6 days -> 6-10.
    # R5 Mon 20.12 08:00: Mon-Thu 32 + (Christmas Eve) 0 + Mon-Fri 40 + January 52 = 124 h:
    #     15 days; R6 (14.12) and R8 (26.11) older still -> over 10.
    # R1-R4 and R7 are resolved or closed: not in the backlog.
    assert [(b.label, b.count) for b in dashboard.backlog.buckets] == [
        ("0-2", 1),
        ("3-5", 1),
        ("6-10", 1),
        (">10", 3),
    ]
    assert dashboard.backlog.total == 6
    assert dashboard.backlog.awaiting_requester == 1  # R8


def test_trend_by_week(data):
    dashboard = metrics.compute(PERIOD, now=NOW)
    points = [
        (p.start.isoformat(), p.volume, p.first_response.count, p.first_response.median_seconds)
        for p in dashboard.trend
    ]
    # Week of 29.11: R1, R3, R2 answered in 2, 18, 3 h: median 3 h. Week of 6.12 (Independence
    # Day): nothing sent. 13.12: R6, 0.5 h. 20.12: R5 (unanswered) and R4 (4 h). 27.12: R7 (spam).
    assert points == [
        ("2027-11-29", 3, 3, 3 * HOUR),
        ("2027-12-06", 0, 0, None),
        ("2027-12-13", 1, 1, HOUR / 2),
        ("2027-12-20", 2, 1, 4 * HOUR),
        ("2027-12-27", 1, 0, None),
    ]
    shares = [p.first_response.within_target_share for p in dashboard.trend]
    # 29.11: R1 and R2 within 16 h, R3 not: 2/3. 13.12: R6 within. 20.12: R4 over its 3 h.
    assert shares == [2 / 3, None, 1.0, 0.0, None]
    assert dashboard.trend[3].first_response.pending == 1  # R5


def test_trend_by_month_starts_on_the_first(data):
    filters = metrics.Filters(start=PERIOD.start, end=PERIOD.end, trend_by="month")
    dashboard = metrics.compute(filters, now=NOW)
    # November: R1 (29.11). December: R2-R7. January: the period's last two days, nothing sent.
    assert [(p.start.isoformat(), p.volume) for p in dashboard.trend] == [
        ("2027-11-01", 1),
        ("2027-12-01", 6),
        ("2028-01-01", 0),
    ]
    # December's first responses: 0.5, 3, 4, 18 h: median 3.5 h.
    assert dashboard.trend[1].first_response.median_seconds == 3.5 * HOUR


def test_breakdown_by_unit(data):
    dashboard = metrics.compute(PERIOD, now=NOW)
    rows = {row.code: row.figures for row in dashboard.by_unit}
    assert list(rows) == ["employment-services", "urban-development"]
    employment, urban = rows["employment-services"], rows["urban-development"]
    # Urban development now holds R1, R2, R6, R7 (R3 left it).
    assert urban.volume == 4
    # First responses 0.5, 2, 3 h: median 2 h; p90 h = 1.8: 2 h + 0.8 * 1 h = 2.8 h.
    assert urban.first_response.median_seconds == 2 * HOUR
    assert urban.first_response.p90_seconds == cont([1800, 7200, 10800], 0.9)
    assert urban.first_response.p90_seconds == pytest.approx(2.8 * HOUR)
    assert (urban.first_response.within_target, urban.first_response.pending) == (3, 0)
    # Resolutions 9, 13 h: median 11 h, p90 9 h + 0.9 * 4 h = 12.6 h; R6 not yet resolved.
    assert urban.resolution.median_seconds == 11 * HOUR
    assert urban.resolution.p90_seconds == cont([32400, 46800], 0.9)
    assert (urban.resolution.within_target, urban.resolution.pending) == (2, 1)
    assert (urban.reroutes.count, urban.reopens.count, urban.reopens.base) == (0, 1, 2)
    assert (urban.satisfaction.rated, urban.satisfaction.average) == (2, 3.5)  # 5 and 2
    # Employment services: R3 (transferred in), R4, R5.
    assert employment.volume == 3
    # First responses 4, 18 h: median 11 h; p90 4 + 0.9 * 14 = 16.6 h; both over target.
    assert employment.first_response.median_seconds == 11 * HOUR
    assert employment.first_response.p90_seconds == cont([14400, 64800], 0.9)
    assert (employment.first_response.within_target, employment.first_response.pending) == (0, 1)
    # Resolutions 26, 28 h: median 27 h; within: R3 (28 <= 80), not R4 (26 > 24).
    assert employment.resolution.median_seconds == 27 * HOUR
    assert employment.resolution.within_target == 1
    assert (employment.reroutes.count, employment.reroutes.base) == (1, 3)
    assert (employment.satisfaction.rated, employment.satisfaction.satisfied) == (1, 1)  # R3: 4


def test_breakdown_by_request_type_in_catalogue_order(data):
    dashboard = metrics.compute(PERIOD, now=NOW)
    rows = {row.code: row.figures for row in dashboard.by_request_type}
    assert list(rows) == ["business-plot", "zoning", "recruitment"]
    # business-plot: R1, R2, R6 (answered in 2, 3, 0.5 h: median 2 h). zoning: R3 (18 h), R7.
    # recruitment: R4 (4 h), R5.
    assert [rows[code].volume for code in rows] == [3, 2, 2]
    assert [rows[code].first_response.median_seconds for code in rows] == [
        2 * HOUR,
        18 * HOUR,
        4 * HOUR,
    ]
    assert rows["zoning"].reroutes.count == 1
    assert rows["business-plot"].satisfaction.average == 3.5


def test_breakdown_by_channel_in_the_order_of_the_channels(data):
    dashboard = metrics.compute(PERIOD, now=NOW)
    rows = {row.code: row for row in dashboard.by_channel}
    # Web: R1, R2, R5, R6, R7. E-mail: R3. Phone: R4. No API, visit or event requests.
    assert list(rows) == ["web", "email", "phone"]
    assert [row.name for row in rows.values()] == ["Web form", "E-mail", "Phone"]
    web, email, phone = (rows[code].figures for code in ("web", "email", "phone"))
    assert (web.volume, email.volume, phone.volume) == (5, 1, 1)
    # Web: first responses 0.5, 2, 3 h (median 2 h, p90 2.8 h), R5 pending; resolutions 9 and
    # 13 h (median 11 h), R6 and R5 not yet resolved; R2 reopened; rated 5 and 2.
    assert (web.first_response.count, web.first_response.pending) == (3, 1)
    assert web.first_response.median_seconds == 2 * HOUR
    assert web.first_response.p90_seconds == cont([1800, 7200, 10800], 0.9)
    assert web.resolution.median_seconds == 11 * HOUR
    assert (web.resolution.pending, web.reopens.count, web.satisfaction.average) == (2, 1, 3.5)
    # E-mail: R3, answered after 18 h (over 16), resolved after 28 h, re-routed, rated 4.
    assert email.first_response.median_seconds == email.first_response.p90_seconds == 18 * HOUR
    assert (email.first_response.within_target, email.resolution.within_target) == (0, 1)
    assert (email.reroutes.count, email.satisfaction.rated) == (1, 1)
    # Phone: R4, 4 h and 26 h, both over recruitment's 3 h / 24 h.
    assert (phone.first_response.median_seconds, phone.resolution.median_seconds) == (
        4 * HOUR,
        26 * HOUR,
    )
    assert (phone.first_response.within_target, phone.resolution.within_target) == (0, 0)
    # The rows add up to the totals.
    assert sum(row.figures.volume for row in dashboard.by_channel) == dashboard.volume


def test_one_channel_has_the_totals_figures(data):
    filters = metrics.Filters(start=PERIOD.start, end=PERIOD.end, channels=("web",))
    dashboard = metrics.compute(filters, now=NOW)
    assert [row.code for row in dashboard.by_channel] == ["web"]
    assert dashboard.by_channel[0].figures == dashboard.totals


def test_where_rerouted_requests_went(data):
    dashboard = metrics.compute(PERIOD, now=NOW)
    assert dashboard.flows == (
        metrics.Flow(from_unit="urban-development", to_unit="employment-services", count=1),
    )


def test_filters_narrow(data):
    def volume(**narrowing) -> int:
        filters = metrics.Filters(start=PERIOD.start, end=PERIOD.end, **narrowing)
        return metrics.compute(filters, now=NOW).volume

    assert volume(units=("employment-services",)) == 3  # R3, R4, R5
    assert volume(request_types=("recruitment", "zoning")) == 4  # R3, R4, R5, R7
    assert volume(languages=("sv",)) == 1  # R2
    assert volume(channels=("email", "phone")) == 2  # R3, R4
    assert volume(units=("urban-development",), languages=("fi",)) == 3  # R1, R6, R7
    assert volume(units=()) == 0  # a filter that failed to validate matches nothing
    # One unit: the backlog narrows too (R5 over 10 days, R10 3-5); the transfer went away
    # from urban development, so its flow shows under employment services.
    employment = metrics.compute(
        metrics.Filters(start=PERIOD.start, end=PERIOD.end, units=("employment-services",)),
        now=NOW,
    )
    assert [b.count for b in employment.backlog.buckets] == [0, 1, 0, 1]
    assert len(employment.flows) == 1
    # its one breakdown row has the totals' figures (4 and 18 h: median 11 h)
    assert [row.code for row in employment.by_unit] == ["employment-services"]
    assert employment.by_unit[0].figures == employment.totals
    assert employment.first_response.median_seconds == 11 * HOUR
    urban = metrics.compute(
        metrics.Filters(start=PERIOD.start, end=PERIOD.end, units=("urban-development",)),
        now=NOW,
    )
    assert urban.flows == ()
    # The period: only December's first week (R2 sent Friday 3.12, R3 Wednesday 1.12).
    first_week = metrics.Filters(start=hel(2027, 12, 1), end=hel(2027, 12, 6))
    assert metrics.compute(first_week, now=NOW).volume == 2


def test_within_target_follows_the_policy_as_it_stands(data):
    # given the default promise of a first response tightened from 16 h to 2 h
    SLAPolicy.objects.filter(is_default=True).update(first_response_hours=2)
    # then of 0.5, 2, 3, 18 h (default types) only 0.5 and 2 h are within; R4 (4 h) still over 3 h
    assert metrics.compute(PERIOD, now=NOW).first_response.within_target == 2


def test_request_rows_carry_no_personal_data(data):
    rows = list(metrics.request_rows(PERIOD))
    assert len(rows) == 7
    first = dict(zip(metrics.REQUEST_ROW_COLUMNS, rows[0], strict=True))
    assert first["reference"] == data["R1"].reference
    assert first["unit"] == "urban-development" and first["request_type"] == "business-plot"
    assert (first["first_response_seconds"], first["resolution_seconds"]) == (7200, 32400)
    assert first["rating"] == 5
    assert {"subject", "description", "contact", "email"}.isdisjoint(metrics.REQUEST_ROW_COLUMNS)


def test_query_count_does_not_grow_with_the_data(data, submit):
    with CaptureQueriesContext(connection) as before:
        metrics.compute(PERIOD, now=NOW)
    for day in range(1, 21):
        submit(now=hel(2027, 12, 1) + timedelta(hours=day), request_type="training")
    with CaptureQueriesContext(connection) as after:
        metrics.compute(PERIOD, now=NOW)
    # One GROUP BY for the counts, five for the percentiles (all, by unit, by type, by channel,
    # by week), the backlog, the flows, the names of units and of types (and, on PostgreSQL,
    # SET LOCAL).
    assert len(after) == len(before)
    data_queries = [q for q in before.captured_queries if q["sql"].startswith("SELECT")]
    assert len(data_queries) == 10


def test_percentiles_native_and_portable_agree_on_the_data_set(data, monkeypatch):
    # The same compute() with the percentiles from the portable SQL (on PostgreSQL this
    # compares percentile_cont with it; on SQLite both runs are portable).
    native = metrics.compute(PERIOD, now=NOW)
    monkeypatch.setattr(percentiles_module, "has_native_percentiles", lambda alias: False)
    portable = metrics.compute(PERIOD, now=NOW)
    assert portable == native


def _random_inquiries(count: int, seed: int) -> None:
    """Requests straight into the table: only the columns the percentiles read matter here."""
    rng = random.Random(seed)
    first = services.submit_inquiry(submission=submission(), now=hel(2027, 1, 4, 9)).inquiry
    types = list(RequestType.objects.all()[:3])
    units = list(Unit.objects.all()[:3])
    rows = []
    for number in range(count):
        fr = None if rng.random() < 0.1 else rng.choice([rng.randrange(0, 200_000), 3600, 7200])
        rows.append(
            Inquiry(
                reference=f"T-{seed}-{number}",
                request_type=rng.choice(types),
                unit=rng.choice(units),
                contact=first.contact,
                subject="x",
                description="x",
                submitted_at=hel(2027, 1, 1) + timedelta(minutes=rng.randrange(0, 525_600)),
                first_response_seconds=fr,
                resolution_seconds=rng.randrange(0, 900_000) if rng.random() < 0.8 else None,
            )
        )
    Inquiry.objects.bulk_create(rows)


@pytest.mark.postgres
def test_percentile_cont_and_the_portable_sql_agree_on_postgresql():
    # given 1,500 requests with random durations, ties and gaps, in several groups
    _random_inquiries(1500, seed=7)
    queryset = Inquiry.objects.all()
    fields = ["first_response_seconds", "resolution_seconds"]
    percentiles = (0.5, 0.9, 0.25, 0.99)
    months = period_starts(hel(2027, 1, 1), hel(2028, 1, 1), "month")
    for group in (None, "unit_id", "request_type_id", PeriodIndex("submitted_at", months[1:])):
        # when PostgreSQL's percentile_cont and the portable SQL both take them
        native = native_percentiles(queryset, group, fields, percentiles)
        portable = portable_percentiles(queryset, group, fields, percentiles)
        # then every group's every percentile is the same float, bit for bit
        assert len(native) > 1 or group is None
        assert native == portable


# -- the filters from a query string ---------------------------------------------------------


def test_parse_filters_defaults_to_the_last_90_days(service_manager):
    filters, errors = metrics.parse_filters(QueryDict(""), user=service_manager, now=NOW)
    assert errors == {}
    assert (filters.start, filters.end) == (NOW - timedelta(days=90), NOW)
    assert filters.units is None and filters.trend_by == "week"


def test_parse_filters_reads_days_codes_and_trend(service_manager):
    query = QueryDict(
        "start=2027-11-29&end=2028-01-02&unit=urban-development&unit=posintra"
        "&request_type=zoning&language=sv&channel=email&trend=month"
    )
    filters, errors = metrics.parse_filters(query, user=service_manager, now=NOW)
    assert errors == {}
    assert filters == metrics.Filters(
        start=hel(2027, 11, 29),
        end=hel(2028, 1, 3),  # the end day is included
        units=("urban-development", "posintra"),
        request_types=("zoning",),
        languages=("sv",),
        channels=("email",),
        trend_by="month",
    )


def test_unit_manager_sees_only_their_units(manager, unit):
    filters, errors = metrics.parse_filters({}, user=manager, now=NOW)
    assert errors == {} and filters.units == (unit.code,)
    forged, errors = metrics.parse_filters({"unit": "posintra"}, user=manager, now=NOW)
    assert "unit" in errors and forged.units == ()


def test_handler_is_no_manager_and_sees_no_unit(handler):
    filters, _errors = metrics.parse_filters({}, user=handler, now=NOW)
    assert filters.units == ()


def test_parse_filters_reports_bad_input_and_never_widens(service_manager):
    filters, errors = metrics.parse_filters(
        {"start": "29.11.2027", "language": ["fi", "de"], "trend": "day", "end": "2027-01-01"},
        user=service_manager,
        now=NOW,
    )
    assert set(errors) == {"start", "language", "trend"}
    assert filters.languages == ()
    reversed_, errors = metrics.parse_filters(
        {"start": "2027-12-10", "end": "2027-12-01"}, user=service_manager, now=NOW
    )
    assert "end" in errors


# -- stepping back in business time (routing.calendar.subtract), for the backlog's ages --------


def test_three_business_days_back_from_wednesday_noon_is_friday_noon():
    # Given Wed 12.1.2028 12:00; back 24 h: Wed 08-12 (4) + Tue (8) + Mon (8) + Fri 12-16 (4)
    assert CAL.subtract_days(hel(2028, 1, 12, 12), 3) == hel(2028, 1, 7, 12)
    # and six days (48 h) skip Epiphany, Thu 6.1: Fri 08-12 (4) + Wed (8) + Tue (8) + Mon 12-16
    assert CAL.subtract_days(hel(2028, 1, 12, 12), 6) == hel(2028, 1, 3, 12)


def test_stepping_back_over_christmas_and_independence_day():
    # Given Mon 27.12.2027 10:00; back 4 h: Mon 08-10 (2), then Christmas Eve, the weekend,
    # and Thu 23.12 14-16 (2)
    assert CAL.subtract(hel(2027, 12, 27, 10), timedelta(hours=4)) == hel(2027, 12, 23, 14)
    # Given Tue 7.12.2027 09:00; back 2 h: Tue 08-09 (1), Independence Day, Fri 3.12 15-16 (1)
    assert CAL.subtract(hel(2027, 12, 7, 9), timedelta(hours=2)) == hel(2027, 12, 3, 15)


def test_stepping_back_from_outside_hours_starts_at_the_last_closing():
    # Given Saturday 11.12.2027 12:00; back 1 h is Friday 15:00, back nothing is the moment
    assert CAL.subtract(hel(2027, 12, 11, 12), timedelta(hours=1)) == hel(2027, 12, 10, 15)
    assert CAL.subtract(hel(2027, 12, 11, 12), timedelta(0)) == hel(2027, 12, 11, 12)
    # A whole day back from Monday's opening is the previous Friday's opening (the latest one)
    assert CAL.subtract_days(hel(2027, 12, 13, 8), 1) == hel(2027, 12, 10, 8)
    with pytest.raises(ValueError, match="negative"):
        CAL.subtract(hel(2027, 12, 13, 8), timedelta(seconds=-1))


moments = st.builds(
    lambda day, minute: (
        datetime.combine(day, datetime.min.time(), tzinfo=HEL) + timedelta(minutes=minute)
    ),
    st.dates(min_value=datetime(2024, 1, 1).date(), max_value=datetime(2030, 12, 31).date()),
    st.integers(min_value=0, max_value=24 * 60 - 1),
)
durations = st.integers(min_value=0, max_value=200 * 60).map(lambda m: timedelta(minutes=m))


@given(moments, durations)
def test_subtract_is_the_latest_start_with_that_business_time(end, duration):
    start = CAL.subtract(end, duration)
    # Exactly that much business time lies between, and a minute later start would give less
    assert CAL.between(start, end) == duration
    if duration:
        assert CAL.between(start + timedelta(minutes=1), end) < duration
