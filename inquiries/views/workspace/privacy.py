"""Data-protection requests: a service manager finds, exports and erases what is held about
an e-mail address (`inquiries.services.privacy`). Every step is a POST: addresses stay out of
URLs and logs. Others get 403; visitors are sent to sign in."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from crm.models import DataProtectionAct

from ...services import privacy
from ..form_errors import error_summary
from .queue import workspace_view

RECENT_ACTS = 20


class AddressForm(forms.Form):
    email = forms.EmailField(
        label=_("The person's e-mail address"),
        max_length=254,
        help_text=_("Check the person's identity before you export or erase their data."),
    )


class EraseForm(AddressForm):
    confirm = forms.BooleanField(
        label=_("I have checked the person's identity and want to erase their data for good"),
        error_messages={"required": _("Tick the box to confirm the erasure.")},
    )


def service_managers_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not (request.user.is_service_manager or request.user.is_superuser):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return workspace_view(wrapped)


def page(
    request: HttpRequest,
    form: forms.Form,
    *,
    found: privacy.Found | None = None,
    erase_form: EraseForm | None = None,
    erased: privacy.Found | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "nav": "privacy",
        "form": form,
        "found": found,
        "erase_form": erase_form,
        "erased": erased,
        "error_summary": error_summary(erase_form if erase_form is not None else form),
        "acts": DataProtectionAct.objects.select_related("actor")[:RECENT_ACTS],
    }
    return render(request, "workspace/privacy.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@service_managers_only
def privacy_requests(request: HttpRequest) -> HttpResponse:
    """The form; with an address posted, what is held about it and the two acts."""
    if request.method != "POST":
        return page(request, AddressForm())
    form = AddressForm(request.POST)
    if not form.is_valid():
        return page(request, form, status=400)
    email = form.cleaned_data["email"]
    return page(
        request,
        form,
        found=privacy.find(email),
        erase_form=EraseForm(initial={"email": email}, prefix="erase"),
    )


@require_POST
@service_managers_only
def privacy_export(request: HttpRequest) -> HttpResponse:
    """Everything held about the address as a JSON download; the act is recorded."""
    form = AddressForm(request.POST)
    if not form.is_valid():
        return page(request, form, status=400)
    data = privacy.export_personal_data(email=form.cleaned_data["email"], actor=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    day = timezone.localdate()
    response["Content-Disposition"] = (
        f'attachment; filename="business-porvoo-personal-data-{day:%Y-%m-%d}.json"'
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@service_managers_only
def privacy_erase(request: HttpRequest) -> HttpResponse:
    """Erase after the confirmation; without it, the page again with the box marked."""
    erase_form = EraseForm(request.POST, prefix="erase")
    if not erase_form.is_valid():
        email = request.POST.get("erase-email", "")
        address = AddressForm({"email": email})
        found = privacy.find(email) if address.is_valid() else None
        return page(request, address, found=found, erase_form=erase_form, status=400)
    erased = privacy.erase_personal_data(email=erase_form.cleaned_data["email"], actor=request.user)
    return page(request, AddressForm(), erased=erased)


urlpatterns: list[URLPattern] = [
    path("privacy/", privacy_requests, name="privacy"),
    path("privacy/export/", privacy_export, name="privacy-export"),
    path("privacy/erase/", privacy_erase, name="privacy-erase"),
]
