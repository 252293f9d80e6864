"""The requester's own pages: the private tracking page with its actions and files, and
"my requests" behind a one-time sign-in link by e-mail.

The tracking link is the key to one request: it is looked up only by its hash, and whoever holds
it acts as the requester. Nothing internal (notes, transfer reasons, log notes, staff surnames)
leaves this module: the timeline is built from public rows into plain entries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_fsm import ConcurrentTransition, TransitionNotAllowed
from django_ratelimit.decorators import ratelimit

from crm.models import Contact, SignInLink, Unit, User
from crm.tokens import hash_token
from crm.translation import pick_language

from .. import services
from ..models import Attachment, Inquiry, Message, TrackingLink, TransitionLog
from ..services.portal import SIGN_IN_VALID
from .downloads import attachment_download
from .form_errors import error_summary
from .tracking_forms import ACTIONS, SignInRequestForm, possible_actions

PUBLIC = Message.Visibility.PUBLIC
SESSION_CONTACT = "portal_contact_id"
SESSION_UNTIL = "portal_signed_in_until"
# How long "my requests" stays open after a sign-in link is used.
SIGNED_IN_FOR = timedelta(hours=2)


def private(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Keep the page out of referrers, shared caches and search engines: its URL is a key."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        # strict-origin: other sites get our origin only, never the token in the path; a
        # same-origin form post still carries an Origin (no-referrer makes it "null", which
        # the CSRF check refuses).
        response["Referrer-Policy"] = "strict-origin"
        response["X-Robots-Tag"] = "noindex"
        return response

    return wrapped


def portal_rate(group: str, request: HttpRequest) -> str:
    # Read on each request, not at import: deployments and tests set their own.
    return settings.PORTAL_RATE_LIMIT


def too_many(request: HttpRequest) -> HttpResponse:
    return render(request, ["429.html", "portal/my_requests_limited.html"], status=429)


# -- the tracking page -------------------------------------------------------------------------


class LinkGone(Exception):
    """The token is right but its link no longer opens the request (withdrawn, closed long ago)."""

    def __init__(self, inquiry: Inquiry) -> None:
        super().__init__(inquiry.reference)
        self.inquiry = inquiry


def inquiry_for(token: str) -> Inquiry:
    inquiry = (
        Inquiry.objects.with_tracking_token(token)
        .select_related("unit", "request_type", "contact", "assignee")
        .first()
    )
    if inquiry is None:
        raise Http404
    if not inquiry.tracking_link_works(timezone.now()):
        raise LinkGone(inquiry)
    return inquiry


def tracking_link(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page opened by a tracking link: a link that stopped working says why (410 Gone)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except LinkGone as gone:
            context = {
                "inquiry": gone.inquiry,
                "withdrawn": gone.inquiry.status == Inquiry.Status.WITHDRAWN,
                "days": settings.TRACKING_LINK_DAYS_AFTER_CLOSE,
                "sign_in_form": SignInRequestForm(),
            }
            return render(request, "portal/track_gone.html", context, status=410)

    return wrapped


@dataclass
class Entry:
    """One item of the requester's timeline, holding only what the requester may read."""

    at: datetime
    title: str
    body: str = ""
    files: list[Attachment] = field(default_factory=list)
    by_requester: bool = False


STEP_TITLES: dict[str, Promise] = {
    "route": gettext_lazy("Your request went to %(unit)s"),
    "claim": gettext_lazy("%(who)s took your request into handling"),
    "assign": gettext_lazy("A handler at %(unit)s took your request into handling"),
    "transfer": gettext_lazy("Your request was moved to %(unit)s"),
    "ask_customer": gettext_lazy("%(who)s asked you a question"),
    "customer_reply": gettext_lazy("You answered"),
    "resolve": gettext_lazy("%(who)s resolved your request"),
    "reopen": gettext_lazy("You reopened the request"),
    "close": gettext_lazy("The request was closed"),
    "close_unactioned": gettext_lazy("%(who)s closed the request"),
    "withdraw": gettext_lazy("You withdrew the request"),
    "rate": gettext_lazy("You rated our service: %(rating)s out of 5"),
}
MESSAGE_TITLES: dict[str, Promise] = {
    Message.Kind.REQUEST: gettext_lazy("You wrote"),
    Message.Kind.CUSTOMER: gettext_lazy("You wrote"),
    Message.Kind.REPLY: gettext_lazy("%(who)s replied"),
    Message.Kind.QUESTION: STEP_TITLES["ask_customer"],
    Message.Kind.RESOLUTION: STEP_TITLES["resolve"],
    Message.Kind.CLOSURE: STEP_TITLES["close_unactioned"],
}
# A step and the message written with it (same transaction, same moment) show as one entry.
STEP_MESSAGE = {
    "ask_customer": Message.Kind.QUESTION,
    "customer_reply": Message.Kind.CUSTOMER,
    "reopen": Message.Kind.CUSTOMER,
    "resolve": Message.Kind.RESOLUTION,
    "close_unactioned": Message.Kind.CLOSURE,
}


