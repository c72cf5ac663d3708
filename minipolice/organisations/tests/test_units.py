import datetime
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
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


def test_unit_status_date_starts_as_today(world, client_for):
    body = client_for(world.users["coordinator"]).get(f"/units/{world.unit.pk}/status/")
    today, html = timezone.localdate(), body.content.decode()
    for box, value in enumerate((today.day, today.month, today.year)):
        assert f'name="changed_on_{box}" value="{value}"' in html


def _errors(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


@pytest.mark.parametrize(
    ("url", "messages"),
    [
        ("/units/new/", ["Enter the name of the unit", "Select the school the unit meets at"]),
        ("/units/{unit}/status/", ["Select the new status", "Enter the date of the change"]),
        ("/units/{unit}/leaders/", ["Select a leader"]),
    ],
)
def test_empty_unit_forms_say_what_to_enter(world, client_for, url, messages):
    client = client_for(world.users["coordinator"])
    body = _errors(client.post(url.format(unit=world.unit.pk), {"name": ""}))
    for message in messages:
        assert message in body
    assert "This field is required" not in body


# Searching, sorting, filtering and paging the unit list keep each other's choices.
def test_searching_units_keeps_the_status_filter_and_sort(world, client_for):
    body = _page(client_for(world.users["coordinator"]), "/units/?status=active&sort=-name")
    assert '<input type="hidden" name="status" value="active">' in body
    assert '<input type="hidden" name="sort" value="-name">' in body
    assert '<input type="hidden" name="q"' not in body


def test_sorting_units_keeps_the_search_and_status_filter(world, client_for):
    body = _page(client_for(world.users["coordinator"]), "/units/?q=Hill&status=active&page=1")
    assert 'href="?q=Hill&status=active&sort=-name"' in body
    assert 'href="?q=Hill&status=active&sort=school"' in body


def test_status_links_keep_the_search_and_sort(world, client_for):
    body = _page(client_for(world.users["coordinator"]), "/units/?q=Hill&sort=-name&status=active")
    assert 'href="?q=Hill&sort=-name&status=closed"' in body
    assert 'href="?q=Hill&sort=-name">all</a>' in body


def test_current_status_filter_is_bold_text_not_a_link(world, client_for):
    body = _page(client_for(world.users["coordinator"]), "/units/?status=active")
    assert '<strong aria-current="true">active</strong>' in body
    assert 'href="?status=active"' not in body
    body = _page(client_for(world.users["coordinator"]), "/units/")
    assert '<strong aria-current="true">all</strong>' in body


def test_next_page_keeps_search_status_and_sort(world, client_for, settings):
    settings.PAGE_SIZE = 1
    for name in ["Hill A", "Hill B"]:
        Unit.objects.create(
            school=world.school, name=name, status="active", status_since=timezone.localdate()
        )
    body = _page(client_for(world.users["coordinator"]), "/units/?q=Hill&status=active&sort=name")
    assert 'href="?q=Hill&status=active&sort=name&page=2"' in body


def test_unit_list_queries_do_not_grow_with_filters_kept(world, client_for):
    client = client_for(world.users["coordinator"])
    client.get("/units/")  # warm the session
    for n in range(30):
        Unit.objects.create(
            school=world.school,
            name=f"Hill {n}",
            status="active",
            status_since=world.unit.status_since,
        )
    with CaptureQueriesContext(connection) as plain:
        client.get("/units/")
    with CaptureQueriesContext(connection) as filtered:
        client.get("/units/?q=Hill&status=active&sort=-name&page=2")
    assert len(filtered) == len(plain)


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())
