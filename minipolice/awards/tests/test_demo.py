"""In the demo, the coordinator issues the pilot cohort's completion certificates, downloads
the combined PDF, and anyone verifies one by the address in its QR code (#11)."""

from django.core.management import call_command
from django.urls import reverse

from minipolice.accounts.models import User
from minipolice.awards import services
from minipolice.awards.models import BulkIssue, Certificate
from minipolice.awards.services import qr_url
from minipolice.delivery.models import Session
from minipolice.events.models import Event, EventPlace
from minipolice.organisations.models import Cohort, Force


def test_the_demo_coordinator_issues_the_pilot_cohorts_certificates(
    db, settings, tmp_path, client, client_for, immediate
):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    force = Force.objects.get(short_name="avon-and-somerset")
    assert force.chief_constable_signature  # an invented signature
    pilot = Cohort.objects.filter(unit__school__name="Oasis Connaught School").earliest(
        "start_date"
    )
    coordinator = client_for(User.objects.get(email="coordinator@avon.example.org"))
    page = coordinator.get(reverse("awards:cohort_awards", args=[pilot.pk])).content.decode()
    assert "8 of 10 children have reached it" in page
    response = coordinator.post(reverse("awards:bulk_issue_start", args=[pilot.pk]))
    job = BulkIssue.objects.get()
    assert response.url == reverse("awards:bulk_issue_progress", args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.issued_count) == ("done", 8)
    download = coordinator.get(reverse("awards:bulk_issue_pdf", args=[job.pk]))
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    coordinator.logout()

    certificate = Certificate.objects.order_by("pk").first()
    scanned = client.get(
        qr_url("http://testserver/", certificate.code).replace("HTTP://TESTSERVER", "")
    )
    assert scanned.status_code == 302
    checked = client.get(scanned.url).content.decode()
    assert "This certificate is genuine" in checked
    assert f"{certificate.first_name} {certificate.last_name[0]}." in checked
    # Loading again changes nothing.
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert pilot.sessions.count() == 8


def test_the_demo_celebration_day_has_checked_in_children_who_completed(
    db, settings, tmp_path, client_for, immediate
):
    """The celebration day's check-ins include children who reached the threshold in their
    cohort: the coordinator issues their certificates for the day, and a second load of the
    demo adds no register."""
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    event = Event.objects.get(title="Mini Police celebration day")
    checked_in = EventPlace.objects.filter(event=event, checked_in_at__isnull=False).count()
    pairs = services.event_completion_pairs(event, services.threshold_of(event.force))
    assert 0 < len(pairs) < checked_in  # most reached it, not all
    coordinator = client_for(User.objects.get(email="coordinator@avon.example.org"))
    assert (
        "Issue completion certificates"
        in coordinator.get(event.get_absolute_url()).content.decode()
    )
    response = coordinator.post(reverse("awards:event_bulk_issue_start", args=[event.pk]))
    job = BulkIssue.objects.get(event=event)
    assert response.url == job.get_absolute_url()
    job.refresh_from_db()
    assert (job.status, job.issued_count) == ("done", len(pairs))
    sessions = Session.objects.count()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Session.objects.count() == sessions
