from celery import shared_task

from . import services


@shared_task(acks_late=True)
def close_resolved_inquiries() -> int:
    """Close resolved inquiries whose reopening period has ended."""
    return services.close_resolved_inquiries()
