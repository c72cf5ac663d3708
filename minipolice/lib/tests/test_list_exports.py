"""Every staff list page downloads as CSV and XLSX: all the rows its search and filters match,
scoped like the page, to exactly those who may open the page; downloads of personal data are
audited with one entry naming the list, not the people in it."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from minipolice.accounts.models import Role
from minipolice.accounts.services import assign_role, create_user
from minipolice.audit.models import AuditEntry
from minipolice.awards import services as awards
from minipolice.community import services as community
from minipolice.consent.models import EmailDelivery
from minipolice.events import services as events
from minipolice.events.tests.helpers import make_event
from minipolice.organisations import services as org
from minipolice.people import services as people

# url name: (a role that may see the list, a role that may not and what it gets, a row of the
# world's force, a row of the other force, whether a download is audited)
LISTS = {
    "organisations:area_list": ("area_lead", "teacher", 403, "North", "South", False),
    "organisations:school_list": ("teacher", "guardian", 403, "Hilltop Primary", "Valley", False),
    "organisations:unit_list": ("leader", "funder", 403, "Hilltop Mini Police", "Valley", False),
    "organisations:cohort_list": ("teacher", "national", 403, "Year 5", "Year 6", False),
    "people:child_list": ("leader", "funder", 403, "Lovelace", "Outside", True),
    "people:guardian_list": ("teacher", "national", 403, "Ann Lovelace", "Olga Other", True),
    "people:leader_list": ("area_lead", "leader", 403, "PCSO Pat", "Ollie Other", True),
    "programme:module_list": ("leader", "guardian", 403, None, None, False),
    "community:action_list": ("teacher", "funder", 403, "Hilltop Estate", "Valley Estate", False),
    "events:event_list": ("funder", "guardian", 403, "Celebration day", "Valley fair", False),
    "awards:award_list": ("teacher", "funder", 403, "Community Champion", "Valley Star", True),
    "consent:email_list": ("coordinator", "area_lead", 403, "ann@example.com", "olga@", True),
    "audit:entry_list": ("coordinator", "area_lead", 403, "Hilltop Primary", "Valley", True),
}


def populate(world):
    """Something in every list, in the world's force and (to be left out) in the other one."""
    today = timezone.localdate()
    other_guardian = people.create_guardian(
        acting_user=None, force=world.other_force, name="Olga Other", email="olga@example.com"
    )
    people.link_guardian(acting_user=None, child=world.other_child, guardian=other_guardian)
    other_leader = create_user(
        acting_user=None, email="ollie@example.org", full_name="Ollie Otherleader"
    )
    assign_role(acting_user=None, user=other_leader, role=Role.UNIT_LEADER, unit=world.other_unit)
    for unit, place in ((world.unit, "Hilltop Estate"), (world.other_unit, "Valley Estate")):
        community.record_action(
            acting_user=None,
            unit=unit,
            kind="leaflet_drop",
            date=today,
            place=place,
            homes_reached=20,
        )
    make_event(world)
    events.create_event(
        acting_user=world.users["outsider"],
        force=world.other_force,
        kind="celebration",
        title="Valley fair",
        date=today + datetime.timedelta(days=20),
        start_time=datetime.time(10, 0),
        end_time=datetime.time(15, 0),
        venue="Valley hall",
        address="Valley Road",
        capacity=50,
    )
    awards.give_special_award(
        acting_user=None,
        child=world.child,
        cohort=world.cohort,
        title="Community Champion",
        citation="",
    )
    awards.give_special_award(
        acting_user=None,
        child=world.other_child,
        cohort=world.other_cohort,
        title="Valley Star",
        citation="",
    )
    for guardian in (world.guardian, other_guardian):
        EmailDelivery.objects.create(
            force=guardian.force,
            guardian=guardian,
            kind=EmailDelivery.Kind.PORTAL_LINK,
            to_email=guardian.email,
            subject="Your link",
            base_url="http://testserver/",
            created_at=timezone.now(),
        )


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def xlsx_rows(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()], sheet


