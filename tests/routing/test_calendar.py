"""Business-hours calendar: 08:00-16:00 Helsinki, Monday to Friday, minus Finnish holidays."""

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routing.calendar import (
    DEFAULT_CALENDAR,
    BusinessCalendar,
    business_time_excluding,
    shift_due_for_pause,
)

HEL = ZoneInfo("Europe/Helsinki")
CAL = DEFAULT_CALENDAR
MICROSECOND = timedelta(microseconds=1)


def hel(*args: int) -> datetime:
    return datetime(*args, tzinfo=HEL)


def hours(value: float) -> timedelta:
    return timedelta(hours=value)


# --- Example-based -------------------------------------------------------------------------------


def test_sixteen_hours_from_monday_morning_end_at_tuesday_closing():
    # Given Monday 7.9.2026 08:00 (an ordinary week)
    # When 16 business hours are added: Mon 08-16 (8h) + Tue 08-16 (8h)
    due = CAL.add(hel(2026, 9, 7, 8), hours(16))
    # Then the due time is the earliest such instant, Tuesday 16:00, not Wednesday 08:00
    assert due == hel(2026, 9, 8, 16)


def test_friday_afternoon_plus_two_hours_is_monday_nine():
    # Given Friday 11.9.2026 15:00; when 2h are added: Fri 15-16 (1h) + Mon 08-09 (1h)
    due = CAL.add(hel(2026, 9, 11, 15), hours(2))
    # Then Monday 14.9.2026 09:00
    assert due == hel(2026, 9, 14, 9)


def test_saturday_submission_starts_the_clock_on_monday_morning():
    # Given a request submitted on Saturday 12.9.2026 10:30
    saturday = hel(2026, 9, 12, 10, 30)
    # Then the office is closed, the clock starts Monday 14.9. 08:00, and 1h later is 09:00
    assert not CAL.is_open(saturday)
    assert CAL.next_opening(saturday) == hel(2026, 9, 14, 8)
    assert CAL.add(saturday, hours(1)) == hel(2026, 9, 14, 9)
    assert CAL.between(saturday, hel(2026, 9, 14, 8)) == timedelta(0)


def test_evening_submission_plus_one_hour_is_next_morning_nine():
    # Given Tuesday 8.9.2026 17:30 (after closing); when 1h is added: Wed 08-09
    due = CAL.add(hel(2026, 9, 8, 17, 30), hours(1))
    # Then Wednesday 9.9.2026 09:00
    assert due == hel(2026, 9, 9, 9)


def test_christmas_2026_is_skipped():
    # Given Wed 23.12.2026 15:00; Thu 24 (Christmas Eve), Fri 25 (Christmas Day),
    # Sat 26 (Boxing Day) and Sun 27 are closed
    # When 2h are added: Wed 15-16 (1h) + Mon 28.12 08-09 (1h)
    due = CAL.add(hel(2026, 12, 23, 15), hours(2))
    # Then Monday 28.12.2026 09:00
    assert due == hel(2026, 12, 28, 9)
    assert not any(CAL.is_business_day(date(2026, 12, day)) for day in (24, 25, 26, 27))


def test_new_year_2027_is_skipped():
    # Given Thu 31.12.2026 12:00; Fri 1.1.2027 is New Year's Day, then a weekend
    # When 8h are added: Thu 12-16 (4h) + Mon 4.1.2027 08-12 (4h)
    due = CAL.add(hel(2026, 12, 31, 12), hours(8))
    # Then Monday 4.1.2027 12:00
    assert due == hel(2027, 1, 4, 12)


def test_midsummer_eve_and_day_2027_are_closed():
    # Given Thu 24.6.2027 14:00; Fri 25.6 is Midsummer Eve, Sat 26.6 Midsummer Day
    # When 4h are added: Thu 14-16 (2h) + Mon 28.6 08-10 (2h)
    due = CAL.add(hel(2027, 6, 24, 14), hours(4))
    # Then Monday 28.6.2027 10:00
    assert due == hel(2027, 6, 28, 10)
    assert not CAL.is_business_day(date(2027, 6, 25))
    assert not CAL.is_open(hel(2027, 6, 25, 12))


def test_easter_2027_good_friday_and_easter_monday_are_closed():
    # Given Thu 25.3.2027 12:00; Fri 26.3 Good Friday, Mon 29.3 Easter Monday (and DST starts
    # on Easter Sunday 28.3)
    # When 8h are added: Thu 12-16 (4h) + Tue 30.3 08-12 (4h)
    due = CAL.add(hel(2027, 3, 25, 12), hours(8))
    # Then Tuesday 30.3.2027 12:00 EEST, which is 09:00 UTC
    assert due == hel(2027, 3, 30, 12)
    assert due.astimezone(UTC) == datetime(2027, 3, 30, 9, tzinfo=UTC)
    assert not CAL.is_business_day(date(2027, 3, 26))
    assert not CAL.is_business_day(date(2027, 3, 29))


