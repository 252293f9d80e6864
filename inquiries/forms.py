"""The portal's public forms: a request, and feedback on the service.

The request form accepts and refuses exactly what the API (inquiries.api) does, field by field,
plus what only a person at a browser gives: consent, files and a honeypot.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import slug_re
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language, get_language_info, gettext_lazy
from django.utils.translation import gettext as _

from crm.models import Language, normalize_business_id, normalize_phone
from crm.translation import pick_language
from routing.models import RequestType

from .attachments import ALLOWED_HELP, ALLOWED_TYPES, CheckedFile, check_files

DESCRIPTION_MAX = 10_000
# The same words as the validators' own messages, for values too long to even check.
BUSINESS_ID_MESSAGE = gettext_lazy(
    "Enter a valid Finnish business ID (Y-tunnus), for example 1234567-1."
)
PHONE_MESSAGE = gettext_lazy("Enter a valid phone number.")
EMAIL_MESSAGE = gettext_lazy("Enter an e-mail address like name@example.fi.")
FEEDBACK_MAX = 5_000
# What the file picker offers first; the content decides in the end (attachments.sniff).
ACCEPT = ",".join(sorted({f".{ext}" for ext in ALLOWED_TYPES.values()} | {".jpeg"}))


def catalogue() -> QuerySet[RequestType]:
    """Active request types with their unit, the "not sure" ones (triage or no unit) last."""
    not_sure = ExpressionWrapper(
        Q(default_unit__isnull=True) | Q(default_unit__is_triage=True),
        output_field=BooleanField(),
    )
    return (
        RequestType.objects.active()
        .select_related("default_unit")
        .annotate(not_sure=not_sure)
        .order_by("not_sure", "order", "code")
    )


class DescribedRadioSelect(forms.RadioSelect):
    """Radio buttons for request types: each carries its description, tied to its input."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):  # type: ignore[no-untyped-def]
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        option["description"] = instance.description_in(get_language()) if instance else ""
        if option["description"] and option["attrs"].get("id"):
            option["attrs"]["aria-describedby"] = f"{option['attrs']['id']}_description"
        return option


class RequestTypeField(forms.ModelChoiceField):
    """A request type by its code, refused before any query when it cannot be a code."""

    def to_python(self, value: Any) -> RequestType | None:
        if value in self.empty_values:
            return None
        if not isinstance(value, str) or not slug_re.fullmatch(value):
            raise self._unknown(value)
        try:
            return self.queryset.get(code=value)
        except RequestType.DoesNotExist as exc:
            raise self._unknown(value) from exc

    def _unknown(self, value: Any) -> ValidationError:
        # The API's message (same words, same translation).
        return ValidationError(
            _("Unknown request type “{value}”.").format(value=str(value)[:50]),
            code="invalid_choice",
        )

    def label_from_instance(self, obj: RequestType) -> str:
        return obj.name


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.Field):
    """Several files from one <input type="file" multiple>, checked by their content."""

    widget = MultipleFileInput

    def to_python(self, data: Any) -> list[CheckedFile]:
        uploads = data if isinstance(data, list | tuple) else [data]
        files = [upload for upload in uploads if isinstance(upload, UploadedFile)]
        return check_files(files)

    def validate(self, value: list[CheckedFile]) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")


