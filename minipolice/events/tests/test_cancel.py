"""Cancelling an event: organisers only, with a reason; every place and waiting-list turn is
given up, the parents of the children with a place are told through the outbox, audited."""

import pytest
from django.core import mail

from minipolice.audit.models import AuditEntry
from minipolice.consent.models import EmailDelivery
from minipolice.events import services
from minipolice.events.models import Event, EventPlace
from minipolice.events.tests.helpers import add_children, invite, make_event, trip_consent


@pytest.fixture
def booked(world):
    """Ada has a place, Kid0 is on the waiting list (capacity 1)."""
    event = make_event(world, capacity=1)
    invitation = invite(world, event)
    waiting = add_children(world, 1)[0]
    for kid in (world.child, waiting):
        trip_consent(kid, event)
    services.choose_children(
        acting_user=None,
        invitation=invitation,
        children=[world.child, waiting],
        editable_ids=[world.child.pk, waiting.pk],
    )
    assert EventPlace.objects.get(child=waiting).status == "waiting"
    return event


def _cancellations():
    entries = AuditEntry.objects.filter(object_type="event", action="update")
    return [e for e in entries if e.fields.get("status", [None, None])[1] == "cancelled"]


def _url(event):
    return f"/events/{event.pk}/cancel/"


def test_the_coordinator_cancels_and_the_parents_are_told(
    world, client_for, booked, immediate_tasks
):
    client = client_for(world.users["coordinator"])
    detail = client.get(f"/events/{booked.pk}/").content.decode()
    assert _url(booked) in detail and "Cancel this event" in detail
    page = client.get(_url(booked)).content.decode()
    assert "1 child with a place and 1 on the waiting list lose their place" in page
    mail.outbox.clear()
    response = client.post(_url(booked), {"reason": "The venue is flooded"})
    assert response.status_code == 302 and response["Location"] == f"/events/{booked.pk}/"
    booked.refresh_from_db()
    assert booked.status == "cancelled" and booked.cancelled_by == world.users["coordinator"]
    assert booked.cancelled_reason == "The venue is flooded"
    assert set(EventPlace.objects.values_list("status", flat=True)) == {"released"}
    delivery = EmailDelivery.objects.get(kind="event_cancelled")
    assert delivery.status == "sent" and delivery.guardian == world.guardian
    (message,) = mail.outbox  # Ada's guardian only: a waiting-list turn is not a place
    assert message.to == ["ann@example.com"]
    assert "Celebration day" in message.subject and "cancelled" in message.subject
    assert "is cancelled. Ada had a place" in message.body
    assert "The venue is flooded" in message.body
    (entry,) = _cancellations()
    assert entry.fields["status"] == ["draft", "cancelled"]
    assert entry.fields["reason"] == "(recorded)"  # the reason is kept on the event, not here
    assert entry.fields["places_released"] == 1 and entry.fields["waiting_released"] == 1
    released = AuditEntry.objects.filter(object_type="eventplace", action="update")
    assert sorted(e.fields["status"][0] for e in released) == ["place", "waiting"]
    assert "Lovelace" not in str([e.fields for e in AuditEntry.objects.all()])
    after = client.get(f"/events/{booked.pk}/").content.decode()
    assert "Cancel this event" not in after and "Cancelled" in after


def test_a_reason_is_needed_and_nothing_changes_without_one(world, client_for, booked):
    response = client_for(world.users["coordinator"]).post(_url(booked), {"reason": "  "})
    text = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in text and "Enter why the event is cancelled" in text
    booked.refresh_from_db()
    assert booked.status == "draft"
    assert EventPlace.objects.filter(status="released").count() == 0
    assert not EmailDelivery.objects.filter(kind="event_cancelled").exists()


def test_a_cancelled_event_takes_no_more_places_nor_a_second_cancellation(
    world, client_for, booked
):
    client = client_for(world.users["coordinator"])
    client.post(_url(booked), {"reason": "Storm warning"})
    again = client.post(_url(booked), {"reason": "Again"})
    assert again.status_code == 302
    booked.refresh_from_db()
    assert booked.cancelled_reason == "Storm warning"
    assert len(_cancellations()) == 1
    with pytest.raises(Exception, match="cancelled"):
        services.confirm_event(acting_user=None, event=booked)


@pytest.mark.parametrize("role", ["leader", "teacher", "funder", "guardian", "area_lead"])
def test_others_cannot_cancel_the_force_celebration_day(world, client_for, booked, role):
    client = client_for(world.users[role])
    assert client.post(_url(booked), {"reason": "No"}).status_code in (403, 404)
    assert Event.objects.get(pk=booked.pk).status == "draft"
    if role in ("leader", "teacher", "area_lead"):
        detail = client.get(f"/events/{booked.pk}/").content.decode()
        assert "Cancel this event" not in detail


def test_a_leader_cancels_their_own_reward_visit(world, client_for):
    event = make_event(world, unit=world.unit, kind="dog_unit", title="Dog unit visit")
    response = client_for(world.users["leader"]).post(_url(event), {"reason": "Dogs unwell"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == "cancelled"


def test_a_leader_whose_vetting_lapsed_cannot_cancel_or_change_their_units_visit(world, client_for):
    """Cancelling releases children's places and emails their parents: it needs clearance,
    as choosing children does."""
    event = make_event(world, unit=world.unit, kind="stables", title="Stables visit")
    client = client_for(world.users["lapsed_leader"])
    assert client.post(_url(event), {"reason": "No"}).status_code in (403, 404)
    assert client.get(f"/events/{event.pk}/edit/").status_code in (403, 404)
    event.refresh_from_db()
    assert event.status != "cancelled"
    assert "Cancel this event" not in client.get(f"/events/{event.pk}/").content.decode()
