"""Two people acting at once, on PostgreSQL with real, separate connections."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.utils import translation
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from inquiries import services
from inquiries.models import Inquiry, TransitionLog

from ..factories import submission

# serialized_rollback: a transactional test flushes the tables; this restores the catalogue.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def run_together(*calls: Callable[[], Any]) -> list[Any]:
    """Run each call in its own thread and database connection, released at the same instant."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def worker(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            with translation.override("en"):  # a new thread starts in the default language
                results[index] = call()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each one got
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_handlers_claim_at_once_one_wins_the_other_is_told(handler, other_handler):
    for _ in range(5):  # several rounds: the race is real, not staged
        inquiry = services.submit_inquiry(submission=submission()).inquiry
        results = run_together(
            lambda i=inquiry: services.claim_inquiry(inquiry_id=i.pk, handler=handler),
            lambda i=inquiry: services.claim_inquiry(inquiry_id=i.pk, handler=other_handler),
        )
        winners = [r for r in results if isinstance(r, Inquiry)]
        losers = [r for r in results if isinstance(r, TransitionNotAllowed)]
        assert len(winners) == 1 and len(losers) == 1, results
        assert "already taken" in str(losers[0])
        inquiry.refresh_from_db()
        assert inquiry.assignee == winners[0].assignee
        assert TransitionLog.objects.filter(inquiry=inquiry, name="claim").count() == 1


def test_a_stale_copy_cannot_overwrite_a_newer_state(claimed_inquiry):
    # given two copies of the same in-progress inquiry, as two web requests would load it
    first = Inquiry.objects.get(pk=claimed_inquiry.pk)
    second = Inquiry.objects.get(pk=claimed_inquiry.pk)
    with transaction.atomic():
        first.withdraw(now=first.submitted_at)
        first.save()
    # when the second, stale copy takes a transition from the old state
    with pytest.raises(ConcurrentTransition), transaction.atomic():
        second.withdraw(now=second.submitted_at)
        second.save()
    assert Inquiry.objects.get(pk=claimed_inquiry.pk).status == Inquiry.Status.WITHDRAWN


def test_simultaneous_submissions_get_distinct_consecutive_references(db):
    assert connection.vendor == "postgresql"
    results = run_together(
        *[lambda: services.submit_inquiry(submission=submission()) for _ in range(8)]
    )
    references = sorted(r.inquiry.reference for r in results)
    assert len(set(references)) == 8, results
    numbers = [int(ref.rsplit("-", 1)[1]) for ref in references]
    assert numbers == list(range(numbers[0], numbers[0] + 8))
    assert Inquiry.objects.count() == 8
