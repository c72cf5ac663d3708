"""With the database backend (as in production), an enqueued email waits in the database and
`manage.py task_worker` sends it. The worker survives a database that is locked or drops the
connection, and an email whose worker was killed while sending is shown as interrupted, offered
to send again, and never sent twice."""

import datetime
import logging
import threading
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import OperationalError, connection, connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet

from minipolice.consent import emails
from minipolice.consent.models import EmailDelivery
from minipolice.consent.tests.backends import WorkerKilled
from minipolice.consent.tests.conftest import DATABASE_TASKS

KILLED = "minipolice.consent.tests.backends.KilledWhileSendingBackend"
SLOW = "minipolice.consent.tests.backends.SlowEmailBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def run_worker():
    call_command("task_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


@pytest.fixture
def queued(client, settings):
    """A parent asked for a portal link: one email queued, one task waiting for the worker."""
    from conftest import build_world

    settings.TASKS = DATABASE_TASKS
    world = build_world()
    mail.outbox.clear()
    client.post("/portal/link/", {"email": world.guardian.email})
    world.delivery = EmailDelivery.objects.get()
    return world


@pytest.mark.django_db(transaction=True)
def test_task_worker_sends_an_email_enqueued_with_the_database_backend(queued):
    delivery = queued.delivery
    assert delivery.status == "queued" and mail.outbox == []
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    run_worker()

    delivery.refresh_from_db()
    assert delivery.status == "sent"
    assert mail.outbox[0].to == [queued.guardian.email]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


# A worker that survives the database -------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_worker_goes_on_after_database_errors_while_fetching_and_then_sends(queued, caplog):
    real_get_locked = DBTaskResultQuerySet.get_locked
    errors = [
        OperationalError("server closed the connection unexpectedly"),
        OperationalError("database is locked"),
    ]

    def flaky_get_locked(queryset):
        if errors:
            raise errors.pop(0)
        return real_get_locked(queryset)

    with (
        mock.patch.object(DBTaskResultQuerySet, "get_locked", flaky_get_locked),
        mock.patch("minipolice.lib.management.commands.task_worker.sleep") as sleep,
        caplog.at_level(logging.WARNING, logger="minipolice.worker"),
    ):
        run_worker()

    queued.delivery.refresh_from_db()
    assert queued.delivery.status == "sent" and len(mail.outbox) == 1
    # It waited longer after the second error in a row, and said so as a warning, not an error.
    waits = [call.args[0] for call in sleep.call_args_list]
    assert len(waits) == 2 and 0 < waits[0] < waits[1] <= 30
    records = [r for r in caplog.records if r.name == "minipolice.worker"]
    assert [r.levelname for r in records] == ["WARNING", "WARNING"]
    assert "server closed the connection" in records[0].getMessage()


@pytest.mark.django_db(transaction=True)
def test_worker_waits_out_a_write_lock_held_longer_than_the_busy_timeout(queued):
    """On SQLite another connection holds the write lock; the worker's BEGIN fails (db_worker
    died here) and the worker tries again once the lock is gone."""
    if connection.vendor != "sqlite":
        pytest.skip("the database-wide write lock is SQLite's")
    import sqlite3

    name = connection.creation._get_test_db_name()
    other = sqlite3.connect(name, uri=name.startswith("file:"), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")

    def lock_released_while_waiting(seconds):
        if other.in_transaction:
            other.execute("ROLLBACK")

    try:
        with mock.patch(
            "minipolice.lib.management.commands.task_worker.sleep",
            side_effect=lock_released_while_waiting,
        ) as sleep:
            run_worker()
    finally:
        if other.in_transaction:
            other.execute("ROLLBACK")
        other.close()
    assert sleep.called
    queued.delivery.refresh_from_db()
    assert queued.delivery.status == "sent" and len(mail.outbox) == 1


# An email whose worker was killed while sending ----------------------------------------------
def kill_worker_while_sending(delivery, settings):
    """A worker claims the task and the email, and is killed in the middle of sending it."""
    DBTaskResult.objects.get().claim("killed-worker")
    settings.EMAIL_BACKEND = KILLED
    with pytest.raises(WorkerKilled):
        emails.deliver(delivery.pk)
    settings.EMAIL_BACKEND = LOCMEM


def minutes_pass(minutes):
    """Move the claim of the email and of its task back in time."""
    earlier = timezone.now() - datetime.timedelta(minutes=minutes)
    EmailDelivery.objects.update(claimed_at=earlier)
    DBTaskResult.objects.filter(status="RUNNING").update(started_at=earlier)


@pytest.mark.django_db(transaction=True)
def test_an_email_left_sending_by_a_killed_worker_is_reclaimed_and_sent_once(
    queued, settings, client_for
):
    delivery = queued.delivery
    kill_worker_while_sending(delivery, settings)
    delivery.refresh_from_db()
    assert delivery.status == "sending" and mail.outbox == []

    minutes_pass(EmailDelivery.SENDING_TIMEOUT.total_seconds() // 60 + 1)
    run_worker()

    delivery.refresh_from_db()
    # Whether the mail server took it is unknown: it is not sent again by itself ...
    assert delivery.status == "interrupted" and mail.outbox == []
    assert "interrupted" in delivery.last_error
    # ... and the killed worker's task is not left running for ever.
    assert DBTaskResult.objects.get().status == "FAILED"
    # The original task running again does nothing.
    assert emails.deliver(delivery.pk) == "interrupted" and mail.outbox == []

    client = client_for(queued.users["coordinator"])
    html = client.get("/consent/emails/?status=interrupted").content.decode()
    assert queued.guardian.email in html and "Interrupted" in html and "Send again" in html

    client.post(f"/consent/emails/{delivery.pk}/retry/")
    run_worker()
    run_worker()
    assert emails.deliver(delivery.pk) == "sent"

    delivery.refresh_from_db()
    assert delivery.status == "sent" and len(mail.outbox) == 1
    assert mail.outbox[0].to == [queued.guardian.email]


@pytest.mark.django_db(transaction=True)
def test_an_email_whose_worker_was_killed_before_claiming_it_is_sent_once(queued):
    """The worker took the task and was killed before it claimed the email: the email is still
    queued and its only task shows running. It used to wait in the outbox for ever."""
    delivery = queued.delivery
    DBTaskResult.objects.get().claim("killed-worker")
    minutes_pass(1)
    run_worker()
    delivery.refresh_from_db()
    assert delivery.status == "queued" and mail.outbox == []  # not before the timeout

    minutes_pass(EmailDelivery.SENDING_TIMEOUT.total_seconds() // 60 + 1)
    run_worker()

    delivery.refresh_from_db()
    assert delivery.status == "sent" and delivery.attempts == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [queued.guardian.email]
    statuses = sorted(DBTaskResult.objects.values_list("status", flat=True))
    assert statuses == ["FAILED", "SUCCESSFUL"]


@pytest.mark.django_db(transaction=True)
def test_an_email_being_sent_is_not_reclaimed_before_the_timeout(queued, settings, client_for):
    delivery = queued.delivery
    kill_worker_while_sending(delivery, settings)
    minutes_pass(1)
    run_worker()
    delivery.refresh_from_db()
    assert delivery.status == "sending"
    assert DBTaskResult.objects.get().status == "RUNNING"
    client = client_for(queued.users["coordinator"])
    html = client.get("/consent/emails/").content.decode()
    assert "Sending" in html and "Send again" not in html
    response = client.post(f"/consent/emails/{delivery.pk}/retry/", follow=True)
    assert "can be sent again" in response.content.decode()
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_outbox_offers_send_again_for_a_stale_email_even_before_a_worker_reclaims_it(
    queued, settings, client_for
):
    delivery = queued.delivery
    kill_worker_while_sending(delivery, settings)
    minutes_pass(EmailDelivery.SENDING_TIMEOUT.total_seconds() // 60 + 1)
    client = client_for(queued.users["coordinator"])
    html = client.get("/consent/emails/").content.decode()
    assert "Interrupted" in html and "Send again" in html
    client.post(f"/consent/emails/{delivery.pk}/retry/")
    run_worker()
    delivery.refresh_from_db()
    assert delivery.status == "sent" and len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_running_the_send_task_twice_sends_the_email_once(queued):
    emails.schedule(queued.delivery)
    assert DBTaskResult.objects.filter(status="READY").count() == 2
    run_worker()
    queued.delivery.refresh_from_db()
    assert queued.delivery.status == "sent" and queued.delivery.attempts == 1
    assert len(mail.outbox) == 1
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_one_email_at_once_send_it_once(queued, settings):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time; the race needs PostgreSQL")
    settings.EMAIL_BACKEND = SLOW
    barrier = threading.Barrier(2)
    results = []

    def send():
        try:
            barrier.wait()
            results.append(emails.deliver(queued.delivery.pk))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queued.delivery.refresh_from_db()
    assert queued.delivery.status == "sent" and queued.delivery.attempts == 1
    assert len(mail.outbox) == 1
    assert sorted(results) == ["sending", "sent"]
