"""Session notes may name children: through the API too, only cleared users read or change them."""

import pytest

from minipolice.delivery.services import record_session_details
from minipolice.delivery.tests.helpers import session_on

NOTE = "Ada found the fire-safety quiz hard"


@pytest.fixture
def noted_session(world):
    session = session_on(world.cohort)
    record_session_details(acting_user=None, session=session, leaders=[], notes=NOTE)
    return session


def test_api_hides_notes_from_a_lapsed_leader_and_refuses_their_edit(world, api_as, noted_session):
    lapsed = api_as(world.users["lapsed_leader"])
    one = lapsed.get(f"/sessions/{noted_session.pk}")
    assert one.status_code == 200
    assert one.json()["notes"] is None
    listed = lapsed.get("/sessions")
    assert [s["notes"] for s in listed.json()["items"]] == [None]

    refused = lapsed.post(f"/sessions/{noted_session.pk}/details", {"notes": "overwritten"})
    assert refused.status_code == 403
    noted_session.refresh_from_db()
    assert noted_session.notes == NOTE

    # Without notes in the body, a lapsed leader may still record who led.
    kept = lapsed.post(f"/sessions/{noted_session.pk}/details", {"leaders_present": []})
    assert kept.status_code == 200
    noted_session.refresh_from_db()
    assert noted_session.notes == NOTE


def test_api_shows_notes_to_a_cleared_leader(world, api_as, noted_session):
    leader = api_as(world.users["leader"])
    assert leader.get(f"/sessions/{noted_session.pk}").json()["notes"] == NOTE
    saved = leader.post(f"/sessions/{noted_session.pk}/details", {"notes": "Went well"})
    assert saved.status_code == 200
    assert saved.json()["notes"] == "Went well"
