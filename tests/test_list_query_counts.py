"""List pages do a fixed number of queries, whether they show 1 row or 50."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from minipolice.accounts.models import Role
from minipolice.accounts.services import assign_role, create_user
from minipolice.organisations import services as org
from minipolice.people import services as people

# url: pinned number of queries for a signed-in coordinator (session, user, role assignments, then the page's own).
LIST_PAGES = {
    "/": 10,  # the 9th: the stories waiting for review; the 10th: the surveys to take
    "/areas/": 5,  # "Add an area" is answered from the scope
    "/schools/": 6,
    "/units/": 6,
    "/cohorts/": 5,
    "/children/": 6,
    "/guardians/": 6,
    "/leaders/": 6,
    "/audit/": 7,
}


def grow(world, n):
    """Add n more of every listed thing to the world's force."""
    today = timezone.localdate()
    for i in range(n):
        area = org.create_area(acting_user=None, force=world.force, name=f"Area {i}")
        school = org.create_school(acting_user=None, area=area, name=f"School {i}")
        unit = org.create_unit(acting_user=None, school=school, name=f"Unit {i}", status="active")
        cohort = org.create_cohort(
            acting_user=None,
            unit=unit,
            name=f"Cohort {i}",
            start_date=today,
            end_date=today + datetime.timedelta(days=90),
        )
        child = people.add_child_to_cohort(
            acting_user=None, cohort=cohort, first_name=f"Kid{i}", last_name="Grow", year_group=5
        )
        guardian = people.create_guardian(
            acting_user=None, force=world.force, name=f"Parent {i}", email=f"p{i}@example.com"
        )
        people.link_guardian(acting_user=None, child=child, guardian=guardian)
        leader = create_user(
            acting_user=None, email=f"leader{i}@example.org", full_name=f"Leader {i}"
        )
        assign_role(acting_user=None, user=leader, role=Role.UNIT_LEADER, unit=unit)
        people.record_vetting(
            acting_user=None,
            leader=leader,
            level="nppv2",
            granted=today,
            expires=today + datetime.timedelta(days=20),
        )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("url", sorted(LIST_PAGES))
def test_list_page_query_count_is_the_same_for_1_and_50_rows(url, world, client_for):
    client = client_for(world.users["coordinator"])
    client.get("/")  # warm the session
    with_one = count_queries(client, url)
    grow(world, 50)
    with_fifty = count_queries(client, url)
    assert with_one == with_fifty, f"{url}: {with_one} queries with 1 row, {with_fifty} with 50"
    assert with_fifty == LIST_PAGES[url]
