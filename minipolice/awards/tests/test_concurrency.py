"""Two tabs confirming "Issue certificates" at the same moment issue one set (#11).

Real threads, each with its own database connection, on PostgreSQL (SQLite takes one writer
at a time, so the requests cannot overlap there). Three layers are tested: the cohort's row
lock (the second confirmation finds the first one's job), and under it the unique constraints
(one completion award per child and cohort, one valid certificate per award) that make even
two jobs issuing side by side produce one set.
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from conftest import build_world
from minipolice.awards import services
from minipolice.awards.models import Award, BulkIssue, Certificate
from minipolice.awards.tests.conftest import DATABASE_TASKS, IMMEDIATE_TASKS
from minipolice.awards.tests.helpers import add_child, attend, held_sessions
from minipolice.events import services as events
from minipolice.events.models import EventPlace
from minipolice.events.tests.helpers import invite, make_event, trip_consent
from minipolice.lib.tests.threads import at_once, signed_in_client
from minipolice.people.models import Child

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "Needs PostgreSQL: SQLite takes one writer at a time (BEGIN IMMEDIATE), so two "
            "confirmations cannot overlap there. Run with DATABASE_URL=postgres://..."
        )


def _world_with_a_term(children=12):
    world = build_world()
    sessions = held_sessions(world.cohort, 2)
    attend(sessions, world.child, 2)
    for i in range(children - 1):
        attend(sessions, add_child(world.cohort, f"Kid{i}"), 2)
    return world


def _confirm(client, cohort):
    def call():
        response = client.post(reverse("awards:bulk_issue_start", args=[cohort.pk]))
        return response.status_code, response.get("Location")

    return call


def _one_set(world, children):
    assert Award.objects.filter(kind="completion").count() == children
    assert Certificate.objects.filter(status="valid").count() == children
    per_child = Award.objects.values_list("child_id", flat=True)
    assert len(set(per_child)) == len(per_child)


def test_two_tabs_confirming_at_once_queue_one_job_and_issue_one_set(settings):
    settings.TASKS = DATABASE_TASKS
    world = _world_with_a_term()
    tabs = [
        signed_in_client(world.users["coordinator"]),
        signed_in_client(world.users["coordinator"]),
    ]
    results = at_once(*(_confirm(tab, world.cohort) for tab in tabs), join_timeout=120)
    assert all(isinstance(result, tuple) for result in results), results
    assert [status for status, _ in results] == [302, 302]
    assert results[0][1] == results[1][1]  # both tabs show the same job's progress
    assert BulkIssue.objects.count() == 1
    call_command("task_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert BulkIssue.objects.get().status == "done"
    _one_set(world, 12)


def test_a_coordinator_and_an_area_lead_confirming_at_once_issue_one_set(settings):
    settings.TASKS = IMMEDIATE_TASKS  # each request issues the certificates itself
    world = _world_with_a_term()
    people = [
        signed_in_client(world.users["coordinator"]),
        signed_in_client(world.users["area_lead"]),
    ]
    results = at_once(*(_confirm(client, world.cohort) for client in people), join_timeout=120)
    assert [status for status, _ in results] == [302, 302], results
    _one_set(world, 12)
    assert sum(job.issued_count for job in BulkIssue.objects.all()) == 12


def test_two_jobs_issuing_the_same_children_side_by_side_issue_one_set():
    """Below the lock: two jobs' batches at once still make one award and one valid
    certificate per child (the database's unique constraints decide)."""
    world = _world_with_a_term()
    threshold = services.threshold_of(world.force)
    jobs = [
        BulkIssue.objects.create(
            force=world.force,
            cohort=world.cohort,
            created_at=timezone.now(),
            status="done",
            base_url="http://t/",
        )
        for _ in range(2)
    ]
    today = timezone.localdate()

    def issue(job):
        def call():
            pairs = services.children_of_source(job, threshold)
            return services._issue_batch(job, pairs, today)

        return call

    results = at_once(*(issue(job) for job in jobs), join_timeout=120)
    assert all(isinstance(result, list) for result in results), results
    assert sum(len(made) for made in results) == 12  # each certificate made once
    _one_set(world, 12)


def _world_at_a_celebration_day(children=12):
    """`children` who reached the threshold, all checked in at the force's celebration day."""
    world = _world_with_a_term(children)
    event = make_event(world, days=0)
    invitation = invite(world, event)
    kids = list(Child.objects.filter(enrolments__cohort=world.cohort))
    for kid in kids:
        trip_consent(kid, event)
    events.choose_children(
        acting_user=None, invitation=invitation, children=kids, editable_ids=[k.pk for k in kids]
    )
    for place in EventPlace.objects.filter(event=event):
        events.record_checkin(acting_user=None, place=place, action="arrived")
    return world, event


def test_two_tabs_confirming_the_event_issue_at_once_queue_one_job_and_one_set(settings):
    settings.TASKS = DATABASE_TASKS
    world, event = _world_at_a_celebration_day()
    tabs = [
        signed_in_client(world.users["coordinator"]),
        signed_in_client(world.users["coordinator"]),
    ]
    url = reverse("awards:event_bulk_issue_start", args=[event.pk])

    def confirm(tab):
        def call():
            response = tab.post(url)
            return response.status_code, response.get("Location")

        return call

    results = at_once(*(confirm(tab) for tab in tabs), join_timeout=120)
    assert all(isinstance(result, tuple) for result in results), results
    assert [status for status, _ in results] == [302, 302]
    assert results[0][1] == results[1][1]
    assert BulkIssue.objects.filter(event=event).count() == 1
    call_command("task_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert BulkIssue.objects.get().status == "done"
    _one_set(world, 12)
