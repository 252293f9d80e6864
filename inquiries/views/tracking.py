"""The requester's side: the private tracking page (more of the portal comes with issue 4)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from ..models import Inquiry, Message


def track(request: HttpRequest, token: str) -> HttpResponse:
    """Show a requester where their request stands, from the private link in the receipt."""
    inquiry = (
        Inquiry.objects.with_tracking_token(token).select_related("unit", "request_type").first()
    )
    if inquiry is None:
        raise Http404
    messages = inquiry.messages.filter(visibility=Message.Visibility.PUBLIC).select_related(
        "author_contact"
    )
    steps = inquiry.transitions.exclude(name="submit").only("name", "target", "at")
    response = render(
        request,
        "portal/track.html",
        {"inquiry": inquiry, "public_messages": messages, "steps": steps},
    )
    # The link is the key: keep it out of referrers and shared caches.
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("track/<str:token>/", track, name="track"),
]
