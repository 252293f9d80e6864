"""Received mail in the admin: every message and what became of it, read-only."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import InboundMail


@admin.register(InboundMail)
class InboundMailAdmin(admin.ModelAdmin):
    list_display = [
        "received_at",
        "via",
        "from_address",
        "subject",
        "outcome",
        "reason",
        "review",
        "inquiry",
    ]
    list_filter = ["outcome", "reason", "review", "via"]
    list_select_related = ["inquiry"]
    search_fields = ["from_address", "subject", "message_id", "inquiry__reference"]
    date_hierarchy = "received_at"
    # Text only, shown escaped like every field: nothing from a message is rendered as HTML.
    readonly_fields = [field.name for field in InboundMail._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: InboundMail | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: InboundMail | None = None) -> bool:
        return False
