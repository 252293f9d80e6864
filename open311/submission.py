"""POST requests: a partner's system sends a request for an entrepreneur, with its API key.

The checks are the REST API's (``InquirySubmissionSerializer``): this module only renames
Open311's fields to ours and our field names back in the errors.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, QueryDict
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rest_framework.throttling import SimpleRateThrottle

from inquiries.api import InquirySubmissionSerializer
from inquiries.models import Inquiry
from inquiries.services import Submitted
from routing.models import RequestType

from .catalogue import ATTRIBUTE_CODES
from .models import ApiKey
from .render import Open311Error

logger = logging.getLogger(__name__)

ATTRIBUTE_PREFIX = "attribute["
# Our submission's fields by the names the client sent them under, for the errors.
OPEN311_NAMES = {
    "request_type": "service_code",
    "description": "description",
    "contact_name": "first_name / last_name",
    "email": "email",
    "phone": "phone",
    **{code: f"{ATTRIBUTE_PREFIX}{code}]" for code in ATTRIBUTE_CODES},
}
SERVICE_NOTICE = _(
    "Received. %(unit)s will answer by %(due)s. The requester gets a confirmation with a "
    "private tracking link by e-mail."
)


class KeyThrottle(SimpleRateThrottle):
    """Submissions per API key, at the public API's rate per client."""

    scope = "open311-submit"

    def __init__(self, api_key: ApiKey) -> None:
        self.api_key = api_key
        super().__init__()

    def get_rate(self) -> str:
        return settings.SUBMIT_THROTTLE_RATE

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.api_key.pk}

    def allow_request(self, request: Any, view: Any) -> bool:
        # As the REST API: with the cache (Redis) down, an entrepreneur's request goes through.
        try:
            return super().allow_request(request, view)
        except Exception:  # noqa: BLE001 - any cache failure
            logger.warning("Throttle cache unavailable; Open311 submission allowed", exc_info=True)
            return True


def authorised_key(request: HttpRequest) -> ApiKey:
    raw = request.POST.get("api_key", "").strip()
    if not raw:
        raise Open311Error(403, "api_key: " + str(_("An API key is required to post a request.")))
    key = ApiKey.objects.holding(raw)
    if key is None:
        raise Open311Error(403, "api_key: " + str(_("This API key is not valid or was revoked.")))
    throttle = KeyThrottle(key)
    if not throttle.allow_request(request, None):
        wait = int(throttle.wait() or 1)
        message = ngettext(
            "Too many requests with this API key; try again in %(seconds)d second.",
            "Too many requests with this API key; try again in %(seconds)d seconds.",
            wait,
        )
        raise Open311Error(
            429, str(message % {"seconds": wait}), headers={"Retry-After": str(wait)}
        )
    return key


def _attribute_code(name: str) -> str | None:
    """'attribute[business_id]' -> 'business_id'; None for a parameter that is no attribute."""
    if not name.startswith(ATTRIBUTE_PREFIX):
        return None
    return name[len(ATTRIBUTE_PREFIX) : -1] if name.endswith("]") else ""


def submission_data(form: QueryDict) -> dict[str, Any]:
    """Open311's fields and our attributes, under our submission's field names."""
    unknown = [
        name
        for name in form
        if (code := _attribute_code(name)) is not None and code not in ATTRIBUTE_CODES
    ]
    if unknown:
        known = ", ".join(OPEN311_NAMES[code] for code in sorted(ATTRIBUTE_CODES))
        message = _("This service takes no such attribute; it takes %(known)s.")
        raise Open311Error(400, *(f"{name}: {message % {'known': known}}" for name in unknown))
    code = form.get("service_code", "").strip()
    if code and not RequestType.objects.active().filter(code=code).exists():
        message = _("No service “%(value)s”; GET services.json lists them.")
        raise Open311Error(404, "service_code: " + str(message % {"value": code[:50]}))
    data: dict[str, Any] = {}
    for ours, theirs in (("request_type", "service_code"), ("description", "description")):
        if theirs in form:
            data[ours] = form[theirs]
    for field in ("email", "phone"):
        if field in form:
            data[field] = form[field]
    name = " ".join(form.get(part, "").strip() for part in ("first_name", "last_name")).strip()
    if name:
        data["contact_name"] = name
    for attribute in ATTRIBUTE_CODES:
        if f"{ATTRIBUTE_PREFIX}{attribute}]" in form:
            data[attribute] = form[f"{ATTRIBUTE_PREFIX}{attribute}]"]
    return data


def problems(errors: dict[str, Any]) -> list[str]:
    """The serializer's errors, each naming the field as the client sent it."""
    found = []
    for field, messages in errors.items():
        name = OPEN311_NAMES.get(field, "")
        for message in messages:
            found.append(f"{name}: {message}" if name else str(message))
    return found


def submit(request: HttpRequest, *, now: datetime) -> dict[str, Any]:
    """Check the key and the fields, save the request; return its id and what happens next."""
    key = authorised_key(request)
    serializer = InquirySubmissionSerializer(
        data=submission_data(request.POST), context={"channel": Inquiry.Channel.API}
    )
    if not serializer.is_valid():
        raise Open311Error(400, *problems(serializer.errors))
    submitted: Submitted = serializer.save()
    ApiKey.objects.mark_used(key, now=now)
    inquiry = submitted.inquiry
    # The tracking link is the requester's alone: it goes to them by e-mail, not to the partner.
    return {
        "service_request_id": inquiry.reference,
        "service_notice": str(
            SERVICE_NOTICE
            % {
                "unit": inquiry.unit.name,
                "due": formats.date_format(
                    timezone.localtime(inquiry.first_response_due), "SHORT_DATETIME_FORMAT"
                ),
            }
        ),
        "account_id": None,
    }
