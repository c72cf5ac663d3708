"""Background tasks of the people app: applying a class list, and the daily retention run.

`apply_class_list_import` applies a confirmed class list (services.run_class_list_import): the
import's row holds its progress, which the import's progress page shows while it runs.

`housekeeping` (every minute, by the task worker) queues again an import whose worker was killed.

`apply_retention_daily` anonymises everyone the retention rule says is due, then enqueues
itself again for the next night (RUN_AT, local time) when the task backend can delay tasks.
Start the chain once with `manage.py apply_retention --schedule`; or run
`manage.py apply_retention` from cron instead (docs/retention.md).
"""

import datetime

from django.utils import timezone
from django_tasks import task

RUN_AT = datetime.time(2, 30)


@task()
def apply_class_list_import(class_list_import_id: int, language: str = "") -> dict:
    # services.py queues these tasks (it imports this module), so each task reads services.py
    # when it runs: the imports here that are needed to break a cycle.
    from minipolice.people.services import run_class_list_import

    return run_class_list_import(class_list_import_id=class_list_import_id, language=language)


def housekeeping() -> None:
    """Run every minute by `manage.py task_worker` (its `housekeeping` hook): imports that a
    killed worker left "running" are queued again (services.resume_interrupted_class_list_imports)."""
    from minipolice.people.services import resume_interrupted_class_list_imports  # the same cycle

    resume_interrupted_class_list_imports()


@task()
def apply_retention_daily() -> dict:
    from minipolice.people.services import apply_retention

    try:
        run = apply_retention(acting_user=None, today=timezone.localdate())
    finally:
        # A failed run must not break the chain: tomorrow's run is queued either way.
        schedule_next_retention()
    return {"run": run.pk, "children": run.children_count, "guardians": run.guardians_count}


def next_run_at(now: datetime.datetime | None = None) -> datetime.datetime:
    """The next RUN_AT in local time strictly after `now`."""
    now = timezone.localtime(now or timezone.now())
    candidate = timezone.make_aware(datetime.datetime.combine(now.date(), RUN_AT))
    if candidate <= now:
        candidate = timezone.make_aware(
            datetime.datetime.combine(now.date() + datetime.timedelta(days=1), RUN_AT)
        )
    return candidate


def scheduled_retention_run():
    """When the next daily run is queued for, or None (only the database backend can tell)."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(apply_retention_daily.get_backend(), DatabaseBackend):
        return None
    queued = (
        DBTaskResult.objects.filter(task_path=apply_retention_daily.module_path, status="READY")
        .order_by("run_after")
        .values_list("run_after", flat=True)
        .first()
    )
    return queued


def schedule_next_retention(now: datetime.datetime | None = None) -> datetime.datetime | None:
    """Enqueue tomorrow's run unless one is already queued. Returns when it will run, or None
    when the backend cannot delay a task (then schedule with cron)."""
    if not apply_retention_daily.get_backend().supports_defer:
        return None
    queued = scheduled_retention_run()
    if queued is not None and queued > (now or timezone.now()):
        return queued
    run_after = next_run_at(now)
    apply_retention_daily.using(run_after=run_after).enqueue()
    return run_after
