"""Two leaders filling the last place at the same moment, with real threads on PostgreSQL.

Places are given under a lock on the event's row: one child gets the last place, the other
goes on the waiting list; never two places over capacity. SQLite takes one writer at a time
(BEGIN IMMEDIATE), so the threads cannot overlap there: these tests need PostgreSQL.
"""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from conftest import build_world
from minipolice.accounts.models import Role
from minipolice.accounts.services import assign_role, create_user
from minipolice.events import services
from minipolice.events.models import EventPlace, PlaceStatus
from minipolice.events.tests.helpers import (
    add_children,
    invite,
    make_event,
    second_unit,
    trip_consent,
)
from minipolice.lib.tests.threads import at_once, signed_in_client
from minipolice.people import services as people

NEEDS_POSTGRESQL = (
    "Needs PostgreSQL: SQLite takes one writer at a time, so two leaders cannot overlap "
    "there. Run with DATABASE_URL=postgres://..."
)


def _second_leader(world, unit):
    today = timezone.localdate()
    leader = create_user(acting_user=None, email="second@example.org", full_name="PCSO Sam")
    assign_role(acting_user=None, user=leader, role=Role.UNIT_LEADER, unit=unit)
    people.record_vetting(
        acting_user=None,
        leader=leader,
        level="nppv2",
        granted=today - datetime.timedelta(days=10),
        expires=today + datetime.timedelta(days=300),
    )
    people.record_safeguarding_training(
        acting_user=None,
        leader=leader,
        completed=today - datetime.timedelta(days=10),
        expires=today + datetime.timedelta(days=300),
    )
    return leader


def _setup(capacity):
    world = build_world()
    event = make_event(world, capacity=capacity)
    unit, cohort = second_unit(world)
    home, away = invite(world, event), invite(world, event, unit=unit)
    return world, event, home, away, cohort, _second_leader(world, unit)


@pytest.mark.django_db(transaction=True)
def test_two_leaders_filling_the_last_place_at_once_one_gets_it_the_other_waits():
    if connection.vendor != "postgresql":
        pytest.skip(NEEDS_POSTGRESQL)
    for round_number in range(5):
        _fill_the_last_place_twice(round_number)
        _clean()


def _fill_the_last_place_twice(round_number):
    world, event, home, away, cohort, second = _setup(capacity=1)
    (mine,) = add_children(world, 1, prefix=f"Home{round_number}")
    (theirs,) = add_children(world, 1, cohort=cohort, prefix=f"Away{round_number}")
    trip_consent(mine, event)
    trip_consent(theirs, event)
    clients = [signed_in_client(world.users["leader"]), signed_in_client(second)]
    responses = at_once(
        lambda: clients[0].post(f"/events/invitations/{home.pk}/", {"children": [mine.pk]}),
        lambda: clients[1].post(f"/events/invitations/{away.pk}/", {"children": [theirs.pk]}),
    )
    assert [getattr(r, "status_code", r) for r in responses] == [302, 302]
    statuses = sorted(EventPlace.objects.filter(event=event).values_list("status", flat=True))
    assert statuses == [PlaceStatus.PLACE, PlaceStatus.WAITING], round_number


@pytest.mark.django_db(transaction=True)
def test_a_released_place_goes_to_the_first_waiting_even_while_another_leader_chooses():
    if connection.vendor != "postgresql":
        pytest.skip(NEEDS_POSTGRESQL)
    world, event, home, away, cohort, second = _setup(capacity=2)
    holders = add_children(world, 2, prefix="Holder")
    first_waiting = add_children(world, 1, prefix="First")[0]
    late = add_children(world, 1, cohort=cohort, prefix="Late")[0]
    for kid in [*holders, first_waiting, late]:
        trip_consent(kid, event)
    services.choose_children(
        acting_user=None, invitation=home, children=holders, editable_ids=[k.pk for k in holders]
    )
    services.choose_children(
        acting_user=None,
        invitation=home,
        children=[*holders, first_waiting],
        editable_ids=[k.pk for k in [*holders, first_waiting]],
    )
    place = EventPlace.objects.get(event=event, child=holders[0])
    leader, other = signed_in_client(world.users["leader"]), signed_in_client(second)
    responses = at_once(
        lambda: leader.post(f"/events/{event.pk}/places/{place.pk}/release/"),
        lambda: other.post(f"/events/invitations/{away.pk}/", {"children": [late.pk]}),
    )
    assert [getattr(r, "status_code", r) for r in responses] == [302, 302]
    statuses = dict(EventPlace.objects.filter(event=event).values_list("child_id", "status"))
    assert statuses[first_waiting.pk] == PlaceStatus.PLACE  # first in line moved up
    assert statuses[late.pk] == PlaceStatus.WAITING  # nobody jumps the waiting list
    assert list(statuses.values()).count(PlaceStatus.PLACE) == 2


def _clean():
    """Each round builds a new world: clear the tables between rounds."""
    from django.core.management import call_command

    call_command("flush", verbosity=0, interactive=False)
