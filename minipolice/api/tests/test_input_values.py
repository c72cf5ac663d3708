"""The API applies the same rules for dates, names and phone numbers as the pages and the
class-list import (minipolice/lib/validators.py; those paths are tested in
minipolice/lib/tests/test_input_rules.py), and takes dates only as YYYY-MM-DD."""

import pytest
from django.utils import timezone

from minipolice.community.models import CommunityAction
from minipolice.organisations.models import Cohort
from minipolice.people.models import Enrolment

DATE_RANGE = "Enter a date between 2000 and 2100"
NAME = "Enter a name with at least one letter"
PHONE = "Enter a phone number like 01632 960 001 or +44 7700 900 982"
ZERO_WIDTH = "\u200b\u200c\u200d\ufeff"
INVISIBLE_NAMES = [ZERO_WIDTH, " \u00a0\u2003 ", "\u200e\u202e\u2066", "\u3164", "\u00ad"]
NO_LETTER_NAMES = ["\u00ad.", "...", "123", "\u0301"]
BAD_DATES = ["0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31"]
BAD_PHONES = ["call me", "ring the office", "0117", "+44 7700 900 982 123 456"]


@pytest.fixture
def api(world, api_as):
    return api_as(world.users["coordinator"])


def _cohort(world, **dates):
    return {"unit": world.unit.pk, "name": "API cohort", **dates}


@pytest.mark.parametrize("day", BAD_DATES)
def test_the_api_refuses_dates_out_of_range(world, api, day):
    response = api.post("/cohorts", _cohort(world, start_date=day, end_date="2030-01-01"))
    assert response.status_code == 400
    assert response.json()["errors"]["start_date"] == [DATE_RANGE]
    assert not Cohort.objects.filter(name="API cohort").exists()


@pytest.mark.parametrize(
    "day", [0, 1735689600, 20250901, 2025.5, True, "0", "20250901", "2025-9-1", "2025-09-01T00:00"]
)
def test_the_api_takes_dates_only_as_yyyy_mm_dd(world, api, day):
    response = api.post("/cohorts", _cohort(world, start_date=day, end_date="2030-01-01"))
    assert response.status_code == 400
    assert response.json()["errors"]["start_date"] == [
        "Enter a date as YYYY-MM-DD, like 2025-09-01"
    ]
    assert not Cohort.objects.filter(name="API cohort").exists()


@pytest.mark.parametrize("day", ["2025-02-30", "2025-13-01", "0000-01-01"])
def test_the_api_refuses_a_date_that_does_not_exist(world, api, day):
    response = api.post("/cohorts", _cohort(world, start_date=day, end_date="2030-01-01"))
    assert response.status_code == 400
    assert response.json()["errors"]["start_date"] == ["Enter a real date, like 2025-09-01"]


def test_the_api_accepts_a_date_in_range(world, api):
    response = api.post("/cohorts", _cohort(world, start_date="2025-09-01", end_date="2026-07-20"))
    assert response.status_code == 201
    assert response.json()["start_date"] == "2025-09-01"


def test_the_api_refuses_a_unit_status_change_far_in_the_future(world, api):
    response = api.post(
        f"/units/{world.unit.pk}/status", {"to_status": "paused", "changed_on": "9999-12-31"}
    )
    assert response.status_code == 400
    assert response.json()["errors"]["changed_on"] == [DATE_RANGE]
    world.unit.refresh_from_db()
    assert world.unit.status == "active"


@pytest.mark.parametrize("day", ["9999-12-31", 0])
def test_the_api_refuses_a_leaving_date_out_of_range_or_as_a_number(world, api, day):
    enrolment = Enrolment.objects.get(child=world.child, cohort=world.cohort)
    response = api.post(f"/enrolments/{enrolment.pk}/leave", {"left": day})
    assert response.status_code == 400
    assert "left" in response.json()["errors"]
    enrolment.refresh_from_db()
    assert enrolment.left is None


@pytest.mark.parametrize("day", ["0001-01-01", 0])
def test_the_api_refuses_a_community_action_date_out_of_range(world, api, day):
    response = api.post(
        "/community-actions",
        {"unit": world.unit.pk, "kind": "leaflet_drop", "date": day, "place": "High Street"},
    )
    assert response.status_code == 400
    assert "date" in response.json()["errors"]
    assert not CommunityAction.objects.exists()


@pytest.mark.parametrize("name", INVISIBLE_NAMES + NO_LETTER_NAMES)
def test_the_api_refuses_a_child_named_without_a_letter(world, api, name):
    response = api.post(
        "/children",
        {"cohort": world.cohort.pk, "first_name": name, "last_name": "Ash", "year_group": 5},
    )
    assert response.status_code == 400
    assert response.json()["errors"]["first_name"] == [NAME]
    response = api.patch(f"/children/{world.child.pk}", {"last_name": name})
    assert response.status_code == 400
    world.child.refresh_from_db()
    assert world.child.last_name == "Lovelace"


def test_the_api_removes_invisible_characters_around_a_name(world, api):
    response = api.post(
        "/children",
        {
            "cohort": world.cohort.pk,
            "first_name": "\ufeffKai\u200b",
            "last_name": "Ash",
            "year_group": 5,
        },
    )
    assert response.status_code == 201
    assert response.json()["first_name"] == "Kai"


@pytest.mark.parametrize("phone", BAD_PHONES)
def test_the_api_refuses_text_as_a_phone_number(world, api, phone):
    response = api.post(
        "/guardians", {"child": world.child.pk, "name": "Bob Lovelace", "phone": phone}
    )
    assert response.status_code == 400
    assert response.json()["errors"]["phone"] == [PHONE]
    response = api.patch(f"/guardians/{world.guardian.pk}", {"phone": phone})
    assert response.status_code == 400
    world.guardian.refresh_from_db()
    assert world.guardian.phone == ""


def test_the_api_refuses_a_guardian_named_only_with_invisible_characters(world, api):
    response = api.post(
        "/guardians", {"child": world.child.pk, "name": ZERO_WIDTH, "email": "bob@example.com"}
    )
    assert response.status_code == 400
    assert response.json()["errors"]["name"] == [NAME]


def test_today_and_the_range_ends_are_accepted(world, api):
    for day in ["2000-01-01", timezone.localdate().isoformat(), "2100-12-31"]:
        response = api.post("/cohorts", _cohort(world, name=day, start_date=day, end_date=day))
        assert response.status_code == 201, response.json()


@pytest.mark.parametrize("param", ["from", "to"])
@pytest.mark.parametrize("day", ["0", "1735689600", "2025-09-01T00:00:00"])
def test_date_filters_take_only_yyyy_mm_dd(world, api, param, day):
    period = {"from": "2025-01-01", "to": "2025-12-31", param: day}
    response = api.get("/reports/summary", {"force": world.force.pk, **period})
    assert response.status_code == 400
    assert response.json()["errors"][param] == ["Enter a date as YYYY-MM-DD, like 2025-09-01"]
    for path in ["/sessions", "/community-actions"]:
        assert api.get(path, {param: day}).status_code == 400
    assert api.get("/cohorts", {"running_on": day}).status_code == 400
