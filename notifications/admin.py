"""The outbox in the admin: what is waiting, what failed and why; failed mail can be retried."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import delivery
from .models import Notification
from .outbox import send_soon


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "kind",
        "recipient_email",
        "language",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "inquiry",
    ]
    list_filter = ["status", "kind", "language"]
    list_select_related = ["inquiry"]
    search_fields = ["recipient_email", "subject", "inquiry__reference"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    readonly_fields = [f.name for f in Notification._meta.fields]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.action(description=_("Retry sending now"), permissions=["change"])
    def retry(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        count = delivery.retry_now(ids)
        for notification_id in ids:
            send_soon([notification_id])  # a task each: many may be retried at once
        self.message_user(
            request,
            ngettext(
                "%(count)d notification will be sent again.",
                "%(count)d notifications will be sent again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
