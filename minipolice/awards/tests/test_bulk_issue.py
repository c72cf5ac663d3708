"""Bulk issue of completion certificates for a cohort (#11): confirm → progress → PDFs.

The task runs through Django's tasks API: with the database backend and `manage.py
task_worker` as in production, or ImmediateBackend. Completion follows the force's threshold
of held sessions; re-running issues no duplicate; a corrected name is re-issued, and the old
code then says "replaced".
"""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from minipolice.audit.models import AuditEntry
from minipolice.awards.models import Award, AwardSettings, BulkIssue, Certificate
from minipolice.awards.tests.helpers import add_child, attend, held_sessions
from minipolice.people import services as people


def _issue(client, cohort):
    response = client.post(reverse("awards:bulk_issue_start", args=[cohort.pk]))
    assert response.status_code == 302, response.content.decode()
    return BulkIssue.objects.latest("id"), response.url


@pytest.fixture
def term(world):
    """Four sessions held; Ada came to all four, Bea to three (75 %), Cy to two (50 %)."""
    sessions = held_sessions(world.cohort, 4)
    bea = add_child(world.cohort, "Bea")
    cy = add_child(world.cohort, "Cy")
    attend(sessions, world.child, 4)
    attend(sessions, bea, 3)
    attend(sessions, cy, 2)
    return {"ada": world.child, "bea": bea, "cy": cy, "sessions": sessions}


def test_cohort_page_shows_attendance_against_the_threshold(world, client_for, term):
    html = client_for(world.users["coordinator"]).get(
        reverse("awards:cohort_awards", args=[world.cohort.pk])
    )
    text = html.content.decode()
    assert "75% of the sessions held (4 so far). 2 of 3 children have reached it." in text
    assert "4 of 4" in text and "3 of 4" in text and "2 of 4" in text
    assert "Issue completion certificates" in text


def test_confirm_page_counts_the_children_who_reached_the_threshold(world, client_for, term):
    page = client_for(world.users["area_lead"]).get(
        reverse("awards:bulk_issue_start", args=[world.cohort.pk])
    )
    assert "2 children reached 75% attendance" in page.content.decode()


def test_bulk_issue_gives_completion_to_those_who_reached_it_and_one_pdf(
    world, client_for, term, immediate
):
    client = client_for(world.users["coordinator"])
    job, url = _issue(client, world.cohort)
    assert url == reverse("awards:bulk_issue_progress", args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.total, job.done, job.issued_count) == ("done", 2, 2, 2)
    awarded = set(
        Award.objects.filter(kind="completion").values_list("child__first_name", flat=True)
    )
    assert awarded == {"Ada", "Bea"}
    page = client.get(url).content.decode()
    assert "Certificates issued" in page and "Download all 2 certificates" in page
    assert "Ada Lovelace (PDF)" in page and "Bea Tester (PDF)" in page
    download = client.get(reverse("awards:bulk_issue_pdf", args=[job.pk]))
    assert download["Content-Type"] == "application/pdf"
    pdf = download.content
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") >= 2
    one = client.get(
        reverse("awards:certificate_pdf", args=[Award.objects.get(child=term["bea"]).pk])
    )
    assert one.status_code == 200 and one.content.startswith(b"%PDF")
    # Issue and downloads are audited by id, never by name.
    issued = AuditEntry.objects.filter(action="issue", object_type="certificate")
    assert issued.count() == 2
    assert {e.fields["child_id"] for e in issued} == {world.child.pk, term["bea"].pk}
    assert AuditEntry.objects.filter(action="export", object_type="bulkissue").count() == 1
    assert AuditEntry.objects.filter(action="export", object_type="certificate").count() == 1
    assert not AuditEntry.objects.filter(object_label__icontains="Lovelace").exists()


def test_running_it_again_issues_no_duplicates(world, client_for, term, immediate):
    client = client_for(world.users["coordinator"])
    first, _ = _issue(client, world.cohort)
    codes = set(Certificate.objects.values_list("code", flat=True))
    second, url = _issue(client, world.cohort)
    assert second.pk != first.pk
    second.refresh_from_db()
    assert (second.status, second.total, second.issued_count) == ("done", 2, 0)
    assert set(Certificate.objects.values_list("code", flat=True)) == codes
    assert Award.objects.count() == 2
    assert "0 new, 2 in all" in client.get(url).content.decode()


