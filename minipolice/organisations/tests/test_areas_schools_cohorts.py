import datetime
import html

import pytest
from django.utils import timezone

from minipolice.organisations.models import Area, Cohort, School


def test_coordinator_adds_and_renames_an_area(world, client_for):
    client = client_for(world.users["coordinator"])
    response = client.post("/areas/new/", {"name": "Coastal"})
    area = Area.objects.get(name="Coastal")
    assert area.force == world.force and response.status_code == 302
    client.post(f"/areas/{area.pk}/edit/", {"name": "Coast"})
    area.refresh_from_db()
    assert area.name == "Coast"


def test_duplicate_area_name_in_a_force_is_refused(world, client_for):
    client = client_for(world.users["coordinator"])
    response = client.post("/areas/new/", {"name": "North"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert Area.objects.filter(force=world.force, name="North").count() == 1


def test_school_urn_must_be_six_digits(world, client_for):
    client = client_for(world.users["area_lead"])
    response = client.post(
        "/schools/new/", {"name": "Brook Primary", "area": world.area.pk, "urn": "12AB"}
    )
    assert response.status_code == 200
    assert "6-digit" in response.content.decode()
    assert not School.objects.filter(name="Brook Primary").exists()
    response = client.post(
        "/schools/new/",
        {"name": "Brook Primary", "area": world.area.pk, "urn": "654321", "postcode": "BS4 2RX"},
    )
    assert response.status_code == 302
    assert School.objects.get(name="Brook Primary").urn == "654321"


def test_school_list_search_by_urn(world, client_for):
    client = client_for(world.users["coordinator"])
    body = client.get("/schools/?q=123456").content.decode()
    assert "Hilltop Primary" in body


def test_cohort_end_before_start_is_an_error(world, client_for):
    client = client_for(world.users["leader"])
    today = timezone.localdate()
    response = client.post(
        f"/units/{world.unit.pk}/cohorts/new/",
        {
            "name": "2027 Year 5",
            "start_date": today.isoformat(),
            "end_date": (today - datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "end date must be on or after" in response.content.decode()
    assert not Cohort.objects.filter(name="2027 Year 5").exists()


def test_leader_adds_a_cohort_to_their_unit(world, client_for):
    client = client_for(world.users["leader"])
    today = timezone.localdate()
    response = client.post(
        f"/units/{world.unit.pk}/cohorts/new/",
        {
            "name": "2027 Year 5",
            "start_date": today.isoformat(),
            "end_date": (today + datetime.timedelta(days=56)).isoformat(),
        },
    )
    cohort = Cohort.objects.get(name="2027 Year 5")
    assert response["Location"] == f"/cohorts/{cohort.pk}/"
    assert cohort.unit == world.unit


# Empty forms say what to enter, in words about the thing being added.
def _errors(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


@pytest.mark.parametrize(
    ("url", "messages"),
    [
        ("/areas/new/", ["Enter the name of the area"]),
        ("/schools/new/", ["Enter the name of the school", "Select the area the school is in"]),
        (
            "/units/{unit}/cohorts/new/",
            [
                "Enter the name of the cohort",
                "Enter the date the cohort starts",
                "Enter the date the cohort ends",
            ],
        ),
    ],
)
def test_empty_organisation_forms_say_what_to_enter(world, client_for, url, messages):
    client = client_for(world.users["coordinator"])
    body = _errors(client.post(url.format(unit=world.unit.pk), {"name": ""}))
    for message in messages:
        assert message in body
    assert "This field is required" not in body
