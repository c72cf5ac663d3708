"""Errors: 400 with reasons per field, 401, 403, 404 (missing and not yours alike), 409."""

import datetime

import pytest


@pytest.fixture
def api(world, api_as):
    return api_as(world.users["coordinator"])


def test_bad_input_is_a_400_with_reasons_per_field(world, api):
    response = api.post("/units", {"school": world.school.pk, "name": "", "status": "asleep"})
    assert response.status_code == 400
    body = response.json()
    assert set(body["errors"]) == {"name", "status"}
    assert body["detail"] == "The request was not valid."


def test_a_service_refusal_is_a_400_naming_its_field(world, api):
    response = api.post(
        "/cohorts",
        {
            "unit": world.unit.pk,
            "name": "Backwards",
            "start_date": "2024-09-01",
            "end_date": "2024-01-01",
        },
    )
    assert response.status_code == 400
    assert "end date" in response.json()["detail"]


def test_malformed_json_is_a_400(world, api):
    response = api.client.post(
        "/api/v1/areas", data="{not json", content_type="application/json", headers=api.headers
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "Cannot parse request body"


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 101},
        {"offset": -1},
        {"force": 2**70},
        {"force": "abc"},
        {"q": "a" * 101},
    ],
)
def test_out_of_range_query_parameters_are_400s(world, api, params):
    assert api.get("/units", params).status_code == 400


@pytest.mark.parametrize("value", ["nul\x00here", "\ud800"])
def test_text_the_database_would_refuse_is_a_400(world, api, value):
    response = api.post("/areas", {"force": world.force.pk, "name": value})
    assert response.status_code == 400
    assert "name" in response.json()["errors"]


def test_huge_ids_in_the_path_are_a_400_not_a_crash(world, api):
    assert api.get(f"/units/{2**64}").status_code == 400
    assert api.get(f"/units/{2**63 - 1}").status_code == 404


def test_missing_and_other_forces_objects_are_the_same_404(world, api):
    missing = api.get("/children/999999")
    other = api.get(f"/children/{world.other_child.pk}")
    assert missing.status_code == other.status_code == 404
    assert missing.json() == other.json() == {"detail": "Not found.", "errors": None}


def test_a_duplicate_name_is_a_409(world, api):
    response = api.post("/areas", {"force": world.force.pk, "name": "North"})
    assert response.status_code == 409
    assert response.json()["detail"] == "Another record already has these details."


def test_a_duplicate_urn_is_a_409_in_words(world, api):
    response = api.post("/schools", {"area": world.area.pk, "name": "Copy", "urn": "123456"})
    assert response.status_code == 409
    assert response.json()["detail"] == "Another record already has these details."


def test_a_status_change_the_current_status_does_not_allow_is_a_409(world, api):
    response = api.post(f"/units/{world.unit.pk}/status", {"to_status": "proposed"})
    assert response.status_code == 409
    assert response.json()["errors"]["to_status"] == ["An active unit cannot become proposed."]
    world.unit.refresh_from_db()
    assert world.unit.status == "active"


def test_a_status_change_goes_through_the_service_with_its_history(world, api):
    on = datetime.date.today().isoformat()
    response = api.post(
        f"/units/{world.unit.pk}/status", {"to_status": "paused", "changed_on": on, "note": "SATs"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "paused" and body["status_since"] == on
    assert body["status_history"][-1] == {
        "from_status": "active",
        "to_status": "paused",
        "changed_on": on,
        "note": "SATs",
    }


def test_a_role_without_the_permission_gets_403(world, api_as):
    response = api_as(world.users["teacher"]).post(
        "/units", {"school": world.school.pk, "name": "Mine"}
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "Your role does not allow this."


def test_schema_and_docs_are_served(world, client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/units/{unit_id}/status" in schema["paths"]
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    operation = schema["paths"]["/api/v1/areas"]["post"]
    assert {"201", "400", "401", "403", "404", "409"} <= set(operation["responses"])
    assert client.get("/api/v1/docs").status_code == 200


@pytest.mark.logs_errors
def test_an_unexpected_error_is_logged_and_answered_500(world, api, monkeypatch, caplog):
    from minipolice.api.endpoints import organisations

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(organisations, "paginate", broken)
    response = api.get("/units")
    assert response.status_code == 500
    assert response.json()["detail"] == "Something went wrong on our side."
    assert any("a bug" in (record.exc_text or "") for record in caplog.records)


def test_a_reason_about_the_whole_body_is_listed_under_all(world, api):
    response = api.post("/guardians", {"child": world.child.pk, "name": "No Contact"})
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "__all__": ["Give an email address or a phone number, so we can ask for consent."]
    }


def test_reasons_are_in_english_whatever_language_the_caller_asks_for(world, api):
    """The API is a machine interface: partner scripts rely on its reasons, so a caller whose
    Accept-Language is Welsh (or who carries the site's Welsh cookie) still gets English."""
    api.headers["Accept-Language"] = "cy"
    api.client.cookies["mp_language"] = "cy"
    body = {
        "unit": world.unit.pk,
        "name": "Back",
        "start_date": "2024-09-01",
        "end_date": "2024-01-01",
    }
    response = api.post("/cohorts", body)
    assert response.status_code == 400
    assert "end date" in response.json()["detail"]
    assert response["Content-Language"] == "en-gb"
