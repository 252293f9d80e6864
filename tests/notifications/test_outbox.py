"""The outbox: written with the event, delivered after commit, never twice, retried, swept."""

from __future__ import annotations

import smtplib
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connections
from django.utils import timezone

from inquiries import services
from notifications import delivery, outbox, tasks
from notifications.delivery import Outcome
from notifications.models import Notification

from ..factories import submission

pytestmark = pytest.mark.django_db
Kind, Status = Notification.Kind, Notification.Status
FAILING = "tests.notifications.test_outbox.RefusingBackend"


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def receipts():
    return Notification.objects.filter(kind=Kind.RECEIPT)


def test_submission_writes_the_receipt_and_sends_it_only_after_commit(
    submit, handler, django_capture_on_commit_callbacks
):
    # when a request is submitted
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submitted = submit()
        # then the receipt and the unit's notice are in the outbox, and nothing was sent yet
        receipt = receipts().get()
        assert receipt.status == Status.PENDING and receipt.inquiry == submitted.inquiry
        assert receipt.recipient_email == submitted.inquiry.contact.email
        assert Notification.objects.filter(kind=Kind.NEW_IN_UNIT, recipient_user=handler).exists()
        assert mail.outbox == []
    # when the transaction has committed
    for callback in callbacks:
        callback()
    # then each mail went out once, marked sent, with its own Message-ID
    receipt.refresh_from_db()
    assert receipt.status == Status.SENT and receipt.sent_at is not None
    sent = [m for m in mail.outbox if m.to == [receipt.recipient_email]]
    assert len(sent) == 1
    assert sent[0].extra_headers["Message-ID"] == receipt.message_id
    assert sent[0].extra_headers["Auto-Submitted"] == "auto-generated"
    assert sent[0].alternatives and sent[0].alternatives[0][1] == "text/html"


def test_an_event_that_fails_leaves_no_mail_behind(requester, monkeypatch):
    # given routing that breaks after the receipt would have been written
    def broken(**kwargs):
        raise RuntimeError("routing failed")

    monkeypatch.setattr(services.submission, "route_inquiry", broken)
    with pytest.raises(RuntimeError):
        services.submit_inquiry(submission=submission())
    assert not Notification.objects.exists()


def test_delivering_twice_sends_once(queued_inquiry):
    receipt = receipts().get()
    assert delivery.deliver(receipt.pk) == Outcome.SENT
    assert delivery.deliver(receipt.pk) == Outcome.SKIPPED
    assert len(mail.outbox) == 1


def test_mail_server_down_backs_off_then_fails_for_good(queued_inquiry, settings):
    settings.EMAIL_BACKEND = FAILING
    settings.OUTBOX_RETRY_BASE_SECONDS = 60
    settings.OUTBOX_MAX_ATTEMPTS = 3
    receipt = receipts().get()
    start = timezone.now()
    # first attempt fails: retried after 1 minute
    assert delivery.deliver(receipt.pk, now=start) == Outcome.RETRY
    receipt.refresh_from_db()
    assert (receipt.status, receipt.attempts) == (Status.PENDING, 1)
    assert receipt.next_attempt_at == start + timedelta(seconds=60)
    assert "SMTPServerDisconnected" in receipt.last_error
    # not before its time
    assert delivery.deliver(receipt.pk, now=start + timedelta(seconds=59)) == Outcome.SKIPPED
    # the second waits twice as long
    assert delivery.deliver(receipt.pk, now=start + timedelta(seconds=60)) == Outcome.RETRY
    receipt.refresh_from_db()
    assert receipt.next_attempt_at == start + timedelta(seconds=60 + 120)
    # the last attempt marks it failed
    assert delivery.deliver(receipt.pk, now=start + timedelta(seconds=180)) == Outcome.FAILED
    receipt.refresh_from_db()
    assert receipt.status == Status.FAILED and receipt.attempts == 3
    # and the admin's retry starts it afresh: it goes out once the server is back
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert delivery.retry_now([receipt.pk]) == 1
    assert delivery.deliver(receipt.pk) == Outcome.SENT
    assert len(mail.outbox) == 1


