"""What the API's answers share: units, request types, staff members, files, request rows."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.db.models import Model
from django.urls import reverse
from rest_framework import serializers

from crm.models import Language
from routing.models import Priority

from ..models import Attachment, Inquiry, InquiryQuerySet


class CodeRelatedField(serializers.SlugRelatedField):
    """A related object by its code or name; what cannot be one is refused before any query.

    A NUL character or a kilobyte of text never reaches the database (PostgreSQL refuses NUL
    in text, which would be a 500).
    """

    def __init__(self, *, pattern: re.Pattern[str], **kwargs: Any) -> None:
        self.pattern = pattern
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Model:
        if not isinstance(data, str) or not self.pattern.fullmatch(data):
            self.fail("does_not_exist", slug_name=self.slug_field, value=str(data)[:50])
        return super().to_internal_value(data)


class UnitSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class RequestTypeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class StaffMemberSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField(source="__str__", help_text="Full name, or the username.")


class CompanySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    business_id = serializers.CharField(help_text="Y-tunnus, e.g. 1234567-1.")


class FileSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField(help_text="Bytes.")
    url = serializers.SerializerMethodField(help_text="Where the file is downloaded.")

    def get_url(self, attachment: Attachment) -> str:
        return settings.SITE_URL + self.context["file_url"](attachment)


def staff_file_url(attachment: Attachment) -> str:
    """A file in the workspace (a signed-in staff session downloads it)."""
    kwargs = {"reference": attachment.inquiry.reference, "attachment_id": attachment.pk}
    return reverse("workspace:inquiry-file", kwargs=kwargs)


class InquiryRowSerializer(serializers.Serializer):
    """One request as a row of a list: who has it, where it is, when it is due."""

    reference = serializers.CharField()
    url = serializers.HyperlinkedIdentityField(
        view_name="api:inquiry-detail", lookup_field="reference", lookup_url_kwarg="reference"
    )
    status = serializers.ChoiceField(choices=Inquiry.Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    subject = serializers.CharField()
    request_type = RequestTypeSerializer()
    unit = UnitSerializer(allow_null=True)
    assignee = StaffMemberSerializer(allow_null=True)
    company = CompanySerializer(allow_null=True)
    company_name = serializers.CharField(help_text="The company's name as the requester typed it.")
    priority = serializers.ChoiceField(choices=Priority.choices)
    language = serializers.ChoiceField(choices=Language.choices)
    channel = serializers.ChoiceField(choices=Inquiry.Channel.choices)
    submitted_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    first_response_due = serializers.DateTimeField(allow_null=True)
    resolution_due = serializers.DateTimeField(allow_null=True)


class QueueRowSerializer(InquiryRowSerializer):
    """A row of the queue, with the running clock (annotated by InquiryQuerySet.with_sla)."""

    sla_due = serializers.DateTimeField(
        allow_null=True,
        help_text="When the running clock is due: the first response, then the resolution.",
    )
    sla_state = serializers.ChoiceField(
        choices=InquiryQuerySet.SLAState.choices,
        allow_null=True,
        help_text="Where the running clock stands; null for a request that is not open.",
    )
