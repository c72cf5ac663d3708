"""The language switch through HTTP: English and Welsh (settings.LANGUAGES). A visitor gets
their browser's language; the switch on every page keeps a choice in a cookie, and a signed-in
user's choice on their account too, so it follows them to another browser."""

import pytest
from django.conf import settings
from django.test import Client

from minipolice.accounts.tests.helpers import (
    LOGIN,
    MFA_AUTHENTICATE,
    add_authenticator,
    current_code,
    sign_in,
)

SWITCH = "/language/"
COOKIE = settings.LANGUAGE_COOKIE_NAME


@pytest.fixture
def no_demo_mode(settings):
    settings.ALLOW_DEMO_WITHOUT_MFA = False


def html_lang(response) -> str:
    page = response.content.decode()
    start = page.index("<html lang=") + len('<html lang="')
    return page[start : page.index('"', start)]


@pytest.mark.django_db
def test_switching_to_welsh_sets_the_cookie_and_goes_back_to_the_page(client):
    response = client.post(SWITCH, {"language": "cy", "next": "/accounts/password/reset/"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/"
    assert client.cookies[COOKIE].value == "cy"
    page = client.get("/accounts/password/reset/")
    assert html_lang(page) == "cy"
    assert "Ailosod eich cyfrinair" in page.content.decode()
    assert "Reset your password" not in page.content.decode()


@pytest.mark.django_db
def test_switching_back_to_english(client):
    client.post(SWITCH, {"language": "cy", "next": "/"})
    client.post(SWITCH, {"language": "en-gb", "next": "/"})

    page = client.get(LOGIN)
    assert client.cookies[COOKIE].value == "en-gb"
    assert html_lang(page) == "en-gb"
    assert "Sign in to Mini Police Hub" in page.content.decode()


@pytest.mark.django_db
def test_a_visitor_whose_browser_asks_for_welsh_gets_welsh(client):
    page = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="cy")

    assert html_lang(page) == "cy"
    text = page.content.decode()
    assert "Mewngofnodi i Mini Police Hub" in text
    assert "Neidio i’r prif gynnwys" in text
    assert "Sign in to Mini Police Hub" not in text
    # The switch offers English, in English.
    assert 'lang="en-gb"' in text and ">English</button>" in text


@pytest.mark.django_db
def test_english_is_the_default(client):
    page = client.get(LOGIN)

    assert html_lang(page) == "en-gb"
    assert "Sign in to Mini Police Hub" in page.content.decode()


def test_a_signed_in_users_choice_is_kept_on_their_account(client_for, world):
    leader = world.users["leader"]
    client = client_for(leader)

    client.post(SWITCH, {"language": "cy", "next": "/"})

    leader.refresh_from_db()
    assert leader.language == "cy"
    page = client.get("/")
    assert html_lang(page) == "cy"
    assert "Hafan" in page.content.decode()
    assert "Allgofnodi" in page.content.decode()


@pytest.mark.usefixtures("no_demo_mode")
def test_the_choice_follows_the_user_to_a_new_browser_when_they_sign_in(world):
    leader = world.users["leader"]
    add_authenticator(leader)
    leader.language = "cy"
    leader.save(update_fields=["language"])
    browser = Client()  # no language cookie, an English browser

    response = sign_in(browser, leader.email)
    assert response["Location"] == MFA_AUTHENTICATE
    browser.post(MFA_AUTHENTICATE, {"code": current_code(leader)})

    page = browser.get("/", HTTP_ACCEPT_LANGUAGE="en-GB")
    assert page.status_code == 200
    assert html_lang(page) == "cy"
    assert "Allgofnodi" in page.content.decode()


def test_force_login_copies_the_accounts_language_into_the_session(world, client_for):
    # force_login sends user_logged_in too: the session gets the account's language.
    leader = world.users["leader"]
    leader.language = "cy"
    leader.save(update_fields=["language"])

    client = client_for(leader)

    assert client.session["language"] == "cy"
    assert html_lang(client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB")) == "cy"


def test_a_user_without_a_choice_gets_their_browsers_language(world, client_for):
    client = client_for(world.users["leader"])

    assert html_lang(client.get("/", HTTP_ACCEPT_LANGUAGE="cy")) == "cy"
    assert html_lang(client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB")) == "en-gb"


@pytest.mark.django_db
def test_an_unknown_language_is_refused(client):
    response = client.post(SWITCH, {"language": "fr", "next": "/accounts/login/"})

    assert response.status_code == 302
    assert COOKIE not in response.cookies
    assert html_lang(client.get(LOGIN)) == "en-gb"


def test_an_unknown_language_is_not_kept_on_the_account(world, client_for):
    leader = world.users["leader"]
    client = client_for(leader)

    client.post(SWITCH, {"language": "xx", "next": "/"})

    leader.refresh_from_db()
    assert leader.language == ""
    assert COOKIE not in client.cookies


@pytest.mark.django_db
@pytest.mark.parametrize(
    "next_url", ["https://attacker.example/", "//attacker.example/", "http://testserver.evil/"]
)
def test_next_to_another_site_is_not_followed(client, next_url):
    response = client.post(SWITCH, {"language": "cy", "next": next_url})

    assert response.status_code == 302
    assert "attacker" not in response["Location"]
    assert "evil" not in response["Location"]
    assert client.cookies[COOKIE].value == "cy"


@pytest.mark.django_db
def test_the_switch_takes_posts_only(client):
    assert client.get(SWITCH, {"language": "cy", "next": "/"}).status_code == 405
    assert COOKIE not in client.cookies


@pytest.mark.django_db
def test_the_switch_on_the_page_posts_the_current_page_back(client):
    page = client.get("/accounts/password/reset/?a=1").content.decode()

    assert 'action="/language/"' in page
    assert 'name="next" value="/accounts/password/reset/?a=1"' in page
    assert 'name="language" value="cy"' in page
