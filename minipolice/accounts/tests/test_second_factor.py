"""The second factor: staff set up an authenticator app, then give its code at every sign-in."""

import re

import pytest
from allauth.mfa.models import Authenticator

from conftest import PASSWORD
from minipolice.accounts.services import create_user
from minipolice.accounts.tests.helpers import (
    LOGIN,
    MFA_AUTHENTICATE,
    RECOVERY_CODES,
    TOTP_SETUP,
    add_authenticator,
    assert_govuk_page,
    code_for,
    current_code,
    error_summary_links,
    production_settings,
    secret_on_setup_page,
    sign_in,
    signed_in_user_id,
    text,
)

DEMO_BANNER = "Demo mode: this account signed in without a second factor."


@pytest.fixture
def no_demo_mode(settings):
    settings.ALLOW_DEMO_WITHOUT_MFA = False


def set_up_authenticator(client) -> list[str]:
    """Go through the setup page as a user with their phone would; returns the recovery codes."""
    page = client.get(TOTP_SETUP)
    assert page.status_code == 200
    response = client.post(TOTP_SETUP, {"code": code_for(secret_on_setup_page(client))})
    assert response.status_code == 302
    assert response["Location"] == RECOVERY_CODES
    codes_page = client.get(RECOVERY_CODES)
    return re.findall(r"<li><code>(\w+)</code></li>", text(codes_page))


# Setting up the authenticator app.


