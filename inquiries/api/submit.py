"""POST /api/v1/inquiries/: anyone submits a request, as DESIGN.md's contract says."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import slug_re
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from crm.models import Language, normalize_business_id, normalize_phone
from routing.models import RequestType

from .. import services
from ..models import Inquiry
from .errors import MethodFirst, errors
from .serializers import UnitSerializer
from .throttles import SubmitThrottle


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


class InquirySubmittedSerializer(serializers.Serializer):
    """The answer to a submission (for the schema: the submission serializer writes it)."""

    reference = serializers.CharField(help_text="E.g. BP-2026-000123.")
    status = serializers.ChoiceField(choices=Inquiry.Status.choices)
    unit = UnitSerializer(help_text="Where it was routed, named in the requester's language.")
    tracking_url = serializers.URLField(help_text="The private link; its last part is the token.")
    first_response_due = serializers.DateTimeField()
    resolution_due = serializers.DateTimeField()


@extend_schema(
    summary="Submit a request",
    description="Open to anyone; throttled per client address. Answers with the reference and "
    "the private tracking link.",
    tags=["public"],
    request=InquirySubmissionSerializer,
    responses={201: InquirySubmittedSerializer, **errors(400, 429)},
)
class InquirySubmitView(MethodFirst, generics.CreateAPIView):
    serializer_class = InquirySubmissionSerializer
    permission_classes = [AllowAny]
    authentication_classes: list[type] = []  # public: no session, so no CSRF for API clients
    throttle_classes = [SubmitThrottle]
