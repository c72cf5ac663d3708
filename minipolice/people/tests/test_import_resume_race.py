"""Two task workers' housekeeping find the same interrupted import at the same moment: one
queues it again, the other skips it (services.resume_interrupted_class_list_imports)."""

import datetime

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from conftest import build_world
from minipolice.lib.tests.threads import at_once
from minipolice.people import classlist, services
from minipolice.people.models import ClassListImport

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
CSV = "First name,Last name,Year group,Guardian name,Guardian email,Guardian phone\n" + "".join(
    f"Child{i},Test{i},5,Parent {i},parent{i}@example.com,\n" for i in range(20)
)


def _interrupted_import():
    world = build_world()
    teacher = world.users["teacher"]
    parsed = classlist.parse_class_list("class.csv", CSV.encode())
    pending = services.preview_class_list_import(
        acting_user=teacher, cohort=world.cohort, file_name="class.csv", rows=parsed.rows
    )
    pending = services.start_class_list_import(acting_user=teacher, class_list_import=pending)
    # A worker took it and was killed an hour ago.
    task = DBTaskResult.objects.get(id=pending.task_id)
    task.claim("killed-worker")
    DBTaskResult.objects.filter(id=task.id).update(
        started_at=task.started_at - datetime.timedelta(hours=1)
    )
    ClassListImport.objects.filter(pk=pending.pk).update(status="running")
    return pending, task


@pytest.mark.django_db(transaction=True)
def test_two_housekeepers_at_once_queue_an_interrupted_import_once(settings):
    if connection.vendor != "postgresql":
        pytest.skip(
            "Needs PostgreSQL: SQLite takes one writer at a time, so the two cannot overlap "
            "there. Run with DATABASE_URL=postgres://..."
        )
    settings.TASKS = DATABASE_TASKS
    pending, task = _interrupted_import()

    results = at_once(
        services.resume_interrupted_class_list_imports,
        services.resume_interrupted_class_list_imports,
    )

    assert sorted(results) == [0, 1]
    pending.refresh_from_db()
    assert pending.status == "queued" and pending.task_id != str(task.id)
    ready = DBTaskResult.objects.filter(status="READY", task_path=task.task_path)
    assert [str(t.id) for t in ready] == [pending.task_id]
    assert DBTaskResult.objects.get(id=task.id).status == "FAILED"


@pytest.mark.django_db
def test_an_import_still_running_recently_is_left_alone(settings):
    settings.TASKS = DATABASE_TASKS
    pending, task = _interrupted_import()
    DBTaskResult.objects.filter(id=task.id).update(started_at=task.started_at)

    assert services.resume_interrupted_class_list_imports() == 0
    pending.refresh_from_db()
    assert pending.status == "running" and pending.task_id == str(task.id)
