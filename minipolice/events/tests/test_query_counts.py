"""Every list page of events does a fixed number of queries, with 1 row or 30."""

import pytest

from minipolice.events import services
from minipolice.events.models import EventPlace
from minipolice.events.tests.helpers import (
    add_children,
    assess,
    invite,
    make_event,
    second_unit,
    trip_consent,
)


def _grow(world, event, n):
    """n more units invited, each with one child who has a place and is checked in, and n
    children of the world's unit waiting."""
    for i in range(n):
        unit, cohort = second_unit(world, name=f"Unit {i}")
        invitation = invite(world, event, unit=unit)
        (kid,) = add_children(world, 1, cohort=cohort, prefix=f"U{i}x")
        trip_consent(kid, event)
        services.choose_children(
            acting_user=None, invitation=invitation, children=[kid], editable_ids=[kid.pk]
        )
        services.record_checkin(
            acting_user=None, place=EventPlace.objects.get(event=event, child=kid), action="arrived"
        )
    waiting = add_children(world, n, prefix="W")
    for kid in waiting:
        trip_consent(kid, event)
    home = event.invitations.get(unit=world.unit)
    services.choose_children(
        acting_user=None, invitation=home, children=waiting, editable_ids=[k.pk for k in waiting]
    )


def _world_event(world, capacity):
    event = make_event(world, capacity=capacity, days=0)
    invite(world, event)
    assess(world, event)
    return event


PAGES = {
    # page: (url for the event and its home invitation, pinned queries for a coordinator)
    # The invited units of the page and which of them the user may read (rounding the rest).
    "event list": (lambda event, invitation: "/events/", 11),
    "event page": (lambda event, invitation: f"/events/{event.pk}/", 13),
    "check-in list": (lambda event, invitation: f"/events/{event.pk}/check-in/", 6),
    "place list": (lambda event, invitation: f"/events/{event.pk}/places/", 7),
    "invitation page": (lambda event, invitation: f"/events/invitations/{invitation.pk}/", 8),
}


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("n", [1, 30])
def test_event_pages_do_a_fixed_number_of_queries(
    page, n, world, client_for, django_assert_num_queries
):
    event = _world_event(world, capacity=n)  # the units' n children fill it; n wait
    _grow(world, event, n)
    for i in range(n - 1):  # n events on the list, each inviting the unit
        invite(world, make_event(world, title=f"Visit {i}"))
    url, pinned = PAGES[page]
    invitation = event.invitations.get(unit=world.unit)
    client = client_for(world.users["coordinator"])
    target = url(event, invitation)
    client.get(target)  # warm the session
    with django_assert_num_queries(pinned):
        response = client.get(target)
    assert response.status_code == 200
    html = response.content.decode()
    shown = {
        "event list": "Visit " if n > 1 else "Celebration day",
        "event page": f"Unit {n - 1}",
        "check-in list": f"U{n - 1}x0 Test",
        "place list": f"W{n - 1} Test",
        "invitation page": f"W{n - 1} Test",
    }[page]
    assert shown in html
