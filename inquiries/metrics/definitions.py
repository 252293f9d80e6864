"""What each figure means, in words a committee reads; translated like every other string."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# figure -> its definition; the keys match the attributes of Dashboard / Figures.
DEFINITIONS: dict[str, Promise] = {
    "period": _(
        "A request belongs to the period in which it was submitted; its later events (answer, "
        "resolution, rating) count with it, whenever they happen."
    ),
    "unit": _("The unit a request is in now, after any transfer."),
    "volume": _(
        "Requests submitted in the period, whatever became of them (spam and withdrawn ones too)."
    ),
    "first_response": _(
        "Business time (08:00-16:00 on Finnish business days) from submission to the first "
        "reply, question or resolution. Requests without one are left out of the times; those "
        "still open are counted as not yet answered."
    ),
    "resolution": _(
        "Business time from submission to the first resolution, the time spent waiting for the "
        "requester's answer excluded. Open requests never resolved are counted as not yet "
        "resolved."
    ),
    "percentiles": _(
        "Median and 90th percentile: half (nine in ten) of the times are at most this long; "
        "between two times the value is interpolated linearly (the median of 1, 2, 4 and 7 hours "
        "is 3 hours)."
    ),
    "within_target": _(
        "The share of times at most the target of the request type's service level policy "
        "(its own, else the default policy), as the policy stands now."
    ),
    "backlog": _(
        "Requests open now (new, queued, in progress or waiting for the requester) by age: "
        "completed business days of 8 business hours since submission. The period does not "
        "apply; the other filters do."
    ),
    "reroutes": _(
        "Re-route rate: the share of the period's requests transferred to another unit at least "
        "once, a measure of routing accuracy. Where they went: their transfers, from unit to unit."
    ),
    "reopens": _("Reopen rate: requests reopened at least once / requests resolved."),
    "satisfaction": _(
        "Average rating (1-5) of the rated requests, the share rated 4 or 5, and the response "
        "rate: rated requests / resolved requests."
    ),
    "trend": _("The figures per week (Monday to Sunday) or per month, in Finnish time."),
    "computed": _(
        "The figures are computed at most 10 minutes before you see them (the time is shown at "
        'the top of the page; the usual views are computed again every 5 minutes); "compute '
        'again now" counts everything at once. A period that ends today ends at that time.'
    ),
}