def test_independence_day_on_a_weekday_is_closed():
    # Given Fri 3.12.2027 15:00; Mon 6.12.2027 is Independence Day
    # When 2h are added: Fri 15-16 (1h) + Tue 7.12 08-09 (1h)
    due = CAL.add(hel(2027, 12, 3, 15), hours(2))
    # Then Tuesday 7.12.2027 09:00
    assert due == hel(2027, 12, 7, 9)
    assert not CAL.is_business_day(date(2027, 12, 6))


def test_calendar_closes_on_christmas_eve_and_midsummer_eve_every_year():
    # Given every year the property tests touch
    for year in range(2024, 2032):
        # Then Christmas Eve and Midsummer Eve (the Friday from 19 to 25 June) are closed
        midsummer_eve = next(
            date(year, 6, d) for d in range(19, 26) if date(year, 6, d).weekday() == 4
        )
        assert not CAL.is_business_day(date(year, 12, 24))
        assert not CAL.is_business_day(midsummer_eve)


def test_spring_dst_change_keeps_business_days_eight_real_hours():
    # Given Fri 27.3.2026 12:00 EET (UTC+2); clocks go forward on Sun 29.3.2026
    # When 8h are added: Fri 12-16 (4h) + Mon 30.3 08-12 EEST (4h)
    due = CAL.add(hel(2026, 3, 27, 12), hours(8))
    # Then Monday 12:00 EEST = 09:00 UTC
    assert due == hel(2026, 3, 30, 12)
    assert due.astimezone(UTC) == datetime(2026, 3, 30, 9, tzinfo=UTC)
    # And Fri 08:00 -> Mon 16:00 is exactly 2 x 8h = 16h
    assert CAL.between(hel(2026, 3, 27, 8), hel(2026, 3, 30, 16)) == hours(16)


def test_autumn_dst_change_keeps_business_days_eight_real_hours():
    # Given Fri 23.10.2026 12:00 EEST (UTC+3); clocks go back on Sun 25.10.2026
    # When 8h are added: Fri 12-16 (4h) + Mon 26.10 08-12 EET (4h)
    due = CAL.add(hel(2026, 10, 23, 12), hours(8))
    # Then Monday 12:00 EET = 10:00 UTC
    assert due == hel(2026, 10, 26, 12)
    assert due.astimezone(UTC) == datetime(2026, 10, 26, 10, tzinfo=UTC)
    # And Fri 08:00 -> Mon 16:00 is exactly 16h
    assert CAL.between(hel(2026, 10, 23, 8), hel(2026, 10, 26, 16)) == hours(16)


def test_utc_inputs_are_read_as_helsinki_wall_clock():
    # Given Monday 7.9.2026 05:00 UTC = 08:00 EEST (opening)
    start = datetime(2026, 9, 7, 5, tzinfo=UTC)
    # When 1h is added
    due = CAL.add(start, hours(1))
    # Then the result is 09:00 Helsinki, expressed in Helsinki time
    assert due == hel(2026, 9, 7, 9)
    assert due.tzinfo == HEL
    # And 13:00 UTC = 16:00 EEST is already closed, 12:59:59 UTC is open
    assert not CAL.is_open(datetime(2026, 9, 7, 13, tzinfo=UTC))
    assert CAL.is_open(datetime(2026, 9, 7, 12, 59, 59, tzinfo=UTC))
    # And in winter 06:00 UTC = 08:00 EET; Mon 11.1.2027 06:00 -> 14:00 UTC is a whole 8h day
    assert CAL.between(
        datetime(2027, 1, 11, 6, tzinfo=UTC), datetime(2027, 1, 11, 14, tzinfo=UTC)
    ) == hours(8)


@pytest.mark.parametrize(
    "call",
    [
        lambda naive: CAL.add(naive, hours(1)),
        lambda naive: CAL.add_hours(naive, 1),
        lambda naive: CAL.between(naive, hel(2026, 9, 7, 9)),
        lambda naive: CAL.between(hel(2026, 9, 7, 9), naive),
        lambda naive: CAL.is_open(naive),
        lambda naive: CAL.next_opening(naive),
        lambda naive: shift_due_for_pause(CAL, naive, hel(2026, 9, 7, 9), hel(2026, 9, 7, 10)),
        lambda naive: business_time_excluding(CAL, naive, hel(2026, 9, 8, 9), []),
    ],
)
def test_naive_datetimes_are_rejected(call):
    # Given a naive datetime; then every operation refuses it
    with pytest.raises(ValueError, match="timezone-aware"):
        call(datetime(2026, 9, 7, 8))


