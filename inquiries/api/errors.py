"""One error shape for the whole API, and its description in the schema.

- 400: `{"<field>": ["message", …]}`; what belongs to no field is under `non_field_errors`.
- 401, 403, 404, 405, 406, 409, 410, 415, 429: `{"detail": "message"}`; 429 adds
  `Retry-After`.

A service's `ValidationError` is a 400 naming its fields; `TransitionNotAllowed` and
`ConcurrentTransition` (the request changed meanwhile) are a 409, as on the web pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

CHANGED_MEANWHILE = _("The request changed meanwhile; fetch it again and check its state.")


class Conflict(exceptions.APIException):
    """409: the step is no longer possible in the request's current state."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = CHANGED_MEANWHILE
    default_code = "conflict"


def _messages(value: Any) -> Iterator[str]:
    """Every message in a (possibly nested) error structure, as plain strings."""
    if isinstance(value, dict):
        for inner in value.values():
            yield from _messages(inner)
    elif isinstance(value, list | tuple):
        for inner in value:
            yield from _messages(inner)
    else:
        yield str(value)


def _field(name: Any) -> str:
    # A model's clean() names no field with "__all__".
    return api_settings.NON_FIELD_ERRORS_KEY if name == NON_FIELD_ERRORS else str(name)


def field_errors(detail: Any) -> dict[str, list[str]]:
    """Flatten any validation detail to {field: [messages]} (non_field_errors if no field)."""
    if isinstance(detail, dict):
        return {_field(name): list(_messages(value)) for name, value in detail.items()}
    return {api_settings.NON_FIELD_ERRORS_KEY: list(_messages(detail))}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler in one shape; a model ValidationError is a 400, a stale transition a 409."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, TransitionNotAllowed):
        # The services say what happened: "Request BP-… is Resolved now; …".
        exc = Conflict(str(exc) if exc.args else None)
    elif isinstance(exc, ConcurrentTransition):
        # Another transaction saved the request first; its text is for developers.
        exc = Conflict()
    response = drf_exception_handler(exc, context)
    if response is not None and response.status_code == status.HTTP_400_BAD_REQUEST:
        # A parse error or a validation error: always messages per field.
        data = response.data
        if isinstance(data, dict) and set(data) == {"detail"} and isinstance(data["detail"], str):
            data = {api_settings.NON_FIELD_ERRORS_KEY: [data["detail"]]}
        response.data = field_errors(data)
    return response


class MethodFirst:
    """Answer 405 to a method the URL does not take, whoever asks (before signing in).

    DRF checks credentials first, so a visitor would be told 401 for a method that no one
    may use; what a URL takes is no secret.
    """

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        method = request.method.lower()
        if method not in self.http_method_names or not hasattr(self, method):
            raise exceptions.MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)


# -- the schema ----------------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


# {"<field>": ["message", …]}: the names depend on the operation, so any name is allowed.
FIELD_ERRORS: dict[str, Any] = {
    "type": "object",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
    "example": {"description": ["This field is required."]},
}

# The schema is read by developers: in English (the messages themselves are translated).
DESCRIPTIONS = {
    400: "Invalid input: messages per field (non_field_errors for the whole input).",
    401: "Not signed in: send a token (Authorization: Token …) or a session cookie.",
    403: "Signed in, but not allowed to do this.",
    404: "Not found, or not visible to you.",
    409: "No longer possible: the request is in another state now.",
    410: "The tracking link no longer opens the request (withdrawn, or closed long ago).",
    429: "Too many requests: try again after Retry-After seconds.",
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """The schema's error responses for these status codes."""
    return {
        code: OpenApiResponse(
            FIELD_ERRORS if code == 400 else ErrorSerializer, description=DESCRIPTIONS[code]
        )
        for code in codes
    }


@extend_schema(exclude=True)
@api_view(["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"])
@authentication_classes([])
@permission_classes([AllowAny])
def not_found(request: Request, *args: Any, **kwargs: Any) -> Response:
    """Any other URL under /api/v1/: 404 in the API's error shape."""
    raise exceptions.NotFound
