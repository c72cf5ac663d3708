"""Health checks for monitors and load balancers.

`/healthz`: can this web process write to the database? A read-only database (a PostgreSQL
standby, a read-only SQLite file) or a write lock held too long fails every form, so it is 503.
The probe opens a write transaction, runs an UPDATE that matches no row and rolls back: it
writes nothing, and it asks for a short lock wait so a monitor is answered in about a second.

`/readyz`: the same, are all the code's migrations applied (a web process started before
`migrate` ran would fail on new columns), and is the task worker getting through the queue? A task that has been due
for QUEUE_STALLED_AFTER while no task finished in that time means no worker is running (or it is
stuck): emails to parents are waiting. Point uptime monitoring here, and a load balancer at
`/healthz`, so a stopped worker does not take the web pages down with it.
"""

import datetime
import functools

from django.db import DatabaseError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Case, F, Min, When
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

QUEUE_STALLED_AFTER = datetime.timedelta(minutes=10)
LOCK_WAIT_MS = 1000


@require_safe
@never_cache
def healthz(request):
    database, reason = check_database()
    return _answer({"database": database}, reason)


@require_safe
@never_cache
def readyz(request):
    database, reason = check_database()
    checks = {"database": database}
    if reason is None:
        checks["migrations"], reason = check_migrations()
    if reason is None:
        checks["queue"], reason = check_queue()
    return _answer(checks, reason)


def _answer(checks: dict, reason: str | None) -> JsonResponse:
    if reason is None:
        return JsonResponse({"status": "ok", **checks})
    return JsonResponse({"status": "error", **checks, "reason": reason}, status=503)


def check_database() -> tuple[str, str | None]:
    """("ok", None), or a short state ("unreachable", "read-only", "locked") and why."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return "unreachable", f"The database cannot be reached: {error}"
    try:
        _probe_write()
    except DatabaseError as error:
        message = str(error)
        lowered = message.lower()
        if "read-only" in lowered or "readonly" in lowered or "read only" in lowered:
            return "read-only", f"The database does not accept writes: {message}"
        if "locked" in lowered or "lock timeout" in lowered:
            return "locked", f"The database is locked by another connection: {message}"
        return "unreachable", f"The database cannot be written to: {message}"
    return "ok", None


def _probe_write() -> None:
    # On SQLite the transaction starts with BEGIN IMMEDIATE (settings: transaction_mode), which
    # takes the write lock; the UPDATE is refused on a read-only database.
    probe = "UPDATE django_migrations SET id = id WHERE 1 = 0"
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA busy_timeout")
            (usual_wait,) = cursor.fetchone()
            cursor.execute(f"PRAGMA busy_timeout = {LOCK_WAIT_MS}")
            try:
                with transaction.atomic():
                    cursor.execute(probe)
                    transaction.set_rollback(True)
            finally:
                cursor.execute(f"PRAGMA busy_timeout = {int(usual_wait)}")
        else:
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    cursor.execute(f"SET LOCAL lock_timeout = {LOCK_WAIT_MS}")
                cursor.execute(probe)
                transaction.set_rollback(True)


@functools.cache
def _migrations_on_disk() -> frozenset[tuple[str, str]]:
    # Read once per process: the files do not change under a running process, and loading
    # them takes tens of milliseconds, too much for a probe answered every few seconds.
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def check_migrations() -> tuple[str, str | None]:
    """("ok", None), or ("pending", why) when the code has migrations the database lacks."""
    applied = set(MigrationRecorder(connection).migration_qs.values_list("app", "name"))
    pending = sorted(_migrations_on_disk() - applied)
    if not pending:
        return "ok", None
    first = ".".join(pending[0])
    return "pending", (
        f"{len(pending)} migration(s) not applied, the first {first}: run manage.py migrate."
    )


def check_queue() -> tuple[str, str | None]:
    """("ok", None), or ("stalled", why) when a due task waits and the worker finishes nothing."""
    now = timezone.now()
    since = now - QUEUE_STALLED_AFTER
    # A task without a delay is due from when it was enqueued; a delayed one from its run_after.
    due_at = Case(When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after"))
    oldest = (
        DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        .annotate(due_at=due_at)
        .filter(due_at__lt=since)
        .aggregate(oldest=Min("due_at"))["oldest"]
    )
    if oldest is None:
        return "ok", None
    if DBTaskResult.objects.filter(finished_at__gte=since).exists():
        return "ok", None
    minutes = int((now - oldest).total_seconds() // 60)
    return "stalled", (
        f"A background task has waited {minutes} minutes and no task finished in the last "
        f"{int(QUEUE_STALLED_AFTER.total_seconds() // 60)} minutes: is the task worker "
        "(manage.py task_worker) running?"
    )
