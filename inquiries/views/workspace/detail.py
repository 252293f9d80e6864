"""One request: its timeline and every action this user may take now.

Each action is a POST to its own URL: authorise, validate, call the one service, redirect.
A request that changed since the page was loaded gets a clear message and its current state,
never an error page, and whatever the handler typed is kept on the page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise, cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from crm.access import get_inquiry_for
from crm.models import User
from mailin.models import InboundMail

from ...models import Attachment, Inquiry, Message, RoutingDecision, TransitionLog
from ..downloads import attachment_download
from ..form_errors import error_summary
from .detail_forms import ACTIONS, ActionForm, ReplyForm, offered_actions
from .queue import workspace_view

STATUS_LABELS = dict(Inquiry.Status.choices)

STEP_TITLES: dict[str, Promise] = {
    "route": gettext_lazy("Routed"),
    "claim": gettext_lazy("Claimed"),
    "assign": gettext_lazy("Assigned to %(name)s"),
    "transfer": gettext_lazy("Transferred to another unit"),
    "ask_customer": gettext_lazy("Question to the requester"),
    "customer_reply": gettext_lazy("The requester answered"),
    "resolve": gettext_lazy("Resolved"),
    "reopen": gettext_lazy("Reopened by the requester"),
    "close": gettext_lazy("Closed"),
    "close_unactioned": gettext_lazy("Closed without handling"),
    "withdraw": gettext_lazy("Withdrawn by the requester"),
    "rate": gettext_lazy("The requester rated the service: %(rating)s out of 5"),
    "anonymise": gettext_lazy("Personal data removed"),
    "confirm_mail": gettext_lazy("An e-mail was added as the requester's message"),
}
MESSAGE_TITLES: dict[str, Promise] = {
    Message.Kind.REQUEST: gettext_lazy("Request"),
    Message.Kind.REPLY: gettext_lazy("Reply to the requester"),
    Message.Kind.QUESTION: gettext_lazy("Question to the requester"),
    Message.Kind.CUSTOMER: gettext_lazy("Message from the requester"),
    Message.Kind.RESOLUTION: gettext_lazy("Outcome sent to the requester"),
    Message.Kind.CLOSURE: gettext_lazy("Closing message to the requester"),
    Message.Kind.NOTE: gettext_lazy("Internal note – not shown to the requester"),
}
# A step and the message written with it (same transaction, same moment) show as one entry.
STEP_MESSAGE = {
    "ask_customer": Message.Kind.QUESTION,
    "customer_reply": Message.Kind.CUSTOMER,
    "reopen": Message.Kind.CUSTOMER,
    "resolve": Message.Kind.RESOLUTION,
    "close_unactioned": Message.Kind.CLOSURE,
}
Kind = RoutingDecision.Kind
STEP_DECISION = {"route": (Kind.RULE, Kind.FALLBACK), "transfer": (Kind.TRANSFER,)}

# -- moments as pages show them -----------------------------------------------------------------


@dataclass(frozen=True)
class Moment:
    """A moment as a page shows it: machine-readable (`<time datetime>`) and in words."""

    iso: str
    text: str


def moment(value: datetime | None, style: str = "SHORT_DATETIME_FORMAT") -> Moment | None:
    """What `{{ value|date:'c' }}` and `{{ value|date:style }}` give, made once in Python."""
    if value is None:
        return None
    local = timezone.localtime(value)
    return Moment(local.isoformat(), date_format(local, style))


# -- the timeline -------------------------------------------------------------------------------


@dataclass
class Entry:
    """One item of the staff timeline: a step, a message, or both (and why it was routed)."""

    at: datetime
    title: str
    who: str
    kind: str  # request, step, message, decision
    step: TransitionLog | None = None
    message: Message | None = None
    decision: RoutingDecision | None = None
    body: str = ""
    note: str = ""
    files: list[Attachment] = field(default_factory=list)

    @property
    def internal(self) -> bool:
        return self.message is not None and not self.message.is_public

    @property
    def source_label(self) -> str:
        return STATUS_LABELS.get(self.step.source, self.step.source) if self.step else ""

    @property
    def target_label(self) -> str:
        return STATUS_LABELS.get(self.step.target, self.step.target) if self.step else ""

    # What the page shows, made in Python once rather than by template filters on every entry.

    @cached_property
    def when(self) -> Moment | None:
        return moment(self.at)

    @cached_property
    def change(self) -> str:
        """The step's change of status in words: "Status: Queued → In progress"."""
        if self.step is None:
            return ""
        return _("Status: %(source)s → %(target)s") % {
            "source": self.source_label,
            "target": self.target_label,
        }

    @cached_property
    def css_class(self) -> str:
        names = ["wsi-entry", f"wsi-entry--{self.kind}"]
        if self.internal:
            names.append("wsi-entry--internal")
        if self.kind == "request" or (self.message is not None and self.message.author_contact_id):
            names.append("wsi-entry--requester")
        return " ".join(names)


