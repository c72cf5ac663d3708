"""Signing in with an email address and password; lockout after repeated failures."""

import re

import pytest

from conftest import PASSWORD
from minipolice.accounts.tests.helpers import (
    LOGIN,
    assert_govuk_page,
    error_summary_links,
    main_text,
    production_settings,
    sign_in,
    signed_in_user_id,
    text,
)


def test_login_page_is_a_govuk_form_with_no_sign_up_link(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert_govuk_page(response)
    html = text(response)
    assert '<h1 class="govuk-heading-l">Sign in to Mini Police Hub</h1>' in html
    assert '<label class="govuk-label govuk-label--s" for="id_login">Email address</label>' in html
    assert 'autocomplete="current-password"' in html
    assert 'class="govuk-button"' in html
    assert "/accounts/signup/" not in html
    assert "sign up" not in html.lower()


def test_staff_sign_in_with_email_in_any_letter_case_and_password(client, world):
    """(Parents never sign in here: test_guardian_accounts.py.)"""
    teacher = world.users["teacher"]
    response = sign_in(client, "Teacher@Example.org", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_user_id(client) == str(teacher.pk)


def test_sign_in_returns_to_the_page_asked_for(client, world):
    response = client.get("/children/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/children/"
    response = client.post(
        f"{LOGIN}?next=/children/",
        {"login": world.users["teacher"].email, "password": PASSWORD, "next": "/children/"},
    )
    assert response["Location"] == "/children/"


def test_wrong_password_shows_an_error_summary_and_signs_nobody_in(client, world):
    response = sign_in(client, world.users["coordinator"].email, "not-my-password")
    assert response.status_code == 200
    assert_govuk_page(response)
    assert error_summary_links(response) == [
        ("#id_login", "Enter a correct email address and password")
    ]
    assert "<title>Error: Sign in" in text(response)
    assert "govuk-input--error" in text(response)
    assert signed_in_user_id(client) is None
    assert client.get("/").status_code == 302


def test_unknown_email_gets_the_same_answer_as_a_wrong_password(client, world):
    wrong_password = sign_in(client, world.users["coordinator"].email, "not-my-password")
    unknown_email = sign_in(client, "nobody@example.org", "not-my-password")
    assert error_summary_links(unknown_email) == error_summary_links(wrong_password)
    assert main_text(unknown_email).replace("nobody@example.org", "EMAIL") == main_text(
        wrong_password
    ).replace(world.users["coordinator"].email, "EMAIL")


def test_empty_form_names_each_missing_field(client, db):
    response = sign_in(client, "", "")
    assert error_summary_links(response) == [
        ("#id_login", "Enter your email address"),
        ("#id_password", "Enter your password"),
    ]
    html = text(response)
    assert 'aria-describedby="id_login-error"' in html
    assert 'aria-describedby="id_password-error"' in html


def test_badly_formed_email_is_explained(client, db):
    response = sign_in(client, "not-an-email", PASSWORD)
    assert error_summary_links(response) == [
        ("#id_login", "Enter an email address in the correct format, like name@example.org")
    ]


def test_inactive_account_cannot_sign_in(client, world):
    teacher = world.users["teacher"]
    teacher.is_active = False
    teacher.save(update_fields=["is_active"])
    sign_in(client, teacher.email, PASSWORD)
    assert signed_in_user_id(client) is None


def test_sign_up_is_closed(client, db):
    page = client.get("/accounts/signup/")
    assert page.status_code == 200
    assert_govuk_page(page)
    assert "You cannot create an account here" in text(page)
    client.post(
        "/accounts/signup/",
        {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    from minipolice.accounts.models import User

    assert not User.objects.filter(email="new@example.org").exists()


def test_sign_out_asks_first_then_signs_out_on_post(client, client_for, world):
    client_for(world.users["guardian"])
    page = client.get("/accounts/logout/")
    assert page.status_code == 200
    assert_govuk_page(page)
    assert signed_in_user_id(client) is not None
    response = client.post("/accounts/logout/")
    assert response["Location"] == LOGIN
    assert signed_in_user_id(client) is None


# Lockout (django-axes, AXES_FAILURE_LIMIT = 5).


def test_five_wrong_passwords_lock_out_even_the_right_password(client, world):
    email = world.users["teacher"].email
    for _ in range(4):
        response = sign_in(client, email, "not-my-password")
        assert response.status_code == 200
        assert error_summary_links(response)
    fifth = sign_in(client, email, "not-my-password")
    assert fifth.status_code == 429
    sixth = sign_in(client, email, PASSWORD)
    assert sixth.status_code == 429
    assert_govuk_page(sixth)
    assert "You have tried to sign in too many times" in text(sixth)
    assert signed_in_user_id(client) is None
    assert client.get("/").status_code == 302


def test_with_production_rate_limits_the_sixth_try_is_still_refused(client, world, settings):
    """Outside tests allauth's own limit may answer before django-axes: different page, same
    refusal, same words."""
    settings.ACCOUNT_RATE_LIMITS = production_settings(DEBUG="false")["rate_limits"]
    email = world.users["teacher"].email
    answers = [sign_in(client, email, "not-my-password").status_code for _ in range(5)]
    assert answers == [200, 200, 200, 200, 429]
    sixth = sign_in(client, email, PASSWORD)
    assert sixth.status_code in (200, 429)
    assert "You have tried to sign in too many times" in text(sixth)
    assert signed_in_user_id(client) is None


def test_lockout_page_does_not_say_whether_the_account_exists(client, world):
    def locked_out_page(email, address):
        for _ in range(5):
            client.post(LOGIN, {"login": email, "password": "not-my-password"}, REMOTE_ADDR=address)
        return client.post(LOGIN, {"login": email, "password": PASSWORD}, REMOTE_ADDR=address)

    existing = locked_out_page(world.users["coordinator"].email, "192.0.2.1")
    missing = locked_out_page("nobody@example.org", "192.0.2.2")
    assert existing.status_code == missing.status_code == 429

    def without_nonce(response):
        # The nonce, and the CSRF token of the language switch's form, differ on every page.
        page = re.sub(r'nonce="[^"]*"', "", text(response))
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)

    assert without_nonce(existing) == without_nonce(missing)
    assert "nobody@example.org" not in text(missing)


def test_lockout_follows_the_account_whatever_the_address_or_letter_case(client, world):
    """Failures count against the email address too, not only the IP address."""
    spellings = ["Coord@example.org", "COORD@EXAMPLE.ORG", "coord@Example.org", "cOord@example.org"]
    for number, email in enumerate([*spellings, "coord@example.ORG"]):
        client.post(
            LOGIN, {"login": email, "password": "wrong"}, REMOTE_ADDR=f"198.51.100.{number + 1}"
        )
    response = client.post(
        LOGIN, {"login": "coord@example.org", "password": PASSWORD}, REMOTE_ADDR="198.51.100.99"
    )
    assert response.status_code == 429
    assert signed_in_user_id(client) is None


def test_successful_sign_in_clears_earlier_failures(client, world):
    email = world.users["teacher"].email
    for _ in range(4):
        sign_in(client, email, "not-my-password")
    sign_in(client, email, PASSWORD)
    client.post("/accounts/logout/")
    for _ in range(4):
        assert sign_in(client, email, "not-my-password").status_code == 200
    sign_in(client, email, PASSWORD)
    assert signed_in_user_id(client) == str(world.users["teacher"].pk)


@pytest.mark.parametrize("debug", ["false", "true"])
def test_passwords_are_hashed_with_argon2_outside_tests(debug):
    settings = production_settings(DEBUG=debug)
    assert settings["hashers"][0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert settings["hash"].startswith("argon2")


@pytest.mark.parametrize(
    "path",
    [
        LOGIN,
        "/accounts/signup/",
        "/accounts/inactive/",
        "/accounts/confirm-email/",
        "/accounts/confirm-email/not-a-real-key/",
        "/accounts/password/reset/",
        "/accounts/password/reset/done/",
        "/accounts/password/reset/key/1-not-a-real-key/",
        "/accounts/password/reset/key/done/",
    ],
)
def test_every_page_reachable_before_sign_in_uses_the_site_layout(client, db, path):
    response = client.get(path, follow=True)
    assert response.status_code == 200
    assert_govuk_page(response)
    assert 'class="govuk-heading-l"' in text(response)
