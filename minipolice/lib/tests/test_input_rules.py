"""One rule for dates, names and phone numbers, whichever way a value comes in: a page's form,
the API, or a class-list import (rules in minipolice/lib/validators.py)."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from minipolice.accounts.models import User
from minipolice.community.models import CommunityAction
from minipolice.delivery.models import SchoolHoliday
from minipolice.organisations.models import Cohort, UnitStatusChange
from minipolice.people.models import Child, ClassListImport, Enrolment, Guardian

DATE_RANGE = "Enter a date between 2000 and 2100"
NAME = "Enter a name with at least one letter"
PHONE = "Enter a phone number like 01632 960 001 or +44 7700 900 982"
ZERO_WIDTH = "\u200b\u200c\u200d\ufeff"
# Names that show nothing: they are blank once their invisible characters are removed.
INVISIBLE_NAMES = [ZERO_WIDTH, " \u00a0\u2003 ", "\u200e\u202e\u2066", "\u3164", "\u00ad"]
# Names that show something, but not a letter.
NO_LETTER_NAMES = ["\u00ad.", "...", "123", "\u0301"]
BAD_DATES = ["0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31"]
BAD_PHONES = ["call me", "ring the office", "0117", "+44 7700 900 982 123 456"]


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


# Forms -----------------------------------------------------------------------------------------
@pytest.fixture
def coordinator(world, client_for):
    return client_for(world.users["coordinator"])


@pytest.mark.parametrize("day", BAD_DATES)
def test_a_cohort_form_refuses_dates_out_of_range(world, coordinator, day):
    page = _page(
        coordinator.post(
            f"/units/{world.unit.pk}/cohorts/new/",
            {"name": "Far away", "start_date": day, "end_date": day},
        )
    )
    assert page.count(DATE_RANGE) >= 2  # each date, in the summary and by the field
    assert not Cohort.objects.filter(name="Far away").exists()


@pytest.mark.parametrize("day", ["9999-12-31", "2101-01-01"])
def test_a_unit_status_change_refuses_a_date_out_of_range(world, coordinator, day):
    page = _page(
        coordinator.post(
            f"/units/{world.unit.pk}/status/", {"to_status": "paused", "changed_on": day}
        )
    )
    assert DATE_RANGE in page
    world.unit.refresh_from_db()
    assert world.unit.status == "active"
    assert not UnitStatusChange.objects.filter(to_status="paused").exists()


@pytest.mark.parametrize("day", ["9999-12-31", "2101-01-01"])
def test_a_leaving_date_out_of_range_is_refused(world, coordinator, day):
    page = _page(
        coordinator.post(
            f"/children/{world.child.pk}/leave/", {"cohort": world.cohort.pk, "left": day}
        )
    )
    assert DATE_RANGE in page
    assert Enrolment.objects.get(child=world.child, cohort=world.cohort).left is None


@pytest.mark.parametrize("day", BAD_DATES)
def test_a_community_action_date_out_of_range_is_refused(world, coordinator, day):
    page = _page(
        coordinator.post(
            f"/units/{world.unit.pk}/community-actions/new/?kind=leaflet_drop",
            {"date": day, "place": "High Street", "homes_reached": "10"},
        )
    )
    assert DATE_RANGE in page
    assert not CommunityAction.objects.exists()


@pytest.mark.parametrize("day", BAD_DATES)
def test_a_school_holiday_out_of_range_is_refused(world, coordinator, day):
    page = _page(
        coordinator.post(
            "/school-holidays/new/", {"name": "Long ago", "start_date": day, "end_date": day}
        )
    )
    assert DATE_RANGE in page
    assert not SchoolHoliday.objects.exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [(name, "Enter the child's first name") for name in INVISIBLE_NAMES]
    + [(name, NAME) for name in NO_LETTER_NAMES],
)
def test_a_child_named_without_a_letter_is_refused(world, coordinator, name, message):
    page = _page(
        coordinator.post(
            f"/cohorts/{world.cohort.pk}/children/new/",
            {"first_name": name, "last_name": "Ash", "year_group": "5"},
        )
    )
    assert message in page
    assert Child.objects.count() == 2  # the world's two children


def test_invisible_characters_around_a_name_are_removed(world, coordinator):
    response = coordinator.post(
        f"/cohorts/{world.cohort.pk}/children/new/",
        {"first_name": "\u200bKai\u200e", "last_name": "Ash\u00a0\u00a0Lee", "year_group": "5"},
    )
    assert response.status_code == 302
    assert Child.objects.filter(first_name="Kai", last_name="Ash Lee").exists()


def test_a_joiner_inside_a_name_is_kept(world, coordinator):
    name = "\u0645\u06cc\u200c\u0646\u0627"  # a Persian name written with a zero-width non-joiner
    coordinator.post(
        f"/cohorts/{world.cohort.pk}/children/new/",
        {"first_name": name, "last_name": "Rahimi", "year_group": "5"},
    )
    assert Child.objects.filter(first_name=name).exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [(ZERO_WIDTH, "Enter the parent or carer's name"), ("123", NAME)],
)
def test_a_guardian_named_without_a_letter_is_refused(world, coordinator, name, message):
    page = _page(
        coordinator.post(
            f"/children/{world.child.pk}/guardians/new/",
            {"name": name, "email": "bob@example.com", "phone": "", "relationship": "parent"},
        )
    )
    assert message in page
    assert not Guardian.objects.filter(email="bob@example.com").exists()


@pytest.mark.parametrize("phone", BAD_PHONES)
def test_a_guardians_phone_must_be_a_phone_number(world, coordinator, phone):
    page = _page(
        coordinator.post(
            f"/children/{world.child.pk}/guardians/new/",
            {"name": "Bob Lovelace", "email": "", "phone": phone, "relationship": "parent"},
        )
    )
    assert PHONE in page
    assert not Guardian.objects.filter(name="Bob Lovelace").exists()


def test_editing_a_guardian_checks_the_phone_number_too(world, coordinator):
    page = _page(
        coordinator.post(
            f"/guardians/{world.guardian.pk}/edit/",
            {"name": "Ann Lovelace", "email": "ann@example.com", "phone": "after six"},
        )
    )
    assert PHONE in page
    world.guardian.refresh_from_db()
    assert world.guardian.phone == ""


def test_a_real_phone_number_is_accepted(world, coordinator):
    response = coordinator.post(
        f"/children/{world.child.pk}/guardians/new/",
        {"name": "Bob Lovelace", "email": "", "phone": "+44 7700 900 982", "relationship": "carer"},
    )
    assert response.status_code == 302
    assert Guardian.objects.get(name="Bob Lovelace").phone == "+44 7700 900 982"


@pytest.mark.parametrize(
    ("name", "message"), [(ZERO_WIDTH, "Enter the leader's full name"), ("...", NAME)]
)
def test_a_new_leader_needs_a_name_with_a_letter(world, coordinator, name, message):
    page = _page(
        coordinator.post(
            "/leaders/new/", {"full_name": name, "email": "new@example.org", "unit": world.unit.pk}
        )
    )
    assert message in page
    assert not User.objects.filter(email="new@example.org").exists()


# Class-list import -----------------------------------------------------------------------------
HEADER = "First name,Last name,Year group,Guardian name,Guardian email,Guardian phone\n"


def _upload(client, world, rows: str):
    return client.post(
        f"/cohorts/{world.cohort.pk}/import/",
        {"file": SimpleUploadedFile("class.csv", (HEADER + rows).encode())},
    )


def test_the_import_refuses_names_made_only_of_invisible_characters(world, coordinator):
    response = _upload(
        coordinator, world, f"{ZERO_WIDTH},Hopper,5,{ZERO_WIDTH},mary@example.com,\n"
    )
    assert [str(e) for e in response.context["row_errors"]] == [
        "Row 2, first name: enter the child's first name",
        "Row 2, guardian name: enter the guardian's name",
    ]
    response = _upload(coordinator, world, "Grace,123,5,Mary Hopper,mary@example.com,\n")
    assert [str(e) for e in response.context["row_errors"]] == [
        "Row 2, last name: " + NAME[0].lower() + NAME[1:]
    ]
    assert not ClassListImport.objects.exists()


def test_the_import_removes_invisible_characters_around_names(world, coordinator):
    response = _upload(
        coordinator, world, "\u200bGrace\u200e,Hopper,5,Mary\u00a0Hopper,m@example.com,\n"
    )
    assert response.status_code == 302
    pending = ClassListImport.objects.get()
    assert (pending.rows[0]["first_name"], pending.rows[0]["guardian_name"]) == (
        "Grace",
        "Mary Hopper",
    )


@pytest.mark.parametrize("phone", BAD_PHONES)
def test_the_import_refuses_the_same_phone_numbers_as_forms_and_the_api(world, coordinator, phone):
    response = _upload(coordinator, world, f"Grace,Hopper,5,Mary Hopper,,{phone}\n")
    assert [str(e) for e in response.context["row_errors"]] == [
        "Row 2, guardian phone: " + PHONE[0].lower() + PHONE[1:]
    ]