@pytest.mark.parametrize("name", sorted(LISTS))
def test_an_allowed_role_downloads_every_row_of_the_list_in_their_scope(name, world, client_for):
    allowed, _, _, ours, theirs, _ = LISTS[name]
    populate(world)
    client = client_for(world.users[allowed])
    url = reverse(name)
    page = client.get(url)
    assert page.status_code == 200
    assert "Download as CSV" in page.content.decode()
    assert "Download as XLSX" in page.content.decode()

    as_csv = client.get(url, {"format": "csv"})
    assert as_csv.status_code == 200
    assert as_csv["Content-Type"].startswith("text/csv")
    assert "attachment;" in as_csv["Content-Disposition"]
    assert ".csv" in as_csv["Content-Disposition"]
    rows = csv_rows(as_csv)
    assert len(rows) >= 2, "a heading and at least one row"

    as_xlsx = client.get(url, {"format": "xlsx"})
    assert as_xlsx.status_code == 200
    assert ".xlsx" in as_xlsx["Content-Disposition"]
    sheet_rows, sheet = xlsx_rows(as_xlsx)
    assert [str(v) for v in sheet_rows[0]] == rows[0]
    assert all(cell.font.b for cell in sheet[1])
    # The audit log has gained the entry of the CSV download meanwhile.
    assert len(sheet_rows) == len(rows) + (name == "audit:entry_list")

    text = as_csv.content.decode()
    if ours:
        assert ours in text
        assert any(ours in str(v) for row in sheet_rows for v in row)
    if theirs:
        assert theirs not in text
        assert not any(theirs in str(v) for row in sheet_rows for v in row)


@pytest.mark.parametrize("name", sorted(LISTS))
def test_a_role_that_may_not_see_the_list_gets_what_the_page_gives_them(name, world, client_for):
    _, denied, status, *_ = LISTS[name]
    client = client_for(world.users[denied])
    url = reverse(name)
    assert client.get(url).status_code == status
    for fmt in ("csv", "xlsx"):
        response = client.get(url, {"format": fmt})
        assert response.status_code == status
        assert "attachment" not in response.get("Content-Disposition", "")
    assert not AuditEntry.objects.filter(action="export", object_type="list").exists()


@pytest.mark.parametrize("name", sorted(LISTS))
def test_anonymous_visitors_are_sent_to_sign_in(name, client):
    response = client.get(reverse(name), {"format": "csv"})
    assert response.status_code == 302


def test_the_export_keeps_the_search_and_includes_every_page(world, client_for, settings):
    settings.PAGE_SIZE = 2
    for i in range(5):
        people.add_child_to_cohort(
            acting_user=None,
            cohort=world.cohort,
            first_name=f"Kid{i}",
            last_name="Many",
            year_group=5,
        )
    client = client_for(world.users["coordinator"])
    rows = csv_rows(client.get(reverse("people:child_list"), {"q": "Many", "format": "csv"}))
    assert rows[0] == ["Last name", "First name", "Year", "Cohort"]
    assert sorted(r[1] for r in rows[1:]) == [f"Kid{i}" for i in range(5)]
    assert all(r[0] == "Many" for r in rows[1:])
    everyone = csv_rows(client.get(reverse("people:child_list"), {"format": "csv"}))
    assert len(everyone) == 1 + 6


def test_the_sort_of_the_page_is_the_order_of_the_download(world, client_for):
    org.create_area(acting_user=None, force=world.force, name="Abbey")
    client = client_for(world.users["coordinator"])
    up = csv_rows(client.get(reverse("organisations:area_list"), {"format": "csv"}))
    down = csv_rows(
        client.get(reverse("organisations:area_list"), {"format": "csv", "sort": "-name"})
    )
    assert [r[0] for r in up[1:]] == ["Abbey", "North"]
    assert [r[0] for r in down[1:]] == ["North", "Abbey"]


def test_the_children_download_holds_no_notes(world, client_for):
    client = client_for(world.users["coordinator"])
    response = client.get(reverse("people:child_list"), {"format": "csv"})
    assert "Lovelace" in response.content.decode()
    assert "hearing aid" not in response.content.decode()


def test_links_keep_the_search_and_sort(world, client_for):
    client = client_for(world.users["coordinator"])
    page = client.get(reverse("people:child_list"), {"q": "Ada", "sort": "-name", "page": "1"})
    html = page.content.decode()
    assert "?q=Ada&amp;sort=-name&amp;format=csv" in html
    assert "?q=Ada&amp;sort=-name&amp;format=xlsx" in html


