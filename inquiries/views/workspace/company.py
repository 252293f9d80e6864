"""The company view: a company, its contacts and every request the user may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from crm.models import Company, Contact, User

from ...models import Inquiry
from .queue import workspace_view


@dataclass
class ContactSummary:
    contact: Contact
    requests: int
    last_submitted: datetime


def contacts_of(inquiries: list[Inquiry]) -> list[ContactSummary]:
    """The people who sent these requests, most recent first (read from the rows: no query)."""
    people: dict[int, ContactSummary] = {}
    for inquiry in inquiries:
        if inquiry.anonymised_at is not None:  # its person is gone on purpose
            continue
        summary = people.get(inquiry.contact_id)
        if summary is None:
            people[inquiry.contact_id] = ContactSummary(inquiry.contact, 1, inquiry.submitted_at)
        else:
            summary.requests += 1
            summary.last_submitted = max(summary.last_submitted, inquiry.submitted_at)
    return sorted(people.values(), key=lambda s: s.last_submitted, reverse=True)


def company_requests(user: User, pk: int) -> tuple[Company, list[Inquiry]]:
    """Return the company and its requests that the user may see, newest first; or 404.

    Someone who may see none of its requests learns nothing, not even that it exists; a
    service manager sees every company. The workspace page and the API both ask this.
    """
    company = get_object_or_404(Company, pk=pk)
    inquiries = list(
        Inquiry.objects.visible_to(user)
        .filter(company=company)
        .select_related("unit", "request_type", "assignee", "contact", "company")
        .order_by("-submitted_at", "-pk")
    )
    if not inquiries and not (user.is_service_manager or user.is_superuser):
        raise Http404
    return company, inquiries


@require_GET
@workspace_view
def company_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A company and its requests that the user may see, across units, with their outcomes."""
    company, inquiries = company_requests(request.user, pk)
    context = {
        "company": company,
        # Only the people behind requests this user may see: no personal data from other units.
        "contacts": contacts_of(inquiries),
        "inquiries": inquiries,
        "open_count": sum(1 for inquiry in inquiries if inquiry.is_open),
    }
    return render(request, "workspace/company.html", context)


urlpatterns: list[URLPattern] = [
    path("companies/<int:pk>/", company_detail, name="company"),
]
