"""A class-list import is all or nothing even when the process applying it is killed.

The import is applied by the task worker (people.tasks), in one transaction that also marks it
"applied". The test runs a real site: its own database, `manage.py task_worker` as a separate
process; it SIGKILLs the worker while the import is being written, then shows the database
holds either none of the list or all of it (never part), is intact, and that the restarted
worker queues the interrupted import again and applies it once (its housekeeping,
services.resume_interrupted_class_list_imports).
"""

import random
import time

import pytest

from minipolice.lib.tests.processes import drop_site, kill, make_site, wait_until

ROWS = 2000  # the most a class list may hold (classlist.MAX_ROWS): the longest write

SEED = f"""
import json
from conftest import build_world
from minipolice.people import classlist, services
world = build_world()
header = "First name,Last name,Year group,Guardian name,Guardian email,Guardian phone\\n"
body = "".join(
    f"Child{{i}},Test{{i}},5,Parent {{i}},parent{{i}}@example.com,\\n" for i in range({ROWS})
)
parsed = classlist.parse_class_list("class.csv", (header + body).encode())
assert not parsed.errors, parsed.errors[:3]
teacher = world.users["teacher"]
pending = services.preview_class_list_import(
    acting_user=teacher, cohort=world.cohort, file_name="class.csv", rows=parsed.rows
)
services.start_class_list_import(acting_user=teacher, class_list_import=pending)
print(json.dumps({{"import": pending.pk, "cohort": world.cohort.pk}}))
"""

BACKDATE_RUNNING_TASKS = """
import datetime, json
from django.db.models import F
from django_tasks_db.models import DBTaskResult
# As if the stopped worker's task had shown "running" for an hour: the time housekeeping waits
# (services.IMPORT_STALLED_AFTER) before it takes a running import for an interrupted one.
count = DBTaskResult.objects.filter(status="RUNNING").update(
    started_at=F("started_at") - datetime.timedelta(hours=1)
)
print(json.dumps(count))
"""


@pytest.fixture
def site(tmp_path):
    site = make_site(tmp_path)
    yield site
    drop_site(site)


def _counts(site, cohort):
    (children,) = site.query("SELECT COUNT(*) FROM people_child")[0]
    (enrolled,) = site.query(f"SELECT COUNT(*) FROM people_enrolment WHERE cohort_id = {cohort}")[0]
    (guardians,) = site.query("SELECT COUNT(*) FROM people_guardian")[0]
    return children, enrolled, guardians


def _import_tasks(site):
    return site.query(
        "SELECT status FROM django_tasks_database_dbtaskresult "
        "WHERE task_path = 'minipolice.people.tasks.apply_class_list_import' ORDER BY enqueued_at"
    )


def _import_state(site, pk):
    return site.query(
        f"SELECT status, rows_done, rows_total FROM people_classlistimport WHERE id = {pk}"
    )[0]


def test_killing_the_worker_mid_import_leaves_none_or_all_and_the_restart_applies_it_once(
    site, tmp_path
):
    seeded = site.python(SEED)
    pk, cohort = seeded["import"], seeded["cohort"]
    before = _counts(site, cohort)
    assert _import_state(site, pk)[0] == "queued"

    worker = site.start_worker(tmp_path / "worker.log")
    # Every row checked and the import still running: the one write transaction has begun.
    wait_until(
        lambda: _import_state(site, pk) == ("running", ROWS, ROWS),
        timeout=120,
        what="the import to reach its writes",
    )
    time.sleep(random.uniform(0, 0.3))  # somewhere inside the bulk inserts
    kill(worker)

    status = _import_state(site, pk)[0]
    after_kill = _counts(site, cohort)
    added = (before[0] + ROWS, before[1] + ROWS, before[2] + ROWS)
    if status == "running":  # killed inside the transaction: it was rolled back, whole
        assert after_kill == before
    else:  # the commit came first: all of it
        assert (status, after_kill) == ("applied", added)
    if site.vendor == "sqlite":
        assert site.query("PRAGMA integrity_check") == [("ok",)]

    backdated = site.python(BACKDATE_RUNNING_TASKS)
    # Killed after the commit, its task may still show running (its outcome not yet recorded).
    assert backdated == 1 if status == "running" else backdated in (0, 1)
    worker = site.start_worker(tmp_path / "worker.log")
    wait_until(
        lambda: _import_state(site, pk)[0] == "applied", timeout=120, what="the import again"
    )

    assert _counts(site, cohort) == added  # once: no child, place or parent twice
    # The worker records its task's outcome just after the import's own commit.
    tasks = wait_until(
        lambda: (found := _import_tasks(site)) and ("RUNNING",) not in found and found,
        timeout=30,
        what="the import's tasks to finish",
    )
    if status == "running":  # the dead run failed, the new one applied it
        assert tasks == [("FAILED",), ("SUCCESSFUL",)]
    else:  # one run, which applied it (recorded failed if killed before it could say so)
        assert len(tasks) == 1
    kill(worker)
