"""A child's page and consent page make as many queries with a long consent history as with
one answer (issue #15: each answer in the history cost a query; `make bench` found it)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from minipolice.consent.services import record_consent

PAGES = ["/children/{pk}/", "/consent/children/{pk}/"]


def _answer(child, kind, status="granted", **extra):
    if kind == "media" and status == "granted":
        extra.setdefault("media_uses", ["internal"])
    return record_consent(
        acting_user=None,
        child=child,
        kind=kind,
        status=status,
        method="paper",
        given_by_name="Paper",
        **extra,
    )


def _count(client, url):
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", PAGES)
def test_a_long_consent_history_adds_no_queries(page, world, client_for):
    client = client_for(world.users["coordinator"])
    url = page.format(pk=world.child.pk)
    _answer(world.child, "participation")
    one = _count(client, url)
    for _ in range(4):  # given, withdrawn, given again, ...
        _answer(world.child, "media")
        _answer(world.child, "media", status="withdrawn")
    _answer(world.child, "trip", trip_reference="event:1")
    assert _count(client, url) == one
