"""Mail still arrives, once, when Redis, the worker or the mail server fails (real processes).

Each test prints one `FAULT …` line with its figures, also without -s; under xdist they are
repeated at the end when tests/faults is named on the command line (see conftest.py).
"""

from __future__ import annotations

import signal
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from crm.models import Membership, Unit
from inquiries import services
from inquiries.models import Inquiry
from notifications import outbox
from notifications.models import Notification

from ..factories import UserFactory, submission
from .processes import CeleryWorker, RedisServer, SmtpSink, WebServer, http_json, wait_until

pytestmark = [
    pytest.mark.postgres,
    # Committed data, so the other processes see it; serialized_rollback restores the catalogue.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
Kind, Status = Notification.Kind, Notification.Status
SUBMISSIONS = 50
OUTAGE_SECONDS = 6.0
DELIVERY_TIMEOUT = 60.0


def duplicates(counts: Counter[str]) -> int:
    return sum(n - 1 for n in counts.values() if n > 1)


def all_sent(ids: list[int]) -> bool:
    return Notification.objects.filter(pk__in=ids, status=Status.SENT).count() == len(ids)


def diagnostics(*processes: CeleryWorker | WebServer) -> str:
    rows = Notification.objects.order_by("pk").values_list("pk", "kind", "status", "attempts")
    return "\n".join([f"outbox: {list(rows)}", *(p.log_tail() for p in processes)])


def submit_held_for_sweep(email: str) -> Notification:
    """Submit in-process; the receipt waits in the outbox for the worker's sweep."""
    with outbox.held_for_sweep():
        submitted = services.submit_inquiry(submission=submission(email=email))
    return Notification.objects.get(inquiry=submitted.inquiry, kind=Kind.RECEIPT)


def test_redis_down_while_50_requests_are_submitted_every_receipt_arrives_once(
    redis_server: RedisServer,
    smtp_sink: SmtpSink,
    web_server: WebServer,
    worker: CeleryWorker,
    fault_report: Callable[[str], None],
) -> None:
    # given the whole stack running, and a handler in the unit (a second mail per request)
    handler = UserFactory(username="hanna.handler")
    unit = Unit.objects.get(code="urban-development")
    Membership.objects.create(user=handler, unit=unit, role=Membership.Role.HANDLER)
    smtp_sink.start()
    web_server.start()
    worker.start()

    # when Redis goes down and 50 requests are submitted over HTTP
    redis_server.stop()
    stopped = time.monotonic()

    def post(number: int) -> tuple[int, bytes, float]:
        payload = {
            "request_type": "business-plot",
            "description": f"Etsimme noin 5000 m² tonttia varastohallille (pyyntö {number}).",
            "contact_name": f"Yrittäjä {number}",
            "email": f"yrittaja{number}@example.fi",
            "language": "fi",
        }
        return http_json(web_server.url + "/api/v1/inquiries/", payload, timeout=30)

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(post, range(SUBMISSIONS)))

    # then every request is answered 201 without waiting for the broker, and saved
    statuses = Counter(status for status, _body, _seconds in answers)
    slowest = max(seconds for _status, _body, seconds in answers)
    assert statuses == {201: SUBMISSIONS}, (statuses, answers[:3], web_server.log_tail())
    assert Inquiry.objects.count() == SUBMISSIONS
    receipts = dict(Notification.objects.filter(kind=Kind.RECEIPT).values_list("message_id", "pk"))
    assert len(receipts) == SUBMISSIONS
    mails = dict(Notification.objects.values_list("message_id", "pk"))
    assert not smtp_sink.received

    # when Redis is back after an outage of several sweeps (the worker is in its reconnect
    # back-off, beat has failed to publish)
    time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - stopped)))
    restarted = time.monotonic()
    redis_server.start()

    # then every mail reaches the SMTP server and is marked sent
    arrived = wait_until(lambda: set(mails) <= set(smtp_sink.counts()), DELIVERY_TIMEOUT)
    marked = arrived and wait_until(lambda: all_sent(list(mails.values())), 10)
    counts = smtp_sink.counts()
    delivered = sum(1 for message_id in receipts if counts[message_id])
    last = max((smtp_sink.arrival(m) or restarted for m in mails), default=restarted)
    fault_report(
        f"redis-down: expected {SUBMISSIONS} receipts, delivered {delivered}, "
        f"duplicates {duplicates(counts)}, recovery {last - restarted:.1f} s after Redis "
        f"restarted (down {restarted - stopped:.1f} s; all {len(mails)} mails incl. staff notices: "
        f"{sum(1 for m in mails if counts[m])} delivered); slowest submission {slowest:.2f} s",
    )
    assert arrived and marked, diagnostics(worker, web_server)
    # each receipt exactly once, and no message twice
    assert all(counts[message_id] == 1 for message_id in receipts), counts
    assert duplicates(counts) == 0, counts
    assert set(counts) == set(mails)
    # How long a submission took with the broker down is printed above (a figure, not a test:
    # it depends on the machine's load); the broker's connection timeout is 2 s.


