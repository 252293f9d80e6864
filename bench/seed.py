"""Seed a benchmark database fast: realistic requests written with COPY, not through services.

The rows look like what the workflow services leave behind (states, durations in business
seconds, re-routes with their transfer decisions, reopens, ratings, a log of about six steps
per request), drawn from fixed distributions with a seeded random generator. Timestamps follow
the durations roughly (wall clock ≈ business time × 3); the dashboard reads the stored
durations, so it sees exactly what it would see in production.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db import connection

CHUNK_ROWS = 5000
BATCH_REQUESTS = 50_000
# Wall-clock seconds per business second, roughly: 8 open hours a weekday out of 24 × 7/5.
WALL_PER_BUSINESS = 4.2

LANGUAGES = (("fi", 70), ("sv", 20), ("en", 10))
CHANNELS = (("web", 60), ("email", 20), ("phone", 10), ("api", 5), ("visit", 3), ("event", 2))
RATINGS = ((1, 5), (2, 7), (3, 15), (4, 33), (5, 40))
SUBJECTS = (
    "Tonttihaku uudelle tuotantohallille",
    "Rekrytointi: kaksi varastotyöntekijää syksyksi",
    "Kasvurahoitus vientiin",
    "Ympäristölupa maalaamolle",
    "Lediga lokaler i centrum",
    "Starting a company in Porvoo",
)
DESCRIPTION = (
    "Hei, etsimme ratkaisua yrityksemme tarpeeseen ja toivomme yhteydenottoa. "
    "Yrityksemme toimii Porvoossa ja kasvaa; kertokaa, mitä vaihtoehtoja on ja miten edetä. "
)
OPEN_FOREVER_SHARE = 0.004  # forgotten requests: still open after weeks (the old backlog)


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
    return int(rng.lognormvariate(math.log(median_hours * 3600), sigma))


@dataclass
class Catalogue:
    """Ids the generator needs: units, request types with their default units, staff, contacts."""

    units: list[int]
    types: list[tuple[int, int]]  # (request type id, default unit id)
    staff: dict[int, list[int]]  # unit id -> user ids
    contacts: list[int] = field(default_factory=list)


@dataclass
class Counts:
    inquiries: int = 0
    decisions: int = 0
    logs: int = 0


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


def seed_contacts(count: int) -> list[int]:
    """COPY `count` requesters; return their ids."""
    start = _next_id("crm_contact")
    now = _ts(time.time())
    lines = (
        f"{start + n}\tyrittaja{n}@example.fi\tYrittäjä {n}\t\tfi\t{now}\n" for n in range(count)
    )
    _copy("crm_contact", ("id", "email", "name", "phone", "language", "created_at"), lines)
    _reset_sequence("crm_contact")
    return list(range(start, start + count))


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
NULL = "\\N"


@dataclass
class _Request:
    """One generated request and the side rows (decisions, log) that go with it."""

    line: str
    decisions: list[str]
    logs: list[str]


def _one_request(
    rng: random.Random, number: int, submitted: float, now: float, catalogue: Catalogue
) -> _Request:
    type_id, unit_id = rng.choice(catalogue.types)
    contact = rng.choice(catalogue.contacts)
    language, channel = _language(rng), _channel(rng)
    age_business = (now - submitted) / WALL_PER_BUSINESS
    decisions = [f"{number}\trule\tDefault rule\t\t\t{_ts(submitted)}\t{NULL}\t{unit_id}\n"]
    logs = [
        f"{number}\tsubmit\t\tnew\t{_ts(submitted)}\t\t{NULL}\n",
        f"{number}\troute\tnew\tqueued\t{_ts(submitted)}\t\t{NULL}\n",
    ]
    # Re-routes: 6 % once, 0.5 % twice, within the first business hours.
    reroutes = 2 if rng.random() < 0.005 else 1 if rng.random() < 0.06 else 0
    moment = submitted
    for _ in range(reroutes):
        moment += rng.uniform(600, 4 * 3600)
        target = rng.choice([u for u in catalogue.units if u != unit_id])
        decisions.append(
            f"{number}\ttransfer\t\t\tBelongs elsewhere\t{_ts(moment)}\t{unit_id}\t{target}\n"
        )
        logs.append(f"{number}\ttransfer\tqueued\tqueued\t{_ts(moment)}\t\t{NULL}\n")
        unit_id = target
    handler = rng.choice(catalogue.staff[unit_id])
    fr = _lognormal_seconds(rng, 4, 1.1)
    res = fr + _lognormal_seconds(rng, 18, 1.0)
    awaiting = _lognormal_seconds(rng, 10, 0.8) if rng.random() < 0.2 else 0
    forgotten = rng.random() < OPEN_FOREVER_SHARE
    outcome = rng.random()
    fields: dict[str, object] = {
        "first_response_at": NULL,
        "resolved_at": NULL,
        "last_resolved_at": NULL,
        "closed_at": NULL,
        "first_response_seconds": NULL,
        "resolution_seconds": NULL,
        "rating": NULL,
        "rated_at": NULL,
        "assignee_id": NULL,
        "close_reason": "",
        "reopen_count": 0,
        "awaiting_seconds": 0,
    }
    claim_at = submitted + min(fr, 1800) * WALL_PER_BUSINESS
    if outcome < 0.02 and age_business > 3600:  # spam, duplicates, out of scope
        status = "closed"
        fields["close_reason"] = rng.choice(("spam", "duplicate", "out_of_scope"))
        fields["closed_at"] = _ts(claim_at)
        logs.append(f"{number}\tclose_unactioned\tqueued\tclosed\t{_ts(claim_at)}\t\t{handler}\n")
    elif outcome < 0.035 and age_business > 3600:  # withdrawn by the requester
        status = "withdrawn"
        fields["closed_at"] = _ts(claim_at)
        logs.append(f"{number}\twithdraw\tqueued\twithdrawn\t{_ts(claim_at)}\t\t{NULL}\n")
    elif fr > age_business or (forgotten and rng.random() < 0.5):
        status = "queued" if rng.random() < 0.6 else "in_progress"
        if status == "in_progress":
            fields["assignee_id"] = handler
            logs.append(f"{number}\tclaim\tqueued\tin_progress\t{_ts(claim_at)}\t\t{handler}\n")
    else:
        fields["assignee_id"] = handler
        first = submitted + fr * WALL_PER_BUSINESS
        fields["first_response_at"] = _ts(first)
        fields["first_response_seconds"] = fr
        logs.append(f"{number}\tclaim\tqueued\tin_progress\t{_ts(claim_at)}\t\t{handler}\n")
        logs.append(f"{number}\treply\tin_progress\tin_progress\t{_ts(first)}\t\t{handler}\n")
        if res + awaiting > age_business or forgotten:
            status = "awaiting_customer" if awaiting and rng.random() < 0.5 else "in_progress"
        else:
            resolved = submitted + (res + awaiting) * WALL_PER_BUSINESS
            fields["resolved_at"] = fields["last_resolved_at"] = _ts(resolved)
            fields["resolution_seconds"] = res
            fields["awaiting_seconds"] = awaiting
            logs.append(f"{number}\tresolve\tin_progress\tresolved\t{_ts(resolved)}\t\t{handler}\n")
            status = "resolved"
            if rng.random() < 0.03:
                fields["reopen_count"] = 1
                reopened = resolved + rng.uniform(3600, 5 * 86400)
                again = reopened + rng.uniform(3600, 3 * 86400)
                fields["last_resolved_at"] = _ts(again)
                logs.append(f"{number}\treopen\tresolved\tin_progress\t{_ts(reopened)}\t\t{NULL}\n")
                logs.append(
                    f"{number}\tresolve\tin_progress\tresolved\t{_ts(again)}\t\t{handler}\n"
                )
            if rng.random() < 0.35:
                rated = resolved + rng.uniform(600, 3 * 86400)
                fields["rating"] = _rating(rng)
                fields["rated_at"] = _ts(rated)
                logs.append(f"{number}\trate\tresolved\tresolved\t{_ts(rated)}\t\t{NULL}\n")
            if now - resolved > 14 * 86400:
                status = "closed"
                closed = resolved + 14 * 86400
                fields["closed_at"] = _ts(closed)
                logs.append(f"{number}\tclose\tresolved\tclosed\t{_ts(closed)}\t\t{NULL}\n")
    year = time.gmtime(submitted).tm_year
    values = {
        "id": number,
        "reference": f"BP-{year}-{number:07d}",
        "status": status,
        "channel": channel,
        "priority": "normal",
        "company_name": f"Yritys {contact} Oy",
        "language": language,
        "subject": SUBJECTS[number % len(SUBJECTS)],
        "description": DESCRIPTION,
        "submitted_at": _ts(submitted),
        "updated_at": _ts(min(now, submitted + (res + awaiting) * WALL_PER_BUSINESS)),
        "first_response_due": _ts(submitted + 16 * 3600 * WALL_PER_BUSINESS),
        "resolution_due": _ts(submitted + 80 * 3600 * WALL_PER_BUSINESS),
        "rating_comment": "",
        "reroute_count": reroutes,
        "contact_id": contact,
        "request_type_id": type_id,
        "unit_id": unit_id,
        **fields,
    }
    line = "\t".join(str(values[column]) for column in INQUIRY_COLUMNS) + "\n"
    return _Request(line=line, decisions=decisions, logs=logs)


def _submission_times(rng: random.Random, count: int, start: float, end: float) -> list[float]:
    """Submission instants over [start, end): weekdays and office hours mostly, sorted."""
    moments = []
    while len(moments) < count:
        moment = rng.uniform(start, end)
        local = datetime.fromtimestamp(moment, UTC) + timedelta(hours=2)
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
) -> Counts:
    """COPY `count` requests over the last `months` months, with decisions and logs.

    Written in batches (requests, then their decisions and log rows), so memory stays flat.
    The caller turns foreign-key triggers off for the load: the generator keeps the references
    consistent, and checking 8 million of them row by row would triple the time.
    """
    rng = random.Random(seed)
    end = now.timestamp()
    start = end - months * 30.44 * 86400
    first_id = _next_id("inquiries_inquiry")
    moments = _submission_times(rng, count, start, end)
    counts = Counts()
    for batch_start in range(0, count, BATCH_REQUESTS):
        batch = moments[batch_start : batch_start + BATCH_REQUESTS]
        requests = [
            _one_request(rng, first_id + batch_start + offset, submitted, end, catalogue)
            for offset, submitted in enumerate(batch)
        ]
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
    _reset_sequence("inquiries_inquiry")
    return counts
