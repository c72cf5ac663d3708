"""API tokens: made by the command, stored as a hash, listed and revoked by owner and coordinator."""

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from minipolice.api.models import ApiToken
from minipolice.audit.models import AuditEntry


def test_create_api_token_prints_a_token_that_is_stored_only_as_its_hash(world, anonymous_api):
    out, err = StringIO(), StringIO()
    call_command(
        "create_api_token", "Coord@Example.org", "--name", "partner", stdout=out, stderr=err
    )
    raw = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert raw.startswith("mph_") and len(raw) > 40
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {token.token_hash, token.prefix, token.name}
    assert raw.startswith(f"mph_{token.prefix}")
    assert token.user == world.users["coordinator"] and token.name == "partner"
    assert "not shown again" in err.getvalue()
    assert AuditEntry.objects.filter(object_type="apitoken", action="create").exists()

    from minipolice.api.tests.conftest import ApiClient

    response = ApiClient(raw).get("/units")
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_create_api_token_refuses_an_unknown_email(world):
    with pytest.raises(CommandError, match="No user"):
        call_command("create_api_token", "nobody@example.org", stdout=StringIO())


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer mph_not-a-real-token", "Token abc", "Basic dXNlcjpwYXNz"],
)
def test_requests_without_a_valid_token_get_401(world, header, client):
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/children", headers=headers)
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized", "errors": None}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_signed_in_session_is_not_enough_for_the_api(world, client_for):
    response = client_for(world.users["coordinator"]).get("/api/v1/children")
    assert response.status_code == 401


def test_a_revoked_token_stops_working_at_once(world, token_for):
    from minipolice.api.tests.conftest import ApiClient

    raw = token_for(world.users["leader"])
    leader = ApiClient(raw)
    token = ApiToken.objects.get(user=world.users["leader"])
    assert leader.get("/units").status_code == 200
    response = leader.post(f"/tokens/{token.pk}/revoke")
    assert response.status_code == 200
    assert response.json()["active"] is False
    assert leader.get("/units").status_code == 401


def test_a_deactivated_users_token_does_not_work(world, api_as):
    leader = api_as(world.users["leader"])
    world.users["leader"].is_active = False
    world.users["leader"].save(update_fields=["is_active"])
    assert leader.get("/units").status_code == 401


def test_owner_sees_own_tokens_and_coordinator_sees_the_forces(world, token_for, api_as):
    token_for(world.users["leader"], name="leader's script")
    token_for(world.users["outsider"], name="other force")
    leader_list = api_as(world.users["leader"]).get("/tokens").json()
    assert {t["user"] for t in leader_list["items"]} == {"leader@example.org"}
    coordinator_list = api_as(world.users["coordinator"]).get("/tokens").json()
    users = {t["user"] for t in coordinator_list["items"]}
    assert "leader@example.org" in users and "coord@example.org" in users
    assert "outsider@example.org" not in users


def test_coordinator_revokes_a_leaders_token_but_not_another_forces(world, token_for, api_as):
    token_for(world.users["leader"])
    token_for(world.users["outsider"])
    leader_token = ApiToken.objects.get(user=world.users["leader"])
    outsider_token = ApiToken.objects.get(user=world.users["outsider"])
    coordinator = api_as(world.users["coordinator"])
    assert coordinator.post(f"/tokens/{leader_token.pk}/revoke").status_code == 200
    assert coordinator.post(f"/tokens/{outsider_token.pk}/revoke").status_code == 404
    leader_token.refresh_from_db()
    outsider_token.refresh_from_db()
    assert leader_token.revoked_at is not None and outsider_token.revoked_at is None


def test_a_teacher_cannot_revoke_a_colleagues_token(world, token_for, api_as):
    token_for(world.users["leader"])
    leader_token = ApiToken.objects.get(user=world.users["leader"])
    assert (
        api_as(world.users["teacher"]).post(f"/tokens/{leader_token.pk}/revoke").status_code == 404
    )


def test_token_page_lists_and_revokes_own_tokens(world, token_for, client_for):
    token_for(world.users["leader"], name="register app")
    token = ApiToken.objects.get(user=world.users["leader"])
    client = client_for(world.users["leader"])
    page = client.get("/api-tokens/")
    assert page.status_code == 200
    assert f"mph_{token.prefix}" in page.content.decode()
    assert "register app" in page.content.decode()
    response = client.post(f"/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "Revoked" in client.get("/api-tokens/").content.decode()


def test_token_page_of_another_user_is_not_found(world, token_for, client_for):
    token_for(world.users["coordinator"])
    token = ApiToken.objects.get(user=world.users["coordinator"])
    response = client_for(world.users["teacher"]).post(f"/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 404
