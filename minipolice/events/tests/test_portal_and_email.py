"""Parents see the event in the portal and answer the trip consent there; the place comes
with an email carrying the event as a calendar file."""

import pytest
from django.core import mail

from minipolice.consent.models import Consent, EmailDelivery
from minipolice.events import services
from minipolice.events.models import EventPlace
from minipolice.events.tests.helpers import invite, make_event, trip_consent


@pytest.fixture
def portal(client, world):
    """Signed in as Ann Lovelace through the portal's own session."""
    from minipolice.consent.portal import PORTAL_SESSION_KEY

    client.force_login(world.users["guardian"])
    session = client.session
    session[PORTAL_SESSION_KEY] = True
    session.save()
    return client


def test_guardian_sees_the_event_and_gives_trip_consent(world, portal):
    event = make_event(world, what_to_bring="Packed lunch")
    invite(world, event)
    listing = portal.get("/portal/events/").content.decode()
    assert "Celebration day" in listing
    page = portal.get(f"/portal/events/{event.pk}/").content.decode()
    assert "Packed lunch" in page and "Police headquarters" in page and "10:00" in page
    assert "You have not answered yet" in page

    response = portal.post(
        f"/portal/events/{event.pk}/", {"child": world.child.pk, "answer": "yes"}
    )
    assert response.status_code == 302
    consent = Consent.objects.get(child=world.child, kind="trip")
    assert consent.trip_reference == f"event:{event.pk}"
    assert consent.method == "portal" and consent.given_by == world.guardian
    assert "yes, they may go" in portal.get(f"/portal/events/{event.pk}/").content.decode()


def test_no_answer_is_an_error_in_the_summary(world, portal):
    event = make_event(world)
    invite(world, event)
    response = portal.post(f"/portal/events/{event.pk}/", {"child": world.child.pk})
    assert "govuk-error-summary" in response.content.decode()
    assert not Consent.objects.filter(kind="trip").exists()


def test_refusing_in_the_portal_gives_up_the_place(world, portal):
    event = make_event(world)
    invitation = invite(world, event)
    trip_consent(world.child, event)
    services.choose_children(
        acting_user=None,
        invitation=invitation,
        children=[world.child],
        editable_ids=[world.child.pk],
    )
    portal.post(f"/portal/events/{event.pk}/", {"child": world.child.pk, "answer": "no"})
    assert EventPlace.objects.get(event=event, child=world.child).status == "released"


def test_guardian_cannot_see_an_event_their_child_is_not_invited_to(world, portal):
    event = make_event(world)
    assert portal.get(f"/portal/events/{event.pk}/").status_code == 404
    invite(world, event)
    other = {"child": world.other_child.pk, "answer": "yes"}
    assert portal.post(f"/portal/events/{event.pk}/", other).status_code == 404


def test_a_place_sends_the_parents_an_email_with_a_calendar(world, immediate_tasks):
    event = make_event(world)
    invitation = invite(world, event)
    trip_consent(world.child, event)
    mail.outbox.clear()
    services.choose_children(
        acting_user=world.users["leader"],
        invitation=invitation,
        children=[world.child],
        editable_ids=[world.child.pk],
        base_url="http://testserver/",
    )
    delivery = EmailDelivery.objects.get(kind="event_place")
    assert delivery.status == "sent" and delivery.guardian == world.guardian
    (message,) = mail.outbox
    assert message.to == ["ann@example.com"]
    assert "Ada has a place at Celebration day" in message.body
    assert "/portal/sign-in/" in message.body
    name, calendar, mimetype = message.attachments[0]
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    assert "BEGIN:VEVENT" in calendar and "SUMMARY:Mini Police: Celebration day" in calendar
    assert "Ada" not in calendar and "Lovelace" not in calendar
