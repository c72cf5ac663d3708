"""Counts of places are exact only for units whose children the viewer may read: a teacher or
leader looking at the force's celebration day learns no other school's small numbers, and a
leader whose vetting lapsed sees the day rounded, as on the event list."""

import datetime
import re

from django.utils import timezone

from minipolice.events import services
from minipolice.events.tests.helpers import add_children, invite, make_event, trip_consent
from minipolice.organisations import services as org


def _other_school_unit(world):
    today = timezone.localdate()
    school = org.create_school(acting_user=None, area=world.area, name="Lowdown Primary")
    unit = org.create_unit(acting_user=None, school=school, name="Lowdown MP", status="active")
    cohort = org.create_cohort(
        acting_user=None,
        unit=unit,
        name="Year 6",
        start_date=today - datetime.timedelta(days=10),
        end_date=today + datetime.timedelta(days=200),
    )
    return unit, cohort


def _place(world, event, invitation, child):
    trip_consent(child, event)
    services.choose_children(
        acting_user=None, invitation=invitation, children=[child], editable_ids=[child.pk]
    )


def _row(html, unit_name):
    row = re.search(rf"{unit_name}.*?</tr>", html, re.S).group(0)
    return re.findall(r'govuk-table__cell--numeric">([^<]*)<', row)


def _day_with_two_schools(world):
    event = make_event(world)
    own = invite(world, event)
    unit, cohort = _other_school_unit(world)
    other = invite(world, event, unit)
    _place(world, event, own, world.child)
    _place(world, event, other, add_children(world, 1, cohort=cohort, prefix="Low")[0])
    return event


def test_a_teacher_sees_their_own_units_counts_exactly_and_other_schools_rounded(world, client_for):
    event = _day_with_two_schools(world)
    html = client_for(world.users["teacher"]).get(f"/events/{event.pk}/").content.decode()
    assert _row(html, "Hilltop Mini Police") == ["1", "0", "0"]
    assert _row(html, "Lowdown MP") == ["fewer than 5", "0", "0"]
    assert "fewer than 5 of 150 taken" in html
    assert "2 of 150" not in html


def test_the_coordinator_sees_every_count_exactly(world, client_for):
    event = _day_with_two_schools(world)
    html = client_for(world.users["coordinator"]).get(f"/events/{event.pk}/").content.decode()
    assert _row(html, "Lowdown MP") == ["1", "0", "0"]
    assert "2 of 150 taken" in html


def test_a_leader_whose_vetting_lapsed_sees_the_day_rounded(world, client_for):
    event = make_event(world)
    _place(world, event, invite(world, event), world.child)
    client = client_for(world.users["lapsed_leader"])
    assert "fewer than 5 of 150" in client.get("/events/").content.decode()
    html = client.get(f"/events/{event.pk}/").content.decode()
    assert "1 of 150 taken" not in html
    assert _row(html, "Hilltop Mini Police") == ["fewer than 5", "0", "0"]
