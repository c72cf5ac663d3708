"""`manage.py task_worker`: django-tasks-db's `db_worker`, made to survive the database.

db_worker's loop (django_tasks_db/management/commands/db_worker.py, Worker.run) catches only a
"database is locked" error from fetching a task, and not from the BEGIN before it (on SQLite,
BEGIN EXCLUSIVE waits for the busy timeout and then fails): any other database error ends the
loop. Under autoreload (DEBUG) the loop is a thread, so the process stays up and runs nothing;
with --no-reload the process exits. Emails to parents then wait with no one sending them.

This worker runs the same steps (fetch and claim a task in an exclusive transaction, run it,
record the outcome, with db_worker's options and signal handling), but a database error
(OperationalError, InterfaceError) in any step is logged as a warning, old connections are
closed, and the loop waits (doubling from 0.5 s up to 30 s while the errors go on) and goes on.

Every minute it also runs the apps' housekeeping (the consent app reclaims emails that a killed
worker left "sending", consent.emails).
"""

import contextlib
import logging
import os
import random
from time import monotonic, sleep

from django.core.management.base import CommandError
from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    close_old_connections,
    connections,
)
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from minipolice.lib.privacy import hooks

logger = logging.getLogger("minipolice.worker")

FIRST_WAIT = 0.5  # seconds after the first database error
LONGEST_WAIT = 30.0
HOUSEKEEPING_EVERY = 60.0


def wait_after(failures: int) -> float:
    """Seconds to wait after `failures` database errors in a row."""
    return min(LONGEST_WAIT, FIRST_WAIT * 2 ** (failures - 1))


class ResilientWorker(Worker):
    def run(self) -> None:
        logger.info(
            "Starting task worker %s, queues %s", self.worker_id, ",".join(self.queue_names)
        )
        if self.startup_delay and self.interval:
            sleep(random.random())  # noqa: S311 - spreads workers started together # nosec B311
        failures = 0
        housekeeping_due = 0.0
        while self.running:
            try:
                close_old_connections()
                if monotonic() >= housekeeping_due:
                    self.housekeeping()
                    housekeeping_due = monotonic() + HOUSEKEEPING_EVERY
                task_result = self.claim_next()
                if task_result is not None:
                    self.run_task(task_result)
            except (OperationalError, InterfaceError) as error:
                failures += 1
                wait = wait_after(failures)
                logger.warning(
                    "Task worker %s: database error (%s: %s); trying again in %.1f s",
                    self.worker_id,
                    type(error).__name__,
                    error,
                    wait,
                )
                close_connections()
                sleep(wait)
                continue
            failures = 0

            if self.batch and task_result is None:
                logger.info("No more tasks for worker %s: exiting.", self.worker_id)
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                logger.info("Worker %s ran %d tasks: exiting.", self.worker_id, self._run_tasks)
                return
            close_old_connections()
            if self.running and task_result is None:
                sleep(self.interval)

    def claim_next(self) -> DBTaskResult | None:
        """As db_worker: lock the next ready task (skipping locked rows) and claim it."""
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            task_result = tasks.get_locked()
            if task_result is not None:
                task_result.claim(self.worker_id)
        return task_result

    def housekeeping(self) -> None:
        """Every app's `housekeeping()` in its tasks.py (the consent app reclaims emails a killed
        worker left "sending"): a hook, so that lib imports no app."""
        for housekeeping in hooks("housekeeping", module="tasks"):
            housekeeping()


def close_connections() -> None:
    """Drop every connection after a database error: the next step opens a fresh one."""
    for connection in connections.all(initialized_only=True):
        with contextlib.suppress(DatabaseError):
            connection.close()


class Command(DbWorkerCommand):
    """db_worker's options; its handle() with our worker in place of db_worker's."""

    help = "Run the background task worker (db_worker that survives database errors)"

    def handle(self, *, verbosity, queue_name, exclude_queues, batch, reload, **options) -> None:
        self.configure_logging(verbosity)
        if reload and batch:
            logger.warning("--reload and --batch cannot be used together: not reloading.")
            reload = False
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ResilientWorker(
            queue_names=queue_names,
            excluded_queue_names=excluded,
            batch=batch,
            interval=options["interval"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # in the reloaded child only, as db_worker does
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
