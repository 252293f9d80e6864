"""The queue's search: every word somewhere in a request's reference, subject, company or requester.

Each word matches as a substring, case-insensitively (Finnish compounds: "tontti" finds
"Tonttihaku"), in the reference, the subject, the company name as typed, the company's name
and business ID, and the requester's name and e-mail address; a request matches when every
word does. A reference (BP-2026-001234, any case, zeros optional) is looked up exactly.

On PostgreSQL the trigram indexes of migration inquiries 0005 serve each
`UPPER(column) LIKE UPPER('%word%')` (what icontains becomes), and the matching companies and
requesters are looked up first (`AnyOf`), so that every alternative of a word is an index scan
over the open requests and PostgreSQL combines them (a BitmapOr) instead of testing each open
request. SQLite scans, which is fine for `make run`'s few hundred requests; the results are the
same on both.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import BooleanField, F, Func, Q, Subquery

from crm.models import Company, Contact

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
    companies = Company.objects.filter(Q(name__icontains=word) | Q(business_id__icontains=word))
    people = Contact.objects.filter(Q(name__icontains=word) | Q(email__icontains=word))
    return (
        Q(reference__icontains=word)
        | Q(subject__icontains=word)
        | Q(company_name__icontains=word)
        | Q(AnyOf(F("company_id"), Subquery(companies.values("pk"))))
        | Q(AnyOf(F("contact_id"), Subquery(people.values("pk"))))
    )


class AnyOf(Func):
    """`column IN (subquery)`; on PostgreSQL `column = ANY(ARRAY(subquery))`.

    PostgreSQL runs an IN-subquery inside an OR as a hashed subplan tested on every row, so the
    other alternatives cannot use their indexes either; an array computed first (an InitPlan)
    is an index condition like any constant.
    """

    arity = 2
    output_field = BooleanField()

    def _parts(self, compiler: Any, connection: Any) -> tuple[str, str, tuple[Any, ...]]:
        column, rows = (compiler.compile(e) for e in self.get_source_expressions())
        return column[0], rows[0], (*column[1], *rows[1])

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, tuple[Any, ...]]:
        column, rows, params = self._parts(compiler, connection)
        return f"{column} IN {rows}", params

    def as_postgresql(
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, tuple[Any, ...]]:
        column, rows, params = self._parts(compiler, connection)
        return f"{column} = ANY(ARRAY{rows})", params