def test_a_download_of_personal_data_is_audited_once_naming_the_list_not_the_people(
    world, client_for
):
    client = client_for(world.users["coordinator"])
    client.get(reverse("people:child_list"), {"q": "Ada", "format": "xlsx"})
    entry = AuditEntry.objects.get(action="export", object_type="list")
    assert entry.object_type == "list"
    assert entry.object_label == "Children"
    assert entry.actor == world.users["coordinator"]
    assert entry.force == world.force
    assert entry.fields == {
        "list": "Children",
        "format": "xlsx",
        "rows": 1,
        "search": "(recorded)",
    }
    assert "Ada" not in str(entry.fields)
    assert "Lovelace" not in str(entry.fields) + entry.object_label
    # The audit log shows it.
    log = client.get(reverse("audit:entry_list")).content.decode()
    assert "List: Children" in log


def test_filters_are_recorded_in_the_audit_entry(world, client_for):
    client = client_for(world.users["coordinator"])
    client.get(reverse("audit:entry_list"), {"action": "create", "format": "csv"})
    entry = AuditEntry.objects.get(action="export", object_type="list")
    assert entry.fields["list"] == "Audit log"
    assert entry.fields["filters"] == {"action": "create"}
    assert entry.fields["rows"] > 0


def test_lists_without_personal_data_are_not_audited(world, client_for):
    client = client_for(world.users["coordinator"])
    for name in ("organisations:area_list", "organisations:school_list"):
        assert client.get(reverse(name), {"format": "csv"}).status_code == 200
    assert not AuditEntry.objects.filter(action="export", object_type="list").exists()


