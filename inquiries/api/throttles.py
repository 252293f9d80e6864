"""How often the API may be called; over the limit answers 429 with Retry-After.

Rates are read at request time, so deployments and tests set their own: the submission rate
from SUBMIT_THROTTLE_RATE, the requester's replies and ratings from PORTAL_RATE_LIMIT (the
portal's own limit for the same actions), the rest from REST_FRAMEWORK's
DEFAULT_THROTTLE_RATES ("tracking" per client address, "staff" per staff member).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)


class FailOpenThrottle(SimpleRateThrottle):
    """A throttle that lets the call through when the cache (Redis) is down.

    An entrepreneur's request or a handler's work matters more than the count: never a 500.
    """

    def get_rate(self) -> str:
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_cache_key(self, request: Request, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def allow_request(self, request: Request, view: Any) -> bool:
        try:
            return super().allow_request(request, view)
        except Exception:  # noqa: BLE001 - any cache failure
            logger.warning("Throttle cache unavailable; %s call allowed", self.scope, exc_info=True)
            return True


class SubmitThrottle(FailOpenThrottle):
    """Submissions per client address, whoever is signed in."""

    scope = "submit"

    def get_rate(self) -> str:
        return settings.SUBMIT_THROTTLE_RATE


class TrackingThrottle(FailOpenThrottle):
    """Reading a request by its tracking token, per client address (guessing tokens is slow)."""

    scope = "tracking"


class TrackingActionThrottle(FailOpenThrottle):
    """A requester's replies and ratings per client address, as the portal's forms."""

    scope = "tracking_action"

    def get_rate(self) -> str:
        return settings.PORTAL_RATE_LIMIT


class StaffThrottle(FailOpenThrottle):
    """Calls per staff member (by account, whichever address or token they use)."""

    scope = "staff"

    def get_cache_key(self, request: Request, view: Any) -> str:
        ident = request.user.pk if request.user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
