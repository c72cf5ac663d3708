"""Empty forms say what to enter, in words about the thing being added."""

import html

import pytest
from django.utils import timezone


def _errors(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


@pytest.mark.parametrize(
    ("url", "messages"),
    [
        ("/areas/new/", ["Enter the name of the area"]),
        ("/schools/new/", ["Enter the name of the school", "Select the area the school is in"]),
        ("/units/new/", ["Enter the name of the unit", "Select the school the unit meets at"]),
        (
            "/units/{unit}/cohorts/new/",
            [
                "Enter the name of the cohort",
                "Enter the date the cohort starts",
                "Enter the date the cohort ends",
            ],
        ),
        ("/units/{unit}/status/", ["Select the new status", "Enter the date of the change"]),
        ("/units/{unit}/leaders/", ["Select a leader"]),
    ],
)
def test_empty_organisation_forms_say_what_to_enter(world, client_for, url, messages):
    client = client_for(world.users["coordinator"])
    body = _errors(client.post(url.format(unit=world.unit.pk), {"name": ""}))
    for message in messages:
        assert message in body
    assert "This field is required" not in body


def test_unit_status_date_starts_as_today(world, client_for):
    body = client_for(world.users["coordinator"]).get(f"/units/{world.unit.pk}/status/")
    today, html = timezone.localdate(), body.content.decode()
    for box, value in enumerate((today.day, today.month, today.year)):
        assert f'name="changed_on_{box}" value="{value}"' in html
