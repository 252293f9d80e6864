"""Playing the plans: every step through the services, then the command's entry point.

Every request is submitted, routed, claimed, answered, transferred, resolved and closed by
`inquiries.services` with an explicit `now=`, so the log, the routing decisions and the
business-hour durations are exactly what the live system would have recorded. A fixed seed gives
the same requests and stories on every run; the dates are counted back from the moment of the run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from crm.models import Company, Contact, Unit, User
from notifications import outbox
from notifications.models import Notification
from routing.calendar import DEFAULT_CALENDAR
from routing.models import RequestType

from .. import services
from ..models import Inquiry, ReferenceCounter
from .plans import Plan, Step, plan_requests
from .replies import (
    DUPLICATE_MESSAGES,
    FOLLOW_UPS,
    NOTES,
    REOPEN_REASONS,
    REPLIES,
    SECOND_OUTCOMES,
    WITHDRAW_REASONS,
)
from .staff import Crew, Login, demo_password, ensure_staff


def _pick(texts: tuple[str, ...], pick: int) -> str:
    return texts[pick % len(texts)]


@dataclass
class Scene:
    """One request being played: its plan, the staff, and its current state."""

    plan: Plan
    crew: Crew
    references: list[str]  # of the requests played before, by position
    inquiry: Inquiry

    def reload(self) -> None:
        self.inquiry = Inquiry.objects.select_related("unit", "contact").get(pk=self.inquiry.pk)

    @property
    def unit(self) -> str:
        return self.inquiry.unit.code

    @property
    def language(self) -> str:
        return self.plan.sample.language

    def handler(self, step: Step) -> User:
        """Return the assignee, or a handler of the request's unit."""
        if self.inquiry.assignee_id in self.crew.by_id:
            return self.crew.by_id[self.inquiry.assignee_id]
        return self.crew.handler(self.unit, step.pick)


def _claim(scene: Scene, step: Step, at: datetime) -> None:
    handler = scene.crew.handler(scene.unit, step.pick)
    services.claim_inquiry(inquiry_id=scene.inquiry.pk, handler=handler, now=at)


def _assign(scene: Scene, step: Step, at: datetime) -> None:
    manager = scene.crew.managers.get(scene.unit)
    if manager is None:  # only urban development has a unit manager in the demo
        return _claim(scene, step, at)
    assignee = scene.crew.handler(scene.unit, step.pick)
    services.assign_inquiry(inquiry_id=scene.inquiry.pk, manager=manager, assignee=assignee, now=at)


def _transfer(scene: Scene, step: Step, at: datetime) -> None:
    sample = scene.plan.sample
    if scene.unit == sample.transfer_to:  # the rules placed it right after all
        return
    services.transfer_inquiry(
        inquiry_id=scene.inquiry.pk,
        actor=scene.handler(step),
        unit=Unit.objects.get(code=sample.transfer_to),
        reason=sample.transfer_reason,
        now=at,
    )


def _note(scene: Scene, step: Step, at: datetime) -> None:
    handler = scene.handler(step)
    body = _pick(NOTES.get(handler.language, NOTES["fi"]), step.pick)
    services.add_internal_note(inquiry_id=scene.inquiry.pk, handler=handler, body=body, now=at)


def _reply(scene: Scene, step: Step, at: datetime) -> None:
    body = _pick(REPLIES[scene.language], step.pick)
    services.reply_to_inquiry(
        inquiry_id=scene.inquiry.pk, handler=scene.handler(step), body=body, now=at
    )


def _ask(scene: Scene, step: Step, at: datetime) -> None:
    question = scene.plan.sample.question
    if step.action == "ask_again" or not question:
        question = _pick(FOLLOW_UPS[scene.language], step.pick)
    services.ask_customer(
        inquiry_id=scene.inquiry.pk, handler=scene.handler(step), question=question, now=at
    )


def _resolve(scene: Scene, step: Step, at: datetime) -> None:
    outcome = scene.plan.sample.outcome
    if step.action == "resolve_again":
        outcome = _pick(SECOND_OUTCOMES[scene.language], step.pick)
    services.resolve_inquiry(
        inquiry_id=scene.inquiry.pk, handler=scene.handler(step), outcome=outcome, now=at
    )


def _answer(scene: Scene, step: Step, at: datetime) -> None:
    services.add_customer_message(
        inquiry_id=scene.inquiry.pk,
        contact=scene.inquiry.contact,
        body=scene.plan.sample.answer or _pick(REPLIES[scene.language], step.pick),
        now=at,
    )


def _reopen(scene: Scene, step: Step, at: datetime) -> None:
    reason = _pick(REOPEN_REASONS[scene.language], step.pick)
    services.reopen_inquiry(
        inquiry_id=scene.inquiry.pk, contact=scene.inquiry.contact, reason=reason, now=at
    )


def _withdraw(scene: Scene, step: Step, at: datetime) -> None:
    reason = _pick(WITHDRAW_REASONS[scene.language], step.pick)
    services.withdraw_inquiry(
        inquiry_id=scene.inquiry.pk, contact=scene.inquiry.contact, reason=reason, now=at
    )


