"""Staff record consent from paper forms; the child's page shows the standing answers and the
history keeps every answer."""

import datetime
import re

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
    assert "Enter which trip or visit the form is for" in response.content.decode()
    client.post(url, paper(world, kind="trip", trip="Bristol Zoo, 12 June"))
    assert enforcement.may_go_on_trip(world.child, "Bristol Zoo, 12 June")
    assert not enforcement.may_go_on_trip(world.child, "Cheddar Gorge")


def error_summary(page: str) -> list[tuple[str, str]]:
    """The error summary's links: (target id, message)."""
    summary = page.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)


def test_the_error_summary_names_every_field_and_links_to_it(world, client_for):
    client = client_for(world.users["teacher"])
    url = f"/consent/children/{world.child.pk}/record/"
    page = client.post(url, {"given_by": ""}).content.decode()
    errors = error_summary(page)
    messages = [message for _, message in errors]
    assert "This field is required." not in page
    assert "Choose what the consent is for" in messages
    assert "Choose what the form said: granted, refused or withdrawn" in messages
    assert "Enter the name of the person who signed the form" in messages
    assert any("date on the form" in message for message in messages)
    for target, _ in errors:
        assert f'id="{target}"' in page, target


def test_photo_consent_granted_without_uses_is_an_error_naming_the_field(world, client_for):
    client = client_for(world.users["teacher"])
    url = f"/consent/children/{world.child.pk}/record/"
    page = client.post(url, paper(world, kind="media")).content.decode()
    assert error_summary(page) == [
        ("id_media_uses", "Choose at least one use of photos the form agrees to")
    ]
    assert not Consent.objects.exists()


def test_a_participation_consent_ignores_trip_and_photo_fields(world, client_for):
    """Without JavaScript the revealed fields stay on the page; what does not apply is ignored."""
    client = client_for(world.users["teacher"])
    url = f"/consent/children/{world.child.pk}/record/"
    response = client.post(url, paper(world, trip="Zoo", media_uses=["press"]))
    assert response.status_code == 302
    consent = Consent.objects.get(child=world.child)
    assert (consent.kind, consent.trip_reference, consent.media_uses) == ("participation", "", [])


def test_a_refused_photo_consent_ignores_the_uses(world, client_for):
    client = client_for(world.users["teacher"])
    url = f"/consent/children/{world.child.pk}/record/"
    client.post(url, paper(world, kind="media", status="refused", media_uses=["press"]))
    consent = Consent.objects.get(child=world.child)
    assert (consent.status, consent.media_uses) == ("refused", [])


def test_trip_and_photo_fields_are_revealed_only_by_their_choice(world, client_for):
    client = client_for(world.users["teacher"])
    page = client.get(f"/consent/children/{world.child.pk}/record/").content.decode()
    for value, panel, field in (
        ("media", "conditional-kind-media", 'name="media_uses"'),
        ("trip", "conditional-kind-trip", 'name="trip"'),
    ):
        radio = re.search(rf'<input[^>]*name="kind"[^>]*value="{value}"[^>]*>', page).group(0)
        assert f'data-aria-controls="{panel}"' in radio
        start = page.index(f'id="{panel}"')
        revealed = page[page.rindex("<div", 0, start) : page.index("</fieldset>", start)]
        assert "govuk-radios__conditional govuk-radios__conditional--hidden" in revealed
        assert field in revealed
    assert "Which trip or visit?" in page
    assert "event:" not in page and "reference" not in page.lower()


def test_a_trip_written_differently_is_the_same_trip(world, client_for):
    client = client_for(world.users["teacher"])
    url = f"/consent/children/{world.child.pk}/record/"
    client.post(url, paper(world, kind="trip", trip="Bristol Zoo"))
    client.post(url, paper(world, kind="trip", trip="  bristol   ZOO ", status="withdrawn"))
    assert set(Consent.objects.values_list("trip_reference", flat=True)) == {"Bristol Zoo"}
    assert not enforcement.may_go_on_trip(world.child, "Bristol Zoo")


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
