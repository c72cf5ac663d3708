"""Background tasks of the consent app (Django's tasks API, run by `manage.py task_worker`)."""

from django_tasks import task


@task()
def send_email_delivery(delivery_id: int) -> str:
    """Send one queued email of the outbox; on failure it re-enqueues itself with a delay."""
    from minipolice.consent.emails import deliver

    return deliver(delivery_id)
