"""Planning an event: create, programme and guests, risk assessment, sign-off, confirmation."""

import datetime

from django.utils import timezone

from minipolice.audit.models import AuditEntry
from minipolice.events import services
from minipolice.events.models import Event, EventStatus
from minipolice.events.tests.helpers import (
    add_children,
    assess,
    invite,
    make_event,
    second_unit,
    trip_consent,
)


def _post_event(client, **changes):
    day = timezone.localdate() + datetime.timedelta(days=30)
    data = {
        "organiser": "",
        "kind": "celebration",
        "title": "Celebration day",
        "date_0": day.day,
        "date_1": day.month,
        "date_2": day.year,
        "start_time": "10:00",
        "end_time": "15:00",
        "venue": "Police headquarters",
        "address": "Valley Road",
        "capacity": "150",
        "programme": "10:30 Dog display\n11:30 Police horse display",
        "guests": "Chief Constable: A. Example\nLord Lieutenant: B. Example",
        "transport_notes": "Coaches from each school",
        "what_to_bring": "Packed lunch, uniform",
    } | changes
    return client.post("/events/new/", data)


def test_coordinator_plans_a_celebration_day_with_programme_and_guests(world, client_for):
    client = client_for(world.users["coordinator"])
    response = _post_event(client, organiser=f"force-{world.force.pk}")
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/events/{event.pk}/"
    assert event.force == world.force and event.area is None and event.unit is None
    assert [(i.time.hour, i.title) for i in event.programme.all()] == [
        (10, "Dog display"),
        (11, "Police horse display"),
    ]
    assert sorted(g.role for g in event.guests.all()) == ["chief_constable", "lord_lieutenant"]
    page = client.get(f"/events/{event.pk}/").content.decode()
    assert "Dog display" in page and "A. Example (Chief Constable)" in page
    assert "There is no risk assessment yet." in page
    assert AuditEntry.objects.filter(object_type="event", action="create").exists()


