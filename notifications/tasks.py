from celery import shared_task

from . import delivery


@shared_task(acks_late=True, ignore_result=True)
def deliver_notification(notification_id: int) -> str:
    """Send one outbox row; safe to run twice (the row is claimed first)."""
    return delivery.deliver(notification_id)


@shared_task(acks_late=True, ignore_result=True)
def deliver_notifications(notification_ids: list[int]) -> list[str]:
    """Send the rows one event wrote, one after another; safe to run twice (each is claimed).

    A mail the server refuses is retried later (`delivery.deliver`) and the others still go; if
    the task dies half-way, what it did not send is still pending and the sweep sends it.
    """
    return [delivery.deliver(notification_id) for notification_id in notification_ids]


@shared_task(ignore_result=True)
def sweep_outbox() -> int:
    """Re-enqueue what is still pending (and what a dead worker left half-sent)."""
    delivery.reclaim_stale()
    ids = delivery.due_ids()
    for notification_id in ids:
        deliver_notification.delay(notification_id)
    return len(ids)
