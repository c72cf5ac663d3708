"""Work whose task worker was killed: found by the worker's housekeeping and queued again.

A row that a task works on (a class-list import, an impact report) holds its task's id and a
status "running" while the task runs. A worker killed mid-run leaves both "running" for ever.
`requeue_stalled` finds tasks that have shown running for longer than `stalled_after`, records
each as failed and, for a row still running under it, puts the row back to "queued" with a new
task. The caller guarantees that running the work again is safe (an import writes everything in
one transaction with its "applied" status; a report writes only its own row).
"""

import datetime

from django.db import transaction
from django.utils import timezone


class WorkerStopped(Exception):
    """Recorded on the task of work whose worker stopped while it ran."""


def requeue_stalled(
    *, task, model, stalled_after: datetime.timedelta, progress_field: str, reason: str
) -> int:
    """Queue again each `model` row whose `task` stalled; returns how many."""
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - stalled_after
    stalled = DBTaskResult.objects.running().filter(
        task_path=task.module_path, started_at__lt=cutoff
    )
    resumed = 0
    for stalled_task in stalled:
        with transaction.atomic():
            # Locked and checked again: of two workers' housekeeping at the same moment, one
            # resumes it; the other skips it.
            task_result = (
                DBTaskResult.objects.select_for_update(skip_locked=True)
                .filter(pk=stalled_task.pk, status="RUNNING")
                .first()
            )
            if task_result is None:
                continue
            row = (
                model.objects.select_for_update()
                .filter(task_id=str(task_result.id)[:64], status=model.Status.RUNNING)
                .first()
            )
            task_result.set_failed(WorkerStopped(reason))
            if row is None:
                continue
            # Enqueued in the same transaction (the queue is a table of this database): the
            # row and its new task are committed together, or neither is.
            result = task.enqueue(row.pk)
            row.status = model.Status.QUEUED
            setattr(row, progress_field, 0)
            row.task_id = str(result.id)[:64]
            row.save(update_fields=["status", progress_field, "task_id"])
        resumed += 1
    return resumed
