"""Queues: my work and the unit queue, filtered and sorted; bulk claim and assign; language."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from crm.models import Membership, Unit, User
from crm.translation import pick_language
from routing.models import RequestType

from ...filters import Assignee, InquiryFilterSet, SLAState
from ...models import Inquiry
from ...pagination import IdsFirstPaginator
from ...services import assign_inquiry, claim_inquiry
from .access import staff_required
from .queue_table import CLOCK, RowMaker
from .widgets import QuickWidgetRenderer

PER_PAGE = 50
WIDGET_RENDERER = QuickWidgetRenderer()


# -- the staff member's language -----------------------------------------------------------------
# User.language is the one source of truth in the workspace: every workspace page is read in it,
# whatever the browser says or whoever used the browser before. The sign-in lands on "my work"
# (LOGIN_REDIRECT_URL), so the first page after signing in is already in it; the cookie is kept
# in step so that pages outside these views (the sign-in page after signing out, the portal)
# follow the same choice through LocaleMiddleware.


def set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def in_staff_language(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer in the signed-in staff member's own language (User.language)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        language = pick_language(request.user.language)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = view(request, *args, **kwargs)
        if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
            set_language_cookie(response, language)
        return response

    return wrapped


def workspace_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A workspace page: staff only, in the staff member's language."""
    return staff_required(in_staff_language(view))


def safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@require_POST
@staff_required
def set_staff_language(request: HttpRequest) -> HttpResponse:
    """Save the staff member's language on their account and switch to it."""
    language = request.POST.get("language", "")
    response = HttpResponseRedirect(safe_next(request, reverse("workspace:my-work")))
    if language not in dict(settings.LANGUAGES):
        return response
    request.user.language = language
    request.user.save(update_fields=["language"])
    translation.activate(language)
    set_language_cookie(response, language)
    return response


# -- who may assign, and to whom -----------------------------------------------------------------


def managed_units(user: User) -> QuerySet[Unit]:
    """Units whose work the user hands out: all for a service manager, else those they manage."""
    if user.is_service_manager or user.is_superuser:
        return Unit.objects.all()
    return Unit.objects.filter(memberships__user=user, memberships__role=Membership.Role.MANAGER)


def assignable_handlers(user: User) -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True, memberships__unit__in=managed_units(user))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def may_assign(user: User) -> bool:
    """A service manager, or a manager of some unit (the memberships the request has read)."""
    return bool(user.is_service_manager or user.is_superuser or user.manages_a_unit())


# -- pages ---------------------------------------------------------------------------------------


def paginate(
    request: HttpRequest,
    rows: QuerySet[Inquiry],
    maker: RowMaker,
    *,
    within: QuerySet[Inquiry],
    count: int | None = None,
) -> Page:
    """One page of 50 table rows; the pagination partial reads `page.numbers` (1 2 … 7 8 9 … 20).

    `rows` (annotated with the running clock, `with_sla`) gives the order, the ids and their
    clock; the page's rows are then read by id from `within` (what the user may see, without
    the search: an id that left it meanwhile is left out) and made into the table's HTML by
    `maker`. `count`: the number of rows when it is already known.
    """

    def read(found: Sequence[tuple[Any, ...]]) -> dict[int, SafeString]:
        return maker.read(within, found)

    # get_page(): a page number out of range or not a number shows the nearest page, never a 404.
    # The ids first: a covering index orders a million requests' queue (docs/PERFORMANCE.md).
    paginator = IdsFirstPaginator(rows, PER_PAGE, rows=read, also=CLOCK, count=count)
    page = paginator.get_page(request.GET.get("page"))
    page.numbers = list(paginator.get_elided_page_range(page.number, on_each_side=2))
    return page


@dataclass(frozen=True)
class QuickFilter:
    label: str
    query: str  # the query string that shows it
    count: int
    current: bool


QUICK_FILTERS = (
    ("all", gettext_lazy("All open"), {}),
    ("unassigned", gettext_lazy("Unassigned"), {"assignee": Assignee.UNASSIGNED}),
    ("mine", gettext_lazy("Mine"), {"assignee": Assignee.ME}),
    ("at_risk", gettext_lazy("At risk"), {"sla": SLAState.AT_RISK}),
    ("breached", gettext_lazy("Breached"), {"sla": SLAState.BREACHED}),
    (
        "awaiting",
        gettext_lazy("Awaiting the requester"),
        {"status": Inquiry.Status.AWAITING_CUSTOMER},
    ),
)


