"""A body that is not a JSON object of the operation's schema is a 422 and changes nothing.

Every operation that takes a body is found by walking the API's own OpenAPI schema, so an
operation added later is covered without editing this file.
"""

import datetime
import json
import re

import pytest
from django.apps import apps
from django.utils import timezone

from minipolice.api.api import api as ninja_api
from minipolice.api.models import ApiToken
from minipolice.community.services import record_action
from minipolice.delivery.services import add_session, record_session_details
from minipolice.people.models import Enrolment

NOT_OBJECTS = [[None, None], None, "x", 42, [], True]


def _operations_with_a_body() -> list[tuple[str, str]]:
    schema = ninja_api.get_openapi_schema()
    return [
        (method, path)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if "requestBody" in operation
    ]


OPERATIONS = _operations_with_a_body()


def _ids(world) -> dict[str, int]:
    session = add_session(
        acting_user=None,
        cohort=world.cohort,
        date=world.cohort.start_date,
        start_time=datetime.time(14, 0),
        minutes=60,
    )
    record_session_details(
        acting_user=None, session=session, leaders=[world.users["leader"]], notes="Went well."
    )
    action = record_action(
        acting_user=None,
        unit=world.unit,
        kind="leaflet_drop",
        date=timezone.localdate(),
        place="High Street",
        homes_reached=40,
    )
    return {
        "area_id": world.area.pk,
        "school_id": world.school.pk,
        "unit_id": world.unit.pk,
        "cohort_id": world.cohort.pk,
        "child_id": world.child.pk,
        "guardian_id": world.guardian.pk,
        "enrolment_id": Enrolment.objects.get(child=world.child, cohort=world.cohort).pk,
        "session_id": session.pk,
        "action_id": action.pk,
    }


def _snapshot() -> dict:
    """Every row of every table of the project's apps (a token's last use is not data)."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_models()
        if model.__module__.startswith("minipolice.") and model is not ApiToken
    }


def test_every_operation_with_a_body_is_walked():
    assert len(OPERATIONS) >= 20
    assert ("post", "/api/v1/sessions/{session_id}/details") in OPERATIONS


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_a_body_that_is_not_an_object_is_a_422_and_changes_nothing(world, api_as, method, path):
    api = api_as(world.users["coordinator"])
    ids = _ids(world)
    url = re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path)
    before = _snapshot()
    for body in NOT_OBJECTS:
        response = getattr(api.client, method)(
            url, data=json.dumps(body), content_type="application/json", headers=api.headers
        )
        assert response.status_code == 422, (body, response.content)
        assert response.json()["detail"] == "The request body must be a JSON object."
        assert response.json()["errors"]
    assert _snapshot() == before


def test_session_details_are_not_wiped_by_a_list(world, api_as):
    api = api_as(world.users["coordinator"])
    ids = _ids(world)
    response = api.post(f"/sessions/{ids['session_id']}/details", [None, None])
    assert response.status_code == 422
    session = api.get(f"/sessions/{ids['session_id']}").json()
    assert session["notes"] == "Went well."
    assert session["leaders_present"] == [world.users["leader"].pk]


def test_a_nested_item_that_is_not_an_object_is_a_422(world, api_as):
    api = api_as(world.users["coordinator"])
    ids = _ids(world)
    response = api.client.put(
        f"/api/v1/sessions/{ids['session_id']}/attendance",
        data=json.dumps({"marks": [42]}),
        content_type="application/json",
        headers=api.headers,
    )
    assert response.status_code == 422
    assert "marks.0" in response.json()["errors"]


def test_without_a_token_a_malformed_body_is_still_a_401(world, anonymous_api):
    response = anonymous_api.post("/areas", [None, None])
    assert response.status_code == 401


def test_a_well_formed_object_still_works(world, api_as):
    api = api_as(world.users["coordinator"])
    response = api.post("/areas", {"force": world.force.pk, "name": "East"})
    assert response.status_code == 201
