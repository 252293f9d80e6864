"""Every change to an inquiry: one atomic function each, the log row in the same transaction.

Views, the API, tasks and the admin call these; nothing else calls a transition.
"""

from .handling import (
    add_internal_note,
    ask_customer,
    assign_inquiry,
    claim_inquiry,
    close_inquiry_unactioned,
    reply_to_inquiry,
    resolve_inquiry,
    transfer_inquiry,
)
from .portal import leave_service_feedback, redeem_sign_in_link, request_sign_in_link
from .requester import add_customer_message, rate_inquiry, reopen_inquiry, withdraw_inquiry
from .retention import anonymise_inquiry, anonymise_old_inquiries
from .submission import (
    Submission,
    Submitted,
    route_inquiry,
    subject_from,
    submit_inquiry,
    tracking_url,
)
from .system import (
    close_resolved_inquiries,
    close_resolved_inquiry,
    remind_requesters,
    scan_service_levels,
)

__all__ = [
    "leave_service_feedback",
    "rate_inquiry",
    "redeem_sign_in_link",
    "request_sign_in_link",
    "anonymise_inquiry",
    "anonymise_old_inquiries",
    "remind_requesters",
    "scan_service_levels",
    "Submission",
    "Submitted",
    "add_customer_message",
    "add_internal_note",
    "ask_customer",
    "assign_inquiry",
    "claim_inquiry",
    "close_inquiry_unactioned",
    "close_resolved_inquiries",
    "close_resolved_inquiry",
    "reopen_inquiry",
    "reply_to_inquiry",
    "resolve_inquiry",
    "route_inquiry",
    "subject_from",
    "submit_inquiry",
    "tracking_url",
    "transfer_inquiry",
    "withdraw_inquiry",
]