class HoneypotMixin(forms.Form):
    """A field people never see or reach; software that fills every field fills it."""

    website = forms.CharField(
        label=gettext_lazy("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def is_spam(self) -> bool:
        return bool(self.data.get("website", "").strip())


def _language_choices() -> list[tuple[str, str]]:
    # Each language in its own name: a Swedish speaker finds "Svenska" on a Finnish page.
    return [
        (code, str(get_language_info(code)["name_local"]).capitalize())
        for code, _label in Language.choices
    ]


class InquiryForm(HoneypotMixin, forms.Form):
    # The error summary lists problems in the order of the page; the honeypot goes last.
    field_order = [
        "request_type",
        "subject",
        "description",
        "attachments",
        "company_name",
        "business_id",
        "contact_name",
        "email",
        "phone",
        "language",
        "consent",
    ]

    request_type = RequestTypeField(
        queryset=RequestType.objects.none(),
        to_field_name="code",
        label=gettext_lazy("What is your request about?"),
        widget=DescribedRadioSelect,
        empty_label=None,
        error_messages={"required": gettext_lazy("Choose what your request is about.")},
    )
    company_name = forms.CharField(
        label=gettext_lazy("Company name"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Leave empty if you do not have a company yet."),
        error_messages={
            "max_length": gettext_lazy(
                "The company name is too long: at most %(limit_value)d characters."
            )
        },
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    business_id = forms.CharField(
        label=gettext_lazy("Business ID (Y-tunnus)"),
        max_length=20,
        required=False,
        help_text=gettext_lazy("For example 1234567-1. Leave empty if you do not have one."),
        error_messages={"max_length": BUSINESS_ID_MESSAGE},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    contact_name = forms.CharField(
        label=gettext_lazy("Your name"),
        max_length=200,
        error_messages={
            "required": gettext_lazy("Enter your name."),
            "max_length": gettext_lazy(
                "Your name is too long: at most %(limit_value)d characters."
            ),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=gettext_lazy("E-mail address"),
        max_length=254,
        help_text=gettext_lazy("We send the reference and your private tracking link here."),
        error_messages={
            "required": gettext_lazy("Enter your e-mail address so that we can answer you."),
            "invalid": EMAIL_MESSAGE,
            "max_length": EMAIL_MESSAGE,
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=gettext_lazy("Phone number"),
        max_length=30,
        required=False,
        help_text=gettext_lazy("For example 040 123 4567 or +358 40 123 4567."),
        error_messages={"max_length": PHONE_MESSAGE},
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of service"),
        choices=Language.choices,
        required=False,  # as in the API; the page's language when missing
        widget=forms.RadioSelect,
    )
    subject = forms.CharField(
        label=gettext_lazy("Subject"),
        max_length=200,
        required=False,
        help_text=gettext_lazy(
            "A few words. If you leave it empty, we use the start of your description."
        ),
        error_messages={
            "max_length": gettext_lazy(
                "The subject is too long: at most %(limit_value)d characters (now %(show_value)d)."
            )
        },
    )
    description = forms.CharField(
        label=gettext_lazy("Describe your request"),
        max_length=DESCRIPTION_MAX,
        help_text=gettext_lazy(
            "In your own words: what you need, and by when if it is urgent. "
            "At most 10,000 characters."
        ),
        error_messages={
            "required": gettext_lazy("Describe your request."),
            "max_length": gettext_lazy(
                "The description is too long: at most %(limit_value)d characters "
                "(now %(show_value)d)."
            ),
        },
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    attachments = MultipleFileField(
        label=gettext_lazy("Attachments"),
        required=False,
        help_text=ALLOWED_HELP,
        widget=MultipleFileInput(attrs={"accept": ACCEPT}),
    )
    consent = forms.BooleanField(
        label=gettext_lazy("I agree that my details are used to handle my request."),
        error_messages={
            "required": gettext_lazy(
                "To send the request, agree that your details are used to handle it."
            )
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["request_type"].queryset = catalogue()
        self.fields["language"].choices = _language_choices()
        self.fields["language"].initial = pick_language(get_language())
        if self.is_bound and not self.data.get("language"):
            # As the API: no language given means the default; show it chosen again.
            self.data = self.data.copy()
            self.data["language"] = self.fields["language"].initial
        self.fields["consent"].help_text = format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            reverse("portal:privacy"),
            _("Read the privacy notice (opens in a new tab)"),
        )

    def clean_business_id(self) -> str:
        value = self.cleaned_data["business_id"]
        return normalize_business_id(value) if value.strip() else ""

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"]
        return normalize_phone(value) if value.strip() else ""

    def clean_language(self) -> str:
        return self.cleaned_data["language"] or pick_language(get_language())


class FeedbackForm(HoneypotMixin, forms.Form):
    field_order = ["message", "name", "email"]

    message = forms.CharField(
        label=gettext_lazy("Your feedback"),
        max_length=FEEDBACK_MAX,
        help_text=gettext_lazy("At most 5,000 characters."),
        error_messages={
            "required": gettext_lazy("Write your feedback."),
            "max_length": gettext_lazy(
                "Your feedback is too long: at most %(limit_value)d characters "
                "(now %(show_value)d)."
            ),
        },
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    name = forms.CharField(
        label=gettext_lazy("Your name"),
        max_length=200,
        required=False,
        error_messages={
            "max_length": gettext_lazy("Your name is too long: at most %(limit_value)d characters.")
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=gettext_lazy("E-mail address"),
        max_length=254,
        required=False,
        help_text=gettext_lazy("Only if you would like an answer."),
        error_messages={"invalid": EMAIL_MESSAGE, "max_length": EMAIL_MESSAGE},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
