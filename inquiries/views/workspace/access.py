"""Who may enter the workspace: members of a unit and service managers, nobody else."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from crm.models import User


def is_workspace_user(user: User) -> bool:
    """A handler or manager of some unit, or a service manager."""
    if not (user.is_authenticated and user.is_active):
        return False
    return bool(user.is_service_manager or user.is_superuser or user.unit_memberships())


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Send anonymous users to sign in; refuse signed-in people who work in no unit."""

    @login_required(login_url="workspace:login")
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_workspace_user(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