def quick_filters(request: HttpRequest, counts: dict[str, int]) -> list[QuickFilter]:
    # What narrows the queue now; the page, the order and "anyone" do not.
    chosen = {
        key: [value for value in values if value and value != Assignee.ANYONE]
        for key, values in request.GET.lists()
        if key not in ("page", "ordering")
    }
    chosen = {key: values for key, values in chosen.items() if values}
    filters = []
    for key, label, params in QUICK_FILTERS:
        query = QueryDict(mutable=True)
        query.update(params)
        current = chosen == {name: [value] for name, value in params.items()}
        filters.append(QuickFilter(str(label), query.urlencode(), counts[key], current))
    return filters


# Always in view above the table; the other filters fold away unless in use.
MAIN_FILTERS = ("q", "ordering")


def more_filters_in_use(form: forms.Form) -> int:
    """How many of the folded filters narrow the queue (an untouched control does not)."""
    chosen = getattr(form, "cleaned_data", {})
    return sum(
        1
        for name, value in chosen.items()
        if name not in MAIN_FILTERS and value not in (None, "", [], Assignee.ANYONE)
    )


def dress(
    form: forms.Form, *, units: Sequence[Unit], request_types: Sequence[RequestType]
) -> forms.Form:
    """Give the filter form its browser widgets (the FilterSet itself knows no HTML).

    Their markup is written without the template engine (widgets.QuickWidgetRenderer). The unit and
    type choices are those already read for the table: the fields' querysets only check a value
    that is sent.
    """
    form.renderer = WIDGET_RENDERER
    fields = form.fields
    for name in ("submitted_after", "submitted_before"):
        fields[name].widget.input_type = "date"
    fields["q"].widget.input_type = "search"
    status = fields["status"]
    status.widget = forms.CheckboxSelectMultiple(choices=status.choices)
    for name, objects in (("unit", units), ("request_type", request_types)):
        field = fields[name]
        empty = [] if field.empty_label is None else [("", field.empty_label)]
        field.widget.choices = empty + [
            (field.prepare_value(obj), field.label_from_instance(obj)) for obj in objects
        ]
    return form


def staff_units(user: User) -> tuple[list[Unit], bool]:
    """The units whose queue the user works (as `units_for`), and whether they may assign.

    From the memberships the request has already read (User.unit_memberships: the access check
    and the menu read the same); a service manager works every unit.
    """
    if user.is_service_manager or user.is_superuser:
        units = list(Unit.objects.all())
        return units, bool(units)
    memberships = user.unit_memberships()
    units = sorted({m.unit_id: m.unit for m in memberships}.values(), key=lambda unit: unit.code)
    return units, may_assign(user)


@require_GET
@workspace_view
def my_work(request: HttpRequest) -> HttpResponse:
    """My open requests, most urgent first."""
    now = timezone.now()
    rows = (
        Inquiry.objects.queue_for(request.user)
        .filter(assignee=request.user)
        .with_sla(now)
        .most_urgent_first()
    )
    units, _can_assign = staff_units(request.user)
    # The table without checkboxes or the assignee column (my_work.html): every row is mine.
    maker = RowMaker(request.user, units=units, selectable=False, assignee=False)
    page = paginate(request, rows, maker, within=rows)
    return render(request, "workspace/my_work.html", {"nav": "my-work", "page": page})


@require_GET
@workspace_view
def unit_queue(request: HttpRequest) -> HttpResponse:
    """The open requests of my units, filtered and sorted; 50 a page."""
    now = timezone.now()
    user = request.user
    units, can_assign = staff_units(user)
    filterset = InquiryFilterSet(request.GET, request=request, now=now)
    request_types = list(filterset.form.fields["request_type"].queryset)
    form = dress(filterset.form, units=units, request_types=request_types)
    counts = filterset.queryset.quick_counts(user)  # the queue before any filter
    quick = quick_filters(request, counts)
    # The queue as a quick filter shows it (the first page, "unassigned"…): already counted.
    count = next((q.count for q in quick if q.current), None) if form.is_valid() else None
    maker = RowMaker(user, units=units, request_types=request_types)
    page = paginate(request, filterset.qs, maker, within=filterset.queryset, count=count)
    in_use = more_filters_in_use(form)
    context = {
        "nav": "queue",
        "form": form,
        "more_filters_in_use": in_use,
        "more_filters_open": bool(in_use or form.errors),
        "page": page,
        "quick_filters": quick,
        "can_assign": can_assign,
        "handlers": list(assignable_handlers(user)) if can_assign else [],
    }
    return render(request, "workspace/queue.html", context)


# -- bulk actions --------------------------------------------------------------------------------


