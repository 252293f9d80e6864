"""The queue's search: every word somewhere in an open request's reference, subject, company or
requester.

Each word matches as a substring, case-insensitively (Finnish compounds: "tontti" finds
"Tonttihaku"), in the reference, the subject, the company name as typed, the company's name
and business ID, and the requester's name and e-mail address; a request matches when every
word does. A reference (BP-2026-001234, any case, zeros optional) is looked up exactly.

Only open requests are searched (the queue holds nothing else): that keeps each subquery small
whatever the number of closed requests. On PostgreSQL the trigram indexes of migrations
inquiries 0005 and 0006 serve `UPPER(text) LIKE UPPER('%word%')` (what icontains becomes) on the
request's own text (`Inquiry` `search_text()`), on companies and on requesters, and partial
indexes find the open requests of the matching companies and requesters. A word of one or two
letters has no trigram: it is looked for by reading (about 0.15 s at 1,000,000 requests).
SQLite scans, which is fine for `make run`'s few hundred requests; the results are the same.
"""

from __future__ import annotations

import re

from django.db.models import Q

from crm.models import Company, Contact

from .models import Inquiry, search_text

# More words than this narrow nothing a person needs; the rest are ignored.
MAX_WORDS = 6
REFERENCE = re.compile(r"^BP-(\d{4})-(\d{1,9})$", re.IGNORECASE)


def search_condition(text: str) -> Q | None:
    """The condition for a search text; None when there is nothing to search for."""
    words = text.split()[:MAX_WORDS]
    if not words:
        return None
    condition = Q()
    for word in words:
        condition &= word_condition(word)
    return condition


def normal_reference(word: str) -> str | None:
    """BP-2026-001234 from "bp-2026-1234"; None if the word is not a reference."""
    found = REFERENCE.match(word)
    if found is None:
        return None
    return f"BP-{found[1]}-{int(found[2]):06d}"


def word_condition(word: str) -> Q:
    reference = normal_reference(word)
    if reference is not None:
        return Q(reference=reference)
    # Each alternative is its own subquery with its own index (trigram, or the open requests of
    # the matching companies and people), run once and hashed: a common surname matching 10,000
    # requesters costs as little as a rare one. An OR of the conditions themselves cannot mix
    # tables in one index scan, and `contact_id = ANY(<10,000 ids>)` tested row by row took
    # a second at 1,000,000 requests.
    companies = Company.objects.filter(Q(name__icontains=word) | Q(business_id__icontains=word))
    people = Contact.objects.filter(Q(name__icontains=word) | Q(email__icontains=word))
    open_requests = Inquiry.objects.filter(status__in=Inquiry.OPEN_STATES).order_by()
    in_text = open_requests.alias(text=search_text()).filter(text__icontains=word)
    of_companies = open_requests.filter(company__in=companies.order_by().values("pk"))
    of_people = open_requests.filter(contact__in=people.order_by().values("pk"))
    return (
        Q(pk__in=in_text.values("pk"))
        | Q(pk__in=of_companies.values("pk"))
        | Q(pk__in=of_people.values("pk"))
    )
