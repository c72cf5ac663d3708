"""On the day: one tap per child, late arrivals, early collection, headcount by unit."""

from minipolice.audit.models import AuditEntry
from minipolice.events import services
from minipolice.events.models import EventPlace
from minipolice.events.tests.helpers import add_children, invite, make_event, trip_consent

HTMX = {"HTTP_HX_REQUEST": "true"}


def _event_with_places(world, n=3):
    event = make_event(world, days=0)
    invitation = invite(world, event)
    kids = add_children(world, n)
    for kid in kids:
        trip_consent(kid, event)
    services.choose_children(
        acting_user=None, invitation=invitation, children=kids, editable_ids=[k.pk for k in kids]
    )
    return event, kids


def test_check_in_without_javascript_redirects_back_to_the_child(world, client_for):
    event, kids = _event_with_places(world)
    place = EventPlace.objects.get(event=event, child=kids[0])
    client = client_for(world.users["leader"])
    page = client.get(f"/events/{event.pk}/check-in/").content.decode()
    assert "Kid0 Test" in page and "Headcount by unit" in page
    response = client.post(f"/events/{event.pk}/check-in/{place.pk}/", {"action": "arrived"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/events/{event.pk}/check-in/#place-{place.pk}")
    place.refresh_from_db()
    assert place.checked_in_at is not None and not place.arrived_late
    entry = AuditEntry.objects.filter(object_type="eventplace").latest("at")
    assert entry.fields["check_in"] == ["not arrived", "arrived"]


def test_check_in_with_htmx_answers_the_row_and_the_headcount(world, client_for):
    event, kids = _event_with_places(world)
    place = EventPlace.objects.get(event=event, child=kids[1])
    client = client_for(world.users["leader"])
    response = client.post(f"/events/{event.pk}/check-in/{place.pk}/", {"action": "late"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="place-{place.pk}"' in html and "Arrived late" in html
    assert 'id="headcount" hx-swap-oob="true"' in html
    assert "<html" not in html


def test_early_collection_and_undo(world, client_for):
    event, kids = _event_with_places(world, 1)
    place = EventPlace.objects.get(event=event, child=kids[0])
    client = client_for(world.users["leader"])
    url = f"/events/{event.pk}/check-in/{place.pk}/"
    client.post(url, {"action": "collected"})  # not arrived yet: refused
    place.refresh_from_db()
    assert place.collected_early_at is None
    client.post(url, {"action": "arrived"})
    client.post(url, {"action": "collected"})
    place.refresh_from_db()
    assert place.collected_early_at is not None
    client.post(url, {"action": "undo"})
    place.refresh_from_db()
    assert place.collected_early_at is None and place.checked_in_at is not None


def test_headcount_by_unit(world, client_for):
    event, kids = _event_with_places(world, 3)
    for kid in kids[:2]:
        services.record_checkin(
            acting_user=None,
            place=EventPlace.objects.get(event=event, child=kid),
            action="arrived",
        )
    page = client_for(world.users["coordinator"]).get(f"/events/{event.pk}/check-in/")
    rows = page.context["headcount"]
    assert [(r.unit.name, r.places_count, r.checked_in_count) for r in rows] == [
        ("Hilltop Mini Police", 3, 2)
    ]


def test_lapsed_leader_cannot_check_in(world, client_for):
    event, _ = _event_with_places(world, 1)
    assert (
        client_for(world.users["lapsed_leader"]).get(f"/events/{event.pk}/check-in/").status_code
        == 403
    )
