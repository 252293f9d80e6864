"""POST /api/v1/inquiries/<reference>/transitions/<name>/: the request page's actions.

Each is the workspace's action (`detail_forms.ACTIONS`): the same permission, the same service
call with the same data, so the API cannot do what the page may not. The payload serializers
check what the page's forms check, with the same messages. As on the page: another unit's
request is a 404, a step the user may not take a 403, and a step that is no longer possible
(someone else took the request, its status changed) a 409 that says what it is now.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from crm.access import get_inquiry_for
from crm.models import Unit, User

from ..models import Inquiry
from ..views.workspace.detail import stale_message, taken_by_another
from ..views.workspace.detail_forms import ACTIONS
from .errors import Conflict, errors
from .serializers import CodeRelatedField, InquiryRowSerializer
from .staff import StaffView, visible_inquiry

UNIT_CODE = re.compile(r"[-a-zA-Z0-9_]{1,50}")
USERNAME = re.compile(r"[\w.@+-]{1,150}")


def text(max_length: int, required: str, **kwargs: Any) -> serializers.CharField:
    return serializers.CharField(
        max_length=max_length, error_messages={"required": required, "blank": required}, **kwargs
    )


class ClaimSerializer(serializers.Serializer):
    """Nothing to send: the request becomes yours."""


class AssignSerializer(serializers.Serializer):
    assignee = CodeRelatedField(
        pattern=USERNAME,
        slug_field="username",
        queryset=User.objects.none(),
        help_text="The username of a handler of the request's unit.",
        error_messages={
            "required": _("Choose the handler to assign the request to."),
            "null": _("Choose the handler to assign the request to."),
            "does_not_exist": _("Choose a handler of the request's unit."),
            "invalid": _("Choose a handler of the request's unit."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # As the page's form: the unit's active handlers, not the one who has it now.
        inquiry: Inquiry | None = self.context.get("inquiry")
        if inquiry is not None:
            handlers = User.objects.filter(memberships__unit=inquiry.unit_id, is_active=True)
            if inquiry.assignee_id:
                handlers = handlers.exclude(pk=inquiry.assignee_id)
            self.fields["assignee"].queryset = handlers


class TransferSerializer(serializers.Serializer):
    unit = CodeRelatedField(
        pattern=UNIT_CODE,
        slug_field="code",
        queryset=Unit.objects.none(),
        help_text="The code of the unit the request belongs to, e.g. employment-services.",
        error_messages={
            "required": _("Choose the unit the request belongs to."),
            "null": _("Choose the unit the request belongs to."),
            "does_not_exist": _("Choose another unit than the current one."),
            "invalid": _("Choose another unit than the current one."),
        },
    )
    reason = text(
        2000,
        _("Say why the request belongs to another unit."),
        help_text="Counted as a routing miss. The receiving unit reads it; the requester never.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        inquiry: Inquiry | None = self.context.get("inquiry")
        if inquiry is not None:
            self.fields["unit"].queryset = Unit.objects.exclude(pk=inquiry.unit_id)


class ReplySerializer(serializers.Serializer):
    body = text(10_000, _("Write the reply."), help_text="Sent to the requester by e-mail.")


class NoteSerializer(serializers.Serializer):
    body = text(10_000, _("Write the note."), help_text="Only staff read it; never the requester.")


class AskSerializer(serializers.Serializer):
    question = text(
        10_000,
        _("Write the question."),
        help_text="Sent to the requester; the service-level clock pauses until they answer.",
    )


class ResolveSerializer(serializers.Serializer):
    outcome = text(
        10_000,
        _("Tell the requester the outcome."),
        help_text="Sent to the requester with a request to rate the service.",
    )


class CloseSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(
        choices=Inquiry.CloseReason.choices,
        error_messages={
            "required": _("Choose duplicate, spam or out of scope."),
            "null": _("Choose duplicate, spam or out of scope."),
            "invalid_choice": _("Choose duplicate, spam or out of scope."),
        },
    )
    duplicate_of = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        default="",
        help_text="For a duplicate: the reference of the original, e.g. BP-2026-000123.",
    )
    message = serializers.CharField(
        max_length=10_000,
        required=False,
        allow_blank=True,
        default="",
        help_text="To the requester. Out of scope: required (where to turn instead). "
        "Duplicate: optional. Spam: nothing is sent.",
    )

    def validate_duplicate_of(self, value: str) -> str:
        return value.strip().upper()

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        reason = data["reason"]
        if reason == Inquiry.CloseReason.DUPLICATE and not data["duplicate_of"]:
            raise serializers.ValidationError(
                {"duplicate_of": _("Give the reference of the request this one repeats.")}
            )
        if reason == Inquiry.CloseReason.OUT_OF_SCOPE and not data["message"].strip():
            raise serializers.ValidationError(
                {"message": _("Tell the requester where to turn instead (a referral).")}
            )
        return data


class TransitionView(StaffView):
    """Take one action of the request page; answer with the request as it is now."""

    action_name = ""
    serializer_class: type[serializers.Serializer] = ClaimSerializer

    def post(self, request: Request, reference: str) -> Response:
        user = request.user
        inquiry = visible_inquiry(user, reference)
        spec = ACTIONS[self.action_name]
        if not user.has_perm(spec.permission, inquiry):
            if spec.assignee_only and taken_by_another(inquiry, user):
                # Asking and resolving are the assignee's: someone else has the request now.
                raise Conflict(stale_message(inquiry, self.action_name, user))
            raise PermissionDenied
        context = {"inquiry": inquiry, "request": request}
        serializer = self.serializer_class(data=request.data, context=context)
        serializer.is_valid(raise_exception=True)
        try:
            spec.perform(inquiry, user, serializer.validated_data)
        except (TransitionNotAllowed, ConcurrentTransition) as exc:
            raise self.refused(reference, exc) from exc
        current = Inquiry.objects.select_related("unit", "assignee", "company", "request_type").get(
            pk=inquiry.pk
        )
        return Response(InquiryRowSerializer(current, context=context).data)

    def refused(self, reference: str, exc: Exception) -> Conflict:
        """The service found the step no longer possible: say what the request is now."""
        if isinstance(exc, TransitionNotAllowed) and exc.args:
            return Conflict(str(exc))
        try:
            current = get_inquiry_for(self.request.user, reference)
        except Exception:  # noqa: BLE001 - moved out of the user's units meanwhile
            return Conflict()
        return Conflict(stale_message(current, self.action_name, self.request.user))


# name -> (payload, summary, description)
TRANSITIONS: dict[str, tuple[type[serializers.Serializer], str, str]] = {
    "claim": (
        ClaimSerializer,
        "Claim",
        "Take an unassigned request of your unit into your own work. 409 if someone has it.",
    ),
    "assign": (
        AssignSerializer,
        "Assign",
        "Give the request to a handler of its unit (unit managers and service managers).",
    ),
    "transfer": (
        TransferSerializer,
        "Transfer",
        "Move the request to another unit with a reason (counted as a routing miss). The "
        "answer may describe a request no longer in your units.",
    ),
    "reply": (
        ReplySerializer,
        "Reply",
        "Send the requester a public reply; the first one is the first response.",
    ),
    "note": (NoteSerializer, "Add an internal note", "A note only staff read."),
    "ask": (
        AskSerializer,
        "Ask the requester",
        "Ask the requester a question (the assignee only); the clock pauses until they answer.",
    ),
    "resolve": (
        ResolveSerializer,
        "Resolve",
        "Resolve with a public message that tells the outcome (the assignee only).",
    ),
    "close": (
        CloseSerializer,
        "Close without handling",
        "Close a duplicate, spam or a request out of scope (with a referral).",
    ),
}


def transition_view(name: str) -> type[TransitionView]:
    """The view of one action, with its own payload and its own operation in the schema."""
    payload, summary, description = TRANSITIONS[name]
    view = type(
        f"{name.title()}TransitionView",
        (TransitionView,),
        {"action_name": name, "serializer_class": payload, "__doc__": description},
    )
    schema = extend_schema(
        operation_id=f"inquiry_{name}",
        summary=summary,
        description=description,
        tags=["staff transitions"],
        request=payload,
        responses={200: InquiryRowSerializer, **errors(400, 401, 403, 404, 409, 429)},
    )
    return extend_schema_view(post=schema)(view)


VIEWS = {name: transition_view(name) for name in TRANSITIONS}
