"""Invitations and places: trip consent, capacity, the waiting list and its promotion."""

import pytest
from django.core.exceptions import ValidationError

from minipolice.audit.models import AuditEntry
from minipolice.consent.services import record_consent
from minipolice.events import services
from minipolice.events.models import EventPlace, PlaceStatus
from minipolice.events.selectors import children_attending
from minipolice.events.tests.helpers import add_children, invite, make_event, trip_consent


def _statuses(event):
    return {p.child.first_name: p.status for p in EventPlace.objects.filter(event=event)}


def test_leader_sees_a_child_without_trip_consent_refused_with_the_reason(world, client_for):
    event = make_event(world)
    invitation = invite(world, event)
    consented, refused, unanswered = add_children(world, 3)
    trip_consent(consented, event)
    trip_consent(refused, event, status="refused")
    client = client_for(world.users["leader"])
    page = client.get(f"/events/invitations/{invitation.pk}/").content.decode()
    assert f'id="child-{refused.pk}-reason"' in page
    assert "Cannot have a place: Consent for trip or outing was refused" in page
    assert "Cannot have a place: No consent recorded for trip or outing" in page

    # Posting the refused child anyway: nothing is saved, and the page says why.
    response = client.post(
        f"/events/invitations/{invitation.pk}/", {"children": [consented.pk, refused.pk]}
    )
    assert response.status_code == 200
    assert "Kid1 Test cannot have a place: Consent for trip or outing was refused" in (
        response.content.decode()
    )
    assert not EventPlace.objects.exists()

    response = client.post(f"/events/invitations/{invitation.pk}/", {"children": [consented.pk]})
    assert response.status_code == 302
    assert _statuses(event) == {"Kid0": PlaceStatus.PLACE}
    invitation.refresh_from_db()
    assert invitation.status == "accepted"
    entry = AuditEntry.objects.get(object_type="invitation", action="update")
    assert entry.fields["places"] == [consented.pk]  # ids, never names
    assert "Kid0" not in str(entry.fields) and "Test" not in entry.object_label


def test_consent_for_another_event_does_not_count(world):
    event, other = make_event(world), make_event(world, title="Other day")
    invitation = invite(world, event)
    trip_consent(world.child, other)
    with pytest.raises(ValidationError, match="No consent recorded"):
        services.choose_children(
            acting_user=None,
            invitation=invitation,
            children=[world.child],
            editable_ids=[world.child.pk],
        )


def test_places_beyond_capacity_wait_in_order_and_move_up_when_a_place_frees(world):
    event = make_event(world, capacity=2)
    invitation = invite(world, event)
    kids = add_children(world, 4)
    for kid in kids:
        trip_consent(kid, event)
    for kid in kids:  # chosen one at a time, in order
        services.choose_children(
            acting_user=world.users["leader"],
            invitation=invitation,
            children=[k for k in kids[: kids.index(kid) + 1]],
            editable_ids=[k.pk for k in kids],
        )
    assert _statuses(event) == {
        "Kid0": "place",
        "Kid1": "place",
        "Kid2": "waiting",
        "Kid3": "waiting",
    }

    first = EventPlace.objects.get(event=event, child=kids[0])
    promoted = services.release_place(acting_user=world.users["leader"], place=first)
    assert promoted == [kids[2].pk]
    assert _statuses(event)["Kid2"] == "place" and _statuses(event)["Kid3"] == "waiting"
    assert set(children_attending(event)) == {kids[1], kids[2]}


def test_promotion_skips_a_child_whose_trip_consent_was_withdrawn(world):
    event = make_event(world, capacity=1)
    invitation = invite(world, event)
    kids = add_children(world, 3)
    for kid in kids:
        trip_consent(kid, event)
    services.choose_children(
        acting_user=None, invitation=invitation, children=kids, editable_ids=[k.pk for k in kids]
    )
    record_consent(
        acting_user=None,
        child=kids[1],
        kind="trip",
        status="withdrawn",
        method="paper",
        given_by_name="Parent",
        trip_reference=event.trip_reference,
    )
    services.release_place(
        acting_user=None, place=EventPlace.objects.get(event=event, child=kids[0])
    )
    assert _statuses(event) == {"Kid0": "released", "Kid1": "waiting", "Kid2": "place"}


def test_unticking_a_child_gives_up_the_place_and_a_waiting_child_moves_up(world, client_for):
    event = make_event(world, capacity=1)
    invitation = invite(world, event)
    kids = add_children(world, 2)
    for kid in kids:
        trip_consent(kid, event)
    client = client_for(world.users["leader"])
    client.post(f"/events/invitations/{invitation.pk}/", {"children": [kids[0].pk]})
    client.post(f"/events/invitations/{invitation.pk}/", {"children": [k.pk for k in kids]})
    assert _statuses(event) == {"Kid0": "place", "Kid1": "waiting"}
    client.post(f"/events/invitations/{invitation.pk}/", {"children": [kids[1].pk]})
    assert _statuses(event) == {"Kid0": "released", "Kid1": "place"}


def test_raising_the_capacity_promotes_the_waiting_list(world):
    event = make_event(world, capacity=1)
    invitation = invite(world, event)
    kids = add_children(world, 2)
    for kid in kids:
        trip_consent(kid, event)
    services.choose_children(
        acting_user=None, invitation=invitation, children=kids, editable_ids=[k.pk for k in kids]
    )
    services.update_event(acting_user=None, event=event, capacity=2)
    assert _statuses(event) == {"Kid0": "place", "Kid1": "place"}
    with pytest.raises(ValidationError, match="already have a place"):
        services.update_event(acting_user=None, event=event, capacity=1)


def test_give_up_button_on_the_place_list(world, client_for):
    event = make_event(world, capacity=1)
    invitation = invite(world, event)
    kids = add_children(world, 2)
    for kid in kids:
        trip_consent(kid, event)
    services.choose_children(
        acting_user=None, invitation=invitation, children=kids, editable_ids=[k.pk for k in kids]
    )
    client = client_for(world.users["leader"])
    page = client.get(f"/events/{event.pk}/places/").content.decode()
    assert "Kid0 Test" in page and "Kid1 Test" in page
    place = EventPlace.objects.get(event=event, child=kids[0])
    response = client.post(f"/events/{event.pk}/places/{place.pk}/release/")
    assert response.status_code == 302
    assert _statuses(event) == {"Kid0": "released", "Kid1": "place"}


def test_declining_releases_the_units_places(world, client_for):
    event = make_event(world)
    invitation = invite(world, event)
    trip_consent(world.child, event)
    services.choose_children(
        acting_user=None,
        invitation=invitation,
        children=[world.child],
        editable_ids=[world.child.pk],
    )
    client_for(world.users["leader"]).post(f"/events/invitations/{invitation.pk}/decline/")
    invitation.refresh_from_db()
    assert invitation.status == "declined"
    assert _statuses(event) == {"Ada": "released"}


def test_teacher_cannot_choose_children(world, client_for):
    event = make_event(world)
    invitation = invite(world, event)
    client = client_for(world.users["teacher"])
    assert client.get(f"/events/invitations/{invitation.pk}/").status_code == 403


def test_leader_of_another_unit_cannot_open_the_invitation(world, client_for):
    from minipolice.events.tests.helpers import second_unit

    event = make_event(world)
    unit, _ = second_unit(world)
    invitation = invite(world, event, unit=unit)
    assert (
        client_for(world.users["leader"]).get(f"/events/invitations/{invitation.pk}/").status_code
        == 404
    )
