"""The requester's API: their request by its private tracking token, a reply, a rating.

The same rules as the portal's tracking page, from the same code: the token is looked up only
by its hash (`inquiries.views.tracking.inquiry_for`; an anonymised request's link opens
nothing), the timeline is the page's, built from public rows alone (no internal note, transfer
reason or log note is even read), and each action calls the page's action
(`inquiries.views.tracking_forms.ACTIONS`), so an answer to a question moves the request on.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..models import Attachment, Inquiry
from ..views.tracking import LinkGone, inquiry_for, timeline
from ..views.tracking_forms import ACTIONS, possible_actions
from .errors import MethodFirst, errors
from .serializers import FileSerializer, RequestTypeSerializer, UnitSerializer
from .throttles import TrackingActionThrottle, TrackingThrottle

# What crm.tokens.new_token makes (URL-safe base64); anything else is not looked up at all.
TOKEN = re.compile(r"[A-Za-z0-9_-]{16,128}")
# The actions of the tracking page this API takes; the others are on the page.
API_ACTIONS = ("reply", "rate")


class Gone(APIException):
    """410: the token is right, but its link stopped working (as the tracking page says)."""

    status_code = status.HTTP_410_GONE
    default_code = "gone"


def tracked(token: str) -> Inquiry:
    """The request this tracking token opens; 404 for a token that opens nothing, 410 for a
    link that stopped working (the request was withdrawn, or closed long ago)."""
    if not TOKEN.fullmatch(token):
        raise NotFound
    try:
        return inquiry_for(token)
    except LinkGone as gone:
        inquiry = gone.inquiry
        days = settings.TRACKING_LINK_DAYS_AFTER_CLOSE
        if inquiry.status == Inquiry.Status.WITHDRAWN:
            message = _(
                "You withdrew the request %(reference)s; its private link no longer opens it."
            )
        else:
            message = ngettext(
                "The request %(reference)s was closed more than %(days)s day ago; its private "
                "link no longer opens it.",
                "The request %(reference)s was closed more than %(days)s days ago; its private "
                "link no longer opens it.",
                days,
            )
        raise Gone(message % {"reference": inquiry.reference, "days": days}) from gone


class PublicEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    title = serializers.CharField()
    body = serializers.CharField(help_text="Empty for a step without a message.")
    by_requester = serializers.BooleanField()
    files = FileSerializer(many=True)


class TrackedInquirySerializer(serializers.Serializer):
    """The request as its requester sees it on the tracking page."""

    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=Inquiry.Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    subject = serializers.CharField()
    request_type = RequestTypeSerializer()
    unit = UnitSerializer(allow_null=True, help_text="Who handles it.")
    submitted_at = serializers.DateTimeField()
    answer_due = serializers.SerializerMethodField(
        help_text="When we promise the first answer; null once answered or closed."
    )
    rating = serializers.IntegerField(allow_null=True)
    actions = serializers.SerializerMethodField(help_text="What the requester can do now.")
    timeline = serializers.SerializerMethodField()

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_answer_due(self, inquiry: Inquiry) -> Any:
        if inquiry.is_open and inquiry.first_response_at is None and inquiry.first_response_due:
            return serializers.DateTimeField().to_representation(inquiry.first_response_due)
        return None

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(API_ACTIONS)))
    def get_actions(self, inquiry: Inquiry) -> list[str]:
        possible = possible_actions(inquiry, timezone.now())
        return [name for name in API_ACTIONS if name in possible]

    @extend_schema_field(PublicEntrySerializer(many=True))
    def get_timeline(self, inquiry: Inquiry) -> list[dict[str, Any]]:
        token = self.context["token"]

        def file_url(attachment: Attachment) -> str:
            kwargs = {"token": token, "attachment_id": attachment.pk}
            return reverse("portal:track-file", kwargs=kwargs)

        entries = timeline(inquiry)
        return PublicEntrySerializer(entries, many=True, context={"file_url": file_url}).data


class TrackReplySerializer(serializers.Serializer):
    body = serializers.CharField(
        max_length=10_000,
        error_messages={"required": _("Write your message."), "blank": _("Write your message.")},
    )


class TrackRateSerializer(serializers.Serializer):
    rating = serializers.IntegerField(
        min_value=1,
        max_value=5,
        error_messages={
            "required": _("Choose a rating from 1 to 5."),
            "invalid": _("Choose a rating from 1 to 5."),
            "min_value": _("Choose a rating from 1 to 5."),
            "max_value": _("Choose a rating from 1 to 5."),
            "null": _("Choose a rating from 1 to 5."),
        },
    )
    comment = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        error_messages={"max_length": _("Keep the comment under 2,000 characters.")},
    )


class PrivateView(MethodFirst, APIView):
    """A view opened by a private link: no session (no CSRF), kept out of caches and referrers."""

    permission_classes = [AllowAny]
    authentication_classes: list[type] = []

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        response["Referrer-Policy"] = "strict-origin"
        response["X-Robots-Tag"] = "noindex"
        return response

    def answer(self, token: str) -> Response:
        inquiry = tracked(token)
        return Response(TrackedInquirySerializer(inquiry, context={"token": token}).data)


TAGS = ["public"]


class TrackView(PrivateView):
    throttle_classes = [TrackingThrottle]

    @extend_schema(
        summary="Read a request by its tracking token",
        description="The token is the last part of the tracking link sent on submission. "
        "The timeline holds what the requester may read: no internal notes. A link stops "
        "working (410) when the request is withdrawn, or some time after it closed.",
        tags=TAGS,
        responses={200: TrackedInquirySerializer, **errors(404, 410, 429)},
    )
    def get(self, request: Request, token: str) -> Response:
        return self.answer(token)


class TrackActionView(PrivateView):
    throttle_classes = [TrackingThrottle, TrackingActionThrottle]
    action_name = ""
    serializer_class: type[serializers.Serializer] = serializers.Serializer

    def post(self, request: Request, token: str) -> Response:
        inquiry = tracked(token)
        serializer = self.serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = {"files": [], **serializer.validated_data}
        # The page's own action: the same service, the same checks (409 when no longer open).
        ACTIONS[self.action_name].perform(inquiry, data)
        return self.answer(token)


@extend_schema(
    summary="Reply as the requester",
    description="Adds the requester's message. An answer to a handler's question moves the "
    "request back into handling. A request that is no longer open answers 409.",
    tags=TAGS,
    request=TrackReplySerializer,
    responses={200: TrackedInquirySerializer, **errors(400, 404, 409, 410, 429)},
)
class TrackReplyView(TrackActionView):
    action_name = "reply"
    serializer_class = TrackReplySerializer


@extend_schema(
    summary="Rate the service",
    description="1 to 5, once, when the request is resolved (or closed after a resolution); "
    "otherwise 409.",
    tags=TAGS,
    request=TrackRateSerializer,
    responses={200: TrackedInquirySerializer, **errors(400, 404, 409, 410, 429)},
)
class TrackRateView(TrackActionView):
    action_name = "rate"
    serializer_class = TrackRateSerializer