def who(user: User | None, unit: Unit | None) -> str:
    # A requester sees a handler's first name only, or else the unit.
    if user is not None and user.first_name:
        return user.first_name
    return unit.name if unit else "Business Porvoo"


def take_message(step: TransitionLog, unused: dict[int, Message]) -> Message | None:
    kind = STEP_MESSAGE.get(step.name)
    for pk, message in unused.items():
        if message.kind == kind and message.created_at == step.at:
            return unused.pop(pk)
    return None


def timeline(inquiry: Inquiry) -> list[Entry]:
    """Return the request's history as its requester sees it: public messages and steps."""
    files: dict[int | None, list[Attachment]] = defaultdict(list)
    for attachment in inquiry.attachments.filter(Q(message=None) | Q(message__visibility=PUBLIC)):
        files[attachment.message_id].append(attachment)
    unused = {
        m.pk: m for m in inquiry.messages.filter(visibility=PUBLIC).select_related("author_user")
    }
    # Only the unit of each routing decision; its reason (and a step's note) is internal and
    # is not even read.
    decisions = inquiry.routing_decisions.select_related("unit").defer("reason")
    units: Iterator[Unit] = (decision.unit for decision in decisions)
    entries = [
        Entry(
            inquiry.submitted_at, _("You sent the request"), inquiry.description, files[None], True
        )
    ]
    unit = inquiry.unit
    for step in inquiry.transitions.select_related("actor_user").defer("note"):
        if step.name in ("route", "transfer"):
            unit = next(units, unit)
        title = STEP_TITLES.get(step.name)
        if title is None or (step.name == "rate" and inquiry.rating is None):
            continue
        names = {"who": who(step.actor_user, unit), "unit": unit.name if unit else ""}
        entry = Entry(step.at, title % (names | {"rating": inquiry.rating}))
        entry.by_requester = step.actor_contact_id is not None
        if message := take_message(step, unused):
            entry.body, entry.files = message.body, files[message.pk]
        entries.append(entry)
    for message in unused.values():
        names = {"who": who(message.author_user, inquiry.unit)}
        entries.append(
            Entry(
                message.created_at,
                MESSAGE_TITLES[message.kind] % names,
                message.body,
                files[message.pk],
                message.author_contact_id is not None,
            )
        )
    entries.sort(key=lambda entry: entry.at)  # stable: the order of equal moments stays
    return entries


