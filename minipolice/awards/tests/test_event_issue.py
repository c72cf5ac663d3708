"""Bulk issue of completion certificates for an event (#11): the children checked in at the
celebration day who reached the threshold in their cohort, one combined PDF, no duplicates.

An event's certificates are the cohorts' completion certificates handed over on the day: the
award stays per child and cohort, so issuing for the event and for the cohort, in either
order and as often as one likes, gives each child one award and one valid certificate.
"""

import pytest
from django.urls import reverse

from minipolice.audit.models import AuditEntry
from minipolice.awards.models import Award, BulkIssue, Certificate
from minipolice.awards.tests.helpers import add_child, attend, held_sessions
from minipolice.delivery.models import Session
from minipolice.events import services as events
from minipolice.events.models import EventPlace
from minipolice.events.tests.helpers import invite, make_event, trip_consent


def _start_url(event):
    return reverse("awards:event_bulk_issue_start", args=[event.pk])


@pytest.fixture
def day(world):
    """Four sessions held. Ada (4 of 4), Bea (3 of 4) and Cy (2 of 4, below 75 %) are checked
    in at the celebration day; Dee (4 of 4) had a place but did not come."""
    sessions = held_sessions(world.cohort, 4)
    kids = {"ada": world.child}
    for name in ("Bea", "Cy", "Dee"):
        kids[name.lower()] = add_child(world.cohort, name)
    for name, present in {"ada": 4, "bea": 3, "cy": 2, "dee": 4}.items():
        attend(sessions, kids[name], present)
    event = make_event(world, days=0)
    invitation = invite(world, event)
    for kid in kids.values():
        trip_consent(kid, event)
    events.choose_children(
        acting_user=None,
        invitation=invitation,
        children=list(kids.values()),
        editable_ids=[k.pk for k in kids.values()],
    )
    for name in ("ada", "bea", "cy"):
        place = EventPlace.objects.get(event=event, child=kids[name])
        events.record_checkin(acting_user=None, place=place, action="arrived")
    return {"event": event, **kids}


def _issue(client, event):
    response = client.post(_start_url(event))
    assert response.status_code == 302, response.content.decode()
    return BulkIssue.objects.latest("id"), response.url


def test_event_page_offers_the_issue_to_the_coordinator_only(world, client_for, day):
    url = reverse("events:event_detail", args=[day["event"].pk])
    link = _start_url(day["event"])
    assert link in client_for(world.users["coordinator"]).get(url).content.decode()
    for role in ("leader", "teacher", "area_lead"):
        assert link not in client_for(world.users[role]).get(url).content.decode(), role


def test_confirm_page_counts_the_checked_in_children_who_reached_it(world, client_for, day):
    page = client_for(world.users["coordinator"]).get(_start_url(day["event"])).content.decode()
    assert "2 children checked in at the event reached 75% attendance" in page


