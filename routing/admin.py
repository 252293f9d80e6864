from django.contrib import admin
from django.utils.translation import gettext

from . import engine
from .models import RequestType, RoutingRule, SLAPolicy


@admin.register(SLAPolicy)
class SLAPolicyAdmin(admin.ModelAdmin):
    list_display = ["name", "first_response_hours", "resolution_hours", "is_default"]


@admin.register(RequestType)
class RequestTypeAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name_fi",
        "name_sv",
        "name_en",
        "default_unit",
        "sla_policy",
        "order",
        "is_active",
    ]
    list_editable = ["order", "is_active"]
    list_select_related = ["default_unit", "sla_policy"]
    search_fields = ["code", "name_fi", "name_sv", "name_en"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["order", "name", "request_type", "unit", "priority", "is_active"]
    list_display_links = ["name"]
    list_editable = ["order", "is_active"]
    list_filter = ["unit", "is_active", "request_type"]
    list_select_related = ["unit", "request_type"]
    search_fields = ["name", "keywords"]

    def get_form(self, request, obj=None, change=False, **kwargs):  # type: ignore[no-untyped-def]
        # The pattern syntax, as the engine documents it, under the keywords field.
        kwargs.setdefault("help_texts", {})["keywords"] = gettext(engine.KEYWORD_SYNTAX_HELP)
        return super().get_form(request, obj, change, **kwargs)
