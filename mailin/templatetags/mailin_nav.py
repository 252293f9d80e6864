"""The workspace menu's link to received mail, with how many messages wait for this user."""

from __future__ import annotations

from typing import Any

from django import template

from mailin.models import InboundMail

register = template.Library()


@register.inclusion_tag("mailin/_nav_item.html", takes_context=True)
def mail_nav_item(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    waiting = 0
    if user is not None and user.is_authenticated:
        waiting = InboundMail.objects.reviewable_by(user).pending().count()
    return {"waiting": waiting, "current": context.get("nav") == "mail"}
