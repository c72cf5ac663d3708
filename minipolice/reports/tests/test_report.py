"""The PDF impact report (#13): asked for on a force's dashboard, drawn by the task worker,
downloaded by coordinators, funders and national viewers. It names no child, rounds children
as for a funder whoever asks, and carries only photos that may still be shown."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from minipolice.audit.models import AuditEntry
from minipolice.consent.services import record_consent
from minipolice.lib.tests.pdf_text import pdf_text as read_pdf_text
from minipolice.people import services as people
from minipolice.public import services as stories
from minipolice.public.models import StoryPhoto
from minipolice.public.tests.conftest import image_upload
from minipolice.reports import pdf as report_pdf
from minipolice.reports.models import ImpactReport
from minipolice.reports.periods import current_school_year

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf_text(document: bytes) -> str:
    """The text drawn on the PDF's pages, as a reader sees it (the fonts are embedded
    TrueType: pypdf follows their ToUnicode maps)."""
    return " ".join(read_pdf_text(document).split())


def _dates(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def _ask(client, world, start=None, end=None):
    first, last = current_school_year()
    data = {**_dates("start", start or first), **_dates("end", end or last)}
    return client.post(reverse("reports:report_start", args=[world.force.pk]), data)


def _published_story(world, child):
    record_consent(
        acting_user=None, child=child, kind="media", status="granted", method="paper",
        media_uses=["internal", "force_website"],
    )  # fmt: skip
    story = stories.create_story(
        acting_user=None, unit=world.unit, title="Leaflet drop on Elm Road", body="We posted."
    )
    photo = stories.add_story_photo(
        acting_user=world.users["leader"],
        story=story,
        image=image_upload(),
        caption="Posting a leaflet",
        children=[child],
    )
    stories.publish_story(acting_user=None, story=story)
    return photo


def test_date_fields_are_posted_in_parts(world, client_for):
    """The form's date fields are day, month and year boxes (as the GOV.UK pattern has them)."""
    page = client_for(world.users["coordinator"]).get(
        reverse("reports:report_start", args=[world.force.pk])
    )
    html = page.content.decode()
    assert 'name="start_0"' in html and 'name="end_2"' in html


