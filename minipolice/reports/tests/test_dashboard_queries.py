"""A dashboard costs the same queries whatever the data (#13): the figures are aggregate
queries with a column per term, never a query per unit, session, child or force. Measured on
a small world, then again after it grows; the count is pinned so it stays fixed."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from minipolice.awards.tests.helpers import add_child, attend, held_sessions
from minipolice.community import services as community
from minipolice.organisations import services as org

# The queries each page makes, whatever the data, for the current school year (the session,
# the user, the scope, then the figures). Raise only with a reason.
FORCE_DASHBOARD = 23
AREA_DASHBOARD = 22
NATIONAL_VIEW = 14


def _grow(world, *, units=3, children=6, force=None, area=None):
    """More units in the world's area (or another force's), each with a cohort of children,
    held sessions with registers and a community action."""
    area = area or world.area
    school = org.create_school(acting_user=None, area=area, name=f"School {area.pk}-{units}")
    for u in range(units):
        unit = org.create_unit(
            acting_user=None, school=school, name=f"Unit {area.pk}-{u}", status="active"
        )
        cohort = org.create_cohort(
            acting_user=None,
            unit=unit,
            name="Year 6",
            start_date=world.cohort.start_date,
            end_date=world.cohort.end_date,
        )
        sessions = held_sessions(cohort, 3)
        for c in range(children):
            attend(sessions, add_child(cohort, f"Grown{u}x{c}"), 2)
        community.record_action(
            acting_user=None,
            unit=unit,
            kind="leaflet_drop",
            date=timezone.localdate() - datetime.timedelta(days=3),
            place="High Street",
            homes_reached=40,
            leaflets_delivered=40,
        )


def _queries(client, url) -> int:
    client.get(url)  # the first request of a session warms its caches (site, content types)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "role, page, pinned",
    [
        ("coordinator", "force", FORCE_DASHBOARD),
        ("funder", "force", FORCE_DASHBOARD),
        ("area_lead", "area", AREA_DASHBOARD),
    ],
)
def test_a_dashboard_makes_the_same_queries_as_the_data_grows(
    world, client_for, role, page, pinned
):
    client = client_for(world.users[role])
    name, pk = ("force_dashboard", world.force.pk) if page == "force" else ("area_dashboard",
                                                                            world.area.pk)  # fmt: skip
    url = reverse(f"reports:{name}", args=[pk])
    before = _queries(client, url)
    _grow(world)
    after = _queries(client, url)
    assert before == after, f"{before} queries before the data grew, {after} after"
    assert after <= pinned, f"{after} queries: the pinned count is {pinned}"


def test_the_national_view_makes_the_same_queries_as_forces_are_added(world, client_for):
    client = client_for(world.users["national"])
    url = reverse("reports:national_dashboard") + "?sort=-sessions_delivered"
    before = _queries(client, url)
    for n in range(3):
        force = org.create_force(acting_user=None, name=f"Force {n}", short_name=f"force-{n}")
        _grow(world, units=2, children=3, area=org.create_area(
            acting_user=None, force=force, name=f"Area {n}"))  # fmt: skip
    after = _queries(client, url)
    assert before == after, f"{before} queries before forces were added, {after} after"
    assert after <= NATIONAL_VIEW


def test_a_download_of_every_table_makes_the_same_queries_as_the_page(world, client_for):
    client = client_for(world.users["coordinator"])
    url = reverse("reports:force_dashboard", args=[world.force.pk])
    page = _queries(client, url)
    _grow(world)
    assert _queries(client, url + "?format=xlsx") <= page
