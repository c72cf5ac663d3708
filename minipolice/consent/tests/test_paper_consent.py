"""Staff record consent from paper forms; the child's page shows the standing answers and the
history keeps every answer."""

import datetime

from django.utils import timezone

from minipolice.audit.models import AuditEntry
from minipolice.consent import enforcement
from minipolice.consent.models import Consent
from minipolice.consent.services import record_consent


def paper(world, **fields):
    data = {
        "kind": "participation",
        "status": "granted",
        "given_by": str(world.guardian.pk),
        "given_on": timezone.localdate().isoformat(),
    }
    data.update(fields)
    return data


def test_teacher_records_a_paper_form_and_it_is_audited(world, client_for):
    client = client_for(world.users["teacher"])
    url = f"/consent/children/{world.child.pk}/record/"
    response = client.post(url, paper(world))
    assert response["Location"] == f"/consent/children/{world.child.pk}/"
    consent = Consent.objects.get(child=world.child)
    assert (consent.method, consent.status, consent.given_by) == (
        "paper",
        "granted",
        world.guardian,
    )
    assert consent.recorded_by == world.users["teacher"]
    assert AuditEntry.objects.filter(object_type="consent", object_id=str(consent.pk)).exists()
    assert enforcement.may_attend(world.child)


def test_paper_form_for_photos_needs_its_uses(world, client_for):
    client = client_for(world.users["leader"])
    url = f"/consent/children/{world.child.pk}/record/"
    response = client.post(url, paper(world, kind="media"))
    assert response.status_code == 200
    assert "Choose at least one use of photos" in response.content.decode()
    client.post(url, paper(world, kind="media", media_uses=["internal", "school_newsletter"]))
    assert enforcement.may_use_media(world.child, "school_newsletter")
    assert not enforcement.may_use_media(world.child, "press")


def test_a_trip_consent_names_its_trip(world, client_for):
    client = client_for(world.users["teacher"])
    url = f"/consent/children/{world.child.pk}/record/"
    response = client.post(url, paper(world, kind="trip"))
    assert "Enter the trip or outing" in response.content.decode()
    client.post(url, paper(world, kind="trip", trip_reference="event:7"))
    assert enforcement.may_go_on_trip(world.child, "event:7")
    assert not enforcement.may_go_on_trip(world.child, "event:8")


def test_someone_not_listed_can_sign_but_must_be_named(world, client_for):
    client = client_for(world.users["teacher"])
    url = f"/consent/children/{world.child.pk}/record/"
    response = client.post(url, paper(world, given_by=""))
    assert "Enter the name of the person who signed" in response.content.decode()
    client.post(url, paper(world, given_by="", given_by_name="Grandma Byron"))
    assert Consent.objects.get(child=world.child).given_by_name == "Grandma Byron"


def test_an_older_paper_form_does_not_override_a_later_answer(world, client_for):
    record_consent(
        acting_user=world.users["guardian"],
        child=world.child,
        kind="participation",
        status="withdrawn",
        method="portal",
        given_by=world.guardian,
    )
    client = client_for(world.users["teacher"])
    last_week = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()
    response = client.post(
        f"/consent/children/{world.child.pk}/record/", paper(world, given_on=last_week), follow=True
    )
    assert "an answer given after the date on this form still stands" in response.content.decode()
    assert not enforcement.may_attend(world.child)
    assert world.child.consents.count() == 2


def test_a_form_dated_in_the_future_is_refused(world, client_for):
    client = client_for(world.users["teacher"])
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(
        f"/consent/children/{world.child.pk}/record/", paper(world, given_on=tomorrow)
    )
    assert "cannot be in the future" in response.content.decode()
    assert not Consent.objects.exists()


def test_child_page_shows_standing_consents_and_the_history_keeps_every_answer(world, client_for):
    now = timezone.now()
    for status, days in (("granted", 20), ("withdrawn", 2)):
        record_consent(
            acting_user=world.users["teacher"],
            child=world.child,
            kind="media",
            status=status,
            method="paper",
            given_by=world.guardian,
            media_uses=["press"] if status == "granted" else (),
            given_at=now - datetime.timedelta(days=days),
        )
    client = client_for(world.users["leader"])
    page = client.get(f"/children/{world.child.pk}/").content.decode()
    assert "Withdrawn" in page and "Not answered" in page
    assert "Record consent (paper form)" in page
    history = client.get(f"/consent/children/{world.child.pk}/").content.decode()
    assert history.count("Paper form (recorded by staff)") == 2
    assert "Granted" in history and "Withdrawn" in history


def test_lapsed_leader_cannot_record_consent(world, client_for):
    client = client_for(world.users["lapsed_leader"])
    url = f"/consent/children/{world.child.pk}/record/"
    assert client.get(url).status_code == 403
    assert client.post(url, paper(world)).status_code == 403
    assert not Consent.objects.exists()
