"""Who may decide about received mail: held answers, the request's unit; triage, the desk."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

if TYPE_CHECKING:
    from crm.models import User

    from .models import InboundMail


@rules.predicate
def may_review_mail(user: User, mail: InboundMail | None) -> bool:
    """A held answer: a handler of its request's unit; triage: a member of a triage unit.

    Service managers may decide about both.
    """
    from .models import InboundMail

    if mail is None or not user.is_authenticated:
        return False
    return InboundMail.objects.reviewable_by(user).filter(pk=mail.pk).exists()


rules.add_perm("mailin.review_mail", may_review_mail)