def test_a_coordinator_asks_for_the_report_and_downloads_it(world, client_for, settings):
    settings.TASKS = IMMEDIATE_TASKS
    client = client_for(world.users["coordinator"])
    response = _ask(client, world)
    report = ImpactReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:report_progress", args=[report.pk])
    assert report.status == "done" and report.done == report.total

    page = client.get(response["Location"]).content.decode()
    assert "Impact report ready" in page
    download = client.get(reverse("reports:report_pdf", args=[report.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "no-store" in download["Cache-Control"]
    assert "impact-report-testshire-" in download["Content-Disposition"]
    text = pdf_text(download.content)
    for part in ("Testshire Police", "Mini Police impact report", "Headline figures",
                 "Units by status at the end of each term", "Survey change", "Community reach",
                 "Method and small numbers"):  # fmt: skip
        assert part in text, part
    assert AuditEntry.objects.filter(
        action="export", object_type="impactreport", object_id=str(report.pk)
    ).exists()


def test_the_report_names_no_child_and_rounds_children_whoever_asks(world, client_for, settings):
    """The world's cohort has one child: the coordinator's dashboard shows 1, the report
    (written to be passed on) shows "fewer than 5"."""
    settings.TASKS = IMMEDIATE_TASKS
    client = client_for(world.users["coordinator"])
    _ask(client, world)
    document = client.get(reverse("reports:report_pdf", args=[ImpactReport.objects.get().pk]))
    text = pdf_text(document.content)
    assert "Children reached fewer than 5" in text
    for name in (world.child.first_name, world.child.last_name, world.other_child.first_name):
        assert name not in text


def test_bad_dates_re_display_with_an_error_summary_and_make_nothing(world, client_for):
    client = client_for(world.users["coordinator"])
    first, last = current_school_year()
    response = _ask(client, world, start=last, end=first)
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "The end date must be on or after the start date." in html
    assert 'value="' + str(last.year) + '"' in html  # what was typed is kept
    response = client.post(
        reverse("reports:report_start", args=[world.force.pk]),
        {"start_0": "31", "start_1": "2", "start_2": "2026", **_dates("end", last)},
    )
    assert "The first date must be a real date" in response.content.decode()
    assert not ImpactReport.objects.exists()


def test_a_second_click_finds_the_report_already_being_drawn(world, client_for, settings):
    settings.TASKS = DATABASE_TASKS
    client = client_for(world.users["coordinator"])
    first = _ask(client, world)
    second = _ask(client_for(world.users["funder"]), world)
    assert first["Location"] == second["Location"]
    report = ImpactReport.objects.get()
    assert report.status == "queued" and report.task_id
    page = client.get(first["Location"], headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in page and "0 of 6 parts drawn" in page
    assert "<html" not in page  # the fragment alone for htmx
    assert 'http-equiv="refresh"' in client.get(first["Location"]).content.decode()
    # Not drawn yet: nothing to download.
    assert client.get(reverse("reports:report_pdf", args=[report.pk])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_report_whose_worker_was_killed_is_drawn_again_by_the_restarted_worker(settings):
    import datetime

    from django_tasks_db.models import DBTaskResult

    from conftest import build_world
    from minipolice.lib.tests.threads import signed_in_client

    settings.TASKS = DATABASE_TASKS
    world = build_world()
    client = signed_in_client(world.users["coordinator"])
    _ask(client, world)
    report = ImpactReport.objects.get()
    # A worker took the task, began drawing and was killed (SIGKILL: nothing ran after) an
    # hour ago.
    task = DBTaskResult.objects.get(id=report.task_id)
    task.claim("killed-worker")
    DBTaskResult.objects.filter(id=task.id).update(
        started_at=task.started_at - datetime.timedelta(hours=1)
    )
    ImpactReport.objects.filter(pk=report.pk).update(status="running", done=2)

    # The restarted worker's housekeeping runs first, then it works through the queue.
    call_command("task_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    report.refresh_from_db()
    assert report.status == "done" and report.pdf
    assert report.task_id != str(task.id)
    task.refresh_from_db()
    assert task.status == "FAILED"
    assert DBTaskResult.objects.get(id=report.task_id).status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
def test_the_task_worker_draws_a_queued_report(settings):
    from conftest import build_world
    from minipolice.lib.tests.threads import signed_in_client

    settings.TASKS = DATABASE_TASKS
    world = build_world()
    client = signed_in_client(world.users["coordinator"])
    location = _ask(client, world)["Location"]
    call_command("task_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    report = ImpactReport.objects.get()
    assert report.status == "done"
    assert "Download the impact report (PDF)" in client.get(location).content.decode()


def test_a_consented_story_photo_is_in_the_report_and_one_whose_consent_ended_is_not(
    world, client_for, settings
):
    settings.TASKS = IMMEDIATE_TASKS
    shown = _published_story(world, world.child)
    other = people.add_child_to_cohort(
        acting_user=None, cohort=world.cohort, first_name="Kai", last_name="Ahmed", year_group=5
    )
    hidden = _published_story(world, other)
    record_consent(acting_user=None, child=other, kind="media", status="withdrawn", method="paper")
    _ask(client_for(world.users["coordinator"]), world)
    report = ImpactReport.objects.get()
    assert report.photo_ids == [shown.pk]
    assert hidden.pk not in report.photo_ids
    text = pdf_text(bytes(report.pdf))
    assert "Stories from the units" in text and "Leaflet drop on Elm Road" in text
    assert b"/Subtype /Image" in bytes(report.pdf)
    assert "Kai" not in text and world.child.first_name not in text


def test_a_story_taken_down_is_checked_again_at_download(world, client_for, settings):
    """A story taken down without a consent change leaves the stored PDF in place until
    someone downloads it: the download checks its photos and drops it."""
    settings.TASKS = IMMEDIATE_TASKS
    _published_story(world, world.child)
    client = client_for(world.users["funder"])
    _ask(client, world)
    report = ImpactReport.objects.get()
    stories.unpublish_story(acting_user=None, story=StoryPhoto.objects.get().story)
    response = client.get(reverse("reports:report_pdf", args=[report.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.pdf is None
    page = client.get(response["Location"]).content.decode()
    assert "Make this report again" in page
    assert client.get(reverse("reports:report_pdf", args=[report.pk])).status_code == 302
    # Drawn again, it leaves the photo out.
    _ask(client, world)
    again = ImpactReport.objects.latest("pk")
    assert again.pk != report.pk and again.photo_ids == []


def test_a_failed_drawing_says_so_and_can_be_asked_for_again(
    world, client_for, settings, monkeypatch
):
    settings.TASKS = DATABASE_TASKS
    client = client_for(world.users["coordinator"])
    location = _ask(client, world)["Location"]

    def broken(*args, **kwargs):
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(report_pdf, "render", broken)
    from minipolice.reports.services import draw_impact_report

    with pytest.raises(RuntimeError):
        draw_impact_report(report_id=ImpactReport.objects.get().pk)
    page = client.get(location).content.decode()
    assert "The report was not made" in page and "Ask for it again" in page
    monkeypatch.undo()
    assert _ask(client, world)["Location"] != location  # a new report, not the failed one


def test_a_funder_reads_the_report_a_coordinator_asked_for(world, client_for, settings):
    settings.TASKS = IMMEDIATE_TASKS
    _ask(client_for(world.users["coordinator"]), world)
    report = ImpactReport.objects.get()
    funder = client_for(world.users["funder"])
    page = funder.get(reverse("reports:report_start", args=[world.force.pk])).content.decode()
    assert reverse("reports:report_progress", args=[report.pk]) in page  # recent reports
    assert funder.get(reverse("reports:report_pdf", args=[report.pk])).status_code == 200


@pytest.mark.parametrize("role", ["area_lead", "leader", "teacher", "guardian"])
def test_roles_without_the_report_cannot_ask_for_it(world, client_for, role):
    response = _ask(client_for(world.users[role]), world)
    assert response.status_code == 403
    assert not ImpactReport.objects.exists()


def test_another_forces_coordinator_cannot_ask_for_or_read_the_report(world, client_for, settings):
    settings.TASKS = IMMEDIATE_TASKS
    _ask(client_for(world.users["coordinator"]), world)
    report = ImpactReport.objects.get()
    outsider = client_for(world.users["outsider"])
    assert _ask(outsider, world).status_code == 404
    assert outsider.get(reverse("reports:report_progress", args=[report.pk])).status_code == 404
    assert outsider.get(reverse("reports:report_pdf", args=[report.pk])).status_code == 404
    assert ImpactReport.objects.count() == 1


def test_the_dashboard_links_to_the_report_for_its_dates(world, client_for):
    client = client_for(world.users["coordinator"])
    page = client.get(reverse("reports:force_dashboard", args=[world.force.pk]))
    first, last = current_school_year()
    link = f"{reverse('reports:report_start', args=[world.force.pk])}?start={first}&amp;end={last}"
    assert link in page.content.decode()
    form = client.get(f"{reverse('reports:report_start', args=[world.force.pk])}?start={first}")
    assert f'value="{first.year}"' in form.content.decode()


def test_a_withdrawn_consent_drops_the_stored_pdf_at_once(world, client_for, settings):
    """Not only at the next download: the bytes with the photo are not kept."""
    settings.TASKS = IMMEDIATE_TASKS
    _published_story(world, world.child)
    _ask(client_for(world.users["coordinator"]), world)
    record_consent(
        acting_user=None, child=world.child, kind="media", status="withdrawn", method="paper"
    )
    report = ImpactReport.objects.get()
    assert report.pdf is None and report.status == "done"


def test_erasing_a_child_drops_the_stored_pdf_with_their_photo(world, client_for, settings):
    settings.TASKS = IMMEDIATE_TASKS
    _published_story(world, world.child)
    _ask(client_for(world.users["coordinator"]), world)
    people.erase_child(
        acting_user=world.users["coordinator"], child=world.child, reason="Parent asked"
    )
    assert ImpactReport.objects.get().pdf is None


def test_a_report_without_photos_keeps_its_pdf_when_consent_changes(world, client_for, settings):
    settings.TASKS = IMMEDIATE_TASKS
    _ask(client_for(world.users["coordinator"]), world)
    record_consent(
        acting_user=None, child=world.child, kind="media", status="withdrawn", method="paper"
    )
    assert ImpactReport.objects.get().pdf is not None
