"""A busy database: writers wait their turn, and one that waited too long gets "try again".

SQLite takes one writer at a time. Each waits up to DATABASES' "timeout" for its turn (Python's
default, 5 seconds, gave "database is locked" 500s under 20 writers), and BEGIN IMMEDIATE takes
the write lock at the start of a transaction, so a reader never fails when it starts to write.
PostgreSQL waits up to lock_timeout for a row lock. A request that still fails (SQLite's
"database is locked", PostgreSQL's lock timeout, serialization failure or deadlock) answers 503
with Retry-After: a page in GOV.UK style, or a JSON reason for the API.
"""

import json
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError, connection, connections, transaction
from django.test import Client

from conftest import build_world
from minipolice.api.services import create_api_token
from minipolice.delivery import services as delivery
from minipolice.delivery.models import Attendance
from minipolice.delivery.tests.helpers import grant_participation, session_on
from minipolice.lib.middleware import is_database_busy
from minipolice.organisations import services as organisations

ROOT = Path(__file__).resolve().parents[3]
HTMX = {"HTTP_HX_REQUEST": "true"}


def _locked(**kwargs):
    raise OperationalError("database is locked")


# Settings -------------------------------------------------------------------------------------
def test_database_settings_wait_for_a_lock_before_giving_up(db):
    options = settings.DATABASES["default"]["OPTIONS"]
    if connection.vendor == "sqlite":
        assert options["timeout"] == 20
        assert options["transaction_mode"] == "IMMEDIATE"
        assert "journal_mode=WAL" in options["init_command"]
    else:
        assert "-c lock_timeout=20000" in options["options"]
        with connection.cursor() as cursor:
            cursor.execute("SHOW lock_timeout")
            assert cursor.fetchone()[0] == "20s"


def test_postgresql_compiles_no_query_just_in_time(db):
    """JIT compiling cost more than it saved on every page-sized query (settings.py)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's JIT")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


# A request that meets a locked database -------------------------------------------------------
def _mark(client, session, child, **headers):
    return client.post(
        f"/sessions/{session.pk}/register/{child.pk}/", {"status": "present"}, **headers
    )


@pytest.mark.logs_errors
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_a_locked_database_answers_503_try_again_not_500(
    world, client_for, monkeypatch, headers, caplog
):
    grant_participation(world.child)
    session = session_on(world.cohort)
    client = client_for(world.users["leader"])
    monkeypatch.setattr(delivery, "record_attendance", _locked)

    response = _mark(client, session, world.child, **headers)

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert '<h1 class="govuk-heading-l">Sorry, the service is busy</h1>' in page
    assert "Nothing was saved. Wait a few seconds, then try again." in page
    assert "govuk-template" in page  # the whole page, in the site's layout
    assert response.templates[0].name == "errors/503.html"
    assert not Attendance.objects.exists()
    assert any("Database busy" in record.message for record in caplog.records)


@pytest.mark.logs_errors
def test_the_api_answers_503_with_a_json_reason(world, monkeypatch):
    token = create_api_token(acting_user=None, user=world.users["coordinator"], name="t")[1]
    monkeypatch.setattr(organisations, "create_area", _locked)

    response = Client().post(
        "/api/v1/areas",
        data=json.dumps({"force": world.force.pk, "name": "South"}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == {
        "detail": "The database is busy. Nothing was saved. Try again in a few seconds.",
        "errors": None,
    }


@pytest.mark.logs_errors
def test_another_database_error_is_still_a_500(world, client_for, monkeypatch):
    def broken(**kwargs):
        raise OperationalError("no such table: delivery_attendance")

    grant_participation(world.child)
    session = session_on(world.cohort)
    client = client_for(world.users["leader"])
    client.raise_request_exception = False
    monkeypatch.setattr(delivery, "record_attendance", broken)

    assert _mark(client, session, world.child).status_code == 500


@pytest.mark.logs_errors  # the lock timeout answers 503, which Django logs at ERROR
@pytest.mark.django_db(transaction=True)
def test_a_real_postgresql_lock_timeout_answers_503():
    """A leader's tap waits on a row another transaction holds, longer than lock_timeout."""
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL: lock_timeout and row locks are PostgreSQL's")
    world = build_world()
    grant_participation(world.child)
    session = session_on(world.cohort)
    delivery.record_attendance(
        acting_user=None, session=session, child=world.child, status="absent"
    )
    client = Client()
    client.force_login(world.users["leader"])
    client_session = client.session
    client_session["mfa_enrolled"] = True
    client_session.save()
    locked, release = threading.Event(), threading.Event()

    def hold_the_row():
        try:
            with transaction.atomic():
                Attendance.objects.select_for_update().get(session=session)
                locked.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_the_row)
    holder.start()
    try:
        assert locked.wait(timeout=10)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '300ms'")  # this connection serves the request
        response = _mark(client, session, world.child, **HTMX)
    finally:
        release.set()
        holder.join(timeout=30)
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Sorry, the service is busy" in response.content.decode()
    assert Attendance.objects.get(session=session).status == "absent"


class _PostgresError(Exception):
    def __init__(self, sqlstate):
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("sqlstate", "busy"),
    [
        ("55P03", True),  # lock_not_available: lock_timeout
        ("40001", True),  # serialization_failure
        ("40P01", True),  # deadlock_detected
        ("53300", False),  # too_many_connections: not a lock, so not a "try again" answer
    ],
)
def test_postgresql_lock_errors_are_recognised_by_their_sqlstate(sqlstate, busy):
    error = OperationalError("wrapped")
    error.__cause__ = _PostgresError(sqlstate)
    assert is_database_busy(error) is busy


# Real writers, a real file ---------------------------------------------------------------------
WRITERS = textwrap.dedent(
    """
    import threading, time
    import django
    django.setup()
    from django.conf import settings
    from django.contrib.sessions.models import Session
    from django.db import connection, connections, transaction
    from django.utils import timezone

    assert settings.DATABASES["default"]["NAME"].endswith("busy.sqlite3")
    with connection.schema_editor() as editor:
        editor.create_model(Session)
    connection.close()
    barrier = threading.Barrier(10)
    errors = []

    def write(n):
        try:
            barrier.wait()
            with transaction.atomic():  # BEGIN IMMEDIATE: waits for the write lock
                Session.objects.count()
                Session.objects.create(
                    session_key=f"key{n:030d}", session_data="x", expire_date=timezone.now()
                )
                time.sleep(0.6)  # hold the lock: ten writers queue for six seconds in all
        except Exception as error:
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(10)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(Session.objects.count(), round(time.monotonic() - started, 1), errors)
    """
)


def test_ten_writers_on_one_sqlite_file_all_get_their_turn(tmp_path):
    """With Python's default 5-second wait the last writers failed with "database is locked"."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "minipolice.settings",
        "MINIPOLICE_TESTING": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'busy.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", WRITERS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    count, seconds, errors = result.stdout.strip().split(" ", 2)
    assert errors == "[]"
    assert count == "10"
    assert float(seconds) >= 5.4  # they really queued behind each other
