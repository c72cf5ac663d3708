"""In the demo, the coordinator issues the pilot cohort's completion certificates, downloads
the combined PDF, and anyone verifies one by the address in its QR code (#11)."""

from django.core.management import call_command
from django.urls import reverse

from minipolice.accounts.models import User
from minipolice.awards.models import BulkIssue, Certificate
from minipolice.awards.services import qr_url
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
