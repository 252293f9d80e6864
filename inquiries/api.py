"""REST API v1: the public submission endpoint (staff endpoints come with the workspace)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import slug_re
from django.utils.translation import gettext_lazy as _
from django_fsm import TransitionNotAllowed
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import exception_handler as drf_exception_handler

from crm.models import Language, normalize_business_id, normalize_phone
from routing.models import RequestType

from . import services
from .models import Inquiry

logger = logging.getLogger(__name__)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus: a model ValidationError is a 400, a stale transition a 409."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, TransitionNotAllowed):
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    return drf_exception_handler(exc, context)


class SubmitThrottle(SimpleRateThrottle):
    """Submissions per client address, whoever is signed in."""

    scope = "submit"

    def get_rate(self) -> str:
        return settings.SUBMIT_THROTTLE_RATE

    def get_cache_key(self, request: Request, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def allow_request(self, request: Request, view: Any) -> bool:
        # An entrepreneur's request matters more than the count: with the cache (Redis) down,
        # let it through rather than answer 500.
        try:
            return super().allow_request(request, view)
        except Exception:  # noqa: BLE001 - any cache failure
            logger.warning("Throttle cache unavailable; submission allowed", exc_info=True)
            return True


class UnitSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class RequestTypeField(serializers.SlugRelatedField):
    """A request type by code; anything that cannot be a code is refused before any query."""

    def to_internal_value(self, data: Any) -> RequestType:
        if not isinstance(data, str) or not slug_re.fullmatch(data):
            self.fail("does_not_exist", slug_name=self.slug_field, value=str(data)[:50])
        return super().to_internal_value(data)


class InquirySubmissionSerializer(serializers.Serializer):
    request_type = RequestTypeField(
        slug_field="code",
        queryset=RequestType.objects.active(),
        error_messages={
            "does_not_exist": _("Unknown request type “{value}”."),
            "invalid": _("Give a request type code, such as business-plot."),
        },
    )
    subject = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="Defaults to the start of the description.",
    )
    description = serializers.CharField(max_length=10_000, min_length=1)
    company_name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    business_id = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        default="",
        help_text="Finnish business ID (Y-tunnus), e.g. 1234567-1; optional.",
    )
    contact_name = serializers.CharField(max_length=200)
    email = serializers.EmailField(max_length=254)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    language = serializers.ChoiceField(choices=Language.choices, default=Language.FI)

    # Read-only answer fields.
    reference = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    unit = UnitSerializer(read_only=True)
    tracking_url = serializers.URLField(read_only=True)
    first_response_due = serializers.DateTimeField(read_only=True)
    resolution_due = serializers.DateTimeField(read_only=True)

    def validate_business_id(self, value: str) -> str:
        if not value.strip():
            return ""
        try:
            return normalize_business_id(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc

    def validate_phone(self, value: str) -> str:
        if not value.strip():
            return ""
        try:
            return normalize_phone(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc

    def create(self, validated_data: dict[str, Any]) -> services.Submitted:
        channel = self.context.get("channel", Inquiry.Channel.API)
        return services.submit_inquiry(
            submission=services.Submission(**validated_data, channel=channel)
        )

    def to_representation(self, instance: services.Submitted) -> dict[str, Any]:
        inquiry = instance.inquiry
        return {
            "reference": inquiry.reference,
            "status": inquiry.status,
            "unit": {"code": inquiry.unit.code, "name": inquiry.unit.name_in(inquiry.language)},
            "tracking_url": services.tracking_url(instance.tracking_token),
            "first_response_due": serializers.DateTimeField().to_representation(
                inquiry.first_response_due
            ),
            "resolution_due": serializers.DateTimeField().to_representation(inquiry.resolution_due),
        }


@extend_schema(
    summary="Submit a request",
    description="Open to anyone; throttled per client address. Answers with the reference "
    "and the private tracking link.",
)
class InquirySubmitView(generics.CreateAPIView):
    serializer_class = InquirySubmissionSerializer
    permission_classes = [AllowAny]
    authentication_classes: list[type] = []  # public: no session, so no CSRF for API clients
    throttle_classes = [SubmitThrottle]
