"""The persona world is built once per run (conftest.SharedWorld), yet every test starts from it
as built: what one test changes, in the database or in memory, never reaches the next.

The first two tests run in this order (file order): the second checks what the first changed.
"""

import threading

import pytest

from minipolice.organisations.models import Force
from minipolice.people.models import Child
from minipolice.people.services import add_child_to_cohort, update_child


def _world_as_built(world) -> None:
    assert world.child.first_name == "Ada"
    assert world.unit.name == "Hilltop Mini Police"
    stored = Child.objects.get(pk=world.child.pk)
    assert stored.first_name == "Ada"
    assert not Child.objects.filter(first_name="Extra").exists()
    assert Force.objects.filter(short_name="testshire").count() == 1


def test_a_test_may_change_the_world_in_the_database_and_in_memory(world):
    _world_as_built(world)
    update_child(acting_user=None, child=world.child, first_name="Changed")
    add_child_to_cohort(
        acting_user=None, cohort=world.cohort, first_name="Extra", last_name="Child", year_group=5
    )
    world.unit.name = "Renamed in memory only"
    world.users["leader"].full_name = "Renamed in memory only"
    assert Child.objects.get(pk=world.child.pk).first_name == "Changed"


def test_the_next_test_gets_the_world_as_built(world):
    _world_as_built(world)
    assert world.users["leader"].full_name == "PCSO Pat"


def test_a_database_test_without_the_world_starts_from_the_database_as_migrated(db):
    assert not Force.objects.exists()
    assert not Child.objects.exists()


def test_the_world_is_there_again_after_a_test_without_it(world):
    _world_as_built(world)


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_gets_a_committed_world_that_other_connections_see(world):
    seen = []

    def read_from_another_connection():
        from django.db import connections

        try:
            seen.append(Child.objects.filter(pk=world.child.pk).exists())
        finally:
            connections.close_all()

    thread = threading.Thread(target=read_from_another_connection)
    thread.start()
    thread.join(timeout=30)
    assert seen == [True]
    _world_as_built(world)
