"""Two tabs (or a coordinator and the funder) asking for the same report at the same moment
queue one report (#13). Real threads on PostgreSQL, each with its own connection: SQLite
takes one writer at a time, so the requests cannot overlap there."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from conftest import build_world
from minipolice.lib.tests.threads import at_once, signed_in_client
from minipolice.reports.models import ImpactReport
from minipolice.reports.periods import current_school_year
from minipolice.reports.tests.test_report import DATABASE_TASKS, _dates

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "Needs PostgreSQL: SQLite takes one writer at a time, so two requests cannot "
            "overlap there. Run with DATABASE_URL=postgres://..."
        )


def _ask(client, force):
    first, last = current_school_year()

    def call():
        response = client.post(
            reverse("reports:report_start", args=[force.pk]),
            {**_dates("start", first), **_dates("end", last)},
        )
        return response.status_code, response.get("Location")

    return call


def test_two_people_asking_at_once_queue_one_report(settings):
    settings.TASKS = DATABASE_TASKS
    world = build_world()
    clients = [
        signed_in_client(world.users["coordinator"]),
        signed_in_client(world.users["coordinator"]),
        signed_in_client(world.users["funder"]),
    ]
    results = at_once(*(_ask(client, world.force) for client in clients), join_timeout=120)
    assert all(isinstance(result, tuple) for result in results), results
    assert [status for status, _ in results] == [302, 302, 302]
    assert len({location for _, location in results}) == 1
    assert ImpactReport.objects.count() == 1
    call_command("task_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert ImpactReport.objects.get().status == "done"