def _close(scene: Scene, step: Step, at: datetime) -> None:
    sample = scene.plan.sample
    services.close_inquiry_unactioned(
        inquiry_id=scene.inquiry.pk,
        handler=scene.handler(step),
        reason=sample.close_reason,
        message=sample.referral,
        now=at,
    )


def _close_duplicate(scene: Scene, step: Step, at: datetime) -> None:
    assert scene.plan.duplicate_of is not None
    reference = scene.references[scene.plan.duplicate_of]
    services.close_inquiry_unactioned(
        inquiry_id=scene.inquiry.pk,
        handler=scene.handler(step),
        reason=Inquiry.CloseReason.DUPLICATE,
        duplicate_of=reference,
        message=DUPLICATE_MESSAGES[scene.language].format(reference=reference),
        now=at,
    )


_ACTIONS: dict[str, Callable[[Scene, Step, datetime], None]] = {
    "claim": _claim,
    "assign": _assign,
    "transfer": _transfer,
    "note": _note,
    "reply": _reply,
    "ask": _ask,
    "ask_again": _ask,
    "answer": _answer,
    "resolve": _resolve,
    "resolve_again": _resolve,
    "reopen": _reopen,
    "withdraw": _withdraw,
    "close": _close,
    "duplicate": _close_duplicate,
}


def _submission(plan: Plan, types: dict[str, RequestType]) -> services.Submission:
    sample, person = plan.sample, plan.person
    return services.Submission(
        request_type=types[sample.request_type],
        subject=sample.subject,
        description=sample.description,
        contact_name=person.name,
        email=person.email,
        company_name=person.company,
        business_id=person.business_id,
        phone=person.phone,
        language=sample.language,
        channel=plan.channel,
    )


def _pace(plan: Plan, now: datetime) -> float:
    """Return the factor that fits a recent request's story into the business time it has had."""
    planned = sum(step.hours for step in plan.steps)
    available = DEFAULT_CALENDAR.between(plan.submitted, now).total_seconds() / 3600
    if planned <= 0.9 * available:
        return 1.0
    # At most five times faster: what still does not fit has simply not happened yet.
    return max(0.9 * available / planned, 0.2)


def _close_when_due(scene: Scene, now: datetime) -> None:
    """Close a resolved request as the periodic sweep did, once its reopening period ended."""
    deadline = scene.inquiry.reopen_deadline()
    if scene.inquiry.status != Inquiry.Status.RESOLVED or deadline is None:
        return
    at = deadline + scene.plan.close_after
    if at <= now:
        services.close_resolved_inquiry(inquiry_id=scene.inquiry.pk, now=at)


def _play(scene: Scene, now: datetime) -> None:
    """Take the planned steps, each at its own moment; what falls after now has not happened."""
    scene.reload()
    at, pace = scene.plan.submitted, _pace(scene.plan, now)
    for step in scene.plan.steps:
        at = DEFAULT_CALENDAR.add_hours(at, step.hours * pace)
        if at > now:
            break
        _ACTIONS[step.action](scene, step, at)
        scene.reload()
    _close_when_due(scene, now)


def play_all(plans: list[Plan], crew: Crew, now: datetime) -> None:
    """Submit the planned requests, oldest first, and play each one's story."""
    types = {request_type.code: request_type for request_type in RequestType.objects.all()}
    references: list[str] = []
    for plan in plans:
        submitted = services.submit_inquiry(submission=_submission(plan, types), now=plan.submitted)
        _play(Scene(plan, crew, references, submitted.inquiry), now)
        references.append(submitted.inquiry.reference)


# -- the command's entry point ---------------------------------------------------------------


@dataclass(frozen=True)
class SeedResult:
    logins: list[Login]
    created: int  # 0: demo data was already present
    statuses: dict[str, int]


def delete_demo_data() -> None:
    """Delete every request (with its log, messages, decisions), requester and company."""
    Inquiry.objects.all().delete()
    Contact.objects.all().delete()
    Company.objects.all().delete()
    # References start again from 000001: none of the old ones exists any more.
    ReferenceCounter.objects.all().delete()


def status_counts() -> dict[str, int]:
    rows = Inquiry.objects.values_list("status").annotate(n=Count("pk"))
    counts = dict(rows)
    return {status: counts.get(status, 0) for status in Inquiry.Status.values}


def seed_demo(
    *, count: int, days: int, seed: int, reset: bool = False, now: datetime | None = None
) -> SeedResult:
    """Create the demo staff and, unless there are requests already, the demo requests."""
    now = now or timezone.now()
    with transaction.atomic():  # one commit: much faster on SQLite, and all or nothing
        if reset:
            delete_demo_data()
        logins = ensure_staff(demo_password())
        if Inquiry.objects.exists():
            return SeedResult(logins, 0, status_counts())
        plans = plan_requests(count=count, days=days, seed=seed, now=now)
        with outbox.held_for_sweep():
            play_all(plans, Crew.load(), now)
        # The demo's past e-mails count as sent: nobody is mailed about a made-up history.
        Notification.objects.filter(status=Notification.Status.PENDING).update(
            status=Notification.Status.SENT, sent_at=F("created_at")
        )
    return SeedResult(logins, len(plans), status_counts())