def test_worker_killed_mid_delivery_the_mail_is_delivered_once_after_restart(
    redis_server: RedisServer,
    smtp_sink: SmtpSink,
    worker: CeleryWorker,
    fault_report: Callable[[str], None],
) -> None:
    # given an SMTP server that holds the first RCPT (the mail half handed over, no DATA yet)
    smtp_sink.stall_first_rcpt(seconds=4)  # below EMAIL_TIMEOUT: the client just waits
    smtp_sink.start()
    worker.start()
    # and a request whose receipt is the only mail (nobody works in the unit)
    receipt = submit_held_for_sweep("tappo@example.fi")
    assert Notification.objects.count() == 1

    # when the worker is killed (SIGKILL, the whole group) while it waits on the SMTP server
    assert smtp_sink.stall_began.wait(timeout=30), diagnostics(worker)
    worker.kill(signal.SIGKILL)
    killed = time.monotonic()

    # then nothing was delivered, and the row still says a worker is sending it
    receipt.refresh_from_db()
    assert receipt.status == Status.SENDING
    assert not smtp_sink.received

    # when a new worker starts
    restarted = time.monotonic()
    worker.start()

    # then the receipt arrives, once, also after two more sweeps
    arrival = wait_until(lambda: smtp_sink.arrival(receipt.message_id), DELIVERY_TIMEOUT)
    marked = arrival and wait_until(lambda: all_sent([receipt.pk]), 10)
    time.sleep(2.5)
    counts = smtp_sink.counts()
    receipt.refresh_from_db()
    recovery = (arrival or time.monotonic()) - restarted
    fault_report(
        f"worker-sigkill: expected 1 receipt, delivered {int(counts[receipt.message_id] > 0)}, "
        f"duplicates {duplicates(counts)}, recovery {recovery:.1f} s after the worker restarted "
        f"({(arrival or time.monotonic()) - killed:.1f} s after the kill; "
        f"attempts {receipt.attempts})",
    )
    assert arrival and marked, diagnostics(worker)
    assert counts == {receipt.message_id: 1}
    assert receipt.status == Status.SENT


def test_smtp_down_the_mail_is_retried_then_delivered_once_it_returns(
    redis_server: RedisServer,
    smtp_sink: SmtpSink,
    worker: CeleryWorker,
    fault_report: Callable[[str], None],
) -> None:
    # given a running worker and an SMTP server that is down (its port closed)
    worker.start()

    # when a request is submitted
    receipt = submit_held_for_sweep("posti.alhaalla@example.fi")

    # then delivery fails and is retried with back-off, the mail waiting in the outbox
    def retried() -> Notification | None:
        row = Notification.objects.get(pk=receipt.pk)
        waiting = row.status == Status.PENDING and row.attempts >= 2 and row.last_error
        return row if waiting else None

    failing = wait_until(retried, 30)
    assert failing, diagnostics(worker)
    assert not smtp_sink.received

    # when the SMTP server comes back
    back = time.monotonic()
    smtp_sink.start()

    # then the receipt is delivered, once
    arrival = wait_until(lambda: smtp_sink.arrival(receipt.message_id), DELIVERY_TIMEOUT)
    marked = arrival and wait_until(lambda: all_sent([receipt.pk]), 10)
    counts = smtp_sink.counts()
    receipt.refresh_from_db()
    fault_report(
        f"smtp-down: expected 1 receipt, delivered {int(counts[receipt.message_id] > 0)}, "
        f"duplicates {duplicates(counts)}, recovery {(arrival or time.monotonic()) - back:.1f} s "
        f"after the SMTP server returned (failed attempts before: {failing.attempts}, "
        f'"{failing.last_error[:60]}"; attempts in all {receipt.attempts})',
    )
    assert arrival and marked, diagnostics(worker)
    assert counts == {receipt.message_id: 1}
    assert receipt.status == Status.SENT and receipt.last_error == ""
