"""Who may do what to an inquiry: one rule each, shared by views, the API and the FSM."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from crm.models import Membership

if TYPE_CHECKING:
    from crm.models import User

    from .models import Inquiry


@rules.predicate
def is_service_manager(user: User) -> bool:
    return bool(user.is_active and (user.is_service_manager or user.is_superuser))


def _role_in_unit(user: User, inquiry: Inquiry) -> str | None:
    if not user.is_authenticated or inquiry is None or inquiry.unit_id is None:
        return None
    # The memberships are read once per user object: a page asks several rules at once.
    return user.role_in(inquiry.unit_id)


@rules.predicate
def is_unit_member(user: User, inquiry: Inquiry) -> bool:
    return user.is_active and _role_in_unit(user, inquiry) is not None


@rules.predicate
def is_unit_manager(user: User, inquiry: Inquiry) -> bool:
    return user.is_active and _role_in_unit(user, inquiry) == Membership.Role.MANAGER


@rules.predicate
def is_assignee(user: User, inquiry: Inquiry) -> bool:
    return (
        inquiry is not None and inquiry.assignee_id is not None and inquiry.assignee_id == user.pk
    )


is_staff_member = is_unit_member | is_service_manager

rules.add_perm("inquiries.view_inquiry", is_staff_member)
rules.add_perm("inquiries.claim_inquiry", is_unit_member)
rules.add_perm("inquiries.assign_inquiry", is_unit_manager | is_service_manager)
rules.add_perm("inquiries.transfer_inquiry", is_staff_member)
rules.add_perm("inquiries.reply_inquiry", is_staff_member)
rules.add_perm("inquiries.note_inquiry", is_staff_member)
rules.add_perm("inquiries.ask_customer", is_assignee & is_staff_member)
rules.add_perm("inquiries.resolve_inquiry", is_assignee & is_staff_member)
rules.add_perm("inquiries.close_inquiry_unactioned", is_staff_member)