def person(inquiry: Inquiry, user: User | None, by_contact: bool) -> str:
    if user is not None:
        return str(user)
    if by_contact:
        return _("%(name)s (requester)") % {"name": inquiry.contact.name}
    return _("System")


def pop_decision(
    decisions: dict[int, RoutingDecision], step: TransitionLog
) -> RoutingDecision | None:
    kinds = STEP_DECISION.get(step.name, ())
    pk = next((pk for pk, d in decisions.items() if d.kind in kinds), None)
    return decisions.pop(pk) if pk is not None else None


def pop_message(unused: dict[int, Message], step: TransitionLog) -> Message | None:
    kind = STEP_MESSAGE.get(step.name)
    pk = next((pk for pk, m in unused.items() if m.kind == kind and m.created_at == step.at), None)
    return unused.pop(pk) if pk is not None else None


def step_entry(inquiry: Inquiry, step: TransitionLog) -> Entry:
    title, note = str(STEP_TITLES.get(step.name, step.name)), step.note
    if "%(" in title:  # the note is part of the title: "Assigned to Hanna Handler"
        title, note = title % {"name": note, "rating": note}, ""
    who = person(inquiry, step.actor_user, step.actor_contact_id is not None)
    return Entry(step.at, title, who, "step", step=step, note=note)


def timeline(inquiry: Inquiry) -> list[Entry]:
    """Everything that happened to the request, oldest first, internal notes included.

    Four queries whatever the length: files, messages, steps and routing decisions.
    """
    files: dict[int | None, list[Attachment]] = defaultdict(list)
    for attachment in inquiry.attachments.all():
        files[attachment.message_id].append(attachment)
    unused = {m.pk: m for m in inquiry.messages.select_related("author_user")}
    decisions = {
        d.pk: d for d in inquiry.routing_decisions.select_related("unit", "from_unit", "decided_by")
    }
    requester = person(inquiry, None, True)
    entries = [Entry(inquiry.submitted_at, _("Request received"), requester, "request")]
    entries[0].body, entries[0].files = inquiry.description, files[None]
    for step in inquiry.transitions.select_related("actor_user"):
        if step.name == "submit":
            if step.actor_user is not None:  # recorded by staff: a call, a visit, an event
                entries[0].note = _("Recorded by %(name)s (%(channel)s)") % {
                    "name": step.actor_user,
                    "channel": inquiry.get_channel_display(),
                }
            continue
        entry = step_entry(inquiry, step)
        entry.decision, entry.message = pop_decision(decisions, step), pop_message(unused, step)
        if entry.message is not None:
            entry.body, entry.files = entry.message.body, files[entry.message.pk]
        # The note repeats what the decision or the message already says.
        if entry.decision is not None or entry.note.strip() == entry.body.strip():
            entry.note = ""
        entries.append(entry)
    for message in unused.values():
        who = person(inquiry, message.author_user, message.author_contact_id is not None)
        entry = Entry(message.created_at, str(MESSAGE_TITLES[message.kind]), who, "message")
        entry.message, entry.body, entry.files = message, message.body, files[message.pk]
        entries.append(entry)
    for decision in decisions.values():
        title = STEP_TITLES["transfer" if decision.kind == Kind.TRANSFER else "route"]
        who = person(inquiry, decision.decided_by, False)
        entries.append(Entry(decision.decided_at, str(title), who, "decision", decision=decision))
    entries.sort(key=lambda entry: entry.at)  # stable: equal moments keep their order
    return entries


# -- service levels -----------------------------------------------------------------------------


@dataclass
class DueTime:
    """One promise to the requester and where it stands now (text and symbol, not colour only)."""

    label: str
    due: datetime | None
    state: str = ""  # on-track, at-risk, breached, met, missed, stopped
    text: str = ""
    symbol: str = ""
    done_at: datetime | None = None
    paused: bool = False


# The same icons as the queue's marks; the words say it, the icon only repeats it.
SLA_MARKS = {
    "on-track": ("✓", gettext_lazy("On track")),
    "at-risk": ("!", gettext_lazy("At risk")),
    "breached": ("✕", gettext_lazy("Breached")),
    "met": ("✓", gettext_lazy("Met")),
    "missed": ("✕", gettext_lazy("Missed")),
    "stopped": ("–", gettext_lazy("Not running: the request is closed")),
}


