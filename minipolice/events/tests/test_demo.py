"""The demo's celebration day (minipolice/events/demo.py), loaded by `manage.py load_demo`."""

from django.core.management import call_command

from minipolice.accounts.models import User
from minipolice.consent.models import Consent
from minipolice.events.models import Event, EventPlace


def test_demo_has_the_celebration_day_with_places_a_refusal_a_portal_consent_and_check_ins(
    db, settings, tmp_path, client
):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo")
    event = Event.objects.get(title="Mini Police celebration day")
    assert event.status == "confirmed" and event.risk_assessment.is_signed_off
    schools = set(event.invitations.values_list("unit__school__name", flat=True))
    assert len(schools) == 8 and "Oasis Connaught School" in schools
    places = EventPlace.objects.filter(event=event, status="place")
    assert 50 < places.count() <= event.capacity
    assert places.filter(checked_in_at__isnull=False).count() == 6
    refused = Consent.objects.get(trip_reference=event.trip_reference, status="refused")
    assert not EventPlace.objects.filter(event=event, child=refused.child).exists()
    portal = Consent.objects.get(trip_reference=event.trip_reference, method="portal")
    assert portal.child.first_name == "Mia"
    assert places.filter(child=portal.child).exists()

    # The demo leader sees the refused child's reason on their unit's invitation.
    leader = User.objects.get(email="leader@avon.example.org")
    client.force_login(leader)
    session = client.session
    session["mfa_enrolled"] = True
    session.save()
    invitation = event.invitations.get(unit__school__name="Oasis Connaught School")
    page = client.get(f"/events/invitations/{invitation.pk}/").content.decode()
    assert "Cannot have a place: Consent for trip or outing was refused" in page
    assert "Cannot have a place: No consent recorded for trip or outing" in page  # Leo

    before = EventPlace.objects.count()
    call_command("load_demo")
    assert EventPlace.objects.count() == before
