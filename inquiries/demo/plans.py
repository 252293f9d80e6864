"""Planning, pure and from the seed: who asks what, when, and what happens to it."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta

from django.utils import timezone

from ..models import Inquiry
from .samples import OUT_OF_SCOPE, PEOPLE, SAMPLES, SPAM, Person, Sample

# -- business IDs ----------------------------------------------------------------------------

_BUSINESS_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def business_id(number: int) -> str | None:
    """Return the Y-tunnus of a seven-digit number with its check digit, or None if it has none."""
    digits = f"{number:07d}"
    remainder = sum(int(d) * w for d, w in zip(digits, _BUSINESS_ID_WEIGHTS, strict=True)) % 11
    if remainder == 1:  # no check digit makes this number valid
        return None
    return f"{digits}-{0 if remainder == 0 else 11 - remainder}"


def _with_details(rng: random.Random) -> list[Person]:
    """Give the companies distinct valid business IDs and some people a mobile number."""
    taken: set[str] = set()
    people = []
    for person in PEOPLE:
        if person.sender == "company":
            code = None
            while code is None or code in taken:
                code = business_id(rng.randrange(2_000_000, 3_400_000))
            taken.add(code)
            person = replace(person, business_id=code)
        if person.sender != "spam" and rng.random() < 0.5:
            person = replace(person, phone=f"+35840{rng.randrange(10**7):07d}")
        people.append(person)
    return people


# -- planning: pure, from the seed -----------------------------------------------------------


@dataclass(frozen=True)
class Step:
    action: str
    hours: float  # business hours after the previous step (or the submission)
    pick: int  # chooses among texts and handlers, so that nothing random happens while playing


@dataclass(frozen=True)
class Plan:
    submitted: datetime
    sample: Sample
    person: Person
    channel: str
    steps: tuple[Step, ...]
    close_after: timedelta  # after the reopening period: when the auto-close sweep ran
    duplicate: bool = False
    duplicate_of: int | None = None  # position in the plan list of the request it repeats


# By age in days: old requests are mostly done, recent ones are mostly still open.
_SCENARIO_WEIGHTS: tuple[tuple[int, dict[str, int]], ...] = (
    (2, {"queued": 34, "in_progress": 24, "awaiting": 10, "resolved": 24, "withdrawn": 8}),
    (
        14,
        {"queued": 6, "in_progress": 14, "awaiting": 14, "answered": 6, "resolved": 42}
        | {"reopened": 8, "withdrawn": 10},
    ),
    (
        10**6,
        {"queued": 2, "in_progress": 3, "awaiting": 3, "answered": 1, "resolved": 75}
        | {"reopened": 9, "withdrawn": 7},
    ),
)
_CHANNELS = (
    Inquiry.Channel.WEB,
    Inquiry.Channel.EMAIL,
    Inquiry.Channel.PHONE,
    Inquiry.Channel.VISIT,
)
_TAKES = ("claim", "assign")
_FIRST_RESPONSES = ("reply", "ask", "resolve")
# Business hours after the previous step, as (shortest, longest).
_DELAYS: dict[str, tuple[float, float]] = {
    "claim": (0.2, 6),
    "assign": (0.2, 6),
    "transfer": (0.3, 8),
    "note": (0.2, 6),
    "reply": (0.3, 8),
    "ask": (1, 16),
    "answer": (1, 24),
    "ask_again": (0.5, 8),
    "resolve": (2, 40),
    "reopen": (2, 24),
    "resolve_again": (1, 16),
    "withdraw": (1, 30),
    "close": (0.3, 10),
    "duplicate": (0.3, 10),
}


def _submission_time(rng: random.Random, days: int, now: datetime) -> datetime:
    """Mostly office hours on weekdays; some evenings, early mornings and weekends."""
    today = timezone.localtime(now).date()
    first_day = today - timedelta(days=days - 1)
    day = first_day + timedelta(days=rng.randrange(days))
    roll, minutes, weekday = rng.random(), rng.randrange(8 * 60), rng.randrange(5)
    back = timedelta(seconds=rng.uniform(60, 3600))
    if roll < 0.8:
        if day.weekday() > 4:  # a weekend day becomes a weekday of the same week (or the next)
            day -= timedelta(days=day.weekday() - weekday)
            day += timedelta(days=7) if day < first_day else timedelta(0)
        clock = 8 * 60 + minutes
    elif roll < 0.95:
        clock = 16 * 60 + minutes * 6 // 8  # 16:00-22:00
    else:
        clock = 6 * 60 + minutes // 4  # 06:00-08:00, any day
    moment = datetime.combine(day, time(clock // 60, clock % 60, rng.randrange(60)))
    moment = timezone.make_aware(moment)
    return moment if moment < now else now - back  # later today: not yet, so a moment ago


def _scenario(rng: random.Random, age_days: int) -> str:
    weights = next(table for limit, table in _SCENARIO_WEIGHTS if age_days < limit)
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _maybe(rng: random.Random, chance: float, *actions: str) -> list[str]:
    return list(actions) if rng.random() < chance else []


def _actions(scenario: str, rng: random.Random) -> list[str]:
    """Return the steps of a scenario: what happens to the request, in order."""
    take = "assign" if rng.random() < 0.35 else "claim"
    if scenario == "queued":
        return _maybe(rng, 0.25, "note")
    if scenario == "in_progress":
        return [take, *_maybe(rng, 0.6, "reply"), *_maybe(rng, 0.4, "note")]
    if scenario == "awaiting":
        return [take, *_maybe(rng, 0.3, "reply"), "ask", *_maybe(rng, 0.4, "answer", "ask_again")]
    if scenario == "answered":
        return [take, "ask", "answer", *_maybe(rng, 0.5, "note")]
    if scenario == "withdrawn":
        return rng.choice((["withdraw"], [take, "reply", "withdraw"], [take, "ask", "withdraw"]))
    if scenario == "reopened":
        return [take, *_maybe(rng, 0.4, "reply"), "resolve", "reopen", "resolve_again"]
    return [
        take,
        *_maybe(rng, 0.5, "reply"),
        *_maybe(rng, 0.35, "ask", "answer"),
        *_maybe(rng, 0.3, "note"),
        "resolve",
    ]


def _with_transfer(rng: random.Random, actions: list[str]) -> list[str]:
    """Put the transfer first, or after a first claim; the receiving unit then takes it again."""
    if actions and actions[0] in _TAKES:
        return [actions[0], "transfer", *actions] if rng.random() < 0.5 else ["transfer", *actions]
    return ["transfer", *actions]


def _first_response_hours(rng: random.Random) -> float:
    """Mostly within the 16-hour promise, a quarter of them late."""
    return rng.uniform(0.5, 14) if rng.random() < 0.75 else rng.uniform(17, 48)


def _delay(rng: random.Random, action: str) -> float:
    if action == "resolve" and rng.random() < 0.15:  # the hard cases, past the 80-hour promise
        return rng.uniform(70, 120)
    return rng.uniform(*_DELAYS[action])


def _timed(rng: random.Random, actions: list[str]) -> tuple[Step, ...]:
    hours = [_delay(rng, action) for action in actions]
    first = next((i for i, action in enumerate(actions) if action in _FIRST_RESPONSES), None)
    if first is not None:
        # The steps up to the first response share its time, measured from the submission.
        total = _first_response_hours(rng)
        shares = [rng.uniform(0.2, 1) for _ in hours[: first + 1]]
        hours[: first + 1] = [total * share / sum(shares) for share in shares]
    return tuple(
        Step(action, max(round(h * 60), 1) / 60, rng.randrange(1000))
        for action, h in zip(actions, hours, strict=True)
    )


def _sample_and_actions(rng: random.Random, age_days: int) -> tuple[Sample, list[str]]:
    roll = rng.random()
    if roll < 0.035:
        return rng.choice(SPAM), ["close"]
    if roll < 0.075:
        return rng.choice(OUT_OF_SCOPE), ["close"]
    language = rng.choices(("fi", "sv", "en"), weights=(55, 25, 20))[0]
    pool = [sample for sample in SAMPLES if sample.language == language]
    # Routing misses are the exception: a request that will be transferred is drawn half as often.
    sample = rng.choices(pool, weights=[0.5 if s.transfer_to else 1 for s in pool])[0]
    actions = _actions(_scenario(rng, age_days), rng)
    return sample, _with_transfer(rng, actions) if sample.transfer_to else actions


def _plan_one(rng: random.Random, days: int, now: datetime, people: list[Person]) -> Plan:
    submitted = _submission_time(rng, days, now)
    age_days = (timezone.localtime(now).date() - timezone.localtime(submitted).date()).days
    sample, actions = _sample_and_actions(rng, age_days)
    duplicate = not sample.close_reason and rng.random() < 0.05
    senders = [p for p in people if p.language == sample.language and p.sender == sample.sender]
    channel = rng.choices(_CHANNELS, weights=(82, 9, 6, 3))[0]
    return Plan(
        submitted=submitted,
        sample=sample,
        person=rng.choice(senders),
        channel=channel,
        steps=_timed(rng, ["duplicate"] if duplicate else actions),
        close_after=timedelta(minutes=rng.uniform(1, 15)),
        duplicate=duplicate,
    )


def _link_duplicates(plans: list[Plan]) -> list[Plan]:
    """Make each duplicate repeat the latest earlier ordinary request, by the same person."""
    linked: list[Plan] = []
    original: int | None = None
    for plan in plans:
        if plan.duplicate and original is not None:
            source = linked[original]
            plan = replace(plan, sample=source.sample, person=source.person, duplicate_of=original)
        elif plan.duplicate:  # nothing to repeat yet: an ordinary request left in the queue
            plan = replace(plan, steps=(), duplicate=False)
        if not plan.duplicate and not plan.sample.close_reason:
            original = len(linked)
        linked.append(plan)
    return linked


def plan_requests(*, count: int, days: int, seed: int, now: datetime) -> list[Plan]:
    """Return the requests to create, oldest first; the same seed gives the same stories."""
    people = _with_details(random.Random(f"{seed}:people"))
    # One generator per request: a story never shifts because another one changed.
    plans = [_plan_one(random.Random(f"{seed}:{n}"), days, now, people) for n in range(count)]
    return _link_duplicates(sorted(plans, key=lambda plan: plan.submitted))
