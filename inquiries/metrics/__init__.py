"""The manager dashboard's figures, computed in the database with aggregates.

Definitions (each also in DEFINITIONS, translatable, for the definitions page):

- Period: a request belongs to the period in which it was submitted (`submitted_at` in
  [start, end)); its later events count with it, whenever they happen.
- Unit: the unit the request is in now (after any transfer).
- Volume: requests submitted in the period, whatever became of them (spam and withdrawn too).
- First response time: business time (08-16 on Finnish business days) from submission to the
  first reply, question or resolution (`first_response_seconds`). Requests without one are left
  out of the time statistics; those still open are counted as "not yet answered".
- Resolution time: business time from submission to the first resolution, the time awaiting the
  requester's answer excluded (`resolution_seconds`). Requests still open that were never
  resolved are counted as "not yet resolved".
- Median and 90th percentile: linear interpolation between the two nearest values, as
  PostgreSQL's `percentile_cont` (the median of 1, 2, 4, 7 h is 3 h; the p90 is 6.1 h).
- Within target: a duration at most the target of the request's type's service level policy
  (its own, else the default) as the policy stands at the time of computing.
- Backlog: requests open now (new, queued, in progress, awaiting the requester), by age in
  completed business days (8 business hours each) since submission: 0-2, 3-5, 6-10, over 10.
  The period does not apply to the backlog; the other filters do.
- Re-route rate: requests transferred to another unit at least once / volume (routing accuracy).
  Where they went: the transfers of those requests, from unit to unit.
- Reopen rate: requests reopened at least once / requests resolved at least once.
- Satisfaction: the average rating (1-5) over rated requests; the share rated 4 or 5; the
  response rate = rated / resolved at least once.
- Trend: the same figures per week (Monday to Sunday) or month, in Helsinki time.
"""

from . import snapshots
from .definitions import DEFINITIONS
from .filters import DEFAULT_DAYS, YEAR_DAYS, dashboard_units, parse_filters
from .queries import REQUEST_ROW_COLUMNS, compute, request_rows, requests_in
from .snapshots import dashboard_for, refresh_snapshots
from .types import (
    Backlog,
    BacklogBucket,
    Dashboard,
    Durations,
    Figures,
    Filters,
    Flow,
    Rate,
    Row,
    Satisfaction,
    TrendBy,
    TrendPoint,
)

__all__ = [
    "DEFAULT_DAYS",
    "DEFINITIONS",
    "REQUEST_ROW_COLUMNS",
    "Backlog",
    "BacklogBucket",
    "Dashboard",
    "Durations",
    "Figures",
    "Filters",
    "Flow",
    "Rate",
    "Row",
    "Satisfaction",
    "TrendBy",
    "TrendPoint",
    "YEAR_DAYS",
    "compute",
    "dashboard_for",
    "dashboard_units",
    "parse_filters",
    "refresh_snapshots",
    "request_rows",
    "requests_in",
    "snapshots",
]
