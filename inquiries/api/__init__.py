"""REST API v1 (/api/v1/): the public submission and tracking, and the staff API.

Its OpenAPI schema is at /api/schema/, browsable at /api/docs/. Each module holds one part:
submit (POST /inquiries/), public (tracking token: read, reply, rate), staff (queue, one
request, companies), transitions (the request page's actions), metrics (the dashboard's
figures); errors, throttles and serializers are shared.
"""

from .errors import exception_handler
from .submit import InquirySubmissionSerializer, InquirySubmitView
from .throttles import SubmitThrottle

__all__ = [
    "InquirySubmissionSerializer",
    "InquirySubmitView",
    "SubmitThrottle",
    "exception_handler",
]
