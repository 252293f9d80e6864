"""The public pages of the portal: home, the request form, the receipt, privacy, feedback.

Open to everyone, signed in or not; nothing here depends on who is signed in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.decorators import ratelimit

from crm.models import Unit
from crm.translation import pick_language
from routing.calendar import BusinessCalendar
from routing.models import SLAPolicy

from .. import services
from ..forms import FeedbackForm, InquiryForm, catalogue
from ..models import Inquiry
from ..services import Submission

# The receipt's data: put there by a submission, read once by the receipt page.
RECEIPT_SESSION_KEY = "portal_receipt"


def portal_rate(group: str, request: HttpRequest) -> str:
    # Read at request time, so that settings (and tests) can change it.
    return settings.PORTAL_RATE_LIMIT


def too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "429.html", status=429)


def unit_description(unit: Unit) -> str:
    language = pick_language(get_language())
    return getattr(unit, f"description_{language}") or unit.description_fi


@dataclass(frozen=True)
class CatalogueEntry:
    code: str
    name: str
    description: str


@dataclass
class CatalogueGroup:
    """The request types one unit handles (or, with unit None, those we place for you)."""

    unit: Unit | None
    description: str = ""
    request_types: list[CatalogueEntry] = field(default_factory=list)


def catalogue_groups() -> list[CatalogueGroup]:
    """Active request types grouped by the unit that handles them; "not sure" last."""
    language = get_language()
    groups: dict[int | None, CatalogueGroup] = {}
    for request_type in catalogue():  # one query, whatever the size of the catalogue
        unit = None if request_type.not_sure else request_type.default_unit
        key = unit.pk if unit else None
        if key not in groups:
            groups[key] = CatalogueGroup(unit, unit_description(unit) if unit else "")
        groups[key].request_types.append(
            CatalogueEntry(
                request_type.code, request_type.name, request_type.description_in(language)
            )
        )
    # The query puts "not sure" types last, so their group comes last too.
    return list(groups.values())


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Say what Business Porvoo offers and who handles what."""
    groups = catalogue_groups()
    units = [group for group in groups if group.unit is not None]
    not_sure = next((group for group in groups if group.unit is None), None)
    context = {"units": units, "not_sure": not_sure, "response_days": default_response_days()}
    return render(request, "portal/home.html", context)


def default_response_days() -> int | None:
    """The default first-response promise in whole working days, or None."""
    calendar = BusinessCalendar()
    hours_per_day = calendar.closes.hour - calendar.opens.hour
    policy = SLAPolicy.objects.filter(is_default=True).only("first_response_hours").first()
    if policy is None or policy.first_response_hours % hours_per_day:
        return None
    return policy.first_response_hours // hours_per_day


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=portal_rate, method="POST", block=False)
def submit(request: HttpRequest) -> HttpResponse:
    """Take a request from anyone; on success show its receipt (POST, redirect, GET)."""
    if getattr(request, "limited", False):
        return too_many(request)
    if request.method != "POST":
        return render(request, "portal/submit.html", {"form": InquiryForm()})
    form = InquiryForm(request.POST, request.FILES)
    if form.is_spam():
        # Look exactly like a success to the software that filled the honeypot; keep nothing.
        return redirect("portal:receipt")
    if not form.is_valid():
        # A browser cannot be given files back: say so when some were chosen.
        files_dropped = bool(request.FILES.getlist("attachments"))
        return render(request, "portal/submit.html", {"form": form, "files_dropped": files_dropped})
    data = form.cleaned_data
    submitted = services.submit_inquiry(
        submission=Submission(
            request_type=data["request_type"],
            description=data["description"],
            contact_name=data["contact_name"],
            email=data["email"],
            subject=data["subject"],
            company_name=data["company_name"],
            business_id=data["business_id"],
            phone=data["phone"],
            language=data["language"],
            channel=Inquiry.Channel.WEB,
            attachments=tuple(data["attachments"]),
        )
    )
    request.session[RECEIPT_SESSION_KEY] = {
        "reference": submitted.inquiry.reference,
        "token": submitted.tracking_token,
    }
    return redirect("portal:receipt")


@require_GET
def receipt(request: HttpRequest) -> HttpResponse:
    """Show the reference and the private tracking link, once, to whoever just sent it."""
    data = request.session.pop(RECEIPT_SESSION_KEY, None)
    inquiry = None
    if isinstance(data, dict) and data.get("reference"):
        inquiry = (
            Inquiry.objects.select_related("unit", "request_type")
            .filter(reference=data["reference"])
            .first()
        )
    if inquiry is None:
        return redirect("portal:home")
    response = render(
        request,
        "portal/receipt.html",
        {"inquiry": inquiry, "tracking_url": services.tracking_url(data["token"])},
    )
    # The page holds the private link: keep it out of caches and referrers.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "strict-origin"  # see views.tracking.private
    return response


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    """The privacy notice of the service."""
    return render(request, "portal/privacy.html", {"retention_months": settings.RETENTION_MONTHS})


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=portal_rate, method="POST", block=False)
def feedback(request: HttpRequest) -> HttpResponse:
    """Take feedback on Business Porvoo's service, for the service managers."""
    if getattr(request, "limited", False):
        return too_many(request)
    if request.method != "POST":
        return render(request, "portal/feedback.html", {"form": FeedbackForm()})
    form = FeedbackForm(request.POST)
    if not form.is_spam():
        if not form.is_valid():
            return render(request, "portal/feedback.html", {"form": form})
        services.leave_service_feedback(
            message=form.cleaned_data["message"],
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            language=pick_language(get_language()),
        )
    messages.success(request, _("Thank you for your feedback. It helps us serve you better."))
    return redirect("portal:home")


urlpatterns: list[URLPattern] = [
    path("", home, name="home"),
    path("request/", submit, name="submit"),
    path("request/sent/", receipt, name="receipt"),
    path("privacy/", privacy, name="privacy"),
    path("feedback/", feedback, name="feedback"),
]
