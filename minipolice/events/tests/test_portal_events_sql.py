"""A parent's events are found through two id lists, not an OR over the joins of invitations
and places with DISTINCT, which joined every invitation of a celebration day with every place
on it (issue #15: 0.4 s a parent at national scale)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from minipolice.events.selectors import portal_events
from minipolice.events.tests.helpers import invite, make_event


def test_portal_events_query_joins_neither_invitations_nor_places(world):
    event = make_event(world)
    invite(world, event)
    with CaptureQueriesContext(connection) as queries:
        found = list(portal_events(world.users["guardian"]))
    assert found == [event]
    (sql,) = [q["sql"] for q in queries if '"events_event"' in q["sql"]]
    assert "DISTINCT" not in sql
    assert 'JOIN "events_invitation"' not in sql and 'JOIN "events_eventplace"' not in sql