def test_a_page_without_a_format_is_the_page(world, client_for):
    client = client_for(world.users["coordinator"])
    response = client.get(reverse("people:child_list"), {"format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert not AuditEntry.objects.filter(action="export", object_type="list").exists()


def test_names_and_places_typed_as_formulas_come_out_as_text(world, client_for):
    people.add_child_to_cohort(
        acting_user=None,
        cohort=world.cohort,
        first_name='=HYPERLINK("http://evil.example","x")',
        last_name="Formula",
        year_group=5,
    )
    community.record_action(
        acting_user=None,
        unit=world.unit,
        kind="leaflet_drop",
        date=timezone.localdate(),
        place="@SUM(1+1)",
        homes_reached=20,
    )
    client = client_for(world.users["coordinator"])
    for name, bad in (
        ("people:child_list", '=HYPERLINK("http://evil.example","x")'),
        ("community:action_list", "@SUM(1+1)"),
    ):
        rows = csv_rows(client.get(reverse(name), {"format": "csv"}))
        cells = [cell for row in rows for cell in row]
        assert f"'{bad}" in cells
        assert bad not in cells
        sheet_rows, sheet = xlsx_rows(client.get(reverse(name), {"format": "xlsx"}))
        values = [v for row in sheet_rows for v in row]
        assert f"'{bad}" in values
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_dates_and_numbers_stay_typed_in_the_xlsx(world, client_for):
    client = client_for(world.users["coordinator"])
    sheet_rows, _ = xlsx_rows(client.get(reverse("organisations:cohort_list"), {"format": "xlsx"}))
    assert sheet_rows[0] == ["Cohort", "Unit", "School", "Starts", "Ends", "Children"]
    cohort = sheet_rows[1]
    assert cohort[0] == "Year 5"
    assert isinstance(cohort[3], datetime.datetime)  # openpyxl reads dates back as datetimes
    assert cohort[3].date() == world.cohort.start_date
    assert cohort[5] == 1


def test_funders_download_event_counts_as_rounded_as_the_page(world, client_for):
    populate(world)
    client = client_for(world.users["funder"])
    rows = csv_rows(client.get(reverse("events:event_list"), {"format": "csv"}))
    heading, event = rows[0], rows[1]
    assert heading[6:] == ["Places", "Capacity", "Waiting", "Checked in"]
    assert event[6] in ("0", "fewer than 5") or int(event[6]) % 5 == 0


# url name: pinned number of queries of a download by a signed-in coordinator (session, user,
# role assignments, then the list's own: its rows, a query per prefetch, and the audit entry).
EXPORT_QUERIES = {
    "organisations:area_list": 5,
    "organisations:school_list": 5,
    "organisations:unit_list": 5,
    "organisations:cohort_list": 5,
    "people:child_list": 7,  # current cohorts; the audit entry
    "people:guardian_list": 7,  # their children; the audit entry
    "people:leader_list": 7,  # their units; the audit entry
    "programme:module_list": 5,
    "community:action_list": 5,
    "events:event_list": 6,  # the invitations, for which counts are exact
    "awards:award_list": 7,  # valid certificates; the audit entry
    "consent:email_list": 6,  # the audit entry
    "audit:entry_list": 6,  # the audit entry
}


def grow(world, n):
    """n more rows of every list in the world's force."""
    today = timezone.localdate()
    for i in range(n):
        area = org.create_area(acting_user=None, force=world.force, name=f"Area {i}")
        school = org.create_school(acting_user=None, area=area, name=f"School {i}")
        unit = org.create_unit(acting_user=None, school=school, name=f"Unit {i}", status="active")
        cohort = org.create_cohort(
            acting_user=None,
            unit=unit,
            name=f"Cohort {i}",
            start_date=today,
            end_date=today + datetime.timedelta(days=90),
        )
        child = people.add_child_to_cohort(
            acting_user=None, cohort=cohort, first_name=f"Kid{i}", last_name="Grow", year_group=5
        )
        guardian = people.create_guardian(
            acting_user=None, force=world.force, name=f"Parent {i}", email=f"p{i}@example.com"
        )
        people.link_guardian(acting_user=None, child=child, guardian=guardian)
        leader = create_user(
            acting_user=None, email=f"leader{i}@example.org", full_name=f"Leader {i}"
        )
        assign_role(acting_user=None, user=leader, role=Role.UNIT_LEADER, unit=unit)
        community.record_action(
            acting_user=None,
            unit=unit,
            kind="leaflet_drop",
            date=today,
            place=f"Estate {i}",
            homes_reached=i,
        )
        awards.give_special_award(
            acting_user=None, child=child, cohort=cohort, title=f"Star {i}", citation=""
        )
        make_event(world, title=f"Event {i}")
        EmailDelivery.objects.create(
            force=world.force,
            guardian=guardian,
            cohort=cohort,
            kind=EmailDelivery.Kind.PORTAL_LINK,
            to_email=guardian.email,
            subject="Your link",
            base_url="http://testserver/",
            created_at=timezone.now(),
        )


def count_queries(client, url, fmt):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"format": fmt})
    assert response.status_code == 200, url
    return len(queries), len(csv_rows(response)) if fmt == "csv" else None


@pytest.mark.parametrize("name", sorted(LISTS))
def test_an_export_takes_as_many_queries_for_1_row_as_for_30(name, world, client_for):
    populate(world)  # a row in every list: an empty one skips its prefetches
    client = client_for(world.users["coordinator"])
    client.get("/")  # warm the session
    url = reverse(name)
    with_few, few_rows = count_queries(client, url, "csv")
    grow(world, 30)
    with_many, many_rows = count_queries(client, url, "csv")
    assert many_rows >= few_rows + 30 or name == "programme:module_list"
    assert with_few == with_many, f"{name}: {with_few} queries, then {with_many}"
    with_many_xlsx, _ = count_queries(client, url, "xlsx")
    assert with_many_xlsx == with_many
    assert with_many == EXPORT_QUERIES[name], f"{name}: {with_many}"


def test_a_long_list_is_read_in_chunks_and_every_row_comes_out(world, client_for, monkeypatch):
    monkeypatch.setattr("minipolice.lib.listing.EXPORT_CHUNK", 2)
    grow(world, 4)
    client = client_for(world.users["coordinator"])
    children = csv_rows(client.get(reverse("people:child_list"), {"format": "csv"}))
    assert len(children) == 1 + 5
    assert all(row[3] != "Not in a cohort now" for row in children[1:])  # prefetched per chunk
    listed = csv_rows(client.get(reverse("events:event_list"), {"format": "csv"}))
    assert sorted(row[1] for row in listed[1:]) == [f"Event {i}" for i in range(4)]