def test_a_bad_programme_line_is_shown_in_the_error_summary_and_nothing_is_saved(world, client_for):
    client = client_for(world.users["coordinator"])
    response = _post_event(
        client, organiser=f"force-{world.force.pk}", programme="Dog display at ten"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and "Line 1 of the programme" in page
    assert 'value="Police headquarters"' in page  # nothing typed is lost
    assert not Event.objects.exists()


def test_end_before_start_is_refused(world, client_for):
    client = client_for(world.users["coordinator"])
    response = _post_event(client, organiser=f"force-{world.force.pk}", end_time="09:00")
    assert "The end time must be after the start time" in response.content.decode()
    assert not Event.objects.exists()


def test_area_lead_plans_only_for_their_area(world, client_for):
    client = client_for(world.users["area_lead"])
    refused = _post_event(client, organiser=f"force-{world.force.pk}")
    assert "Choose who holds the event" in refused.content.decode()
    _post_event(client, organiser=f"area-{world.area.pk}")
    assert Event.objects.get().area == world.area


def test_leader_plans_a_reward_visit_for_their_unit(world, client_for):
    client = client_for(world.users["leader"])
    day = timezone.localdate() + datetime.timedelta(days=10)
    response = client.post(
        f"/units/{world.unit.pk}/reward-visits/new/",
        {
            "kind": "dog_unit",
            "title": "Dog unit visit",
            "date_0": day.day,
            "date_1": day.month,
            "date_2": day.year,
            "start_time": "13:00",
            "end_time": "15:00",
            "venue": "Dog unit kennels",
            "capacity": "15",
            "leaders": [world.users["leader"].pk],
        },
    )
    event = Event.objects.get()
    assert response.status_code == 302
    assert event.unit == world.unit and event.is_reward_visit
    assert list(event.leaders.all()) == [world.users["leader"]]
    assert event.invitations.get().status == "accepted"  # its own unit, already accepted
    assert client.get("/events/new/").status_code == 403  # no celebration days for leaders


def test_event_page_warns_and_confirmation_refuses_until_signed_off_and_ratio_met(
    world, client_for
):
    event = make_event(world, capacity=20)
    invitation = invite(world, event)
    kids = add_children(world, 7)
    for kid in kids:
        trip_consent(kid, event)
    services.choose_children(
        acting_user=world.users["leader"],
        invitation=invitation,
        children=kids,
        editable_ids=[k.pk for k in kids],
    )
    assess(world, event, adults=1, sign=False)  # 7 children, 1 adult: ratio 1 to 6 not met
    client = client_for(world.users["coordinator"])
    page = client.get(f"/events/{event.pk}/").content.decode()
    assert "not signed off" in page and "ratio is not met" in page

    refused = client.post(f"/events/{event.pk}/confirm/")
    assert refused.status_code == 200
    assert "cannot be confirmed yet" in refused.content.decode()
    event.refresh_from_db()
    assert event.status == EventStatus.DRAFT

    # A force-wide day is signed off by the coordinator (area leads sign off their area's).
    assert client.post(f"/events/{event.pk}/risk-assessment/sign-off/").status_code == 302
    assert "ratio is not met" in client.post(f"/events/{event.pk}/confirm/").content.decode()
    services.save_risk_assessment(
        acting_user=world.users["coordinator"],
        event=event,
        hazards="Traffic on site",
        controls="Marshals",
        first_aider="PC First Aid",
        adults=2,
    )
    event.risk_assessment.refresh_from_db()
    assert not event.risk_assessment.is_signed_off  # a change withdraws the sign-off
    client.post(f"/events/{event.pk}/risk-assessment/sign-off/")
    assert client.post(f"/events/{event.pk}/confirm/").status_code == 302
    event.refresh_from_db()
    assert event.status == EventStatus.CONFIRMED


def test_the_ratio_is_the_forces_setting(world):
    event = make_event(world, capacity=20)
    invitation = invite(world, event)
    kids = add_children(world, 7)
    for kid in kids:
        trip_consent(kid, event)
    services.choose_children(
        acting_user=None, invitation=invitation, children=kids, editable_ids=[k.pk for k in kids]
    )
    assess(world, event, adults=1)
    from minipolice.events.selectors import event_problems

    assert event_problems(event)
    world.force.event_children_per_adult = 8
    world.force.save()
    event.refresh_from_db()
    assert event_problems(event) == []


def test_one_click_invites_every_active_unit_of_the_force(world, client_for):
    event = make_event(world)
    second_unit(world)
    from minipolice.organisations import services as org

    paused = org.create_unit(acting_user=None, school=world.school, name="Paused", status="paused")
    client = client_for(world.users["coordinator"])
    response = client.post(f"/events/{event.pk}/invite/", {"everyone": "force"})
    assert response.status_code == 302
    invited = set(event.invitations.values_list("unit__name", flat=True))
    assert invited == {"Hilltop Mini Police", "Second unit"}
    assert paused.name not in invited
    # Inviting again changes nothing.
    client.post(f"/events/{event.pk}/invite/", {"everyone": "force"})
    assert event.invitations.count() == 2


def test_inviting_nothing_is_an_error(world, client_for):
    event = make_event(world)
    response = client_for(world.users["coordinator"]).post(f"/events/{event.pk}/invite/", {})
    assert "Select at least one unit to invite" in response.content.decode()


def test_teacher_sees_their_schools_event_read_only(world, client_for):
    event = make_event(world)
    invite(world, event)
    client = client_for(world.users["teacher"])
    page = client.get(f"/events/{event.pk}/").content.decode()
    assert "Celebration day" in page
    assert "Change the event" not in page and "Check-in on the day" not in page
    assert client.get(f"/events/{event.pk}/check-in/").status_code == 403


def test_an_event_not_inviting_their_unit_is_not_found_for_a_leader(world, client_for):
    event = make_event(world)
    assert client_for(world.users["leader"]).get(f"/events/{event.pk}/").status_code == 404


def test_funder_sees_the_list_with_rounded_counts_and_no_names(world, client_for):
    event = make_event(world, capacity=20)
    invitation = invite(world, event)
    kids = add_children(world, 7)
    for kid in kids:
        trip_consent(kid, event)
    services.choose_children(
        acting_user=None, invitation=invitation, children=kids, editable_ids=[k.pk for k in kids]
    )
    client = client_for(world.users["funder"])
    page = client.get("/events/").content.decode()
    assert "Celebration day" in page and "5 of 20" in page  # 7 rounded to the nearest 5
    assert f"/events/{event.pk}/" not in page and "Kid0" not in page
    assert client.get(f"/events/{event.pk}/").status_code == 403


def test_one_click_invites_every_active_unit_of_an_area(world, client_for):
    from minipolice.organisations import services as org

    event = make_event(world)
    south = org.create_area(acting_user=None, force=world.force, name="South")
    school = org.create_school(acting_user=None, area=south, name="South Primary")
    org.create_unit(acting_user=None, school=school, name="South unit", status="active")
    client = client_for(world.users["coordinator"])
    client.post(f"/events/{event.pk}/invite/", {"everyone": f"area-{world.area.pk}"})
    assert list(event.invitations.values_list("unit__name", flat=True)) == ["Hilltop Mini Police"]


def test_area_lead_runs_their_area_day_and_signs_it_off(world, client_for):
    event = services.create_event(
        acting_user=world.users["area_lead"],
        force=world.force,
        area=world.area,
        kind="celebration",
        title="North celebration",
        date=timezone.localdate() + datetime.timedelta(days=5),
        start_time=datetime.time(10, 0),
        end_time=datetime.time(12, 0),
        venue="North station",
        capacity=30,
    )
    assess(world, event, sign=False)
    client = client_for(world.users["area_lead"])
    assert client.get(f"/events/{event.pk}/edit/").status_code == 200
    assert client.post(f"/events/{event.pk}/risk-assessment/sign-off/").status_code == 302
    event.risk_assessment.refresh_from_db()
    assert event.risk_assessment.signed_off_by == world.users["area_lead"]
    assert client.post(f"/events/{event.pk}/confirm/").status_code == 302
