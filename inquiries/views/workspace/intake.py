"""Record a request that came by phone, at the desk or at an event, on the requester's behalf.

The request is saved, routed and timed like any other (inquiries.services.submit_inquiry), with
its channel and the member of staff who recorded it in its log. The requester gets the receipt
by e-mail when an address is known; without one, a phone number is required.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from crm.models import Language, normalize_business_id, normalize_phone
from routing.models import RequestType

from ...forms import (
    BUSINESS_ID_MESSAGE,
    DESCRIPTION_MAX,
    EMAIL_MESSAGE,
    PHONE_MESSAGE,
    RequestTypeField,
    catalogue,
)
from ...models import Inquiry
from ...services import Submission, submit_inquiry
from ..form_errors import error_summary
from .queue import workspace_view

# The channels a member of staff records; the web form, the API and e-mail record themselves.
RECORDED_CHANNELS = (Inquiry.Channel.PHONE, Inquiry.Channel.VISIT, Inquiry.Channel.EVENT)


class RecordForm(forms.Form):
    """A request as a member of staff heard it: what, from whom, how to reach them."""

    required_css_class = "required"

    channel = forms.ChoiceField(
        label=gettext_lazy("How did the request come?"),
        choices=[(channel.value, channel.label) for channel in RECORDED_CHANNELS],
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose how the request came to you.")},
    )
    request_type = RequestTypeField(
        queryset=RequestType.objects.none(),
        to_field_name="code",
        label=gettext_lazy("What is the request about?"),
        empty_label=gettext_lazy("Choose a request type"),
        help_text=gettext_lazy(
            "If you are not sure, choose “not sure”: the text decides the unit."
        ),
        error_messages={"required": gettext_lazy("Choose what the request is about.")},
    )
    subject = forms.CharField(
        label=gettext_lazy("Subject"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("A few words; empty: the start of the description."),
        error_messages={
            "max_length": gettext_lazy(
                "The subject is too long: at most %(limit_value)d characters (now %(show_value)d)."
            )
        },
    )
    description = forms.CharField(
        label=gettext_lazy("What does the requester need?"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "In the requester's words where you can; the requester sees this text on the "
            "tracking page. At most 10,000 characters."
        ),
        error_messages={
            "required": gettext_lazy("Describe the request."),
            "max_length": gettext_lazy(
                "The description is too long: at most %(limit_value)d characters "
                "(now %(show_value)d)."
            ),
        },
    )
    company_name = forms.CharField(
        label=gettext_lazy("Company name"),
        max_length=200,
        required=False,
        error_messages={
            "max_length": gettext_lazy(
                "The company name is too long: at most %(limit_value)d characters."
            )
        },
    )
    business_id = forms.CharField(
        label=gettext_lazy("Business ID (Y-tunnus)"),
        max_length=20,
        required=False,
        help_text=gettext_lazy("For example 1234567-1. Empty if the company has none yet."),
        error_messages={"max_length": BUSINESS_ID_MESSAGE},
    )
    contact_name = forms.CharField(
        label=gettext_lazy("Requester's name"),
        max_length=200,
        required=False,
        error_messages={
            "max_length": gettext_lazy("The name is too long: at most %(limit_value)d characters.")
        },
    )
    email = forms.EmailField(
        label=gettext_lazy("Requester's e-mail address"),
        max_length=254,
        required=False,
        help_text=gettext_lazy(
            "The receipt and the tracking link go here. Give this or a phone number."
        ),
        error_messages={"invalid": EMAIL_MESSAGE, "max_length": EMAIL_MESSAGE},
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=gettext_lazy("Requester's phone number"),
        max_length=30,
        required=False,
        help_text=gettext_lazy("For example 040 123 4567 or +358 40 123 4567."),
        error_messages={"max_length": PHONE_MESSAGE},
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Requester's language"),
        choices=Language.choices,
        widget=forms.RadioSelect,
        initial=Language.FI,
        error_messages={"required": gettext_lazy("Choose the language of service.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["request_type"].queryset = catalogue()

    def clean_business_id(self) -> str:
        value = self.cleaned_data["business_id"]
        return normalize_business_id(value) if value.strip() else ""

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"]
        return normalize_phone(value) if value.strip() else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        email, phone = data.get("email"), data.get("phone")
        # A way to reach the requester; a phone number that failed its own check is named there.
        if not email and not phone and "phone" not in self.errors and "email" not in self.errors:
            self.add_error(
                "email",
                _("Give the requester's e-mail address or phone number, so that we can answer."),
            )
        return data

    def submission(self, recorded_by: Any) -> Submission:
        data = self.cleaned_data
        # The name as given, else what else identifies the requester.
        name = data["contact_name"].strip() or data["company_name"].strip()
        return Submission(
            request_type=data["request_type"],
            description=data["description"],
            contact_name=name or data["email"] or data["phone"],
            email=data["email"],
            subject=data["subject"],
            company_name=data["company_name"],
            business_id=data["business_id"],
            phone=data["phone"],
            language=data["language"],
            channel=data["channel"],
            recorded_by=recorded_by,
        )


@require_http_methods(["GET", "POST"])
@workspace_view
def record_request(request: HttpRequest) -> HttpResponse:
    """Record a request heard by phone, at the desk or at an event; route it like any other."""
    form = RecordForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        inquiry = submit_inquiry(submission=form.submission(request.user)).inquiry
        done = _("Request %(reference)s recorded; it went to %(unit)s.") % {
            "reference": inquiry.reference,
            "unit": inquiry.unit.name,
        }
        if not inquiry.contact.email:
            done += " " + _("No e-mail address: tell the requester the reference yourself.")
        messages.success(request, done)
        if Inquiry.objects.visible_to(request.user).filter(pk=inquiry.pk).exists():
            return redirect("workspace:inquiry", reference=inquiry.reference)
        return redirect("workspace:record")
    context = {
        "nav": "record",
        "form": form,
        "error_summary": error_summary(form) if form.is_bound else [],
    }
    return render(request, "workspace/record.html", context, status=400 if form.errors else 200)


urlpatterns: list[URLPattern] = [
    path("record/", record_request, name="record"),
]
