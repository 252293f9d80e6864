"""Staff sign-in throttling (django-axes): whose address counts, what a locked-out person sees."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, from the header the proxy in front sets (as the portal's limits)."""
    value = request.META.get(settings.RATELIMIT_IP_META_KEY) or request.META.get("REMOTE_ADDR")
    # X-Forwarded-For may list several hops: the first is the client as the proxy saw it.
    return value.split(",")[0].strip() if value else None


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any
) -> HttpResponse:
    """429 with a page in the reader's language saying when to try again."""
    minutes = settings.AXES_COOLOFF_MINUTES
    response = TemplateResponse(
        request,
        "workspace/locked_out.html",
        {"minutes": minutes, "attempts": settings.AXES_FAILURE_LIMIT},
        status=429,
    )
    response["Retry-After"] = str(minutes * 60)
    return response.render()