def test_negative_duration_is_rejected():
    with pytest.raises(ValueError, match="negative"):
        CAL.add(hel(2026, 9, 7, 8), timedelta(seconds=-1))


def test_zero_duration_returns_the_start_even_outside_hours():
    # Given Saturday 12.9.2026 10:00; then adding nothing is the start itself (zero elapsed)
    assert CAL.add(hel(2026, 9, 12, 10), timedelta(0)) == hel(2026, 9, 12, 10)


def test_between_with_end_before_start_is_zero():
    assert CAL.between(hel(2026, 9, 8, 12), hel(2026, 9, 7, 12)) == timedelta(0)
    assert CAL.between(hel(2026, 9, 8, 12), hel(2026, 9, 8, 12)) == timedelta(0)


def test_eighty_business_hours_are_ten_business_days():
    # Given Monday 7.9.2026 08:00 and two ordinary weeks
    # When 80h = 10 x 8h are added
    due = CAL.add(hel(2026, 9, 7, 8), hours(80))
    # Then Friday of the next week, 18.9.2026, at closing
    assert due == hel(2026, 9, 18, 16)
    assert CAL.add_hours(hel(2026, 9, 7, 8), 80) == due
    assert CAL.between(hel(2026, 9, 7, 8), due) == hours(80)


def test_microseconds_are_exact():
    # Given Mon 7.9.2026 15:59:59.999999; then 2 µs later is Tue 08:00:00.000001
    due = CAL.add(hel(2026, 9, 7, 15, 59, 59, 999_999), timedelta(microseconds=2))
    assert due == hel(2026, 9, 8, 8, 0, 0, 1)


def test_a_year_of_business_time_2027():
    # Given 2027: 261 weekdays, minus the holidays on weekdays: 1.1 Fri, 6.1 Wed, 26.3 Good Fri,
    # 29.3 Easter Mon, 6.5 Ascension Thu, 25.6 Midsummer Eve Fri, 6.12 Mon, 24.12 Fri
    # (1.5, 26.6, 6.11, 25.12, 26.12 fall on weekends) = 253 days x 8h = 2024h
    total = CAL.between(hel(2027, 1, 1), hel(2028, 1, 1))
    assert total == hours(253 * 8)


def test_pauses_are_merged_and_clipped():
    # Given Mon 7.9.2026 08:00 -> Tue 8.9. 16:00 (16h) and pauses
    # Mon 07:00-09:00 (clipped to 08:00-09:00: 1h), Mon 10:00-12:00 and Mon 11:00-13:00
    # (merged 10:00-13:00: 3h), and Tue 15:00-18:00 (clipped to 15:00-16:00: 1h)
    pauses = [
        (hel(2026, 9, 7, 10), hel(2026, 9, 7, 12)),
        (hel(2026, 9, 7, 7), hel(2026, 9, 7, 9)),
        (hel(2026, 9, 7, 11), hel(2026, 9, 7, 13)),
        (hel(2026, 9, 8, 15), hel(2026, 9, 8, 18)),
    ]
    # Then 16h - 1h - 3h - 1h = 11h
    assert business_time_excluding(CAL, hel(2026, 9, 7, 8), hel(2026, 9, 8, 16), pauses) == hours(
        11
    )


def test_pause_after_the_due_time_does_not_move_it():
    # Given a due time Tue 8.9.2026 12:00 and a pause starting at it; then the due time stays
    due = hel(2026, 9, 8, 12)
    assert shift_due_for_pause(CAL, due, due, hel(2026, 9, 9, 12)) == due


def test_pause_before_the_due_time_moves_it_by_its_business_time():
    # Given a due time Tue 8.9.2026 12:00 and a pause Fri 4.9. 15:00 -> Mon 7.9. 09:00
    # (Fri 15-16 + Mon 08-09 = 2h of business time)
    shifted = shift_due_for_pause(CAL, hel(2026, 9, 8, 12), hel(2026, 9, 4, 15), hel(2026, 9, 7, 9))
    # Then the due time moves 2 business hours to Tue 14:00
    assert shifted == hel(2026, 9, 8, 14)