def render_track(
    request: HttpRequest,
    inquiry: Inquiry,
    token: str,
    failed: tuple[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    now = timezone.now()
    actions = possible_actions(inquiry, now)
    page_forms = {name: ACTIONS[name].form(prefix=name) for name in actions}
    if failed is not None:
        page_forms[failed[0]] = failed[1]
    context = {
        "inquiry": inquiry,
        "reference_nowrap": format_html('<span class="nowrap">{}</span>', inquiry.reference),
        "token": token,
        "entries": timeline(inquiry),
        "forms": page_forms,
        "reopen_deadline": inquiry.reopen_deadline() if "reopen" in actions else None,
        "error_summary": error_summary(failed[1] if failed else None),
    }
    return render(request, "portal/track.html", context, status=status)


@private
@tracking_link
@require_safe
def track(request: HttpRequest, token: str) -> HttpResponse:
    """Show a requester where their request stands, from the private link in the receipt."""
    return render_track(request, inquiry_for(token), token)


@private
@tracking_link
@require_POST
@ratelimit(key="ip", rate=portal_rate, method="POST", block=False)
def act(request: HttpRequest, token: str, action: str) -> HttpResponse:
    """Take one of the requester's actions; a stale one gets a message, never an error page."""
    inquiry = inquiry_for(token)
    if getattr(request, "limited", False):
        return too_many(request)
    spec = ACTIONS[action]
    form = spec.form(request.POST, request.FILES, prefix=action)
    if form.is_valid():
        try:
            spec.perform(inquiry, form.cleaned_data)
        except (TransitionNotAllowed, ConcurrentTransition) as exc:
            # The request changed meanwhile (a handler, another tab): show it as it is now.
            problem = str(exc) if isinstance(exc, TransitionNotAllowed) and exc.args else ""
            messages.error(
                request,
                problem or _("The request changed meanwhile; here is its current state."),
            )
            return redirect("portal:track", token=token)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, spec.done)
            return redirect("portal:track", token=token)
    return render_track(request, inquiry, token, failed=(action, form), status=400)


@private
@tracking_link
@require_safe
def track_file(request: HttpRequest, token: str, attachment_id: int) -> FileResponse:
    """Send a file of this request that the requester may read; anything else is a 404."""
    inquiry = inquiry_for(token)
    attachment = (
        Attachment.objects.filter(pk=attachment_id, inquiry=inquiry)
        .filter(Q(message=None) | Q(message__visibility=PUBLIC))
        .first()
    )
    return attachment_download(attachment)


# -- my requests -------------------------------------------------------------------------------


def signed_in_contact(request: HttpRequest) -> int | None:
    contact_id = request.session.get(SESSION_CONTACT)
    if contact_id and timezone.now().timestamp() < request.session.get(SESSION_UNTIL, 0):
        return contact_id
    return None


def sign_in_form_page(
    request: HttpRequest, template: str, form: SignInRequestForm | None = None, status: int = 200
) -> HttpResponse:
    context = {"form": form or SignInRequestForm(), "valid_minutes": valid_minutes()}
    return render(request, template, context, status=status)


def valid_minutes() -> int:
    return int(SIGN_IN_VALID.total_seconds() // 60)


@private
@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit(key="ip", rate=portal_rate, method="POST", block=False)
def my_requests(request: HttpRequest) -> HttpResponse:
    """Ask for a sign-in link by e-mail; once signed in, list every request of that contact."""
    if request.method == "POST":
        return ask_for_link(request)
    contact_id = signed_in_contact(request)
    contact = Contact.objects.filter(pk=contact_id).first() if contact_id else None
    if contact is None:
        return sign_in_form_page(request, "portal/my_requests.html")
    inquiries = (
        contact.inquiries.filter(anonymised_at=None)
        .select_related("unit")
        .order_by("-submitted_at", "-pk")
    )
    return render(
        request, "portal/my_requests_list.html", {"contact": contact, "inquiries": inquiries}
    )


def ask_for_link(request: HttpRequest) -> HttpResponse:
    if getattr(request, "limited", False):
        return too_many(request)
    form = SignInRequestForm(request.POST)
    if not form.is_valid():
        return sign_in_form_page(request, "portal/my_requests.html", form, status=400)
    if not form.is_bot:
        services.request_sign_in_link(
            email=form.cleaned_data["email"], language=pick_language(translation.get_language())
        )
    # The same answer whether we know the address or not: nobody learns who has asked us.
    return render(request, "portal/my_requests_sent.html", {"valid_minutes": valid_minutes()})


@private
@require_http_methods(["GET", "HEAD", "POST"])
def sign_in(request: HttpRequest, token: str) -> HttpResponse:
    """Use a sign-in link once: opening it asks, the button signs in.

    Mail scanners open links to check them; a link used up by a GET would be gone before the
    requester clicks it.
    """
    if request.method == "POST":
        contact = services.redeem_sign_in_link(token=token)
        if contact is not None:
            request.session.cycle_key()  # a new session id: a planted one learns nothing
            request.session[SESSION_CONTACT] = contact.pk
            request.session[SESSION_UNTIL] = (timezone.now() + SIGNED_IN_FOR).timestamp()
            return redirect("portal:my-requests")
    elif SignInLink.objects.filter(
        token_hash=hash_token(token), used_at=None, expires_at__gt=timezone.now()
    ).exists():
        return render(request, "portal/my_requests_sign_in.html")
    return sign_in_form_page(request, "portal/my_requests_link_expired.html", status=410)


@private
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_CONTACT, None)
    request.session.pop(SESSION_UNTIL, None)
    request.session.cycle_key()
    messages.success(request, _("You have signed out."))
    return redirect("portal:my-requests")


@private
@require_safe
def my_request(request: HttpRequest, reference: str) -> HttpResponse:
    """Open one of the signed-in requester's requests through a fresh tracking link."""
    contact_id = signed_in_contact(request)
    if contact_id is None:
        return redirect("portal:my-requests")
    inquiry = Inquiry.objects.filter(
        reference=reference, contact_id=contact_id, anonymised_at=None
    ).first()
    if inquiry is None:
        raise Http404
    token = TrackingLink.objects.create_for(inquiry, now=timezone.now())
    return redirect("portal:track", token=token)


urlpatterns = [
    path("track/<str:token>/", track, name="track"),
    path("track/<str:token>/reply/", act, {"action": "reply"}, name="track-reply"),
    path("track/<str:token>/withdraw/", act, {"action": "withdraw"}, name="track-withdraw"),
    path("track/<str:token>/reopen/", act, {"action": "reopen"}, name="track-reopen"),
    path("track/<str:token>/rate/", act, {"action": "rate"}, name="track-rate"),
    path("track/<str:token>/files/<int:attachment_id>/", track_file, name="track-file"),
    path("my-requests/", my_requests, name="my-requests"),
    path("my-requests/sign-in/<str:token>/", sign_in, name="sign-in"),
    path("my-requests/sign-out/", sign_out, name="sign-out"),
    path("my-requests/<str:reference>/", my_request, name="my-request"),
]