def test_a_lower_threshold_on_the_settings_page_adds_the_children_it_now_covers(
    world, client_for, term, immediate
):
    client = client_for(world.users["coordinator"])
    _issue(client, world.cohort)
    response = client.post(
        reverse("awards:certificate_settings"),
        {
            "chief_constable_name": "Chief Constable Test",
            "brand_colour": "#123456",
            "completion_threshold": "50",
            "event_children_per_adult": "6",
        },
    )
    assert response.status_code == 302
    assert AwardSettings.objects.get(force=world.force).completion_threshold == 50
    job, _ = _issue(client, world.cohort)
    job.refresh_from_db()
    assert (job.total, job.issued_count) == (3, 1)
    assert AuditEntry.objects.filter(
        action="update", object_type="force", fields__completion_threshold=[75, 50]
    ).exists()


def test_no_session_held_means_no_completion(world, client_for, immediate):
    client = client_for(world.users["coordinator"])
    job, _ = _issue(client, world.cohort)
    job.refresh_from_db()
    assert (job.status, job.total) == ("done", 0)
    assert not Award.objects.exists()


def test_a_corrected_name_is_issued_again_and_the_old_code_says_replaced(
    world, client_for, term, immediate
):
    client = client_for(world.users["coordinator"])
    _issue(client, world.cohort)
    award = Award.objects.get(child=world.child)
    old = award.certificates.get()
    people.update_child(acting_user=None, child=world.child, first_name="Adah")
    response = client.post(reverse("awards:certificate_reissue", args=[award.pk]))
    assert response.status_code == 302
    old.refresh_from_db()
    new = award.certificates.get(status="valid")
    assert (old.status, old.replaced_by_id, new.first_name) == ("replaced", new.pk, "Adah")
    assert (
        "This certificate was replaced"
        in client.get(reverse("awards:verify", args=[old.code])).content.decode()
    )
    assert "Adah L." in client.get(reverse("awards:verify", args=[new.code])).content.decode()
    assert AuditEntry.objects.filter(action="reissue", object_id=str(new.pk)).exists()


def test_progress_page_shows_a_bar_and_refreshes_itself_while_waiting(
    world, client_for, term, database_tasks
):
    client = client_for(world.users["coordinator"])
    job, url = _issue(client, world.cohort)
    job.refresh_from_db()
    assert job.status == "queued" and job.task_id
    page = client.get(url).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page  # without JavaScript
    assert f'hx-get="{url}"' in page and 'hx-trigger="every 1s"' in page
    assert "<progress" in page and "Waiting to start." in page
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.startswith('<div id="bulk-issue-progress"') and "<html" not in fragment
    # A second confirmation (another tab) while it waits starts nothing new.
    again, again_url = _issue(client, world.cohort)
    assert again.pk == job.pk and again_url == url
    assert BulkIssue.objects.count() == 1
    BulkIssue.objects.filter(pk=job.pk).update(status="running", total=40, done=10)
    assert "10 of 40 children" in client.get(url, headers={"HX-Request": "true"}).content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_worker_issues_a_queued_job_and_the_page_offers_the_download(settings):
    from django.test import Client

    from conftest import build_world

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    world = build_world()
    sessions = held_sessions(world.cohort, 2)
    attend(sessions, world.child, 2)
    client = Client()
    client.force_login(world.users["coordinator"])
    session = client.session
    session["mfa_enrolled"] = True
    session.save()
    job, url = _issue(client, world.cohort)
    call_command("task_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    job.refresh_from_db()
    assert job.status == "done" and job.issued_count == 1
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"
    assert "Download all 1 certificates" in client.get(url).content.decode()


def test_leader_and_teacher_cannot_bulk_issue(world, client_for, term):
    for role in ("leader", "teacher"):
        client = client_for(world.users[role])
        response = client.post(reverse("awards:bulk_issue_start", args=[world.cohort.pk]))
        assert response.status_code == 403, role
        client.logout()
    assert not BulkIssue.objects.exists()
