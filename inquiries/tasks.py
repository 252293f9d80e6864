"""Periodic jobs (Celery beat; see CELERY_BEAT_SCHEDULE). Each is safe to run twice at once."""

from celery import shared_task
from django.utils import timezone

from . import metrics, services


@shared_task(acks_late=True, ignore_result=True)
def close_resolved_inquiries() -> int:
    """Close resolved inquiries whose reopening period has ended."""
    return services.close_resolved_inquiries()


@shared_task(acks_late=True, ignore_result=True)
def scan_service_levels() -> dict[str, int]:
    """Flag and report requests at risk of, or past, their promised times."""
    return services.scan_service_levels()


@shared_task(acks_late=True, ignore_result=True)
def remind_requesters() -> int:
    """Remind requesters who have not answered our question in 5 business days."""
    return services.remind_requesters()


@shared_task(acks_late=True, ignore_result=True)
def anonymise_old_inquiries() -> int:
    """Anonymise the personal data of requests closed longer ago than the retention period."""
    return services.anonymise_old_inquiries()


@shared_task(acks_late=True, ignore_result=True)
def refresh_dashboards() -> int:
    """Recompute the manager dashboard's usual and recently opened views ahead of readers."""
    return metrics.refresh_snapshots(now=timezone.now())