@dataclass
class BulkOutcome:
    """What became of each chosen request, told back in one summary."""

    done: list[str] = field(default_factory=list)
    taken: list[str] = field(default_factory=list)  # someone else has it
    refused: list[str] = field(default_factory=list)  # not this user's to claim or assign
    failed: list[str] = field(default_factory=list)  # why, in a sentence naming the request
    gone: int = 0  # left the user's open queue since the page was loaded

    def report(self, request: HttpRequest, done: str, refused: str) -> None:
        if self.done:
            messages.success(request, done)
        if self.taken:
            messages.warning(
                request,
                _("Already taken by someone else: %(items)s.") % {"items": ", ".join(self.taken)},
            )
        if self.refused:
            messages.error(request, refused % {"references": ", ".join(self.refused)})
        for reason in self.failed:
            messages.error(request, reason)
        if self.gone:
            messages.warning(
                request,
                ngettext(
                    "%(count)d chosen request is no longer open in your queue.",
                    "%(count)d chosen requests are no longer open in your queue.",
                    self.gone,
                )
                % {"count": self.gone},
            )


def _bulk_claim(request: HttpRequest, rows: list[Inquiry], outcome: BulkOutcome) -> None:
    for inquiry in rows:
        if inquiry.assignee_id == request.user.pk:
            continue  # already mine: nothing to do, nothing to report
        if inquiry.assignee_id is not None:
            outcome.taken.append(f"{inquiry.reference} ({inquiry.assignee})")
            continue
        # One service call each: a request taken meanwhile does not stop the others.
        try:
            claim_inquiry(inquiry_id=inquiry.pk, handler=request.user)
        except (TransitionNotAllowed, ConcurrentTransition):
            outcome.taken.append(inquiry.reference)
        except PermissionDenied:
            outcome.refused.append(inquiry.reference)
        else:
            outcome.done.append(inquiry.reference)
    done = ngettext(
        "Claimed %(count)d request: %(references)s.",
        "Claimed %(count)d requests: %(references)s.",
        len(outcome.done),
    ) % {"count": len(outcome.done), "references": ", ".join(outcome.done)}
    refused = _("Only a handler of its unit can claim a request: %(references)s.")
    outcome.report(request, done, refused)


def _bulk_assign(request: HttpRequest, rows: list[Inquiry], outcome: BulkOutcome) -> None:
    assignee = assignable_handlers(request.user).filter(pk=_int(request.POST.get("assignee")))
    assignee = assignee.first()
    if assignee is None:
        messages.error(request, _("Choose the handler to assign the requests to."))
        return
    for inquiry in rows:
        try:
            assign_inquiry(inquiry_id=inquiry.pk, manager=request.user, assignee=assignee)
        except PermissionDenied:
            outcome.refused.append(inquiry.reference)
        except TransitionNotAllowed as exc:
            outcome.failed.append(str(exc))  # the message names the request and its state
        except ConcurrentTransition:
            outcome.failed.append(
                _("%(reference)s was changed by someone else meanwhile; try again.")
                % {"reference": inquiry.reference}
            )
        except ValidationError as exc:
            outcome.failed.append(f"{inquiry.reference}: {' '.join(exc.messages)}")
        else:
            outcome.done.append(inquiry.reference)
    done = ngettext(
        "Assigned %(count)d request to %(name)s: %(references)s.",
        "Assigned %(count)d requests to %(name)s: %(references)s.",
        len(outcome.done),
    ) % {"count": len(outcome.done), "name": assignee, "references": ", ".join(outcome.done)}
    refused = _("Only a manager of its unit can assign a request: %(references)s.")
    outcome.report(request, done, refused)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@require_POST
@workspace_view
def bulk_action(request: HttpRequest) -> HttpResponse:
    """Claim the chosen requests, or (unit managers) assign them to a handler."""
    back = safe_next(request, reverse("workspace:queue"))
    action = request.POST.get("action")
    if action == "assign" and not may_assign(request.user):
        raise PermissionDenied
    if action not in ("claim", "assign"):
        messages.error(request, _("Choose what to do with the chosen requests."))
        return redirect(back)
    ids = {pk for pk in map(_int, request.POST.getlist("inquiry")) if pk is not None}
    if not ids:
        messages.error(request, _("Choose at least one request."))
        return redirect(back)
    rows = list(Inquiry.objects.queue_for(request.user).filter(pk__in=ids))
    outcome = BulkOutcome(gone=len(ids) - len(rows))
    if action == "claim":
        _bulk_claim(request, rows, outcome)
    else:
        _bulk_assign(request, rows, outcome)
    return redirect(back)


urlpatterns: list[URLPattern] = [
    path("", my_work, name="my-work"),
    path("queue/", unit_queue, name="queue"),
    path("queue/bulk/", bulk_action, name="queue-bulk"),
    path("language/", set_staff_language, name="language"),
]
