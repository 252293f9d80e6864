"""Seed a benchmark database fast: realistic requests written with COPY, not through services.

The rows look like what the workflow services leave behind (states, durations in business
seconds, due and at-risk times with the SLA scan's flags, re-routes with their transfer
decisions, reopens, ratings, a log of about six steps and about three messages per request),
drawn from fixed distributions with a seeded random generator. Timestamps follow the durations
roughly (wall clock ≈ business time × 4.2); the dashboard reads the stored durations, so it sees
exactly what it would see in production.

`bench_dashboard` seeds requests only; `bench_scale` adds companies and their contacts
(`seed_people`) and the messages (`with_messages=True`).
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import connection

from . import texts

CHUNK_ROWS = 5000
BATCH_REQUESTS = 50_000
# Wall-clock seconds per business second, roughly: 8 open hours a weekday out of 24 × 7/5.
WALL_PER_BUSINESS = 4.2
HOUR = 3600
HELSINKI = ZoneInfo("Europe/Helsinki")
# The default SLA policy (routing's data migration), in business hours; at risk at 75 %.
FIRST_RESPONSE_HOURS, RESOLUTION_HOURS, AT_RISK_SHARE = 16, 80, 0.75

LANGUAGES = (("fi", 70), ("sv", 20), ("en", 10))
CHANNELS = (("web", 60), ("email", 20), ("phone", 10), ("api", 5), ("visit", 3), ("event", 2))
RATINGS = ((1, 5), (2, 7), (3, 15), (4, 33), (5, 40))
OPEN_FOREVER_SHARE = 0.004  # forgotten requests: still open after weeks (the old backlog)
# A few requesters (accountants, the big employers) send a tenth of all requests.
FREQUENT_PEOPLE_SHARE, FREQUENT_REQUEST_SHARE = 0.01, 0.10
NULL = "\\N"


def _weighted(pairs: Sequence[tuple[object, int]]) -> Callable[[random.Random], object]:
    values = [value for value, _weight in pairs]
    cumulative, total = [], 0
    for _value, weight in pairs:
        total += weight
        cumulative.append(total)

    def pick(rng: random.Random) -> object:
        return rng.choices(values, cum_weights=cumulative)[0]

    return pick


_language = _weighted(LANGUAGES)
_channel = _weighted(CHANNELS)
_rating = _weighted(RATINGS)


def _ts(epoch: float) -> str:
    """A timestamptz literal for COPY, in UTC, to the second."""
    return time.strftime("%Y-%m-%d %H:%M:%S+00", time.gmtime(epoch))


def _lognormal_seconds(rng: random.Random, median_hours: float, sigma: float) -> int:
    return int(rng.lognormvariate(math.log(median_hours * HOUR), sigma))


@dataclass(frozen=True)
class Person:
    """A requester as the generator sees them: their contact row and company, if any."""

    contact: int
    company: int | None
    company_name: str


@dataclass
class Catalogue:
    """Ids the generator needs: units, request types with their default units, staff, people."""

    units: list[int]
    types: list[tuple[int, int]]  # (request type id, default unit id)
    staff: dict[int, list[int]]  # unit id -> user ids
    contacts: list[int] = field(default_factory=list)  # people without companies (seed_contacts)
    people: list[Person] = field(default_factory=list)  # with companies (seed_people)
    type_codes: dict[int, str] = field(default_factory=dict)  # request type id -> code

    def __post_init__(self) -> None:
        if not self.people:
            self.people = [Person(c, None, f"Yritys {c} Oy") for c in self.contacts]
        self.frequent = self.people[: max(1, int(len(self.people) * FREQUENT_PEOPLE_SHARE))]

    def requester(self, rng: random.Random) -> Person:
        if rng.random() < FREQUENT_REQUEST_SHARE:
            return rng.choice(self.frequent)
        return rng.choice(self.people)


@dataclass
class Counts:
    inquiries: int = 0
    decisions: int = 0
    logs: int = 0
    messages: int = 0
    open: int = 0


def _copy(table: str, columns: Sequence[str], lines: Iterator[str]) -> int:
    """COPY text lines (tab-separated, newline-terminated) into a table; return the row count."""
    count = 0
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        chunk: list[str] = []
        for line in lines:
            chunk.append(line)
            if len(chunk) >= CHUNK_ROWS:
                copy.write("".join(chunk))
                count += len(chunk)
                chunk = []
        if chunk:
            copy.write("".join(chunk))
            count += len(chunk)
    return count


def _next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        return int(cursor.fetchone()[0])


def _reset_sequence(table: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
        )


# -- people ---------------------------------------------------------------------------------------


def seed_contacts(count: int) -> list[int]:
    """COPY `count` requesters without companies; return their ids."""
    start = _next_id("crm_contact")
    now = _ts(time.time())
    lines = (
        f"{start + n}\tyrittaja{n}@example.fi\tYrittäjä {n}\t\tfi\t{now}\n" for n in range(count)
    )
    _copy("crm_contact", ("id", "email", "name", "phone", "language", "created_at"), lines)
    _reset_sequence("crm_contact")
    return list(range(start, start + count))


def business_id(number: int) -> str | None:
    """The Finnish business ID (Y-tunnus) with seven digits `number`, or None if none exists."""
    digits = f"{number:07d}"
    remainder = sum(int(d) * w for d, w in zip(digits, (7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    if remainder == 1:  # no valid check digit: such numbers are not given out
        return None
    return f"{digits}-{0 if remainder == 0 else 11 - remainder}"


def _company_name(rng: random.Random) -> str:
    first = rng.choice(texts.COMPANY_WORDS + texts.LAST_NAMES)
    return f"{first} {rng.choice(texts.COMPANY_TRADES)} {rng.choice(texts.COMPANY_FORMS)}"


def seed_people(*, contacts: int, companies: int, seed: int) -> list[Person]:
    """COPY `companies` companies and `contacts` requesters (three in four with a company)."""
    rng = random.Random(seed)
    first_company, first_contact = _next_id("crm_company"), _next_id("crm_contact")
    names: list[tuple[int, str, str]] = []
    number = 1_000_000 + rng.randrange(1_000_000)
    while len(names) < companies:
        number += rng.randrange(1, 40)
        found = business_id(number)
        if found is not None:
            names.append((first_company + len(names), _company_name(rng), found))
    now = _ts(time.time())
    _copy(
        "crm_company",
        ("id", "name", "business_id", "created_at"),
        (f"{pk}\t{name}\t{bid}\t{now}\n" for pk, name, bid in names),
    )
    people: list[Person] = []
    lines = []
    for n in range(contacts):
        pk = first_contact + n
        first, last = rng.choice(texts.FIRST_NAMES), rng.choice(texts.LAST_NAMES)
        company = rng.choice(names) if rng.random() < 0.75 else None
        language = _language(rng)
        email = f"{first}.{last}.{n}@example.fi".lower().translate(_ASCII)
        phone = f"+35840{rng.randrange(10**7):07d}" if rng.random() < 0.6 else ""
        lines.append(
            f"{pk}\t{email}\t{first} {last}\t{phone}\t{language}\t"
            f"{company[0] if company else NULL}\t{now}\n"
        )
        people.append(Person(pk, company[0] if company else None, company[1] if company else ""))
    _copy(
        "crm_contact",
        ("id", "email", "name", "phone", "language", "company_id", "created_at"),
        iter(lines),
    )
    _reset_sequence("crm_company")
    _reset_sequence("crm_contact")
    return people


_ASCII = str.maketrans("äöåé", "aoae")


# -- requests -------------------------------------------------------------------------------------

INQUIRY_COLUMNS = (
    "id",
    "reference",
    "status",
    "channel",
    "priority",
    "company_name",
    "language",
    "subject",
    "description",
    "submitted_at",
    "first_response_at",
    "resolved_at",
    "last_resolved_at",
    "closed_at",
    "updated_at",
    "first_response_due",
    "resolution_due",
    "first_response_risk_at",
    "resolution_risk_at",
    "first_response_risk_flagged_at",
    "first_response_breach_flagged_at",
    "resolution_risk_flagged_at",
    "resolution_breach_flagged_at",
    "awaiting_since",
    "reminder_due_at",
    "first_response_seconds",
    "resolution_seconds",
    "awaiting_seconds",
    "rating",
    "rating_comment",
    "rated_at",
    "reroute_count",
    "reopen_count",
    "close_reason",
    "contact_id",
    "company_id",
    "request_type_id",
    "unit_id",
    "assignee_id",
)
DECISION_COLUMNS = (
    "inquiry_id",
    "kind",
    "rule_name",
    "matched_words",
    "reason",
    "decided_at",
    "from_unit_id",
    "unit_id",
)
LOG_COLUMNS = ("inquiry_id", "name", "source", "target", "at", "note", "actor_user_id")
MESSAGE_COLUMNS = (
    "inquiry_id",
    "visibility",
    "kind",
    "author_user_id",
    "author_contact_id",
    "body",
    "created_at",
)
OPEN_STATES = ("new", "queued", "in_progress", "awaiting_customer")


class _References:
    """BP-2026-000123: numbered per year (Helsinki time) in submission order, as services do."""

    def __init__(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT year, last FROM inquiries_referencecounter")
            self.last: dict[int, int] = dict(cursor.fetchall())

    def next(self, submitted: float) -> str:
        year = datetime.fromtimestamp(submitted, HELSINKI).year
        self.last[year] = self.last.get(year, 0) + 1
        return f"BP-{year}-{self.last[year]:06d}"

    def save(self) -> None:
        """Store the counters, so that a request submitted later gets the next number."""
        with connection.cursor() as cursor:
            for year, last in self.last.items():
                cursor.execute(
                    "INSERT INTO inquiries_referencecounter (year, last) VALUES (%s, %s) "
                    "ON CONFLICT (year) DO UPDATE SET last = GREATEST("
                    "inquiries_referencecounter.last, EXCLUDED.last)",
                    (year, last),
                )


@dataclass
class _Request:
    """One generated request and the side rows (decisions, log, messages) that go with it."""

    line: str
    decisions: list[str]
    logs: list[str]
    messages: list[str]
    is_open: bool


class _Builder:
    """Generates one request's life up to `now`: the request row and its side rows."""

    def __init__(
        self, rng: random.Random, number: int, submitted: float, now: float, catalogue: Catalogue
    ) -> None:
        self.rng, self.number, self.submitted, self.now = rng, number, submitted, now
        self.catalogue = catalogue
        self.reference = ""
        self.paused = 0  # business seconds the requester took to answer (clock paused)
        self.decisions: list[str] = []
        self.logs: list[str] = []
        self.messages: list[str] = []
        self.fields: dict[str, object] = {
            column: NULL
            for column in INQUIRY_COLUMNS
            if column.endswith(("_at", "_seconds", "_since")) or column in ("rating", "assignee_id")
        }
        self.fields |= {"close_reason": "", "reopen_count": 0, "awaiting_seconds": 0}

    def log(self, name: str, source: str, target: str, at: float, actor: object = NULL) -> None:
        self.logs.append(f"{self.number}\t{name}\t{source}\t{target}\t{_ts(at)}\t\t{actor}\n")

    def message(self, kind: str, body: str, at: float, *, user: object = NULL) -> None:
        visibility = "internal" if kind == "note" else "public"
        contact = self.person.contact if user == NULL else NULL
        self.messages.append(
            f"{self.number}\t{visibility}\t{kind}\t{user}\t{contact}\t{body}\t{_ts(at)}\n"
        )

    def build(self, with_messages: bool) -> _Request:
        rng, catalogue = self.rng, self.catalogue
        type_id, unit_id = rng.choice(catalogue.types)
        self.person = catalogue.requester(rng)
        self.language, channel = _language(rng), _channel(rng)
        self.log("submit", "", "new", self.submitted)
        self.log("route", "new", "queued", self.submitted)
        unit_id, reroutes = self._route(unit_id)
        self.handler = rng.choice(catalogue.staff[unit_id])
        status = self._life()
        if not with_messages:
            self.messages = []
        subject = self._subject(catalogue.type_codes.get(type_id, "other"))
        values = {
            **self.fields,
            "id": self.number,
            "reference": self.reference,
            "status": status,
            "channel": channel,
            "priority": "normal",
            "company_name": self.person.company_name,
            "language": self.language,
            "subject": subject,
            "description": texts.DESCRIPTIONS[self.language],
            "submitted_at": _ts(self.submitted),
            "updated_at": _ts(min(self.now, self.last_change)),
            "rating_comment": "",
            "reroute_count": reroutes,
            "contact_id": self.person.contact,
            "company_id": NULL if self.person.company is None else self.person.company,
            "request_type_id": type_id,
            "unit_id": unit_id,
        }
        self._clocks(values, status)
        line = "\t".join(str(values[column]) for column in INQUIRY_COLUMNS) + "\n"
        return _Request(line, self.decisions, self.logs, self.messages, status in OPEN_STATES)

    def _subject(self, code: str) -> str:
        rng = self.rng
        choices = texts.SUBJECTS.get(code, texts.SUBJECTS["other"])
        template = rng.choice(choices.get(self.language) or choices["fi"])
        return template.format(place=rng.choice(texts.PLACES), n=rng.randrange(2, 40))

    def _route(self, unit_id: int) -> tuple[int, int]:
        """The rule's decision, then re-routes: 6 % once, 0.5 % twice, in the first hours."""
        rng, number = self.rng, self.number
        self.decisions.append(
            f"{number}\trule\tDefault rule\t\t\t{_ts(self.submitted)}\t{NULL}\t{unit_id}\n"
        )
        reroutes = 2 if rng.random() < 0.005 else 1 if rng.random() < 0.06 else 0
        moment = self.submitted
        for _ in range(reroutes):
            moment += rng.uniform(600, 4 * HOUR)
            target = rng.choice([u for u in self.catalogue.units if u != unit_id])
            self.decisions.append(
                f"{number}\ttransfer\t\t\tBelongs elsewhere\t{_ts(moment)}\t{unit_id}\t{target}\n"
            )
            self.log("transfer", "queued", "queued", moment)
            unit_id = target
        return unit_id, reroutes

    def _life(self) -> str:
        """Walk the request through the workflow up to now; return its status."""
        rng, fields, handler = self.rng, self.fields, self.handler
        age_business = (self.now - self.submitted) / WALL_PER_BUSINESS
        self.fr = fr = _lognormal_seconds(rng, 4, 1.1)
        res = fr + _lognormal_seconds(rng, 18, 1.0)
        self.awaiting = awaiting = _lognormal_seconds(rng, 10, 0.8) if rng.random() < 0.2 else 0
        forgotten = rng.random() < OPEN_FOREVER_SHARE
        outcome = rng.random()
        claim_at = self.submitted + min(fr, 1800) * WALL_PER_BUSINESS
        self.last_change = claim_at
        if outcome < 0.035 and age_business > HOUR:
            return self._ended_early(outcome, claim_at)
        if fr > age_business or (forgotten and rng.random() < 0.5):
            if rng.random() < 0.6:
                return "queued"
            fields["assignee_id"] = handler
            self.log("claim", "queued", "in_progress", claim_at, handler)
            return "in_progress"
        fields["assignee_id"] = handler
        self.log("claim", "queued", "in_progress", claim_at, handler)
        first = self.submitted + fr * WALL_PER_BUSINESS
        fields["first_response_at"] = _ts(first)
        fields["first_response_seconds"] = fr
        language = self.language
        answered = first + awaiting * WALL_PER_BUSINESS
        if awaiting:  # the first response is a question; the clock pauses until the answer
            self.log("ask_customer", "in_progress", "awaiting_customer", first, handler)
            self.message("question", texts.QUESTIONS[language], first, user=handler)
            if answered > self.now:
                fields["awaiting_since"] = _ts(first)
                fields["reminder_due_at"] = _ts(first + 40 * HOUR * WALL_PER_BUSINESS)
                self.last_change = first
                return "awaiting_customer"
            self.log("customer_reply", "awaiting_customer", "in_progress", answered)
            self.message("customer", texts.ANSWERS[language], answered)
            self.paused = fields["awaiting_seconds"] = awaiting
        else:
            self.message("reply", texts.REPLIES[language], first, user=handler)
        if rng.random() < 0.6:
            self.message(
                "note", rng.choice(texts.NOTES), first + rng.uniform(60, HOUR), user=handler
            )
        resolved = self.submitted + (res + awaiting) * WALL_PER_BUSINESS
        if resolved > self.now or forgotten:
            self.last_change = min(self.now, answered)
            return "in_progress"
        return self._resolved(resolved, res)

    def _ended_early(self, outcome: float, at: float) -> str:
        """Closed unactioned (spam, duplicate, out of scope: 2 %) or withdrawn (1.5 %)."""
        self.fields["closed_at"] = _ts(at)
        if outcome < 0.02:
            reason = self.rng.choice(("spam", "duplicate", "out_of_scope"))
            self.fields["close_reason"] = reason
            self.log("close_unactioned", "queued", "closed", at, self.handler)
            if reason == "out_of_scope":
                self.message("closure", texts.CLOSURES[self.language], at, user=self.handler)
            return "closed"
        self.log("withdraw", "queued", "withdrawn", at)
        return "withdrawn"

    def _resolved(self, resolved: float, res: int) -> str:
        rng, fields, handler, language = self.rng, self.fields, self.handler, self.language
        fields["resolved_at"] = fields["last_resolved_at"] = _ts(resolved)
        fields["resolution_seconds"] = res
        self.log("resolve", "in_progress", "resolved", resolved, handler)
        self.message("resolution", texts.RESOLUTIONS[language], resolved, user=handler)
        self.last_change = last = resolved
        if rng.random() < 0.03:
            fields["reopen_count"] = 1
            reopened = resolved + rng.uniform(HOUR, 5 * 86400)
            last = reopened + rng.uniform(HOUR, 3 * 86400)
            fields["last_resolved_at"] = _ts(last)
            self.log("reopen", "resolved", "in_progress", reopened)
            self.message("customer", texts.ANSWERS[language], reopened)
            self.log("resolve", "in_progress", "resolved", last, handler)
            self.message("resolution", texts.RESOLUTIONS[language], last, user=handler)
        if rng.random() < 0.35:
            rated = resolved + rng.uniform(600, 3 * 86400)
            fields["rating"] = _rating(rng)
            fields["rated_at"] = _ts(rated)
            self.log("rate", "resolved", "resolved", rated)
        if self.now - last <= 14 * 86400:
            return "resolved"
        closed = last + 14 * 86400
        fields["closed_at"] = _ts(closed)
        self.log("close", "resolved", "closed", closed)
        self.last_change = closed
        return "closed"

    def _clocks(self, values: dict[str, object], status: str) -> None:
        """Due and at-risk times; the flags the SLA scan (every 5 minutes) has already set."""
        start, wall = self.submitted, WALL_PER_BUSINESS * HOUR
        paused = self.paused * WALL_PER_BUSINESS
        instants = {
            "first_response_due": start + FIRST_RESPONSE_HOURS * wall,
            "first_response_risk_at": start + FIRST_RESPONSE_HOURS * AT_RISK_SHARE * wall,
            "resolution_due": start + RESOLUTION_HOURS * wall + paused,
            "resolution_risk_at": start + RESOLUTION_HOURS * AT_RISK_SHARE * wall + paused,
        }
        values.update({name: _ts(instant) for name, instant in instants.items()})
        if status not in ("queued", "in_progress"):
            return  # the clocks do not run (waiting for the requester, or ended)
        flags = {
            "resolution_risk_flagged_at": "resolution_risk_at",
            "resolution_breach_flagged_at": "resolution_due",
        }
        if values["first_response_at"] == NULL:
            flags["first_response_risk_flagged_at"] = "first_response_risk_at"
            flags["first_response_breach_flagged_at"] = "first_response_due"
        for flag, instant in flags.items():
            if instants[instant] <= self.now:
                values[flag] = _ts(instants[instant] + self.rng.uniform(0, 300))


