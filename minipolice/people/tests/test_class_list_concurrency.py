"""Confirming the same class list twice, one after the other and at the same moment.

Two tabs (or two staff members) can hold a preview of the same file for the same cohort. Only
the first confirmation may add anyone: confirming the same preview again shows the same
progress page and result; confirming a second preview of the file imports it too, finds
everyone already in the cohort and says so. Tasks run at once here (ImmediateBackend).
The threaded test needs a database with row locks and concurrent writers: PostgreSQL.
"""

import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.urls import reverse

from conftest import build_world
from minipolice.audit.models import AuditEntry
from minipolice.lib.tests.threads import signed_in_client
from minipolice.people.models import Child, ClassListImport, Enrolment, Guardian, Guardianship

HEADER = "First name,Last name,Year group,Guardian name,Guardian email,Guardian phone\n"
FIFTY = HEADER + "".join(
    f"Child{i},Test{i},5,Parent {i},parent{i}@example.com,\n" for i in range(50)
)
# The heading of the progress page while the import runs (its <title> says "Importing" always).
STILL_IMPORTING = '<h1 class="govuk-heading-l">Importing the class list</h1>'
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = IMMEDIATE_TASKS


def _preview(client, cohort) -> ClassListImport:
    response = client.post(
        reverse("people:cohort_import", args=[cohort.pk]),
        {"file": SimpleUploadedFile("class.csv", FIFTY.encode())},
    )
    assert response.status_code == 302, response.content.decode()
    return ClassListImport.objects.latest("id")


def _confirm(client, cohort, pending) -> tuple[int, list[str]]:
    """The confirm's status code, and what the page it leads to says about the result."""
    response = client.post(
        reverse("people:cohort_import", args=[cohort.pk]), {"import": pending.pk}
    )
    if response.status_code != 302:
        return response.status_code, []
    progress = reverse("people:cohort_import_progress", args=[cohort.pk, pending.pk])
    assert response.url == progress
    page = client.get(progress).content.decode()
    deadline = time.monotonic() + 30
    while STILL_IMPORTING in page and time.monotonic() < deadline:
        time.sleep(0.2)  # the other confirm's task is still running: poll, as the page does
        page = client.get(progress).content.decode()
    said = [text for text in (FIFTY_ADDED, NOTHING_TO_ADD) if text in page]
    return response.status_code, said


def _counts(cohort) -> dict:
    children = Child.objects.filter(enrolments__cohort=cohort, first_name__startswith="Child")
    return {
        "children": children.count(),
        "enrolments": Enrolment.objects.filter(child__in=children).count(),
        "guardians": Guardian.objects.filter(name__startswith="Parent ").count(),
        "links": Guardianship.objects.filter(child__in=children).count(),
    }


EXPECTED = {"children": 50, "enrolments": 50, "guardians": 50, "links": 50}
FIFTY_ADDED = "50 children added"
NOTHING_TO_ADD = (
    "Everyone on this class list is already in the cohort with these guardians. Nothing was added."
)


@pytest.mark.parametrize("same_preview", [True, False], ids=["same-preview", "two-previews"])
def test_confirming_a_list_already_imported_adds_nothing_and_says_so(
    world, client_for, same_preview
):
    client = client_for(world.users["teacher"])
    first = _preview(client, world.cohort)
    second = first if same_preview else _preview(client, world.cohort)

    status, messages = _confirm(client, world.cohort, first)
    assert status == 302
    assert messages == [FIFTY_ADDED]
    status, messages = _confirm(client, world.cohort, second)
    assert status == 302
    assert _counts(world.cohort) == EXPECTED
    assert AuditEntry.objects.filter(action="import").count() == 1
    # The same preview: its progress page again, with its result; another: nothing added.
    assert messages == [FIFTY_ADDED if same_preview else NOTHING_TO_ADD]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("same_preview", [True, False], ids=["same-preview", "two-previews"])
def test_two_confirms_at_the_same_moment_import_the_list_once(same_preview):
    if connection.vendor != "postgresql":
        pytest.skip(
            "Needs PostgreSQL: SQLite takes one writer at a time (BEGIN IMMEDIATE), so two "
            "confirmations cannot overlap there. Run with DATABASE_URL=postgres://..."
        )
    world = build_world()
    teacher, leader = world.users["teacher"], world.users["leader"]
    clients = [signed_in_client(teacher), signed_in_client(teacher if same_preview else leader)]
    previews = [_preview(clients[0], world.cohort)]
    previews.append(previews[0] if same_preview else _preview(clients[1], world.cohort))
    barrier = threading.Barrier(2)
    results = [None, None]

    def confirm(index):
        try:
            barrier.wait(timeout=10)
            results[index] = _confirm(clients[index], world.cohort, previews[index])
        except Exception as error:  # reported below, not lost in the thread
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert all(isinstance(result, tuple) for result in results), results
    assert [status for status, _ in results] == [302, 302]
    messages = sorted(message for _, found in results for message in found)
    assert messages == sorted([FIFTY_ADDED, FIFTY_ADDED if same_preview else NOTHING_TO_ADD])
    assert _counts(world.cohort) == EXPECTED
    assert AuditEntry.objects.filter(action="import").count() == 1
