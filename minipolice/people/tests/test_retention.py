"""The retention rule anonymises children (and guardians left without a child) N months after
their last cohort ended, never anyone inside the window, and records what it did.

Time is frozen by passing `today` to the service, or by patching timezone.now for the command
and the task, so these tests give the same answer on SQLite and PostgreSQL on any day.
"""

import datetime
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from minipolice.accounts.models import RoleAssignment, User
from minipolice.audit.models import AuditEntry
from minipolice.consent.models import Consent
from minipolice.consent.services import record_consent
from minipolice.organisations import services as org
from minipolice.people import retention
from minipolice.people import services as people
from minipolice.people.models import Child, Enrolment, Guardian, RetentionRun

TODAY = datetime.date(2027, 3, 31)  # the end of a month: "12 months before" must clamp well


def cohort_ending(world, end: datetime.date, name: str, unit=None):
    return org.create_cohort(
        acting_user=None,
        unit=unit or world.unit,
        name=name,
        start_date=end - datetime.timedelta(days=200),
        end_date=end,
    )


def child_in(cohort, first, guardian=None):
    child = people.add_child_to_cohort(
        acting_user=None,
        cohort=cohort,
        first_name=first,
        last_name="Family",
        year_group=5,
        leader_notes="Needs a quiet space.",
    )
    if guardian is not None:
        people.link_guardian(acting_user=None, child=child, guardian=guardian)
    return child


def guardian(world, name, email):
    return people.create_guardian(acting_user=None, force=world.force, name=name, email=email)


@pytest.fixture
def boundary(world):
    """Children whose last cohort ended exactly 12 months before TODAY, and one day more."""
    exactly = cohort_ending(world, datetime.date(2026, 3, 31), "Ended exactly 12 months ago")
    day_more = cohort_ending(world, datetime.date(2026, 3, 30), "Ended a day before that")
    return {
        "kept": child_in(exactly, "Kept", guardian(world, "Kept Parent", "kept@example.com")),
        "due": child_in(day_more, "Due", guardian(world, "Due Parent", "due@example.com")),
    }


def test_months_before_clamps_to_the_end_of_a_shorter_month():
    assert retention.months_before(datetime.date(2027, 3, 31), 1) == datetime.date(2027, 2, 28)
    assert retention.months_before(datetime.date(2028, 3, 31), 1) == datetime.date(2028, 2, 29)
    assert retention.months_before(datetime.date(2027, 3, 31), 12) == datetime.date(2026, 3, 31)
    assert retention.months_before(datetime.date(2027, 1, 15), 13) == datetime.date(2025, 12, 15)


def test_nobody_inside_the_window_is_touched_and_the_day_after_they_are(world, boundary):
    run = people.apply_retention(today=TODAY)
    kept, due = (Child.objects.get(pk=boundary[k].pk) for k in ("kept", "due"))
    assert kept.anonymised_at is None and kept.first_name == "Kept"
    assert kept.leader_notes == "Needs a quiet space."
    assert due.anonymised_at is not None
    assert (due.first_name, due.last_name, due.leader_notes) == ("Anonymised", "", "")
    assert run.child_ids == [due.pk]
    # The children of the shared world (cohorts not ended) are never due.
    world.child.refresh_from_db()
    assert world.child.anonymised_at is None

    # A day later, the child on the boundary is due too.
    people.apply_retention(today=TODAY + datetime.timedelta(days=1))
    assert Child.objects.get(pk=boundary["kept"].pk).anonymised_at is not None


def test_a_child_with_a_later_cohort_is_kept(world):
    old = cohort_ending(world, datetime.date(2024, 7, 19), "Long ago")
    child = child_in(old, "Returner")
    people.enrol_child(acting_user=None, child=child, cohort=world.cohort)  # not ended
    people.apply_retention(today=TODAY)
    child.refresh_from_db()
    assert child.anonymised_at is None


def test_each_force_keeps_data_for_its_own_number_of_months(world):
    world.other_force.retention_months = 6
    world.other_force.save(update_fields=["retention_months"])
    seven_months_ago = datetime.date(2026, 8, 30)
    ours = child_in(cohort_ending(world, seven_months_ago, "Ours"), "Ours")
    theirs = child_in(
        cohort_ending(world, seven_months_ago, "Theirs", unit=world.other_unit), "Theirs"
    )
    people.apply_retention(today=TODAY)
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert ours.anonymised_at is None  # 12 months in Testshire
    assert theirs.anonymised_at is not None  # 6 months in Otherton


def test_guardians_are_anonymised_only_when_they_have_no_other_child(world, boundary):
    # The due child's parent also has a child in a cohort that has not ended.
    sibling_parent = guardian(world, "Busy Parent", "busy@example.com")
    old = cohort_ending(world, datetime.date(2025, 7, 18), "Old")
    child_in(old, "Older", sibling_parent)
    people.link_guardian(acting_user=None, child=world.child, guardian=sibling_parent)
    people.apply_retention(today=TODAY)
    due_parent = Guardian.objects.get(email="", name="Anonymised")
    assert due_parent.phone == "" and due_parent.anonymised_at is not None
    sibling_parent.refresh_from_db()
    assert sibling_parent.anonymised_at is None and sibling_parent.name == "Busy Parent"
    assert Guardian.objects.get(email="kept@example.com").anonymised_at is None


def test_aggregates_survive_anonymisation(world, boundary):
    due = boundary["due"]
    record_consent(
        acting_user=None,
        child=due,
        kind="media",
        status="granted",
        method="paper",
        given_by_name="Due Parent",
        media_uses=["press"],
        note="Signed at parents' evening by Due Parent",
    )
    children, enrolments = Child.objects.count(), Enrolment.objects.count()
    people.apply_retention(today=TODAY)
    assert Child.objects.count() == children and Enrolment.objects.count() == enrolments
    assert Enrolment.objects.filter(child=due, cohort__name="Ended a day before that").exists()
    consent = Consent.objects.get(child=due)
    assert (consent.status, consent.media_uses) == ("granted", ["press"])
    assert consent.given_by_name == "" and consent.note == ""