def test_calendar_is_configurable_and_validated():
    # Given a six-day week 09:00-17:00 in UTC; then Saturday is a business day
    saturday_shop = BusinessCalendar(
        tz=ZoneInfo("UTC"), opens=time(9), closes=time(17), workdays=frozenset(range(6))
    )
    assert saturday_shop.add(datetime(2026, 9, 12, 16, tzinfo=UTC), hours(2)) == datetime(
        2026, 9, 14, 10, tzinfo=UTC
    )
    with pytest.raises(ValueError):
        BusinessCalendar(opens=time(16), closes=time(8))
    with pytest.raises(ValueError):
        BusinessCalendar(workdays=frozenset())


# --- Property-based ------------------------------------------------------------------------------

PROPERTIES = settings(max_examples=300, deadline=None)

moments = st.one_of(
    st.datetimes(
        min_value=datetime(2024, 1, 1),
        max_value=datetime(2030, 12, 31, 23, 59, 59, 999_999),
        timezones=st.sampled_from([HEL, UTC]),
    ),
    # Exact boundaries are where off-by-one bugs live.
    st.builds(
        lambda day, wall: datetime.combine(day, wall, tzinfo=HEL),
        st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)),
        st.sampled_from([time(0), time(8), time(12), time(16), time(15, 59, 59, 999_999)]),
    ),
)
durations = st.one_of(
    st.integers(min_value=0, max_value=400).map(hours),
    st.integers(min_value=0, max_value=400 * 3600).map(lambda s: timedelta(seconds=s)),
    st.timedeltas(min_value=timedelta(0), max_value=hours(400)),
)
positive_durations = durations.filter(bool)


@cache
def finnish_holidays(year: int) -> holidays.HolidayBase:
    return holidays.Finland(years=year)


def reference_between(start: datetime, end: datetime) -> timedelta:
    """Sum business time day by day, straight from the holidays package and zoneinfo."""
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    total = timedelta(0)
    day = start.astimezone(HEL).date()
    while day <= end.astimezone(HEL).date():
        if day.weekday() < 5 and day not in finnish_holidays(day.year):
            opening = datetime.combine(day, time(8), tzinfo=HEL).astimezone(UTC)
            closing = datetime.combine(day, time(16), tzinfo=HEL).astimezone(UTC)
            total += max(timedelta(0), min(end, closing) - max(start, opening))
        day += timedelta(days=1)
    return total


def is_closing_time(moment: datetime) -> bool:
    local = moment.astimezone(HEL)
    return local.time() == time(16) and CAL.is_business_day(local.date())


@PROPERTIES
@given(moments, durations, durations)
def test_add_is_associative(start, a, b):
    # add(t, 0) = t, so this also holds when a or b is zero, even outside hours
    assert CAL.add(CAL.add(start, a), b) == CAL.add(start, a + b)


@PROPERTIES
@given(moments, durations)
def test_between_inverts_add(start, duration):
    assert CAL.between(start, CAL.add(start, duration)) == duration


@PROPERTIES
@given(moments, positive_durations)
def test_add_lands_in_hours_or_exactly_at_closing(start, duration):
    due = CAL.add(start, duration)
    assert due.tzinfo == HEL
    assert CAL.is_open(due) or is_closing_time(due)


@PROPERTIES
@given(moments, moments, moments)
def test_between_is_additive(a, b, c):
    a, b, c = sorted([a, b, c], key=lambda moment: moment.astimezone(UTC))
    assert CAL.between(a, c) == CAL.between(a, b) + CAL.between(b, c)


@PROPERTIES
@given(moments, positive_durations, durations)
def test_add_is_monotonic_and_earliest(start, duration, extra):
    due = CAL.add(start, duration)
    assert CAL.add(start, duration + extra).astimezone(UTC) >= due.astimezone(UTC)
    assert CAL.between(start, due.astimezone(UTC) - MICROSECOND) < duration


@PROPERTIES
@given(moments, st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=400)))
def test_between_matches_a_day_by_day_reference(start, span):
    end = start.astimezone(UTC) + span
    assert CAL.between(start, end) == reference_between(start, end)


@PROPERTIES
@given(moments, positive_durations, st.floats(0, 1), durations)
def test_shifted_due_time_gives_back_the_target_excluding_the_pause(
    start, target, pause_position, pause_length
):
    # Given a due time and a pause starting in [start, due) and lasting some real time
    due = CAL.add(start, target)
    start_utc, due_utc = start.astimezone(UTC), due.astimezone(UTC)
    pause_start = start_utc + (due_utc - start_utc) * pause_position
    if pause_start >= due_utc:
        pause_start = due_utc - MICROSECOND
    pause_end = pause_start + pause_length * 3
    # When the due time is shifted for the pause
    shifted = shift_due_for_pause(CAL, due, pause_start, pause_end)
    # Then the business time up to it, excluding the pause, is exactly the target
    assert business_time_excluding(CAL, start, shifted, [(pause_start, pause_end)]) == target
