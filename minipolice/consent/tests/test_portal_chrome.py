"""A parent only ever sees portal pages: the portal's own menu and sign-out, never the staff
menu or the staff sign-in pages, before, during and after a portal session."""

import re

from minipolice.consent.portal import PORTAL_SESSION_KEY

STAFF_MARKS = ("/accounts/", "Manage", "authenticator")


def header_of(response) -> str:
    """The page's header and menu: everything before the main content."""
    return response.content.decode().split('id="main-content"')[0]


def assert_no_staff_chrome(response):
    page = response.content.decode()
    for mark in STAFF_MARKS:
        assert mark not in page, mark


def test_portal_pages_show_the_portal_menu_and_its_own_sign_out(world, portal_client):
    for path in ("/portal/", "/portal/details/", f"/portal/children/{world.child.pk}/"):
        response = portal_client.get(path)
        assert response.status_code == 200, path
        header = header_of(response)
        assert 'action="/portal/sign-out/"' in header, path
        assert 'href="/portal/"' in header and "Your children" in header
        assert 'href="/portal/details/"' in header and "Your contact details" in header
        assert world.guardian.name in header or world.users["guardian"].email in header
        assert_no_staff_chrome(response)
    home = portal_client.get("/portal/")
    assert re.search(r'href="/portal/"[^>]*aria-current="page"', header_of(home))
    # One sign-out on the page: the one in the menu.
    assert home.content.decode().count("Sign out") == 1


def test_signing_out_of_the_portal_ends_the_session_on_a_portal_page(world, portal_client):
    response = portal_client.post("/portal/sign-out/")
    assert response["Location"] == "/portal/signed-out/"
    assert "_auth_user_id" not in portal_client.session
    assert PORTAL_SESSION_KEY not in portal_client.session
    page = portal_client.get("/portal/signed-out/")
    text = page.content.decode()
    assert "You have signed out" in text
    assert 'href="/portal/link/"' in text and "ask for a new link" in text
    assert_no_staff_chrome(page)
    assert portal_client.get("/portal/")["Location"] == "/portal/link/"


def test_the_staff_sign_out_from_an_old_portal_tab_also_lands_on_the_portal(world, portal_client):
    response = portal_client.post("/accounts/logout/")
    assert response["Location"] == "/portal/signed-out/"
    assert "_auth_user_id" not in portal_client.session
    assert portal_client.get("/portal/")["Location"] == "/portal/link/"


def test_the_staff_sign_out_page_sends_a_portal_session_back_to_the_portal(world, portal_client):
    assert portal_client.get("/accounts/logout/")["Location"] == "/portal/"
    assert "_auth_user_id" in portal_client.session


def test_a_page_not_found_in_a_portal_session_keeps_the_portal_menu(world, portal_client):
    response = portal_client.get("/portal/children/999999/")
    assert response.status_code == 404
    assert 'action="/portal/sign-out/"' in header_of(response)
    assert_no_staff_chrome(response)


def test_signed_out_portal_pages_lead_back_to_the_portal(client, world):
    for path in ("/portal/link/", "/portal/link/sent/", "/portal/signed-out/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert 'class="govuk-header__homepage-link"' in header_of(response)
        assert re.search(
            r'href="/portal/"\s+class="govuk-header__homepage-link"', header_of(response)
        )
        assert_no_staff_chrome(response)


def test_staff_keep_the_staff_menu_and_sign_out(world, client_for):
    client = client_for(world.users["coordinator"])
    header = header_of(client.get("/children/"))
    assert 'action="/accounts/logout/"' in header
    assert "/portal/sign-out/" not in header


def test_a_parents_account_is_sent_to_the_portal_from_staff_account_pages(world, client_for):
    parent = client_for(world.users["guardian"])
    for path in (
        "/accounts/2fa/totp/activate/",
        "/accounts/2fa/recovery-codes/generate/",
        "/accounts/password/change/",
        "/accounts/password/set/",
    ):
        response = parent.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/portal/"), path
