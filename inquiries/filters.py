"""The queue's filters: one FilterSet for the workspace queue and the staff API.

It narrows `Inquiry.objects.queue_for(request.user)`, so nobody filters their way into another
unit's requests: the unit choices are the user's own units (every unit for a service manager),
and input that does not validate gives form errors and no rows, never a wider result.
Nothing here knows about HTML; the workspace view dresses the form.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import django_filters
from django.db.models import F, QuerySet
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.models import Language, Unit, User
from routing.models import RequestType

from .models import Inquiry, InquiryQuerySet
from .search import search_condition

SLAState = InquiryQuerySet.SLAState


def units_for(user: User) -> QuerySet[Unit]:
    """The units whose queue the user works: their own, or all for a service manager."""
    if user.is_service_manager or user.is_superuser:
        return Unit.objects.all()
    return Unit.objects.filter(memberships__user=user)


def _user_units(request: HttpRequest | None) -> QuerySet[Unit]:
    if request is None or not request.user.is_authenticated:
        return Unit.objects.none()
    return units_for(request.user)


class Assignee:
    ANYONE = "anyone"
    ME = "me"
    UNASSIGNED = "unassigned"
    # "Anyone" first: an untouched select means no narrowing.
    CHOICES = [(ANYONE, _("Anyone")), (ME, _("Me")), (UNASSIGNED, _("Unassigned"))]


# value -> (the running clock's due time, or a column), how a person reads it
ORDERINGS = {
    "due": (None, _("Due time, soonest first")),
    "-due": (None, _("Due time, latest first")),
    "submitted": ("submitted_at", _("Submitted, oldest first")),
    "-submitted": ("submitted_at", _("Submitted, newest first")),
    "changed": ("updated_at", _("Last change, oldest first")),
    "-changed": ("updated_at", _("Last change, newest first")),
}

OPEN_STATUS_CHOICES = [
    (value, label) for value, label in Inquiry.Status.choices if value in Inquiry.OPEN_STATES
]


class InquiryFilterSet(django_filters.FilterSet):
    """Status, type, unit, assignee, service level, submission dates, language, channel,
    a search, and the order."""

    status = django_filters.MultipleChoiceFilter(
        label=_("Status"),
        choices=OPEN_STATUS_CHOICES,
        help_text=_("None chosen: every open status."),
    )
    request_type = django_filters.ModelChoiceFilter(
        label=_("Request type"),
        queryset=RequestType.objects.all(),
        to_field_name="code",
        empty_label=_("Any type"),
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit"), queryset=_user_units, to_field_name="code", empty_label=_("All my units")
    )
    assignee = django_filters.ChoiceFilter(
        label=_("Assignee"), choices=Assignee.CHOICES, empty_label=None, method="filter_assignee"
    )
    sla = django_filters.ChoiceFilter(
        label=_("Service level"),
        choices=SLAState.choices,
        empty_label=_("Any"),
        method="filter_sla",
    )
    submitted_after = django_filters.DateFilter(
        label=_("Submitted on or after"), field_name="submitted_at", lookup_expr="date__gte"
    )
    submitted_before = django_filters.DateFilter(
        label=_("Submitted on or before"), field_name="submitted_at", lookup_expr="date__lte"
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=Language.choices, empty_label=_("Any language")
    )
    channel = django_filters.ChoiceFilter(
        label=_("Channel"), choices=Inquiry.Channel.choices, empty_label=_("Any channel")
    )
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        help_text=_("Reference, company, business ID or subject."),
    )
    ordering = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[(value, label) for value, (_field, label) in ORDERINGS.items()],
        empty_label=None,
        method="order",
    )

    class Meta:
        model = Inquiry
        fields: list[str] = []

    def __init__(
        self,
        data: QueryDict | dict[str, Any] | None = None,
        queryset: QuerySet[Inquiry] | None = None,
        *,
        request: HttpRequest,
        now: datetime | None = None,
        **kwargs: Any,
    ) -> None:
        self.now = now or timezone.now()
        if queryset is None:
            queryset = Inquiry.objects.queue_for(request.user)
        # The running clock's due time and state are read by the table and the sla filter.
        queryset = queryset.with_sla(self.now).most_urgent_first()
        super().__init__(data, queryset, request=request, **kwargs)

    def filter_queryset(self, queryset: QuerySet[Inquiry]) -> QuerySet[Inquiry]:
        # Input that does not validate narrows to nothing: a forged or mistyped filter is
        # reported beside its field and never silently dropped (which would widen the list).
        if self.form.errors:
            return queryset.none()
        return super().filter_queryset(queryset)

    def filter_assignee(self, queryset: QuerySet[Inquiry], name: str, value: str):
        if value == Assignee.ME:
            return queryset.filter(assignee=self.request.user)
        if value == Assignee.UNASSIGNED:
            return queryset.filter(assignee__isnull=True)
        return queryset

    def filter_sla(self, queryset: QuerySet[Inquiry], name: str, value: str):
        return queryset.filter(sla_state=value)

    def search(self, queryset: QuerySet[Inquiry], name: str, value: str):
        # Every word, anywhere: reference, subject, company, business ID, requester (search.py).
        condition = search_condition(value)
        return queryset if condition is None else queryset.filter(condition)

    def order(self, queryset: QuerySet[Inquiry], name: str, value: str):
        column, _label = ORDERINGS[value]
        if column is None:
            if value.startswith("-"):
                return queryset.order_by(F("sla_due").desc(nulls_last=True), "-pk")
            return queryset.most_urgent_first()
        field = F(column)
        return queryset.order_by(
            field.desc() if value.startswith("-") else field.asc(),
            "-pk" if value.startswith("-") else "pk",
        )