def _submission_times(rng: random.Random, count: int, start: float, end: float) -> list[float]:
    """Submission instants over [start, end): weekdays and office hours mostly, sorted."""
    moments = []
    while len(moments) < count:
        moment = rng.uniform(start, end)
        local = datetime.fromtimestamp(moment, HELSINKI)
        weekend = local.weekday() >= 5
        evening = not 7 <= local.hour < 17
        if (weekend and rng.random() < 0.85) or (evening and rng.random() < 0.7):
            continue
        moments.append(moment)
    moments.sort()
    return moments


def seed_requests(
    *,
    count: int,
    months: int,
    now: datetime,
    catalogue: Catalogue,
    with_logs: bool,
    seed: int,
    with_messages: bool = False,
) -> Counts:
    """COPY `count` requests over the last `months` months, with decisions, logs and messages.

    Written in batches (requests, then their side rows), so memory stays flat. The caller turns
    foreign-key triggers off for the load: the generator keeps the references consistent, and
    checking some ten million of them row by row would triple the time.
    """
    rng = random.Random(seed)
    end = now.timestamp()
    start = end - months * 30.44 * 86400
    first_id = _next_id("inquiries_inquiry")
    moments = _submission_times(rng, count, start, end)
    references = _References()
    counts = Counts()
    for batch_start in range(0, count, BATCH_REQUESTS):
        batch = moments[batch_start : batch_start + BATCH_REQUESTS]
        requests = []
        for offset, submitted in enumerate(batch):
            builder = _Builder(rng, first_id + batch_start + offset, submitted, end, catalogue)
            builder.reference = references.next(submitted)
            requests.append(builder.build(with_messages))
        counts.open += sum(r.is_open for r in requests)
        counts.inquiries += _copy("inquiries_inquiry", INQUIRY_COLUMNS, (r.line for r in requests))
        counts.decisions += _copy(
            "inquiries_routingdecision",
            DECISION_COLUMNS,
            (line for r in requests for line in r.decisions),
        )
        if with_logs:
            counts.logs += _copy(
                "inquiries_transitionlog", LOG_COLUMNS, (line for r in requests for line in r.logs)
            )
        if with_messages:
            counts.messages += _copy(
                "inquiries_message", MESSAGE_COLUMNS, (m for r in requests for m in r.messages)
            )
    _reset_sequence("inquiries_inquiry")
    references.save()
    return counts
