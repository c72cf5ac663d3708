"""Background tasks of the consent app (Django's tasks API, run by `manage.py task_worker`)."""

from django_tasks import task


@task()
def send_email_delivery(delivery_id: int) -> str:
    """Send one queued email of the outbox; on failure it re-enqueues itself with a delay."""
    # emails.py queues this task (it imports this module), so the task reads emails.py when it
    # runs: the one import here that is needed to break a cycle.
    from minipolice.consent.emails import deliver

    return deliver(delivery_id)


def housekeeping() -> None:
    """Run every minute by `manage.py task_worker` (its `housekeeping` hook): emails that a
    killed worker left "sending" go back to the queue."""
    from minipolice.consent.emails import reclaim_interrupted_deliveries  # the same cycle

    reclaim_interrupted_deliveries()
