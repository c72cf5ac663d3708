"""Story and public list pages do a fixed number of queries, for 1 row or 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from minipolice.organisations import services as org
from minipolice.public import services


def _grow(world, n):
    for index in range(n):
        school = org.create_school(acting_user=None, area=world.area, name=f"School {index}")
        unit = org.create_unit(
            acting_user=None, school=school, name=f"Unit {index}", status="active"
        )
        story = services.create_story(
            acting_user=None, unit=unit, title=f"Story {index}", body="Text."
        )
        services.publish_story(acting_user=None, story=story)
        services.create_story(acting_user=None, unit=world.unit, title=f"Draft {index}", body="x")


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/find/", "/find/testshire/", "/stories/"])
def test_list_page_query_count_is_the_same_for_1_and_50_rows(world, client_for, url):
    client = client_for(world.users["coordinator"])
    services.create_story(acting_user=None, unit=world.unit, title="First", body="Text.")
    client.get(url)  # warm the session
    one = _count(client, url)
    _grow(world, 50)
    assert _count(client, url) == one
