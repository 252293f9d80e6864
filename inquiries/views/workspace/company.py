"""The company view: a company, its contacts and the requests the user may see, a page at a time.

The page reads as many rows and runs as many queries whatever the company's history: the counts
and the contacts come from one grouped query (`summarise`, which the staff API's company
endpoint uses too), the requests a page of PER_PAGE at a time (open ones first, then the
newest), each row's texts made once in Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from django.core.paginator import Page
from django.db.models import Case, Count, Max, Q, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET

from crm.models import Company, User

from ...models import Inquiry
from ...pagination import IdsFirstPaginator
from .detail import Moment, moment
from .queue import workspace_view

PER_PAGE = 25


def visible_requests(user: User, company: Company) -> QuerySet[Inquiry]:
    """The company's requests that the user may see, in any of their units."""
    return Inquiry.objects.visible_to(user).filter(company=company)


def may_see_every_company(user: User) -> bool:
    return bool(user.is_service_manager or user.is_superuser)


# -- the page -----------------------------------------------------------------------------------


def day(value: datetime | None) -> Moment | None:
    return moment(value, "SHORT_DATE_FORMAT")


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    phone: str
    requests: int
    last_submitted_at: datetime | None

    @cached_property  # the page reads it twice (datetime and text)
    def last_submitted(self) -> Moment | None:
        return day(self.last_submitted_at)


@dataclass(frozen=True)
class Summary:
    total: int
    open: int
    people: list[Person]


def summarise(requests: QuerySet[Inquiry]) -> Summary:
    """How many requests, how many open, and who sent them: one grouped query.

    The people are those behind the requests counted, most recent first, except where a request
    was anonymised (its person is gone on purpose): no personal data from other units.
    """
    kept = Q(anonymised_at__isnull=True)
    groups = list(
        requests.order_by()
        .values("contact_id", "contact__name", "contact__email", "contact__phone")
        .annotate(
            total=Count("pk"),
            open=Count("pk", filter=Q(status__in=Inquiry.OPEN_STATES)),
            kept=Count("pk", filter=kept),
            last_submitted=Max("submitted_at", filter=kept),
        )
    )
    people = sorted(
        (g for g in groups if g["kept"]),
        key=lambda g: (g["last_submitted"], g["contact_id"]),
        reverse=True,
    )
    return Summary(
        total=sum(g["total"] for g in groups),
        open=sum(g["open"] for g in groups),
        people=[
            Person(
                g["contact__name"],
                g["contact__email"],
                g["contact__phone"],
                g["kept"],
                g["last_submitted"],
            )
            for g in people
        ],
    )


@dataclass(frozen=True)
class Row:
    """One request as the table shows it."""

    reference: str
    url: str
    subject: str
    request_type: str
    unit: str
    status: str
    handler: str  # who has it, while it is open
    submitted: Moment | None
    resolved: Moment | None
    closed: Moment | None
    close_reason: str
    rating: int | None


def row_of(inquiry: Inquiry, url_of: str) -> Row:
    return Row(
        reference=inquiry.reference,
        url=url_of.replace("REFERENCE", inquiry.reference),
        subject=inquiry.subject,
        request_type=inquiry.request_type.name,
        unit=inquiry.unit.name if inquiry.unit_id else "",
        status=str(inquiry.get_status_display()),
        handler=str(inquiry.assignee) if inquiry.assignee_id and inquiry.is_open else "",
        submitted=day(inquiry.submitted_at),
        resolved=day(inquiry.resolved_at),
        closed=day(inquiry.closed_at),
        close_reason=str(inquiry.get_close_reason_display() or ""),
        rating=inquiry.rating,
    )


def requests_page(request: HttpRequest, requests: QuerySet[Inquiry], count: int) -> Page:
    """One page of rows: open ones first, then the newest (ids first, then those rows)."""
    ordered = (
        requests.alias(
            finished=Case(When(status__in=Inquiry.OPEN_STATES, then=Value(0)), default=Value(1))
        )
        .order_by("finished", "-submitted_at", "-pk")
        .select_related("unit", "request_type", "assignee")
    )
    # get_page(): a page number out of range or not a number shows the nearest page, never a 404.
    paginator = IdsFirstPaginator(ordered, PER_PAGE, count=count)
    page = paginator.get_page(request.GET.get("page"))
    # References are letters, digits and hyphens: one reverse() for the whole page.
    url_of = reverse("workspace:inquiry", kwargs={"reference": "REFERENCE"})
    page.object_list = [row_of(inquiry, url_of) for inquiry in page.object_list]
    page.numbers = list(paginator.get_elided_page_range(page.number, on_each_side=2))
    return page


@require_GET
@workspace_view
def company_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A company and its requests that the user may see, across units, with their outcomes."""
    company = get_object_or_404(Company, pk=pk)
    requests = visible_requests(request.user, company)
    summary = summarise(requests)
    # Someone who may see none of its requests learns nothing, not even that it exists.
    if not summary.total and not may_see_every_company(request.user):
        raise Http404
    context = {
        "company": company,
        "total": summary.total,
        "open_count": summary.open,
        # Only the people behind requests this user may see: no personal data from other units.
        "contacts": summary.people,
        "page": requests_page(request, requests, summary.total),
    }
    return render(request, "workspace/company.html", context)


urlpatterns: list[URLPattern] = [
    path("companies/<int:pk>/", company_detail, name="company"),
]
