"""Whatever a service refuses reaches the person as a form error, never as a 500.

Each edit view is driven with valid form data while its service refuses (as it would for a rule
only the service knows, such as a name taken in the force): the page shows the error summary and
nothing is saved.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError

from minipolice.organisations import services as org_services
from minipolice.people import services as people_services

REFUSAL = "Refused by the service for a reason the form cannot know."


def _refuse(*args, **kwargs):
    raise ValidationError(REFUSAL)


def _dates():
    today = datetime.date.today()
    return today - datetime.timedelta(days=10), today + datetime.timedelta(days=300)


CASES = {
    "area_edit": (
        org_services,
        "update_area",
        lambda w: f"/areas/{w.area.pk}/edit/",
        lambda w: {"name": "Renamed"},
    ),
    "unit_edit": (
        org_services,
        "update_unit",
        lambda w: f"/units/{w.unit.pk}/edit/",
        lambda w: {"name": "Renamed", "funding_source": ""},
    ),
    "child_edit": (
        people_services,
        "update_child",
        lambda w: f"/children/{w.child.pk}/edit/",
        lambda w: {"first_name": "Ada", "last_name": "King", "year_group": "5"},
    ),
    "vetting_add": (
        people_services,
        "record_vetting",
        lambda w: f"/leaders/{w.users['leader'].pk}/vetting/new/",
        lambda w: {
            "level": "nppv2",
            "granted": _dates()[0].isoformat(),
            "expires": _dates()[1].isoformat(),
        },
    ),
    "training_add": (
        people_services,
        "record_safeguarding_training",
        lambda w: f"/leaders/{w.users['leader'].pk}/training/new/",
        lambda w: {"completed": _dates()[0].isoformat(), "expires": _dates()[1].isoformat()},
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_refusal_of_the_service_is_shown_on_the_form(case, world, client_for, monkeypatch):
    module, name, url, data = CASES[case]
    monkeypatch.setattr(module, name, _refuse)
    response = client_for(world.users["coordinator"]).post(url(world), data(world))
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert 'class="govuk-error-summary"' in html
    assert REFUSAL in html
