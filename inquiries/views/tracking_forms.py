"""The requester's forms: the actions of the tracking page (each with the service it calls and
when it is offered) and the e-mail address for a sign-in link.

Each field name matches the service's ValidationError keys (body, reason, rating, comment), so
an error raised by a service lands beside its field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .. import services
from ..attachments import ALLOWED_HELP, CheckedFile, check_files
from ..models import Inquiry

# A hint for the file picker only; the content decides (check_files).
ACCEPT = ".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.odt,.txt"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class CheckedFilesField(forms.Field):
    """Up to five files, each checked by its content; cleans to a list of CheckedFile."""

    widget = MultipleFileInput

    def to_python(self, data: Any) -> list[UploadedFile]:
        if not data:
            return []
        return list(data) if isinstance(data, list | tuple) else [data]

    def clean(self, value: Any) -> list[CheckedFile]:
        return check_files(self.to_python(value))


class PortalForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")  # labels read as they are, with no colon
        super().__init__(*args, **kwargs)


class ReplyForm(PortalForm):
    body = forms.CharField(
        label=_("Your message"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    files = CheckedFilesField(
        label=_("Add files (optional)"),
        required=False,
        help_text=ALLOWED_HELP,
        widget=MultipleFileInput(attrs={"accept": ACCEPT}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("body", "").strip() and not cleaned.get("files") and not self.errors:
            self.add_error("body", _("Write your message or attach a file."))
        return cleaned


class WithdrawForm(PortalForm):
    confirm = forms.BooleanField(
        label=_("Yes, withdraw my request"),
        error_messages={
            "required": _("Tick the box to confirm that you want to withdraw the request.")
        },
    )
    reason = forms.CharField(
        label=_("Why do you withdraw it? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReopenForm(PortalForm):
    reason = forms.CharField(
        label=_("What is still missing?"),
        max_length=10_000,
        error_messages={"required": _("Tell us what is still missing.")},
        widget=forms.Textarea(attrs={"rows": 4}),
    )


RATING_CHOICES = [
    (1, _("1 – very poor")),
    (2, _("2 – poor")),
    (3, _("3 – fair")),
    (4, _("4 – good")),
    (5, _("5 – excellent")),
]


class RateForm(PortalForm):
    rating = forms.TypedChoiceField(
        label=_("How well did we serve you?"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a rating from 1 to 5."),
            "invalid_choice": _("Choose a rating from 1 to 5."),
        },
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Keep the comment under 2,000 characters.")},
    )


class SignInRequestForm(PortalForm):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_("The address you gave when you sent your requests."),
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter an e-mail address in the form name@example.fi."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # A honeypot: hidden from people (CSS, aria-hidden, no tab stop); bots fill in every field.
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    @property
    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))


@dataclass(frozen=True)
class Action:
    form: type[forms.Form]
    perform: Callable[[Inquiry, dict[str, Any]], object]
    done: Promise


ACTIONS: dict[str, Action] = {
    "reply": Action(
        ReplyForm,
        lambda inquiry, data: services.add_customer_message(
            inquiry_id=inquiry.pk,
            contact=inquiry.contact,
            body=data["body"],
            attachments=data["files"],
        ),
        _("Thank you. Your message was sent to the handler."),
    ),
    "rate": Action(
        RateForm,
        lambda inquiry, data: services.rate_inquiry(
            inquiry_id=inquiry.pk,
            contact=inquiry.contact,
            rating=data["rating"],
            comment=data["comment"],
        ),
        _("Thank you for rating our service."),
    ),
    "reopen": Action(
        ReopenForm,
        lambda inquiry, data: services.reopen_inquiry(
            inquiry_id=inquiry.pk, contact=inquiry.contact, reason=data["reason"]
        ),
        _("Your request is open again. A handler will get back to you."),
    ),
    "withdraw": Action(
        WithdrawForm,
        lambda inquiry, data: services.withdraw_inquiry(
            inquiry_id=inquiry.pk, contact=inquiry.contact, reason=data["reason"]
        ),
        _("You withdrew the request. If you need help later, send a new request."),
    ),
}


def possible_actions(inquiry: Inquiry, now: datetime) -> list[str]:
    deadline = inquiry.reopen_deadline()
    can = {
        "reply": inquiry.is_open,
        "rate": inquiry.can_be_rated,
        "reopen": inquiry.status == Inquiry.Status.RESOLVED and bool(deadline and now <= deadline),
        "withdraw": inquiry.is_open,
    }
    return [name for name, possible in can.items() if possible]