def test_the_run_is_recorded_without_names(world, boundary):
    run = people.apply_retention(today=TODAY)
    assert RetentionRun.objects.get() == run
    assert (run.children_count, run.guardians_count, run.today) == (1, 1, TODAY)
    assert run.by_force == {str(world.force.pk): {"children": 1, "guardians": 1}}
    entries = AuditEntry.objects.filter(fields__anonymised="retention")
    assert entries.count() == 2
    for entry in entries:
        assert "Due" not in entry.object_label and entry.force == world.force
        assert entry.fields["run"] == run.pk
    assert AuditEntry.objects.filter(object_type="retentionrun", force=world.force).exists()


def test_a_second_run_changes_nothing(world, boundary):
    people.apply_retention(today=TODAY)
    run = people.apply_retention(today=TODAY)
    assert run.children_count == 0 and run.guardians_count == 0


def test_an_anonymised_guardians_portal_access_ends(world, boundary, client):
    parent = Guardian.objects.get(email="due@example.com")
    user = User.objects.create_user(email="due@example.com", full_name="Due Parent")
    from minipolice.accounts.services import assign_role

    assign_role(acting_user=None, user=user, role="guardian", guardian=parent)
    people.apply_retention(today=TODAY)
    user.refresh_from_db()
    assert not user.is_active and user.email.endswith("@anonymised.invalid")
    assert not RoleAssignment.objects.filter(guardian=parent).exists()


def test_dry_run_lists_who_would_be_anonymised_and_changes_nothing(world, boundary, capsys):
    call_command("apply_retention", "--dry-run", "--today", TODAY.isoformat())
    out = capsys.readouterr().out
    assert "1 children and 1 guardians would be anonymised" in out
    assert f"child #{boundary['due'].pk}" in out
    assert "Due" not in out.replace("Dry run", "")  # ids only, no names in logs
    assert not Child.objects.filter(anonymised_at__isnull=False).exists()
    assert not RetentionRun.objects.exists()


def test_the_command_uses_todays_date(world, boundary, monkeypatch, capsys):
    frozen = timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(3, 0)))
    monkeypatch.setattr(timezone, "now", lambda: frozen)
    call_command("apply_retention")
    assert "anonymised 1 children and 1 guardians" in capsys.readouterr().out
    assert RetentionRun.objects.get().today == TODAY


def test_coordinator_sees_the_dry_run_for_their_force(world, boundary, client_for, monkeypatch):
    frozen = timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(12, 0)))
    monkeypatch.setattr(timezone, "now", lambda: frozen)
    page = client_for(world.users["coordinator"]).get("/data-protection/")
    html = page.content.decode()
    assert [c.pk for c in page.context["children_listing"].rows] == [boundary["due"].pk]
    assert "Due Family" in html and "Kept Family" not in html
    assert "Due Parent" in html
    # The other force's coordinator sees none of it.
    other = client_for(world.users["outsider"]).get("/data-protection/")
    assert list(other.context["children_listing"].rows) == []


def test_the_dry_run_page_summarises_and_pages_a_long_list(
    world, client_for, monkeypatch, django_assert_max_num_queries
):
    frozen = timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(12, 0)))
    monkeypatch.setattr(timezone, "now", lambda: frozen)
    early = cohort_ending(world, datetime.date(2025, 7, 18), "2024/25")
    late = cohort_ending(world, datetime.date(2026, 3, 20), "2025/26")
    for i in range(20):
        child_in(early, f"Early{i:02}")
        child_in(late, f"Late{i:02}")
    client = client_for(world.users["coordinator"])

    with django_assert_max_num_queries(20):
        first = client.get("/data-protection/")
    html = first.content.decode()
    assert "Due now: 40 children" in html
    assert "between 18 July 2025 and 20 March 2026" in html
    assert "Children (1 to 25 of 40)" in html
    assert len(re.findall(r'href="/children/\d+/"', html)) == 25
    assert "children_page=2" in html

    second = client.get("/data-protection/?children_page=2").content.decode()
    assert "Children (26 to 40 of 40)" in second
    assert len(re.findall(r'href="/children/\d+/"', second)) == 15
    assert "Late19" in second and "Early00" not in second


def test_the_daily_task_runs_the_rule(world, boundary, settings, monkeypatch):
    from minipolice.people.tasks import apply_retention_daily

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    frozen = timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(2, 30)))
    monkeypatch.setattr(timezone, "now", lambda: frozen)
    result = apply_retention_daily.enqueue()
    assert result.status == "SUCCESSFUL", result.errors
    assert result.return_value["children"] == 1
    # The immediate backend cannot delay a task, so it does not re-enqueue itself.
    assert RetentionRun.objects.count() == 1


def test_the_daily_task_queues_itself_for_the_next_night(world, settings, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    from minipolice.people import tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    frozen = timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(14, 0)))
    monkeypatch.setattr(timezone, "now", lambda: frozen)
    when = tasks.schedule_next_retention()
    expected = timezone.make_aware(
        datetime.datetime.combine(TODAY + datetime.timedelta(days=1), tasks.RUN_AT)
    )
    assert when == expected
    assert tasks.schedule_next_retention() == expected  # not queued twice
    queued = DBTaskResult.objects.get(task_path=tasks.apply_retention_daily.module_path)
    assert queued.run_after == expected
    assert tasks.scheduled_retention_run() == expected
