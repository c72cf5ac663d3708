"""Fixtures for the consent app's tests: tasks run at once, and helpers for portal links."""

import re

import pytest
from django.core import mail

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Background tasks run inside the request, so a test sees their effect straight away.
    (test_worker.py proves the database backend and its worker run the same tasks.)"""
    settings.TASKS = IMMEDIATE_TASKS


def link_in(message) -> str:
    """The path of the sign-in link in an email."""
    return re.search(r"https?://[^/\s]+(/portal/sign-in/[^/\s]+/)", message.body).group(1)


@pytest.fixture
def second_child(world):
    """Ann Lovelace's second child, in the same cohort."""
    from minipolice.people import services as people

    child = people.add_child_to_cohort(
        acting_user=None,
        cohort=world.cohort,
        first_name="Byron",
        last_name="Lovelace",
        year_group=6,
    )
    people.link_guardian(acting_user=None, child=child, guardian=world.guardian)
    return child


@pytest.fixture
def portal_client(client, world):
    """A client signed in to the portal through an emailed link, as Ann Lovelace."""
    mail.outbox.clear()
    client.post("/portal/link/", {"email": world.guardian.email})
    client.post(link_in(mail.outbox[-1]))
    return client
