import hashlib
import re

from minipolice.delivery.models import CalendarFeed
from minipolice.delivery.tests.helpers import session_on
from minipolice.organisations import services as org


def feed_url(client, path):
    client.post(path, {"action": "renew"})
    page = client.get(path).content.decode()
    return re.search(r'value="http://testserver(/calendar/[^"]+\.ics)"', page).group(1)


def test_leaders_feed_works_without_signing_in_and_is_valid_icalendar(world, client_for, client):
    session = session_on(world.cohort, place="Hall, by the gym; rear door")
    url = feed_url(client_for(world.users["leader"]), "/my-sessions/calendar/")
    client.logout()

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert body.endswith("END:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    assert f"UID:session-{session.pk}@testserver" in body
    assert "LOCATION:Hall\\, by the gym\\; rear door" in body
    assert "DTSTART:" in body and body.count("BEGIN:VEVENT") == 1
    assert "Lovelace" not in body  # no child's name ever goes into a feed


def test_a_unit_feed_and_revoking_it(world, client_for, client):
    session_on(world.cohort)
    teacher = client_for(world.users["teacher"])
    old = feed_url(teacher, f"/units/{world.unit.pk}/calendar/")
    new = feed_url(teacher, f"/units/{world.unit.pk}/calendar/")
    client.logout()

    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    teacher = client_for(world.users["teacher"])
    teacher.post(f"/units/{world.unit.pk}/calendar/", {"action": "delete"})
    client.logout()
    assert client.get(new).status_code == 404


def test_a_feed_stops_showing_a_unit_its_owner_no_longer_leads(world, client_for, client):
    session_on(world.cohort)
    leader = world.users["leader"]
    personal = feed_url(client_for(leader), "/my-sessions/calendar/")
    unit_feed = feed_url(client_for(leader), f"/units/{world.unit.pk}/calendar/")
    org.remove_unit_leader(acting_user=None, unit=world.unit, leader=leader)
    client.logout()

    assert "BEGIN:VEVENT" not in client.get(personal).content.decode()
    assert client.get(unit_feed).status_code == 404


def test_a_made_up_token_finds_nothing(world, client):
    assert client.get("/calendar/not-a-real-token.ics").status_code == 404
    assert not CalendarFeed.objects.exists()


def test_a_cancelled_session_in_a_feed_does_not_carry_its_free_text_reason(
    world, client_for, client
):
    from minipolice.delivery.services import cancel_session

    session = session_on(world.cohort)
    cancel_session(
        acting_user=world.users["leader"], session=session, reason="Ada Lovelace's class trip"
    )
    url = feed_url(client_for(world.users["leader"]), "/my-sessions/calendar/")
    client.logout()
    body = client.get(url).content.decode()
    assert "STATUS:CANCELLED" in body and "Lovelace" not in body and "class trip" not in body


def test_session_details_are_audited_without_the_notes_text(world):
    from minipolice.audit.models import AuditEntry
    from minipolice.delivery.services import record_session_details

    session = session_on(world.cohort)
    record_session_details(
        acting_user=world.users["leader"],
        session=session,
        leaders=[world.users["leader"]],
        notes="Ada was upset",
    )
    entry = AuditEntry.objects.get(object_type="session", object_id=str(session.pk))
    assert entry.fields["notes"] == "(changed)"
    assert entry.fields["leaders_present"] == [[], [world.users["leader"].pk]]
    assert "upset" not in str(entry.fields)


def test_a_feed_token_is_stored_only_as_a_hash_and_shown_once(world, client_for, client):
    leader = client_for(world.users["leader"])
    url = feed_url(leader, "/my-sessions/calendar/")
    raw = url.removeprefix("/calendar/").removesuffix(".ics")

    feed = CalendarFeed.objects.get(user=world.users["leader"], unit=None)
    stored = {str(value) for value in vars(feed).values()}
    assert not any(raw in value for value in stored)
    assert feed.token_hash == hashlib.sha256(raw.encode()).hexdigest()

    again = leader.get("/my-sessions/calendar/").content.decode()
    assert raw not in again
    assert "cannot be shown again" in again
    client.logout()
    assert client.get(url).status_code == 200
