"""The Celery app: settings that keep tasks safe, and a beat schedule that names real tasks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings

from config.celery import app
from inquiries import services, tasks
from inquiries.models import Inquiry


def test_tasks_are_acknowledged_late_and_requeued_when_a_worker_dies():
    app.loader.import_default_modules()
    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_serializer == "json" and conf.accept_content == ["json"]


def test_every_scheduled_job_is_a_registered_task():
    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, entry["task"]


@pytest.mark.django_db
def test_auto_close_task_closes_what_is_due(claimed_inquiry, handler, time_machine):
    # given a request resolved on Monday 7.9.2026 at 12:00
    resolved_at = claimed_inquiry.submitted_at + timedelta(hours=4)
    services.resolve_inquiry(
        inquiry_id=claimed_inquiry.pk, handler=handler, outcome="Valmis.", now=resolved_at
    )
    # when the beat job runs 13 days later, nothing closes; 15 days later, it does
    time_machine.move_to(resolved_at + timedelta(days=13))
    assert tasks.close_resolved_inquiries.delay().get() == 0
    time_machine.move_to(resolved_at + timedelta(days=15))
    assert tasks.close_resolved_inquiries.delay().get() == 1
    claimed_inquiry.refresh_from_db()
    assert claimed_inquiry.status == Inquiry.Status.CLOSED
