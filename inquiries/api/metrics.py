"""GET /api/v1/metrics/: the manager dashboard's numbers as JSON.

The same filters, read by the same function (`inquiries.metrics.parse_filters`, which narrows a
unit manager to their own units), the same figures (`inquiries.metrics.dashboard_for`: the
snapshot the page shows, at most DASHBOARD_SNAPSHOT_SECONDS old; `recompute=1` counts now), and
the same people as the dashboard page: service managers, and unit managers for their units.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from crm.models import Language

from .. import metrics
from ..models import Inquiry
from ..views.workspace.dashboard import may_see_dashboard
from .errors import errors
from .staff import IsWorkspaceUser, StaffView, refuse_blank

# Days outside these are refused before any arithmetic (a day next to date.max overflows).
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)


class MaySeeDashboard(IsWorkspaceUser):
    message = _("Only service managers and unit managers may see the figures.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return super().has_permission(request, view) and may_see_dashboard(request.user)


class MetricsQuerySerializer(serializers.Serializer):
    """The dashboard's filters (only for the schema: `metrics.parse_filters` reads them)."""

    start = serializers.DateField(
        required=False, help_text="First day (YYYY-MM-DD); default: 90 days before the end."
    )
    end = serializers.DateField(required=False, help_text="Last day, included; default: now.")
    days = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="Without start and end: the last that many days up to now (default 90).",
    )
    unit = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Unit codes; may repeat."
    )
    request_type = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Request type codes."
    )
    language = serializers.ListField(
        child=serializers.ChoiceField(Language.choices), required=False
    )
    channel = serializers.ListField(
        child=serializers.ChoiceField(Inquiry.Channel.choices), required=False
    )
    trend = serializers.ChoiceField(
        ["week", "month"],
        required=False,
        help_text="Default: by week up to 92 days, else by month.",
    )
    recompute = serializers.ChoiceField(
        ["1"],
        required=False,
        help_text="1: count now instead of serving the figures computed in the last minutes.",
    )


class DurationsSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Requests that have the duration.")
    pending = serializers.IntegerField(help_text="Open requests that do not have it yet.")
    median_seconds = serializers.FloatField(allow_null=True, help_text="Business seconds.")
    p90_seconds = serializers.FloatField(allow_null=True)
    median_hours = serializers.FloatField(allow_null=True, help_text="Business hours.")
    p90_hours = serializers.FloatField(allow_null=True)
    within_target = serializers.IntegerField()
    within_target_share = serializers.FloatField(allow_null=True, help_text="0 to 1.")


class RateSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    base = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True, help_text="count / base; null when base is 0.")


class SatisfactionSerializer(serializers.Serializer):
    rated = serializers.IntegerField()
    resolved = serializers.IntegerField()
    average = serializers.FloatField(allow_null=True, help_text="1 to 5.")
    satisfied = serializers.IntegerField(help_text="Rated 4 or 5.")
    satisfied_share = serializers.FloatField(allow_null=True)
    response_rate = serializers.FloatField(allow_null=True, help_text="rated / resolved.")


class FiguresSerializer(serializers.Serializer):
    volume = serializers.IntegerField()
    first_response = DurationsSerializer()
    resolution = DurationsSerializer()
    reroutes = RateSerializer(help_text="Re-routed at least once, of the volume.")
    reopens = RateSerializer(help_text="Reopened at least once, of those resolved.")
    satisfaction = SatisfactionSerializer()


class RowSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Empty for requests not yet routed.")
    name = serializers.CharField()
    figures = FiguresSerializer()


class BucketSerializer(serializers.Serializer):
    label = serializers.CharField()
    min_days = serializers.IntegerField()
    max_days = serializers.IntegerField(allow_null=True)
    count = serializers.IntegerField()


class BacklogSerializer(serializers.Serializer):
    buckets = BucketSerializer(many=True)
    awaiting_requester = serializers.IntegerField()
    total = serializers.IntegerField()


class FlowSerializer(serializers.Serializer):
    from_unit = serializers.CharField()
    to_unit = serializers.CharField()
    count = serializers.IntegerField()


class TrendPointSerializer(serializers.Serializer):
    start = serializers.DateField()
    volume = serializers.IntegerField()
    first_response = DurationsSerializer()


class FiltersSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField(help_text="Exclusive.")
    units = serializers.ListField(child=serializers.CharField(), allow_null=True)
    request_types = serializers.ListField(child=serializers.CharField(), allow_null=True)
    languages = serializers.ListField(child=serializers.CharField(), allow_null=True)
    channels = serializers.ListField(child=serializers.CharField(), allow_null=True)
    trend_by = serializers.ChoiceField(["week", "month"])


class DashboardSerializer(serializers.Serializer):
    filters = FiltersSerializer(help_text="What was counted; null lists mean every one.")
    computed_at = serializers.DateTimeField()
    totals = FiguresSerializer()
    backlog = BacklogSerializer(help_text="Open now, by age in business days; no period.")
    flows = FlowSerializer(many=True, help_text="Transfers from unit to unit.")
    trend = TrendPointSerializer(many=True)
    by_unit = RowSerializer(many=True)
    by_request_type = RowSerializer(many=True)
    by_channel = RowSerializer(many=True, help_text="Web, e-mail, phone, visit, event, API.")


def out_of_range(query: Any) -> dict[str, list[str]]:
    """Days the dashboard could not count from (parse_filters reports those not days at all)."""
    found: dict[str, list[str]] = {}
    for name in ("start", "end"):
        for value in query.getlist(name):
            try:
                day = date.fromisoformat(value.strip())
            except ValueError:
                continue
            if not FIRST_DAY <= day <= LAST_DAY:
                found[name] = [
                    _("Choose a day from %(first)s to %(last)s.")
                    % {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()}
                ]
    return found


class MetricsView(StaffView):
    permission_classes = [MaySeeDashboard]

    @extend_schema(
        summary="The dashboard's figures",
        description="Volume, first response and resolution times (median, 90th percentile, "
        "within target), re-routes, reopens, satisfaction, backlog, transfers and the trend, "
        "with the dashboard's filters. Service managers see every unit; a unit manager their "
        "own units (by default all of them; another unit is a 400). Others: 403.",
        tags=["staff"],
        parameters=[MetricsQuerySerializer],
        responses={200: DashboardSerializer, **errors(400, 401, 403, 429)},
    )
    def get(self, request: Request) -> Response:
        now = timezone.now()
        refuse_blank(request.query_params, MetricsQuerySerializer().fields)
        if problems := out_of_range(request.query_params):
            raise ValidationError(problems)
        filters, problems = metrics.parse_filters(request.query_params, user=request.user, now=now)
        if problems:
            raise ValidationError(problems)
        recompute = request.query_params.get("recompute") == "1"
        result = metrics.dashboard_for(filters, now=now, recompute=recompute)
        return Response(DashboardSerializer(result).data)