def test_issue_for_an_event_gives_the_checked_in_children_their_certificates(
    world, client_for, day, immediate
):
    client = client_for(world.users["coordinator"])
    job, url = _issue(client, day["event"])
    assert url == reverse("awards:bulk_issue_progress", args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.event_id, job.cohort_id) == ("done", day["event"].pk, None)
    assert (job.total, job.done, job.issued_count) == (2, 2, 2)
    awards = Award.objects.filter(kind="completion")
    assert set(awards.values_list("child__first_name", flat=True)) == {"Ada", "Bea"}
    assert set(awards.values_list("cohort_id", flat=True)) == {world.cohort.pk}
    page = client.get(url).content.decode()
    assert "Certificates issued" in page and "Download all 2 certificates" in page
    assert "Back to the event" in page and day["event"].title in page
    download = client.get(reverse("awards:bulk_issue_pdf", args=[job.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert download.content.startswith(b"%PDF")
    assert f"certificates-event-{day['event'].pk}-{job.pk}.pdf" in download["Content-Disposition"]
    export = AuditEntry.objects.get(action="export", object_type="bulkissue")
    assert export.fields["event_id"] == day["event"].pk
    started = AuditEntry.objects.get(action="create", object_type="bulkissue")
    assert started.fields == {"event_id": day["event"].pk}


def test_re_running_the_event_issue_issues_no_duplicates(world, client_for, day, immediate):
    client = client_for(world.users["coordinator"])
    first, _ = _issue(client, day["event"])
    second, _ = _issue(client, day["event"])
    assert first.pk != second.pk
    second.refresh_from_db()
    assert (second.status, second.total, second.issued_count) == ("done", 2, 0)
    assert second.certificates.count() == 2  # the same certificates, in the new PDF too
    assert Award.objects.count() == 2
    assert Certificate.objects.filter(status="valid").count() == 2


def test_a_cohort_issue_after_the_event_issue_adds_only_the_others(
    world, client_for, day, immediate
):
    client = client_for(world.users["coordinator"])
    _issue(client, day["event"])
    response = client.post(reverse("awards:bulk_issue_start", args=[world.cohort.pk]))
    assert response.status_code == 302
    job = BulkIssue.objects.latest("id")
    assert (job.cohort_id, job.total, job.issued_count) == (world.cohort.pk, 3, 1)  # Dee only
    per_child = list(Award.objects.values_list("child_id", flat=True))
    assert sorted(per_child) == sorted({day["ada"].pk, day["bea"].pk, day["dee"].pk})
    assert Certificate.objects.filter(status="valid").count() == 3


def test_an_event_issue_after_a_cohort_issue_adds_none(world, client_for, day, immediate):
    client = client_for(world.users["coordinator"])
    client.post(reverse("awards:bulk_issue_start", args=[world.cohort.pk]))
    job, _ = _issue(client, day["event"])
    job.refresh_from_db()
    assert (job.total, job.issued_count, job.certificates.count()) == (2, 0, 2)
    assert Certificate.objects.filter(status="valid").count() == 3


def test_a_child_checked_in_with_another_unit_is_not_issued_for_a_cohort_not_invited(
    world, client_for, day, immediate
):
    """Only the cohorts of the invited units count: a child who came with the invited unit
    is issued for that unit's cohort, never for some other cohort of theirs."""
    client = client_for(world.users["coordinator"])
    job, _ = _issue(client, day["event"])
    assert set(Award.objects.values_list("cohort__unit_id", flat=True)) == {world.unit.pk}


@pytest.mark.parametrize("role", ["leader", "teacher", "funder", "guardian", "area_lead"])
def test_others_cannot_issue_for_the_force_celebration_day(world, client_for, day, role):
    client = client_for(world.users[role])
    assert client.get(_start_url(day["event"])).status_code in (403, 404)
    assert client.post(_start_url(day["event"])).status_code in (403, 404)
    assert not BulkIssue.objects.exists()


def test_a_cancelled_event_is_not_issued_for(world, client_for, day):
    event = day["event"]
    type(event).objects.filter(pk=event.pk).update(status="cancelled")
    response = client_for(world.users["coordinator"]).post(_start_url(event))
    assert response.status_code == 404
    assert not BulkIssue.objects.exists()


def test_confirm_page_queries_do_not_grow_with_children(world, client_for, day):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.users["coordinator"])
    url = _start_url(day["event"])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    sessions = list(Session.objects.filter(cohort=world.cohort).order_by("date"))
    invitation = day["event"].invitations.get()
    more = [add_child(world.cohort, f"More{i}") for i in range(3)]
    for kid in more:
        attend(sessions, kid, 4)
        trip_consent(kid, day["event"])
    events.choose_children(
        acting_user=None,
        invitation=invitation,
        children=more + [day[n] for n in ("ada", "bea", "cy", "dee")],
        editable_ids=[k.pk for k in more],
    )
    for place in EventPlace.objects.filter(event=day["event"], child__in=more):
        events.record_checkin(acting_user=None, place=place, action="arrived")
    with CaptureQueriesContext(connection) as after:
        page = client.get(url).content.decode()
    assert "5 children checked in" in page
    assert len(after) == len(before), len(before)
