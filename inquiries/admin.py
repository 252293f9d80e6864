"""Inquiries are read here; every change goes through the workspace and its services.

Canned responses are the exception: they are texts, not requests, and are kept here.
"""

from django.contrib import admin
from django.http import HttpRequest
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .models import (
    CannedResponse,
    Inquiry,
    Message,
    RoutingDecision,
    ServiceFeedback,
    TransitionLog,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class TransitionLogInline(ReadOnlyInline):
    model = TransitionLog
    fields = ["at", "name", "source", "target", "actor_user", "actor_contact", "note"]


class RoutingDecisionInline(ReadOnlyInline):
    model = RoutingDecision
    fk_name = "inquiry"
    fields = [
        "decided_at",
        "kind",
        "rule_name",
        "matched_words",
        "from_unit",
        "unit",
        "reason",
        "decided_by",
    ]


class MessageInline(ReadOnlyInline):
    model = Message
    fields = ["created_at", "kind", "visibility", "author_user", "author_contact", "body"]


@admin.register(Inquiry)
class InquiryAdmin(admin.ModelAdmin):
    list_display = [
        "reference",
        "subject",
        "status",
        "unit",
        "assignee",
        "submitted_at",
        "first_response_due",
    ]
    list_filter = ["status", "unit", "request_type", "language", "channel"]
    list_select_related = ["unit", "assignee"]
    search_fields = [
        "reference",
        "subject",
        "company__name",
        "company__business_id",
        "contact__email",
    ]
    date_hierarchy = "submitted_at"
    inlines = [RoutingDecisionInline, MessageInline, TransitionLogInline]
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest):  # type: ignore[no-untyped-def]
        return super().get_queryset(request).visible_to(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ServiceFeedback)
class ServiceFeedbackAdmin(admin.ModelAdmin):
    """Feedback from the portal, for service managers to read; nobody edits what people wrote."""

    list_display = ["created_at", "excerpt", "language", "name", "email"]
    list_filter = ["language"]
    search_fields = ["message", "name", "email"]
    ordering = ["-created_at", "-pk"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "language", "name", "email", "message"]

    @admin.display(description=_("feedback"))
    def excerpt(self, obj: ServiceFeedback) -> str:
        return Truncator(obj.message).chars(120)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(CannedResponse)
class CannedResponseAdmin(admin.ModelAdmin):
    """A unit's ready answers; the handler's reply form offers them in the requester's language."""

    list_display = ["name_en", "name_fi", "name_sv", "unit", "order", "is_active"]
    list_display_links = ["name_en", "name_fi"]
    list_editable = ["order", "is_active"]
    list_filter = ["unit", "is_active"]
    list_select_related = ["unit"]
    search_fields = ["name_fi", "name_sv", "name_en", "body_fi", "body_sv", "body_en"]
    ordering = ["unit", "order", "pk"]
    fieldsets = [
        (None, {"fields": ["unit", "order", "is_active"]}),
        (_("Finnish"), {"fields": ["name_fi", "body_fi"]}),
        (_("Swedish"), {"fields": ["name_sv", "body_sv"]}),
        (_("English"), {"fields": ["name_en", "body_en"]}),
    ]
