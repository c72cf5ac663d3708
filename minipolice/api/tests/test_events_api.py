"""/api/v1/events: the same scoping as the pages; aggregate roles get counts only."""

import datetime

from django.utils import timezone

from minipolice.events import services
from minipolice.events.models import Event
from minipolice.events.tests.helpers import add_children, invite, make_event, trip_consent


def _event_with_places(world, n):
    event = make_event(world)
    invitation = invite(world, event)
    kids = add_children(world, n)
    for kid in kids:
        trip_consent(kid, event)
    services.choose_children(
        acting_user=None, invitation=invitation, children=kids, editable_ids=[k.pk for k in kids]
    )
    return event, kids


def test_coordinator_reads_events_with_named_places(world, api_as):
    event, kids = _event_with_places(world, 3)
    response = api_as(world.users["coordinator"]).get("/events")
    assert response.status_code == 200
    (item,) = response.json()["items"]
    assert item["id"] == event.pk and item["places_count"] == 3
    assert sorted(p["child"] for p in item["places"]) == sorted(k.pk for k in kids)
    assert item["programme"] == [{"time": "10:30:00", "title": "Dog display"}]
    assert item["invited_units"] == [world.unit.pk]


def test_funder_and_national_viewer_see_counts_only_rounded(world, api_as):
    event, _ = _event_with_places(world, 7)
    for user in (world.users["funder"], world.users["national"]):
        api = api_as(user)
        (item,) = api.get("/events").json()["items"]
        assert item["places"] == []
        assert item["places_count"] == 5  # 7 rounded to the nearest 5
        assert item["checked_in_count"] == 0
        assert api.get(f"/events/{event.pk}").json()["places"] == []


def test_fewer_than_five_is_hidden_for_a_funder(world, api_as):
    _event_with_places(world, 2)
    (item,) = api_as(world.users["funder"]).get("/events").json()["items"]
    assert item["places_count"] is None


def test_another_forces_event_is_not_found(world, api_as):
    event, _ = _event_with_places(world, 1)
    api = api_as(world.users["outsider"])
    assert api.get("/events").json()["items"] == []
    assert api.get(f"/events/{event.pk}").status_code == 404


def test_guardian_has_no_event_api(world, api_as):
    assert api_as(world.users["guardian"]).get("/events").status_code == 403


def _body(**changes):
    day = (timezone.localdate() + datetime.timedelta(days=40)).isoformat()
    return {
        "kind": "celebration",
        "title": "Summer celebration",
        "date": day,
        "start_time": "10:00",
        "end_time": "15:00",
        "venue": "Police headquarters",
        "capacity": 150,
        "programme": [{"time": "10:30", "title": "Dog display"}],
        "guests": [{"name": "A. Example", "role": "lord_lieutenant"}],
    } | changes


def test_coordinator_creates_a_celebration_day(world, api_as):
    response = api_as(world.users["coordinator"]).post("/events", _body())
    assert response.status_code == 201, response.content
    event = Event.objects.get()
    assert response.json()["id"] == event.pk and event.force == world.force
    assert event.guests.get().role == "lord_lieutenant"


def test_leader_creates_a_reward_visit_for_their_unit_only(world, api_as):
    api = api_as(world.users["leader"])
    visit = _body(kind="fire_station", title="Fire station", unit=world.unit.pk, capacity=15)
    assert api.post("/events", visit).status_code == 201
    assert api.post("/events", _body()).status_code == 403  # no celebration days
    other = _body(kind="fire_station", unit=world.other_unit.pk)
    response = api.post("/events", other)
    assert response.status_code == 400 and "unit" in response.json()["errors"]


def test_bad_times_are_a_400_with_a_reason(world, api_as):
    response = api_as(world.users["coordinator"]).post(
        "/events", _body(start_time="15:00", end_time="10:00")
    )
    assert response.status_code == 400
    assert "end time must be after the start time" in response.content.decode()
    assert not Event.objects.exists()


def test_funder_cannot_create(world, api_as):
    assert api_as(world.users["funder"]).post("/events", _body()).status_code == 403


def test_a_force_day_is_rounded_for_a_teacher_who_cannot_see_every_invited_unit(world, api_as):
    from minipolice.events.tests.test_counts_disclosure import _day_with_two_schools

    event = _day_with_two_schools(world)
    assert api_as(world.users["teacher"]).get(f"/events/{event.pk}").json()["places_count"] is None
    assert api_as(world.users["coordinator"]).get(f"/events/{event.pk}").json()["places_count"] == 2
