"""Periodic jobs of inbound mail (Celery beat; see CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from . import imap, retention


@shared_task(ignore_result=True)
def poll_imap() -> int:
    """Read the new messages of the IMAP mailbox (IMAP_HOST); return how many were handled."""
    return imap.poll().handled


@shared_task(acks_late=True, ignore_result=True)
def forget_old_mail() -> int:
    """Remove the personal data of mail received more than MAILIN_KEEP_DAYS ago."""
    return retention.forget_old_mail()