def test_backoff_is_capped(settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 60
    settings.OUTBOX_RETRY_MAX_SECONDS = 3600
    assert [delivery.retry_delay(n).total_seconds() for n in (1, 2, 3, 7, 8, 20)] == [
        60, 120, 240, 3600, 3600, 3600,
    ]  # fmt: skip


def test_sweep_sends_what_is_pending_and_takes_back_what_a_dead_worker_held(submit, settings):
    settings.OUTBOX_CLAIM_TIMEOUT_SECONDS = 600
    first, second = submit().inquiry, submit().inquiry
    held = receipts().get(inquiry=first)
    # given a worker that claimed one receipt 11 minutes ago and died
    Notification.objects.filter(pk=held.pk).update(
        status=Status.SENDING, claimed_at=timezone.now() - timedelta(minutes=11), attempts=1
    )
    # when the sweep runs (tasks run inline in tests)
    tasks.sweep_outbox.delay()
    # then everything pending, and the dead worker's row, went out once
    assert set(Notification.objects.values_list("status", flat=True)) == {Status.SENT}
    to_requester = [m for m in mail.outbox if m.to == [first.contact.email]]
    assert len(to_requester) == 2  # one receipt for each request: the same requester
    assert second.notifications.get(kind=Kind.RECEIPT).status == Status.SENT


def test_sweep_leaves_a_recent_claim_alone(queued_inquiry):
    held = receipts().get()
    Notification.objects.filter(pk=held.pk).update(status=Status.SENDING, claimed_at=timezone.now())
    tasks.sweep_outbox.delay()
    held.refresh_from_db()
    assert held.status == Status.SENDING
    assert not [m for m in mail.outbox if m.to == [held.recipient_email]]


def test_broker_down_does_not_fail_the_request_and_the_sweep_sends_later(
    submit, handler, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    # given a broker that refuses connections
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(tasks.deliver_notifications, "apply_async", refuse)
    # when a request is submitted and its mails are handed over after commit
    with django_capture_on_commit_callbacks(execute=True):
        submitted = submit()
    # then nothing broke, and its mails wait in the outbox for the sweep
    assert set(submitted.inquiry.notifications.values_list("status", flat=True)) == {Status.PENDING}
    assert "waits for the sweep" in caplog.text
    assert mail.outbox == []
    # when the sweep runs, each of them goes out once
    tasks.sweep_outbox.delay()
    tasks.sweep_outbox.delay()
    assert set(submitted.inquiry.notifications.values_list("status", flat=True)) == {Status.SENT}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [submitted.inquiry.contact.email, handler.email]
    )


def test_a_submission_hands_all_its_mail_to_celery_as_one_task(
    submit, handler, other_handler, manager, monkeypatch, django_capture_on_commit_callbacks
):
    sent_tasks = []
    monkeypatch.setattr(
        tasks.deliver_notifications, "apply_async", lambda args, **kw: sent_tasks.append(args)
    )
    # when a request is submitted to a unit of three members
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submitted = submit()
    # then one callback after commit hands the receipt and the three notices over as one task
    assert len(callbacks) == 1
    callbacks[0]()
    ids = set(submitted.inquiry.notifications.values_list("pk", flat=True))
    assert len(ids) == 4
    assert len(sent_tasks) == 1 and set(sent_tasks[0][0]) == ids
    # when that task runs, twice (a redelivered message), each mail goes out once
    tasks.deliver_notifications.run(sent_tasks[0][0])
    tasks.deliver_notifications.run(sent_tasks[0][0])
    assert len(mail.outbox) == 4
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [submitted.inquiry.contact.email, handler.email, other_handler.email, manager.email]
    )
    assert set(Notification.objects.values_list("status", flat=True)) == {Status.SENT}


def test_a_failed_submission_enqueues_nothing(
    requester, handler, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(inquiry, *args, **kwargs):
        raise RuntimeError("staff notices failed")

    monkeypatch.setattr(outbox, "notify_staff", broken)
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError):
        services.submit_inquiry(submission=submission())
    assert callbacks == [] and not Notification.objects.exists()


def test_bulk_work_can_hold_mail_for_the_sweep(submit, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, outbox.held_for_sweep():
        submit()
    assert callbacks == []
    assert receipts().get().status == Status.PENDING


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_delivering_the_same_row_send_it_once(requester):
    with outbox.held_for_sweep():  # committed, but not yet sent: both workers find it pending
        submitted = services.submit_inquiry(submission=submission())
    receipt = receipts().get(inquiry=submitted.inquiry)
    mail.outbox.clear()
    barrier, outcomes = threading.Barrier(2), []

    def worker():
        barrier.wait(timeout=10)
        try:
            outcomes.append(delivery.deliver(receipt.pk))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == [Outcome.SENT, Outcome.SKIPPED]
    assert len([m for m in mail.outbox if m.to == [receipt.recipient_email]]) == 1
