"""`/healthz` answers for the web process (can it write to the database?); `/readyz` also for the
task worker (is the queue moving?). Each says why when it answers 503."""

import datetime
import sqlite3
import time
from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import DatabaseError, connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult


def test_healthz_reports_ok_with_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.logs_errors
def test_healthz_is_503_when_database_unreachable(client, db):
    with mock.patch("minipolice.lib.health.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


@contextmanager
def read_only_database():
    """The database refuses writes, as a PostgreSQL standby or a read-only SQLite file does."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET default_transaction_read_only = on")
        else:
            cursor.execute("PRAGMA query_only = ON")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET default_transaction_read_only = off")
            else:
                cursor.execute("PRAGMA query_only = OFF")


@pytest.mark.logs_errors
@pytest.mark.django_db(transaction=True)
def test_healthz_is_503_when_database_is_read_only(client):
    with read_only_database():
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error" and body["database"] == "read-only"
    assert "read" in body["reason"].lower()
    assert client.get("/healthz").status_code == 200


@pytest.mark.logs_errors
@pytest.mark.django_db(transaction=True)
def test_healthz_is_503_quickly_when_another_connection_holds_the_write_lock(client):
    if connection.vendor != "sqlite":
        pytest.skip("a database-wide write lock is SQLite's; PostgreSQL locks rows and tables")
    name = connection.settings_dict["NAME"]
    if connection.is_in_memory_db():
        name = connection.creation._get_test_db_name()  # the shared in-memory database
    other = sqlite3.connect(name, uri=name.startswith("file:"), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        response = client.get("/healthz")
        elapsed = time.monotonic() - started
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert response.status_code == 503
    assert response.json()["database"] == "locked"
    assert "locked" in response.json()["reason"]
    assert elapsed < 3
    assert client.get("/healthz").status_code == 200


def _waiting_task(*, minutes: int):
    from minipolice.consent.tasks import send_email_delivery

    result = send_email_delivery.enqueue(12345)
    DBTaskResult.objects.filter(pk=result.id).update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=minutes)
    )
    return result


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_readyz_is_ok_when_nothing_waits(client, db, database_tasks):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "migrations": "ok",
        "queue": "ok",
    }


@pytest.mark.logs_errors  # django.request logs a 503 at ERROR
def test_readyz_is_503_while_a_migration_is_not_applied(client, db, database_tasks):
    from django.db.migrations.recorder import MigrationRecorder

    MigrationRecorder.Migration.objects.filter(app="reports", name="0001_impact_report").delete()

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["migrations"] == "pending"
    assert response.json()["reason"] == (
        "1 migration(s) not applied, the first reports.0001_impact_report: run manage.py migrate."
    )


def test_readyz_is_cheap(client, db, database_tasks, django_assert_max_num_queries):
    client.get("/readyz")  # the migration files are read once per process
    # A probe, the write test (a savepoint around an UPDATE that matches nothing), one read of
    # the applied migrations and one of the queue: whatever the number of tasks or migrations.
    with django_assert_max_num_queries(10):
        started = time.perf_counter()
        assert client.get("/readyz").status_code == 200
    assert time.perf_counter() - started < 0.5


def test_readyz_is_ok_while_a_task_has_waited_only_a_little(client, db, database_tasks):
    _waiting_task(minutes=2)
    assert client.get("/readyz").status_code == 200


@pytest.mark.logs_errors
def test_readyz_is_503_when_a_task_has_waited_too_long_and_none_finished(
    client, db, database_tasks
):
    _waiting_task(minutes=25)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error" and body["queue"] == "stalled"
    assert "waited 25 minutes" in body["reason"] and "task worker" in body["reason"]
    # /healthz is about the web process alone and stays up.
    assert client.get("/healthz").status_code == 200


def test_readyz_is_ok_when_the_worker_is_busy_but_finishing_tasks(client, db, database_tasks):
    _waiting_task(minutes=25)
    finished = _waiting_task(minutes=1)
    DBTaskResult.objects.filter(pk=finished.id).update(
        status="SUCCESSFUL", started_at=timezone.now(), finished_at=timezone.now()
    )
    assert client.get("/readyz").status_code == 200


def test_readyz_counts_a_delayed_task_from_when_it_was_due(client, db, database_tasks):
    """A retry enqueued long ago to run later has waited only since it became due."""
    from minipolice.consent.tasks import send_email_delivery

    due = timezone.now() - datetime.timedelta(minutes=1)
    result = send_email_delivery.using(run_after=due).enqueue(12345)
    DBTaskResult.objects.filter(pk=result.id).update(
        enqueued_at=timezone.now() - datetime.timedelta(hours=2)
    )
    assert client.get("/readyz").status_code == 200


@pytest.mark.logs_errors
@pytest.mark.django_db(transaction=True)
def test_readyz_is_503_when_database_is_read_only(client):
    with read_only_database():
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "read-only"
