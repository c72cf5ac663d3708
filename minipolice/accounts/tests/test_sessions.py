"""Sessions end after 30 idle minutes, and 12 hours after sign-in whatever happens."""

import time

import pytest

from conftest import PASSWORD
from minipolice.accounts.tests.helpers import LOGIN, sign_in, signed_in_user_id, text

MINUTE = 60
HOUR = 60 * MINUTE
SIGNED_OUT_MESSAGE = "You were signed out to keep children&#x27;s data safe. Sign in again."


def set_clock(client, *, signed_in_ago: float, last_seen_ago: float) -> None:
    now = time.time()
    session = client.session
    session["signed_in_at"] = now - signed_in_ago
    session["last_seen_at"] = now - last_seen_ago
    session.save()


@pytest.fixture
def coordinator(client_for, world):
    return client_for(world.users["coordinator"])


def test_signing_in_starts_both_clocks(client, world):
    before = time.time()
    sign_in(client, world.users["teacher"].email, PASSWORD)
    session = client.session
    assert before <= session["signed_in_at"] <= time.time()
    assert session["signed_in_at"] == session["last_seen_at"]


def test_the_session_cookie_ends_with_the_browser(client, world):
    response = sign_in(client, world.users["teacher"].email, PASSWORD)
    cookie = response.cookies["sessionid"]
    assert cookie["expires"] == ""
    assert cookie["max-age"] == ""
    assert cookie["httponly"]


def test_activity_within_30_minutes_keeps_you_signed_in(coordinator, world):
    set_clock(coordinator, signed_in_ago=2 * HOUR, last_seen_ago=29 * MINUTE)
    response = coordinator.get("/units/")
    assert response.status_code == 200
    assert signed_in_user_id(coordinator) == str(world.users["coordinator"].pk)
    # The visit counts as activity: the idle clock starts again.
    assert time.time() - coordinator.session["last_seen_at"] < MINUTE
    set_clock(coordinator, signed_in_ago=2 * HOUR, last_seen_ago=29 * MINUTE)
    assert coordinator.get("/units/").status_code == 200


def test_31_idle_minutes_sign_you_out(coordinator):
    set_clock(coordinator, signed_in_ago=HOUR, last_seen_ago=31 * MINUTE)
    response = coordinator.get("/units/?q=hill")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/units/%3Fq%3Dhill"
    assert signed_in_user_id(coordinator) is None
    login_page = coordinator.get(response["Location"])
    assert SIGNED_OUT_MESSAGE in text(login_page)
    # Nothing personal is reachable with the old cookie.
    assert coordinator.get("/children/").status_code == 302


def test_12_hours_after_sign_in_you_are_signed_out_however_active(coordinator):
    set_clock(coordinator, signed_in_ago=12 * HOUR + MINUTE, last_seen_ago=0)
    response = coordinator.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert signed_in_user_id(coordinator) is None


def test_just_under_12_hours_is_still_signed_in(coordinator):
    set_clock(coordinator, signed_in_ago=12 * HOUR - MINUTE, last_seen_ago=MINUTE)
    assert coordinator.get("/").status_code == 200


def test_idle_timeout_also_ends_a_real_sign_in(client, world, monkeypatch):
    """Through the real form, with the clock moved on rather than the session edited."""
    sign_in(client, world.users["teacher"].email, PASSWORD)
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200  # signed in
    later = time.time() + 31 * MINUTE
    monkeypatch.setattr("minipolice.accounts.middleware.time.time", lambda: later)
    assert client.get("/")["Location"] == f"{LOGIN}?next=/"
    assert signed_in_user_id(client) is None


def test_timed_out_form_post_does_not_reach_the_view(coordinator, world):
    set_clock(coordinator, signed_in_ago=HOUR, last_seen_ago=31 * MINUTE)
    response = coordinator.post("/areas/new/", {"name": "Should not be saved"})
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    from minipolice.organisations.models import Area

    assert not Area.objects.filter(name="Should not be saved").exists()


def test_timed_out_htmx_request_sends_the_whole_page_to_sign_in(coordinator):
    set_clock(coordinator, signed_in_ago=HOUR, last_seen_ago=31 * MINUTE)
    response = coordinator.get(
        "/units/",
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/cohorts/?page=2"},
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{LOGIN}?next=/cohorts/%3Fpage%3D2"
    assert signed_in_user_id(coordinator) is None


def test_timing_out_on_the_sign_in_page_just_shows_it(coordinator):
    set_clock(coordinator, signed_in_ago=HOUR, last_seen_ago=31 * MINUTE)
    response = coordinator.get(LOGIN)
    assert response.status_code == 200
    assert SIGNED_OUT_MESSAGE in text(response)
