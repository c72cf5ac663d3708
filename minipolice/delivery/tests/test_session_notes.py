"""Session notes may name children: the clearance rule for children's records applies to them."""

import pytest

from minipolice.delivery.services import record_session_details
from minipolice.delivery.tests.helpers import session_on

NOTE = "Ada found the fire-safety quiz hard"


@pytest.fixture
def noted_session(world):
    session = session_on(world.cohort)
    record_session_details(acting_user=None, session=session, leaders=[], notes=NOTE)
    return session


def test_leader_with_lapsed_vetting_does_not_see_session_notes(world, client_for, noted_session):
    page = client_for(world.users["lapsed_leader"]).get(f"/sessions/{noted_session.pk}/")
    assert page.status_code == 200
    assert NOTE not in page.content.decode()


def test_cleared_leader_and_teacher_see_session_notes(world, client, client_for, noted_session):
    for role in ("leader", "teacher", "coordinator"):
        client.logout()
        page = client_for(world.users[role]).get(f"/sessions/{noted_session.pk}/")
        assert NOTE in page.content.decode(), role


def test_leader_with_lapsed_vetting_gets_no_notes_field_and_keeps_them(
    world, client_for, noted_session
):
    lapsed = client_for(world.users["lapsed_leader"])
    form = lapsed.get(f"/sessions/{noted_session.pk}/details/")
    assert form.status_code == 200
    body = form.content.decode()
    assert NOTE not in body
    assert 'name="notes"' not in body
    # A crafted POST with notes changes only who led; the notes stay as they were.
    response = lapsed.post(
        f"/sessions/{noted_session.pk}/details/",
        {"leaders_present": [world.users["lapsed_leader"].pk], "notes": "overwritten"},
    )
    assert response.status_code in (200, 302)
    noted_session.refresh_from_db()
    assert noted_session.notes == NOTE