def due_time(label: str, clock: str, done_at: datetime | None, inquiry: Inquiry) -> DueTime:
    """Where one clock (first_response, resolution) stands now."""
    due, risk_at = getattr(inquiry, f"{clock}_due"), getattr(inquiry, f"{clock}_risk_at")
    mark = DueTime(label, due, done_at=done_at)
    if due is None:
        return mark
    if done_at is not None:
        mark.state = "met" if done_at <= due else "missed"
    elif not inquiry.is_open:
        mark.state = "stopped"
    else:
        # While the requester is asked, the clock stands still where it was paused.
        mark.paused = inquiry.awaiting_since is not None
        moment = inquiry.awaiting_since or timezone.now()
        if moment >= due:
            mark.state = "breached"
        elif risk_at is not None and moment >= risk_at:
            mark.state = "at-risk"
        else:
            mark.state = "on-track"
    mark.symbol, text = SLA_MARKS[mark.state]
    mark.text = str(text)
    return mark


def due_times(inquiry: Inquiry) -> list[DueTime]:
    return [
        due_time(_("First response"), "first_response", inquiry.first_response_at, inquiry),
        due_time(_("Resolution"), "resolution", inquiry.resolved_at, inquiry),
    ]


# -- the page -----------------------------------------------------------------------------------


def state_text(inquiry: Inquiry) -> str:
    """The status in words, with who has it: "In progress (Hanna Handler)"."""
    status = inquiry.get_status_display()
    if inquiry.is_open and inquiry.assignee_id:
        return _("%(status)s (%(name)s)") % {"status": status, "name": inquiry.assignee}
    return str(status)


