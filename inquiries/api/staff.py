"""The staff API: the queue, one request with its timeline, companies.

Who sees what is the workspace's rule, asked in the same places: `is_workspace_user` lets a
handler or a service manager in, `Inquiry.objects.queue_for` / `get_inquiry_for` (crm.access)
narrow to their units (another unit's request is a 404), the queue's filters are the workspace's
`InquiryFilterSet`, a company is the company page's `summarise` and a page of its requests, and
the actions offered are the request page's `offered_actions`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from crm.access import get_inquiry_for
from crm.models import Company, User

from ..filters import InquiryFilterSet
from ..models import Inquiry, Message, RoutingDecision
from ..views.workspace.access import is_workspace_user
from ..views.workspace.company import may_see_every_company, summarise, visible_requests
from ..views.workspace.detail import Entry, due_times, timeline
from ..views.workspace.detail_forms import ACTIONS, offered_actions
from ..views.workspace.queue import PER_PAGE
from .errors import MethodFirst, errors
from .serializers import (
    CompanySerializer,
    FileSerializer,
    InquiryRowSerializer,
    QueueRowSerializer,
    staff_file_url,
)
from .throttles import StaffThrottle

# References look like BP-2026-000123; anything else is not looked up at all.
REFERENCE = re.compile(r"[A-Za-z0-9-]{1,20}")
# The largest key PostgreSQL's bigint holds: a larger one would be a database error.
MAX_PK = 2**63 - 1


class IsWorkspaceUser(BasePermission):
    """A handler or manager of some unit, or a service manager (as the workspace)."""

    message = _("Only handlers of a unit and service managers may use the staff API.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return is_workspace_user(request.user)


class StaffView(MethodFirst, APIView):
    permission_classes = [IsWorkspaceUser]
    throttle_classes = [StaffThrottle]


def visible_inquiry(user: User, reference: str) -> Inquiry:
    """The user's request by reference, or 404 (another unit's request is not found)."""
    if not REFERENCE.fullmatch(reference):
        raise NotFound
    return get_inquiry_for(user, reference)


def refuse_blank(query: QueryDict, names: Iterable[str]) -> None:
    """Refuse a parameter given without a value (?status=): the schema says what one is.

    The web's forms send empty fields for "no choice"; an API client leaves the parameter out.
    """
    blank = sorted(
        name for name in names if any(not value.strip() for value in query.getlist(name))
    )
    if blank:
        raise ValidationError(
            {name: [_("Give a value, or leave the parameter out.")] for name in blank}
        )


class Pagination(PageNumberPagination):
    """Pages of 50, as the workspace; a page number that is not one is a 400."""

    page_size = PER_PAGE

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> Any:
        number = request.query_params.get(self.page_query_param, "1")
        if not (number.isascii() and number.isdigit() and 0 < int(number) < 10**9):
            raise ValidationError({self.page_query_param: [_("Give a page number from 1.")]})
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": 10**9 - 1}
        return parameters


# -- the queue ------------------------------------------------------------------------------------

STAFF = ["staff"]


@extend_schema(
    summary="The queue",
    description="The open requests of your units (all units for a service manager), most "
    "urgent first, with the workspace queue's filters; 50 a page. A filter value that is not "
    "valid answers 400 naming it.",
    tags=STAFF,
    responses={200: QueueRowSerializer(many=True), **errors(400, 401, 403, 404, 429)},
)
class QueueView(MethodFirst, generics.ListAPIView):
    serializer_class = QueueRowSerializer
    permission_classes = [IsWorkspaceUser]
    throttle_classes = [StaffThrottle]
    filter_backends = [DjangoFilterBackend]
    # The one FilterSet of the queue: the workspace page filters with it too.
    filterset_class = InquiryFilterSet
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[Inquiry]:
        return Inquiry.objects.queue_for(self.request.user)

    def filter_queryset(self, queryset: QuerySet[Inquiry]) -> QuerySet[Inquiry]:
        # Every filter but the search, whose empty text means "no search".
        refuse_blank(self.request.query_params, set(InquiryFilterSet.base_filters) - {"q"})
        return super().filter_queryset(queryset)


# -- one request ----------------------------------------------------------------------------------


class ContactSerializer(serializers.Serializer):
    name = serializers.CharField()
    email = serializers.EmailField()
    phone = serializers.CharField()


class RoutingSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RoutingDecision.Kind.choices)
    rule_name = serializers.CharField()
    matched_words = serializers.CharField()
    from_unit = serializers.CharField(source="from_unit.code", allow_null=True)
    unit = serializers.CharField(source="unit.code")
    reason = serializers.CharField(help_text="A transfer's reason: for staff only.")


class StepSerializer(serializers.Serializer):
    name = serializers.CharField()
    source = serializers.CharField()
    target = serializers.CharField()


class EntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.ChoiceField(choices=["request", "step", "message", "decision"])
    title = serializers.CharField()
    who = serializers.CharField()
    body = serializers.CharField()
    note = serializers.CharField(help_text="A step's note: for staff only.")
    internal = serializers.BooleanField(help_text="An internal note: never shown to the requester.")
    step = StepSerializer(allow_null=True)
    message_kind = serializers.SerializerMethodField()
    routing = RoutingSerializer(source="decision", allow_null=True)
    files = FileSerializer(many=True)

    @extend_schema_field(serializers.ChoiceField(Message.Kind.choices, allow_null=True))
    def get_message_kind(self, entry: Entry) -> str | None:
        return entry.message.kind if entry.message is not None else None


class ServiceLevelSerializer(serializers.Serializer):
    label = serializers.CharField()
    due = serializers.DateTimeField(allow_null=True)
    state = serializers.ChoiceField(
        choices=[(s, s) for s in ("on-track", "at-risk", "breached", "met", "missed", "stopped")],
        allow_blank=True,
        help_text="Empty when the request has no such due time.",
    )
    text = serializers.CharField()
    done_at = serializers.DateTimeField(allow_null=True)
    paused = serializers.BooleanField(help_text="Waiting for the requester: the clock stands.")


class InquiryDetailSerializer(InquiryRowSerializer):
    """One request with everything staff read on its page, internal notes included."""

    description = serializers.CharField()
    contact = serializers.SerializerMethodField()
    first_response_at = serializers.DateTimeField(allow_null=True)
    resolved_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    service_levels = serializers.SerializerMethodField()
    rating = serializers.IntegerField(allow_null=True)
    rating_comment = serializers.CharField()
    reroute_count = serializers.IntegerField()
    reopen_count = serializers.IntegerField()
    close_reason = serializers.ChoiceField(choices=Inquiry.CloseReason.choices, allow_blank=True)
    duplicate_of = serializers.CharField(
        source="duplicate_of.reference", allow_null=True, help_text="The original's reference."
    )
    actions = serializers.SerializerMethodField(
        help_text="The transitions you may take now (POST …/transitions/<name>/)."
    )
    timeline = serializers.SerializerMethodField()

    @extend_schema_field(ContactSerializer(allow_null=True))
    def get_contact(self, inquiry: Inquiry) -> dict[str, Any] | None:
        if inquiry.anonymised_at is not None:
            return None
        return ContactSerializer(inquiry.contact).data

    @extend_schema_field(ServiceLevelSerializer(many=True))
    def get_service_levels(self, inquiry: Inquiry) -> Any:
        return ServiceLevelSerializer(due_times(inquiry), many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(list(ACTIONS))))
    def get_actions(self, inquiry: Inquiry) -> list[str]:
        return offered_actions(inquiry, self.context["request"].user)

    @extend_schema_field(EntrySerializer(many=True))
    def get_timeline(self, inquiry: Inquiry) -> Any:
        context = {"file_url": staff_file_url}
        return EntrySerializer(timeline(inquiry), many=True, context=context).data


class InquiryDetailView(StaffView):
    @extend_schema(
        summary="One request",
        description="A request of your units with its whole timeline, internal notes and "
        "transfer reasons included, and the transitions you may take now. Another unit's "
        "request is not found (404).",
        tags=STAFF,
        responses={200: InquiryDetailSerializer, **errors(401, 403, 404, 429)},
    )
    def get(self, request: Request, reference: str) -> Response:
        inquiry = visible_inquiry(request.user, reference)
        context = {"request": request}
        return Response(InquiryDetailSerializer(inquiry, context=context).data)


# -- companies ------------------------------------------------------------------------------------


def sees_every_company(user: User) -> bool:
    return bool(user.is_service_manager or user.is_superuser)


class CompanyFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="search", help_text=_("Name or business ID.")
    )

    class Meta:
        model = Company
        fields: list[str] = []

    def search(self, queryset: QuerySet[Company], name: str, value: str) -> QuerySet[Company]:
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(Q(name__icontains=text) | Q(business_id__icontains=text))


class CompanyRowSerializer(CompanySerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:company-detail")


@extend_schema(
    summary="Companies",
    description="Companies with requests you may see (every company for a service manager), "
    "by name; 50 a page.",
    tags=STAFF,
    responses={200: CompanyRowSerializer(many=True), **errors(400, 401, 403, 404, 429)},
)
class CompanyListView(MethodFirst, generics.ListAPIView):
    serializer_class = CompanyRowSerializer
    permission_classes = [IsWorkspaceUser]
    throttle_classes = [StaffThrottle]
    filter_backends = [DjangoFilterBackend]
    filterset_class = CompanyFilterSet
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[Company]:
        user = self.request.user
        if getattr(self, "swagger_fake_view", False):  # the schema is made with nobody signed in
            return Company.objects.none()
        companies = Company.objects.order_by("name", "pk")
        if sees_every_company(user):
            return companies
        return companies.filter(pk__in=Inquiry.objects.visible_to(user).values("company_id"))


class CompanyContactSerializer(ContactSerializer):
    requests = serializers.IntegerField(help_text="Of the requests you may see.")
    last_submitted = serializers.DateTimeField()


class CompanyDetailSerializer(CompanySerializer):
    contacts = CompanyContactSerializer(
        many=True, help_text="The people behind the requests you may see."
    )
    open_count = serializers.IntegerField()
    request_count = serializers.IntegerField(help_text="All the requests you may see.")
    requests = InquiryRowSerializer(
        many=True, help_text="Those you may see, newest first: 50 a page (`page`)."
    )
    next = serializers.URLField(allow_null=True, help_text="The next page of requests.")
    previous = serializers.URLField(allow_null=True, help_text="The previous page of requests.")


class CompanyDetailView(StaffView):
    @extend_schema(
        summary="One company",
        description="A company, its contacts and the requests you may see, across units, 50 "
        "a page. A company none of whose requests you may see is not found (404).",
        tags=STAFF,
        parameters=[
            OpenApiParameter(
                "page", int, description="A page of the requests (from 1).", required=False
            )
        ],
        responses={200: CompanyDetailSerializer, **errors(400, 401, 403, 404, 429)},
    )
    def get(self, request: Request, pk: int) -> Response:
        if pk > MAX_PK:
            raise NotFound
        company = get_object_or_404(Company, pk=pk)
        requests = visible_requests(request.user, company)
        # The counts and the people: one grouped query, as the workspace's company page.
        summary = summarise(requests)
        # Someone who may see none of its requests learns nothing, not even that it exists.
        if not summary.total and not may_see_every_company(request.user):
            raise NotFound
        pages = Pagination()
        page = pages.paginate_queryset(
            requests.select_related(
                "unit", "request_type", "assignee", "contact", "company"
            ).order_by("-submitted_at", "-pk"),
            request,
            view=self,
        )
        data = {
            "id": company.pk,
            "name": company.name,
            "business_id": company.business_id,
            "contacts": [
                {
                    "name": person.name,
                    "email": person.email,
                    "phone": person.phone,
                    "requests": person.requests,
                    "last_submitted": person.last_submitted_at,
                }
                for person in summary.people
            ],
            "open_count": summary.open,
            "request_count": summary.total,
            "requests": page,
            "next": pages.get_next_link(),
            "previous": pages.get_previous_link(),
        }
        return Response(CompanyDetailSerializer(data, context={"request": request}).data)
