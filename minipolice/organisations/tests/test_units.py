import datetime

from django.utils import timezone

from minipolice.audit.models import AuditEntry
from minipolice.organisations import services
from minipolice.organisations.models import Unit


def test_coordinator_adds_a_unit_which_starts_proposed_with_history(world, client_for):
    client = client_for(world.users["coordinator"])
    response = client.post(
        "/units/new/",
        {"name": "Riverside Mini Police", "school": world.school.pk, "funding_source": "PCC"},
    )
    unit = Unit.objects.get(name="Riverside Mini Police")
    assert response.status_code == 302 and response["Location"] == f"/units/{unit.pk}/"
    assert unit.status == "proposed"
    assert list(unit.status_changes.values_list("to_status", flat=True)) == ["proposed"]
    page = client.get(f"/units/{unit.pk}/").content.decode()
    assert "Proposed" in page and "No leader" in page


def test_missing_unit_name_redisplays_form_with_error_summary(world, client_for):
    client = client_for(world.users["coordinator"])
    response = client.post("/units/new/", {"name": "", "school": world.school.pk})
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body and 'href="#id_name"' in body
    assert not Unit.objects.filter(school=world.school, name="").exists()


def test_area_lead_cannot_add_unit_at_school_of_another_force(world, client_for):
    client = client_for(world.users["area_lead"])
    other_school = world.other_unit.school
    response = client.post("/units/new/", {"name": "Sneaky", "school": other_school.pk})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Unit.objects.filter(name="Sneaky").exists()


def test_status_changes_follow_the_lifecycle_with_dates(world, client_for):
    client = client_for(world.users["coordinator"])
    today = timezone.localdate()
    response = client.post(
        f"/units/{world.unit.pk}/status/",
        {"to_status": "paused", "changed_on": today.isoformat(), "note": "SATs"},
    )
    assert response.status_code == 302
    world.unit.refresh_from_db()
    assert world.unit.status == "paused" and world.unit.status_since == today
    change = world.unit.status_changes.last()
    assert (change.from_status, change.to_status, change.note) == ("active", "paused", "SATs")
    assert AuditEntry.objects.filter(
        object_type="unit", object_id=str(world.unit.pk), action="update"
    ).exists()


def test_a_paused_unit_cannot_go_back_to_proposed(world, client_for):
    client = client_for(world.users["coordinator"])
    response = client.post(
        f"/units/{world.unit.pk}/status/",
        {"to_status": "proposed", "changed_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    world.unit.refresh_from_db()
    assert world.unit.status == "active"


def test_a_status_change_overtaken_by_another_shows_the_services_reason_on_the_form(
    world, client_for, monkeypatch
):
    """The form offers what the unit allowed when it was read; the service decides under a lock.
    Someone closes the unit just before this pause is saved: the refusal is a form error."""
    change_unit_status = services.change_unit_status

    def closed_a_moment_before(**kwargs):
        change_unit_status(acting_user=None, unit=world.unit, to_status="closed")
        return change_unit_status(**kwargs)

    monkeypatch.setattr(services, "change_unit_status", closed_a_moment_before)
    client = client_for(world.users["coordinator"])
    response = client.post(
        f"/units/{world.unit.pk}/status/",
        {"to_status": "paused", "changed_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="govuk-error-summary"' in html
    assert '<a href="#id_to_status">A closed unit cannot become paused.</a>' in html
    world.unit.refresh_from_db()
    assert world.unit.status == "closed"


def test_status_change_cannot_be_dated_before_the_current_status(world, client_for):
    client = client_for(world.users["coordinator"])
    too_early = world.unit.status_since - datetime.timedelta(days=1)
    response = client.post(
        f"/units/{world.unit.pk}/status/",
        {"to_status": "paused", "changed_on": too_early.isoformat()},
    )
    assert response.status_code == 200
    assert "cannot be before" in response.content.decode()
    world.unit.refresh_from_db()
    assert world.unit.status == "active"


def test_assign_and_remove_a_leader(world, client_for):
    client = client_for(world.users["area_lead"])
    from minipolice.organisations.models import Unit as U

    second = U.objects.create(
        school=world.school, name="Second", status="active", status_since=timezone.localdate()
    )
    response = client.post(f"/units/{second.pk}/leaders/", {"leader": world.users["leader"].pk})
    assert response.status_code == 302
    assert "PCSO Pat" in client.get(f"/units/{second.pk}/").content.decode()
    response = client.post(f"/units/{second.pk}/leaders/{world.users['leader'].pk}/remove/")
    assert response.status_code == 302
    assert "No leader" in client.get(f"/units/{second.pk}/").content.decode()


def test_unit_list_searches_sorts_and_filters_by_status(world, client_for):
    client = client_for(world.users["coordinator"])
    Unit.objects.create(
        school=world.school,
        name="Zebra Crossing Unit",
        status="trial",
        status_since=timezone.localdate(),
    )
    body = client.get("/units/?q=zebra").content.decode()
    assert "Zebra Crossing Unit" in body and "Hilltop Mini Police" not in body
    body = client.get("/units/?status=active").content.decode()
    assert "Hilltop Mini Police" in body and "Zebra Crossing Unit" not in body
    body = client.get("/units/?sort=-name").content.decode()
    assert body.index("Zebra Crossing Unit") < body.index("Hilltop Mini Police")
    assert client.get("/units/?sort=not-a-field&page=99").status_code == 200


def test_unit_leader_sees_only_their_unit(world, client_for):
    client = client_for(world.users["leader"])
    body = client.get("/units/").content.decode()
    assert "Hilltop Mini Police" in body and "Valley Mini Police" not in body