def render_page(
    request: HttpRequest,
    inquiry: Inquiry,
    *,
    failed: tuple[str, ActionForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The request page; `failed` is a posted form shown again with its errors and its text."""
    offered = offered_actions(inquiry, request.user)
    page_forms = {name: ACTIONS[name].form(prefix=name, inquiry=inquiry) for name in offered}
    kept = ""
    if failed is not None:
        if failed[0] in page_forms:
            page_forms[failed[0]] = failed[1]
        else:  # no longer possible: the text is still not lost
            kept = failed[1].typed_text()
    context = {
        "inquiry": inquiry,
        "entries": timeline(inquiry),
        "due_times": due_times(inquiry),
        "forms": page_forms,
        "failed": failed[0] if failed else "",
        "error_summary": error_summary(failed[1]) if failed and failed[0] in page_forms else [],
        "kept_text": kept,
        "duplicate_of": inquiry.duplicate_of if inquiry.duplicate_of_id else None,
        # Answers by e-mail from another address, waiting for a handler to confirm them.
        "held_mail": list(
            InboundMail.objects.pending().filter(inquiry=inquiry, outcome=InboundMail.Outcome.HELD)
        ),
    }
    return render(request, "workspace/inquiry.html", context, status=status)


def back_to(request: HttpRequest, inquiry: Inquiry) -> HttpResponse:
    """The request page, or the unit queue once the request has left the user's units."""
    if Inquiry.objects.visible_to(request.user).filter(pk=inquiry.pk).exists():
        return redirect("workspace:inquiry", reference=inquiry.reference)
    return redirect(queue_url())


def taken_by_another(inquiry: Inquiry, user: User) -> bool:
    return bool(
        inquiry.assignee_id
        and inquiry.assignee_id != user.pk
        and user.has_perm("inquiries.view_inquiry", inquiry)
    )


def changed_meanwhile(
    request: HttpRequest, inquiry: Inquiry, action: str, form: ActionForm, problem: str
) -> HttpResponse:
    """Say what happened and show the request as it is now; keep any text the user typed."""
    messages.warning(request, problem)
    if form.typed_text():
        return render_page(request, inquiry, failed=(action, form), status=409)
    return redirect("workspace:inquiry", reference=inquiry.reference)


def stale_message(inquiry: Inquiry, action: str, user: User) -> str:
    if action == "claim" and inquiry.assignee_id:
        if inquiry.assignee_id == user.pk:
            return _("Request %s is already yours.") % inquiry.reference
        return _("Request %(reference)s was already taken by %(name)s.") % {
            "reference": inquiry.reference,
            "name": inquiry.assignee,
        }
    return _(
        "This request changed since you opened it: it is now %(state)s. Nothing was done; "
        "check the request and try again."
    ) % {"state": state_text(inquiry)}


def moved_away(request: HttpRequest, reference: str) -> HttpResponse:
    """A request moved out of the user's units says where it went; any other is a plain 404."""
    decision = (
        RoutingDecision.objects.filter(
            inquiry__reference=reference,
            kind=RoutingDecision.Kind.TRANSFER,
            from_unit__memberships__user=request.user,
        )
        .select_related("inquiry__unit")
        .first()
    )
    if decision is None:
        raise Http404
    messages.warning(
        request,
        _("Request %(reference)s was moved to %(unit)s and is no longer in your units.")
        % {"reference": reference, "unit": decision.inquiry.unit},
    )
    return redirect(queue_url())


def queue_url() -> str:
    try:
        return reverse("workspace:queue")
    except NoReverseMatch:  # pragma: no cover - the queue is another module's
        return "/"


@require_safe
@workspace_view
def inquiry_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """Show one request of the user's units with its timeline and the actions open to them."""
    try:
        inquiry = get_inquiry_for(request.user, reference)
    except Http404:
        return moved_away(request, reference)
    return render_page(request, inquiry)


@require_POST
@workspace_view
def inquiry_action(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    """Take one action on the request and come back to it (or say why it could not be taken)."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    try:
        inquiry = get_inquiry_for(request.user, reference)
    except Http404:
        return moved_away(request, reference)
    form = spec.form(request.POST, prefix=action, inquiry=inquiry)
    if not request.user.has_perm(spec.permission, inquiry):
        if not (spec.assignee_only and taken_by_another(inquiry, request.user)):
            raise PermissionDenied
        # Asking and resolving are the assignee's: someone else has the request now.
        problem = stale_message(inquiry, action, request.user)
        return changed_meanwhile(request, inquiry, action, form, problem)
    if action == "reply" and "insert" in request.POST:
        return insert_canned(request, inquiry)
    # The status the page showed: a step chosen on an outdated page is not taken.
    # (A form without it, or for a step the state no longer offers, is outdated just the same.)
    seen = request.POST.get("seen_status")
    outdated = seen and seen != inquiry.status
    if spec.transition and (outdated or action not in offered_actions(inquiry, request.user)):
        problem = stale_message(inquiry, action, request.user)
        return changed_meanwhile(request, inquiry, action, form, problem)
    if not form.is_valid():
        return render_page(request, inquiry, failed=(action, form), status=400)
    try:
        spec.perform(inquiry, request.user, form.cleaned_data)
    except (TransitionNotAllowed, ConcurrentTransition) as exc:
        return refused(request, reference, action, exc)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return render_page(request, inquiry, failed=(action, form), status=400)
    data = form.cleaned_data
    messages.success(request, spec.done % {"name": data.get("assignee"), "unit": data.get("unit")})
    return back_to(request, inquiry)


def refused(request: HttpRequest, reference: str, action: str, exc: Exception) -> HttpResponse:
    """The service found the step no longer possible: show the request as it is now."""
    try:
        current = get_inquiry_for(request.user, reference)
    except Http404:
        return moved_away(request, reference)
    form = ACTIONS[action].form(request.POST, prefix=action, inquiry=current)
    problem = str(exc) if isinstance(exc, TransitionNotAllowed) and exc.args else ""
    problem = problem or stale_message(current, action, request.user)
    return changed_meanwhile(request, current, action, form, problem)


def add_service_errors(form: ActionForm, exc: ValidationError) -> None:
    """Put a service's errors beside the fields they name (the rest above the form)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def insert_canned(request: HttpRequest, inquiry: Inquiry) -> HttpResponse:
    """Without JavaScript: show the reply form again with the canned text added."""
    form = ReplyForm(request.POST, prefix="reply", inquiry=inquiry, inserting=True)
    if not form.is_valid():
        return render_page(request, inquiry, failed=("reply", form), status=400)
    return render_page(request, inquiry, failed=("reply", form.with_canned_text()))


@require_safe
@workspace_view
def inquiry_file(request: HttpRequest, reference: str, attachment_id: int) -> FileResponse:
    """Send any file of a request the user may see, as a download."""
    inquiry = get_inquiry_for(request.user, reference)
    return attachment_download(Attachment.objects.filter(pk=attachment_id, inquiry=inquiry).first())


urlpatterns = [
    path("requests/<str:reference>/", inquiry_detail, name="inquiry"),
    path("requests/<str:reference>/files/<int:attachment_id>/", inquiry_file, name="inquiry-file"),
    path("requests/<str:reference>/<slug:action>/", inquiry_action, name="inquiry-action"),
]
