"""The dashboard's figures as plain, frozen values: what `compute` returns and the page shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

TrendBy = Literal["week", "month"]

SECONDS_PER_HOUR = 3600


def _share(part: int, whole: int) -> float | None:
    """Return part / whole, or None when there is nothing to divide by."""
    return part / whole if whole else None


def _hours(seconds: float | None) -> float | None:
    return None if seconds is None else seconds / SECONDS_PER_HOUR


@dataclass(frozen=True)
class Filters:
    """What the dashboard counts: requests submitted in [start, end), narrowed by the rest.

    For units, request types, languages and channels, None means "no narrowing" and a tuple
    means "only these" (an empty tuple matches nothing: a filter that failed to validate never
    widens the result). Units and request types are codes; languages fi/sv/en; channels as
    `Inquiry.Channel`.
    """

    start: datetime
    end: datetime
    units: tuple[str, ...] | None = None
    request_types: tuple[str, ...] | None = None
    languages: tuple[str, ...] | None = None
    channels: tuple[str, ...] | None = None
    trend_by: TrendBy = "week"


@dataclass(frozen=True)
class Durations:
    """First response or resolution times of the period's requests, in business time.

    `count` requests have the duration; `pending` are still open without it ("not yet
    answered" / "not yet resolved") and are left out of the statistics. Median and p90 are
    linear-interpolation percentiles (PostgreSQL `percentile_cont`) in business seconds; the
    `_hours` properties divide by 3600. `within_target` counts durations at most the request
    type's policy target.
    """

    count: int
    pending: int
    median_seconds: float | None
    p90_seconds: float | None
    within_target: int

    @property
    def median_hours(self) -> float | None:
        return _hours(self.median_seconds)

    @property
    def p90_hours(self) -> float | None:
        return _hours(self.p90_seconds)

    @property
    def within_target_share(self) -> float | None:
        return _share(self.within_target, self.count)


@dataclass(frozen=True)
class Rate:
    """`count` out of `base`: re-routed out of volume, reopened out of resolved."""

    count: int
    base: int

    @property
    def rate(self) -> float | None:
        return _share(self.count, self.base)


@dataclass(frozen=True)
class Satisfaction:
    """Ratings (1-5) of the period's requests; `resolved` is the base of the response rate."""

    rated: int
    resolved: int
    average: float | None
    satisfied: int  # rated 4 or 5

    @property
    def satisfied_share(self) -> float | None:
        return _share(self.satisfied, self.rated)

    @property
    def response_rate(self) -> float | None:
        return _share(self.rated, self.resolved)


@dataclass(frozen=True)
class Figures:
    """The main figures of a set of requests: the whole filter, or one unit or request type."""

    volume: int
    first_response: Durations
    resolution: Durations
    reroutes: Rate  # requests re-routed at least once / volume
    reopens: Rate  # requests reopened at least once / resolved
    satisfaction: Satisfaction


@dataclass(frozen=True)
class Row:
    """One line of a breakdown (unit, request type or channel), by code, in the active language."""

    code: str
    name: str
    figures: Figures


@dataclass(frozen=True)
class BacklogBucket:
    """Open requests whose age is min_days..max_days completed business days (None: no limit)."""

    label: str
    min_days: int
    max_days: int | None
    count: int


@dataclass(frozen=True)
class Backlog:
    """Requests open at the moment of computing, by age; the period does not apply."""

    buckets: tuple[BacklogBucket, ...]
    awaiting_requester: int  # of the total, waiting for the requester's answer

    @property
    def total(self) -> int:
        return sum(bucket.count for bucket in self.buckets)


@dataclass(frozen=True)
class Flow:
    """Transfers of the filtered requests from one unit to another (unit codes)."""

    from_unit: str
    to_unit: str
    count: int


@dataclass(frozen=True)
class TrendPoint:
    """One week (from Monday) or month (from the 1st) of the period, in Helsinki time."""

    start: date
    volume: int
    first_response: Durations


@dataclass(frozen=True)
class Dashboard:
    """Everything the dashboard shows for one set of filters, at one moment."""

    filters: Filters
    computed_at: datetime
    totals: Figures
    backlog: Backlog
    flows: tuple[Flow, ...]  # most transfers first
    trend: tuple[TrendPoint, ...]  # every week or month of the period, oldest first
    by_unit: tuple[Row, ...]  # units with requests in the period, by code
    # request types with requests in the period, in catalogue order
    by_request_type: tuple[Row, ...]
    # channels (Inquiry.Channel) with requests in the period, in that order; a default so that a
    # snapshot stored before channels were counted still reads
    by_channel: tuple[Row, ...] = ()

    @property
    def volume(self) -> int:
        return self.totals.volume

    @property
    def first_response(self) -> Durations:
        return self.totals.first_response

    @property
    def resolution(self) -> Durations:
        return self.totals.resolution

    @property
    def reroutes(self) -> Rate:
        return self.totals.reroutes

    @property
    def reopens(self) -> Rate:
        return self.totals.reopens

    @property
    def satisfaction(self) -> Satisfaction:
        return self.totals.satisfaction
