"""Business-hours calendar for service levels: pure Python, no Django."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

__all__ = [
    "DEFAULT_CALENDAR",
    "BusinessCalendar",
    "business_time_excluding",
    "shift_due_for_pause",
]

_ZERO = timedelta(0)
_ONE_DAY = timedelta(days=1)


@lru_cache(maxsize=512)
def _holiday_dates(country: str, year: int) -> frozenset[date]:
    """Return the public holidays of a country in a year."""
    days = set(holidays.country_holidays(country, years=year))
    if country == "FI":
        # Offices are closed on Christmas Eve and Midsummer Eve (the Friday from 19 to 25 June).
        # holidays 0.109 lists both for every year; older releases lacked them, so add them here
        # (a no-op with the pinned version).
        days.add(date(year, 12, 24))
        june_19 = date(year, 6, 19)
        days.add(june_19 + timedelta(days=(4 - june_19.weekday()) % 7))
    return frozenset(days)


@lru_cache(maxsize=512)
def _closed_workdays(country: str, year: int, workdays: frozenset[int]) -> tuple[date, ...]:
    """Return the holidays of a year that fall on workdays, sorted."""
    return tuple(sorted(d for d in _holiday_dates(country, year) if d.weekday() in workdays))


@lru_cache(maxsize=512)
def _length_anomalies(
    tz: ZoneInfo, opens: time, closes: time, year: int
) -> tuple[tuple[date, timedelta], ...]:
    """Return the days of a year whose real opening span differs from the wall-clock one."""
    # Non-empty only where a UTC offset change falls inside opening hours (never in Helsinki,
    # which changes at 03:00/04:00); it keeps whole-day sums exact for any zone.
    anomalies = []
    day = date(year, 1, 1)
    while day.year == year:
        open_offset = datetime.combine(day, opens, tzinfo=tz).utcoffset()
        close_offset = datetime.combine(day, closes, tzinfo=tz).utcoffset()
        if open_offset != close_offset:
            anomalies.append((day, open_offset - close_offset))
        day += _ONE_DAY
    return tuple(anomalies)


def _utc(moment: datetime) -> datetime:
    """Convert an aware datetime to UTC, rejecting naive ones."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"expected a timezone-aware datetime, got naive {moment!r}")
    # Arithmetic and comparisons on datetimes sharing a zoneinfo tzinfo are wall-clock and
    # ignore fold, so all internal work is done in UTC.
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class BusinessCalendar:
    """Opening hours on workdays that are not public holidays, in one time zone."""

    tz: ZoneInfo = ZoneInfo("Europe/Helsinki")
    opens: time = time(8)
    closes: time = time(16)
    workdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    country: str = "FI"
    _day_length: timedelta = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Validate the configuration and precompute the nominal day length."""
        if self.opens.tzinfo is not None or self.closes.tzinfo is not None:
            raise ValueError("opens and closes must be naive wall-clock times")
        if not self.opens < self.closes:
            raise ValueError(f"opens ({self.opens}) must be before closes ({self.closes})")
        workdays = frozenset(self.workdays)
        if not workdays or not workdays <= frozenset(range(7)):
            raise ValueError(f"workdays must be a non-empty subset of 0..6, got {self.workdays!r}")
        object.__setattr__(self, "workdays", workdays)
        anchor = date(2000, 1, 3)
        length = datetime.combine(anchor, self.closes) - datetime.combine(anchor, self.opens)
        object.__setattr__(self, "_day_length", length)

    def is_business_day(self, day: date) -> bool:
        """Tell whether a date (an aware datetime counts as its local date) is a business day."""
        if isinstance(day, datetime):
            day = self._local_date(_utc(day))
        return day.weekday() in self.workdays and day not in _holiday_dates(self.country, day.year)

    def is_open(self, moment: datetime) -> bool:
        """Tell whether a moment is within opening hours (opens <= local time < closes)."""
        utc = _utc(moment)
        day = self._local_date(utc)
        if not self.is_business_day(day):
            return False
        opening, closing = self._bounds(day)
        return opening <= utc < closing

    def next_opening(self, moment: datetime) -> datetime:
        """Return the moment itself if open, else the next opening instant."""
        return self._next_opening_utc(_utc(moment)).astimezone(self.tz)

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """Return the earliest instant at which the business time since start equals duration."""
        current = _utc(start)
        if duration < _ZERO:
            raise ValueError(f"duration must not be negative, got {duration!r}")
        if not duration:
            return current.astimezone(self.tz)
        current = self._next_opening_utc(current)
        day = self._local_date(current)
        closing = self._bounds(day)[1]
        remaining = duration
        # Ending exactly at closing time counts as reached (earliest instant), hence ">".
        while remaining > closing - current:
            remaining -= closing - current
            day, remaining = self._skip_whole_days(
                self._next_business_day(day + _ONE_DAY), remaining
            )
            current, closing = self._bounds(day)
        return (current + remaining).astimezone(self.tz)

    def add_hours(self, start: datetime, hours: float) -> datetime:
        """Add business hours given as a number."""
        return self.add(start, timedelta(hours=hours))

    def subtract(self, end: datetime, duration: timedelta) -> datetime:
        """Return the latest instant from which the business time until end equals duration."""
        # The mirror of add(): between(subtract(end, d), end) == d, and any later start gives
        # less. Steps back one business day at a time (ages of days or weeks, not years).
        current = _utc(end)
        if duration < _ZERO:
            raise ValueError(f"duration must not be negative, got {duration!r}")
        if not duration:
            return current.astimezone(self.tz)
        current = self._previous_closing_utc(current)
        day = self._local_date(current)
        opening = self._bounds(day)[0]
        remaining = duration
        # Starting exactly at opening time counts as reached (latest instant), hence ">".
        while remaining > current - opening:
            remaining -= current - opening
            day = self._previous_business_day(day - _ONE_DAY)
            opening, current = self._bounds(day)
        return (current - remaining).astimezone(self.tz)

    def subtract_days(self, end: datetime, days: int) -> datetime:
        """Step back whole business days of opening hours (8 h each by default)."""
        return self.subtract(end, days * self._day_length)

    def between(self, start: datetime, end: datetime) -> timedelta:
        """Return the business time in [start, end], or zero if end is not after start."""
        start_utc, end_utc = _utc(start), _utc(end)
        if end_utc <= start_utc:
            return _ZERO
        first, last = self._local_date(start_utc), self._local_date(end_utc)
        total = self._overlap(first, start_utc, end_utc)
        if last > first:
            total += self._whole_days(first + _ONE_DAY, last)
            total += self._overlap(last, start_utc, end_utc)
        return total

    def _local_date(self, utc: datetime) -> date:
        """Return the local calendar date of a UTC instant."""
        return utc.astimezone(self.tz).date()

    def _bounds(self, day: date) -> tuple[datetime, datetime]:
        """Return the opening and closing instants (UTC) of a date."""
        return (
            datetime.combine(day, self.opens, tzinfo=self.tz).astimezone(UTC),
            datetime.combine(day, self.closes, tzinfo=self.tz).astimezone(UTC),
        )

    def _next_business_day(self, day: date) -> date:
        """Return the first business day on or after a date."""
        while not self.is_business_day(day):
            day += _ONE_DAY
        return day

    def _previous_business_day(self, day: date) -> date:
        """Return the last business day on or before a date."""
        while not self.is_business_day(day):
            day -= _ONE_DAY
        return day

    def _previous_closing_utc(self, utc: datetime) -> datetime:
        """Return a UTC instant itself if open, else the last closing instant before it."""
        day = self._local_date(utc)
        if self.is_business_day(day):
            opening, closing = self._bounds(day)
            if utc > closing:
                return closing
            if utc > opening:
                return utc
        return self._bounds(self._previous_business_day(day - _ONE_DAY))[1]

    def _next_opening_utc(self, utc: datetime) -> datetime:
        """Return a UTC instant itself if open, else the next opening instant in UTC."""
        day = self._local_date(utc)
        if self.is_business_day(day):
            opening, closing = self._bounds(day)
            if utc < opening:
                return opening
            if utc < closing:
                return utc
        return self._bounds(self._next_business_day(day + _ONE_DAY))[0]

    def _overlap(self, day: date, start: datetime, end: datetime) -> timedelta:
        """Return the business time of one date within [start, end] (UTC)."""
        if not self.is_business_day(day):
            return _ZERO
        opening, closing = self._bounds(day)
        low, high = max(start, opening), min(end, closing)
        return high - low if high > low else _ZERO

    def _business_day_count(self, first: date, stop: date) -> int:
        """Count the business days in [first, stop)."""
        if stop <= first:
            return 0
        weeks, rest = divmod((stop - first).days, 7)
        weekday = first.weekday()
        count = weeks * len(self.workdays)
        count += sum(1 for offset in range(rest) if (weekday + offset) % 7 in self.workdays)
        for year in range(first.year, stop.year + 1):
            closed = _closed_workdays(self.country, year, self.workdays)
            count -= bisect_left(closed, stop) - bisect_left(closed, first)
        return count

    def _whole_days(self, first: date, stop: date) -> timedelta:
        """Return the business time of all business days in [first, stop)."""
        total = self._business_day_count(first, stop) * self._day_length
        for year in range(first.year, stop.year + 1):
            for day, delta in _length_anomalies(self.tz, self.opens, self.closes, year):
                if first <= day < stop and self.is_business_day(day):
                    total += delta
        return total

    def _nth_business_day(self, day: date, n: int) -> date:
        """Return the business day n business days after the business day given."""
        # Smallest t with n + 1 business days in [day, t]: gallop for an upper bound, then bisect.
        target = n + 1
        low = day.toordinal()
        step = (n // len(self.workdays) + 1) * 7
        high = low + step
        while self._business_day_count(day, date.fromordinal(high + 1)) < target:
            low, high = high, high + step
        while high - low > 1:
            middle = (low + high) // 2
            if self._business_day_count(day, date.fromordinal(middle + 1)) >= target:
                high = middle
            else:
                low = middle
        return date.fromordinal(high)

    def _skip_whole_days(self, day: date, remaining: timedelta) -> tuple[date, timedelta]:
        """Jump over business days that remaining surely outlasts, leaving under ~2 days."""
        if remaining <= 2 * self._day_length:
            return day, remaining
        target = self._nth_business_day(day, remaining // self._day_length - 1)
        spent = self._whole_days(day, target)
        # A skip that would overshoot (only possible with large DST anomalies) is not taken.
        if spent < remaining:
            return target, remaining - spent
        return day, remaining


DEFAULT_CALENDAR = BusinessCalendar()


def business_time_excluding(
    calendar: BusinessCalendar,
    start: datetime,
    end: datetime,
    pauses: Iterable[tuple[datetime, datetime]],
) -> timedelta:
    """Return business time in [start, end] minus that of the pauses, merged and clipped to it."""
    start_utc, end_utc = _utc(start), _utc(end)
    clipped = sorted(
        (max(_utc(pause_start), start_utc), min(_utc(pause_end), end_utc))
        for pause_start, pause_end in pauses
    )
    paused = _ZERO
    merged: tuple[datetime, datetime] | None = None
    for pause_start, pause_end in clipped:
        if pause_end <= pause_start:
            continue
        if merged is not None and pause_start <= merged[1]:
            merged = (merged[0], max(merged[1], pause_end))
            continue
        if merged is not None:
            paused += calendar.between(*merged)
        merged = (pause_start, pause_end)
    if merged is not None:
        paused += calendar.between(*merged)
    return calendar.between(start_utc, end_utc) - paused


def shift_due_for_pause(
    calendar: BusinessCalendar, due: datetime, pause_start: datetime, pause_end: datetime
) -> datetime:
    """Move a due time by the business time of a pause that began before it."""
    # A pause starting at or after the due time cannot save a target already breached; otherwise
    # additivity of business time makes add(due, P) the new earliest instant.
    if _utc(pause_start) >= _utc(due):
        return _utc(due).astimezone(calendar.tz)
    return calendar.add(due, calendar.between(pause_start, pause_end))