@pytest.mark.usefixtures("no_demo_mode")
def test_staff_without_authenticator_are_sent_to_set_one_up_from_any_page(client, world):
    sign_in(client, world.users["leader"].email)
    for path in ["/", "/units/", f"/children/{world.child.pk}/", "/audit/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == TOTP_SETUP
    setup = client.get(TOTP_SETUP)
    assert "Set up an authenticator app before you continue." in text(setup)


@pytest.mark.usefixtures("no_demo_mode")
def test_setup_page_shows_the_qr_code_and_key_in_govuk_markup(client, world):
    sign_in(client, world.users["coordinator"].email)
    page = client.get(TOTP_SETUP)
    assert page.status_code == 200
    assert_govuk_page(page)
    html = text(page)
    assert '<h1 class="govuk-heading-l">Set up your authenticator app</h1>' in html
    assert re.search(r'<img src="data:image/svg\+xml;base64,[^"]+" alt="QR code', html)
    secret = secret_on_setup_page(client)
    assert f"<code>{secret}</code>" in html
    assert f'alt="{secret}"' not in html  # the key is not the image's description
    assert 'for="id_code"' in html
    assert 'autocomplete="one-time-code"' in html
    assert 'inputmode="numeric"' in html


@pytest.mark.usefixtures("no_demo_mode")
def test_wrong_setup_code_shows_an_error_summary(client, world):
    sign_in(client, world.users["coordinator"].email)
    client.get(TOTP_SETUP)
    secret = secret_on_setup_page(client)
    wrong = "000000" if code_for(secret) != "000000" else "111111"
    response = client.post(TOTP_SETUP, {"code": wrong})
    assert response.status_code == 200
    assert_govuk_page(response)
    [(href, message)] = error_summary_links(response)
    assert href == "#id_code"
    assert message.startswith("The code is not correct")
    assert "<title>Error: Set up your authenticator app" in text(response)
    # The same key stays on the page, so the app the user already set up still fits.
    assert secret_on_setup_page(client) == secret
    assert not Authenticator.objects.filter(user=world.users["coordinator"]).exists()

    empty = client.post(TOTP_SETUP, {"code": ""})
    assert error_summary_links(empty) == [
        ("#id_code", "Enter the 6-digit code your authenticator app shows now")
    ]


@pytest.mark.usefixtures("no_demo_mode")
def test_after_setting_up_the_app_staff_save_recovery_codes_and_reach_home(client, world):
    coordinator = world.users["coordinator"]
    sign_in(client, coordinator.email)
    codes = set_up_authenticator(client)
    assert len(codes) == 10
    assert Authenticator.objects.filter(user=coordinator, type="totp").exists()
    codes_page = client.get(RECOVERY_CODES)
    assert_govuk_page(codes_page)
    assert "Your recovery codes" in text(codes_page)
    home = client.get("/")
    assert home.status_code == 200
    assert "Hello, Cora Coordinator" in text(home)


@pytest.mark.usefixtures("no_demo_mode")
def test_setting_up_later_than_five_minutes_after_sign_in_asks_for_the_password(client, world):
    sign_in(client, world.users["coordinator"].email)
    session = client.session
    session["signed_in_at"] -= 301
    session.save()
    response = client.get(TOTP_SETUP)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    page = client.get(response["Location"])
    assert_govuk_page(page)
    response = client.post(response["Location"], {"password": PASSWORD, "next": TOTP_SETUP})
    assert response["Location"] == TOTP_SETUP
    assert client.get(TOTP_SETUP).status_code == 200


# Signing in with the authenticator app.


@pytest.mark.usefixtures("no_demo_mode")
def test_staff_with_authenticator_must_enter_its_code_to_sign_in(client, world):
    leader = world.users["leader"]
    add_authenticator(leader)
    response = sign_in(client, leader.email)
    assert response.status_code == 302
    assert response["Location"] == MFA_AUTHENTICATE
    assert signed_in_user_id(client) is None  # the password alone is not enough
    assert client.get("/")["Location"].startswith(LOGIN)

    page = client.get(MFA_AUTHENTICATE)
    assert page.status_code == 200
    assert_govuk_page(page)
    assert "Enter the code from your authenticator app" in text(page)

    wrong = client.post(MFA_AUTHENTICATE, {"code": "12345678"})
    assert wrong.status_code == 200
    assert [href for href, _ in error_summary_links(wrong)] == ["#id_code"]
    assert signed_in_user_id(client) is None

    response = client.post(MFA_AUTHENTICATE, {"code": current_code(leader)})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_user_id(client) == str(leader.pk)
    assert client.get("/").status_code == 200


@pytest.mark.usefixtures("no_demo_mode")
def test_a_recovery_code_signs_in_once(client, world):
    coordinator = world.users["coordinator"]
    sign_in(client, coordinator.email)
    codes = set_up_authenticator(client)
    client.post("/accounts/logout/")

    sign_in(client, coordinator.email)
    response = client.post(MFA_AUTHENTICATE, {"code": codes[0]})
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")

    sign_in(client, coordinator.email)
    reused = client.post(MFA_AUTHENTICATE, {"code": codes[0]})
    assert reused.status_code == 200
    assert error_summary_links(reused)
    assert signed_in_user_id(client) is None


@pytest.mark.usefixtures("no_demo_mode")
def test_cancel_on_the_code_page_leaves_the_half_finished_sign_in(client, world):
    leader = world.users["leader"]
    add_authenticator(leader)
    sign_in(client, leader.email)
    page = text(client.get(MFA_AUTHENTICATE))
    assert 'form="logout-from-stage"' in page
    client.post("/accounts/logout/", {"next": LOGIN})
    assert client.get(MFA_AUTHENTICATE)["Location"].startswith(LOGIN)


@pytest.mark.usefixtures("no_demo_mode")
def test_removing_the_authenticator_sends_its_owner_back_to_set_one_up(client, world):
    leader = world.users["leader"]
    add_authenticator(leader)
    sign_in(client, leader.email)
    client.post(MFA_AUTHENTICATE, {"code": current_code(leader)})
    assert client.get("/").status_code == 200

    index = client.get("/accounts/2fa/")
    assert_govuk_page(index)
    # Removing a factor asks for the password again.
    response = client.get("/accounts/2fa/totp/deactivate/")
    assert response["Location"].startswith("/accounts/reauthenticate/")
    client.post(
        "/accounts/reauthenticate/",
        {"password": PASSWORD, "next": "/accounts/2fa/totp/deactivate/"},
    )
    page = client.get("/accounts/2fa/totp/deactivate/")
    assert_govuk_page(page)
    client.post("/accounts/2fa/totp/deactivate/")
    assert not Authenticator.objects.filter(user=leader).exists()
    response = client.get("/")
    assert response["Location"] == TOTP_SETUP


# Who must use a second factor.


@pytest.mark.usefixtures("no_demo_mode")
def test_guardian_signed_in_by_link_is_not_asked_for_a_second_factor(client, world, settings):
    """Parents have no password (test_guardian_accounts.py): the emailed link is their sign-in."""
    from django.core import mail

    from minipolice.consent.tests.conftest import IMMEDIATE_TASKS, link_in

    settings.TASKS = IMMEDIATE_TASKS
    client.post("/portal/link/", {"email": world.guardian.email})
    client.post(link_in(mail.outbox[-1]))
    assert client.get("/portal/").status_code == 200


@pytest.mark.usefixtures("no_demo_mode")
def test_teacher_who_is_also_a_parent_must_set_up_the_app(client, world):
    from minipolice.accounts.models import Role
    from minipolice.accounts.services import assign_role

    teacher = world.users["teacher"]
    assign_role(acting_user=None, user=teacher, role=Role.GUARDIAN, guardian=world.guardian)
    sign_in(client, teacher.email)
    assert client.get("/")["Location"] == TOTP_SETUP


@pytest.mark.usefixtures("no_demo_mode")
def test_account_with_no_role_yet_must_set_up_the_app(client, db):
    create_user(acting_user=None, email="new@example.org", full_name="New", password=PASSWORD)
    sign_in(client, "new@example.org")
    assert client.get("/")["Location"] == TOTP_SETUP


# Demo accounts (the `make run` demo only).


def make_demo(user):
    user.is_demo = True
    user.save(update_fields=["is_demo"])
    return user


def test_demo_account_skips_the_second_factor_on_the_demo_server_under_a_banner(
    client, world, settings
):
    settings.DEBUG = True
    settings.ALLOW_DEMO_WITHOUT_MFA = True
    demo = make_demo(world.users["coordinator"])
    sign_in(client, demo.email)
    home = client.get("/")
    assert home.status_code == 200
    assert DEMO_BANNER in text(home)


def test_demo_account_that_signed_in_with_its_authenticator_gets_no_banner(client, world, settings):
    settings.DEBUG = True
    settings.ALLOW_DEMO_WITHOUT_MFA = True
    demo = make_demo(world.users["coordinator"])
    add_authenticator(demo)
    assert sign_in(client, demo.email)["Location"] == MFA_AUTHENTICATE
    client.post(MFA_AUTHENTICATE, {"code": current_code(demo)})
    home = client.get("/")
    assert home.status_code == 200
    assert DEMO_BANNER not in text(home)


def test_demo_account_must_set_up_the_app_when_demo_mode_is_off(client, world, settings):
    settings.DEBUG = True
    settings.ALLOW_DEMO_WITHOUT_MFA = False
    demo = make_demo(world.users["coordinator"])
    sign_in(client, demo.email)
    response = client.get("/")
    assert response["Location"] == TOTP_SETUP
    assert DEMO_BANNER not in text(client.get(TOTP_SETUP))


def test_demo_account_must_set_up_the_app_when_debug_is_off(client, world, settings):
    settings.DEBUG = False
    settings.ALLOW_DEMO_WITHOUT_MFA = True  # even if somebody sets it by hand
    demo = make_demo(world.users["coordinator"])
    sign_in(client, demo.email)
    assert client.get("/")["Location"] == TOTP_SETUP


def test_real_account_on_the_demo_server_still_needs_the_app(client, world, settings):
    settings.DEBUG = True
    settings.ALLOW_DEMO_WITHOUT_MFA = True
    sign_in(client, world.users["coordinator"].email)
    assert client.get("/")["Location"] == TOTP_SETUP


def test_production_settings_never_let_demo_accounts_skip_the_second_factor():
    assert production_settings(DEBUG="false", ALLOW_DEMO_WITHOUT_MFA="true")["allow_demo"] is False
    assert production_settings(DEBUG="true")["allow_demo"] is True
    assert production_settings(DEBUG="true", ALLOW_DEMO_WITHOUT_MFA="false")["allow_demo"] is False


@pytest.mark.usefixtures("no_demo_mode")
def test_a_password_reset_asked_for_by_anyone_does_not_block_setting_up_the_app(client, world):
    """Asking for a reset records the address as unverified; that must not stop enrolment."""
    client.post("/accounts/password/reset/", {"email": world.users["coordinator"].email})
    sign_in(client, world.users["coordinator"].email)
    codes = set_up_authenticator(client)
    assert len(codes) == 10
