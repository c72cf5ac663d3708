"""The menu keeps day-to-day work in the bar; admin and reference pages live on Manage."""

import re

import pytest


def _bar(client, url="/") -> list[str]:
    body = client.get(url).content.decode()
    start = body.index('class="govuk-service-navigation__list"')
    nav = body[start : body.index("</nav>", start)]  # the language switch is a <nav> too
    return re.findall(r'class="govuk-service-navigation__link" href="[^"]*"[^>]*>([^<]+)</a>', nav)


def test_coordinator_bar_holds_day_to_day_work_and_manage(world, client_for):
    bar = _bar(client_for(world.users["coordinator"]))
    for label in ["Home", "Units", "Cohorts", "Children", "Community actions", "Manage"]:
        assert label in bar
    for label in ["Areas", "Schools", "Guardians", "Leaders", "Audit log", "Curriculum"]:
        assert label not in bar
    assert len(bar) <= 12


def test_every_page_has_one_place_either_the_bar_or_the_manage_page(world, client, client_for):
    for role in ("coordinator", "area_lead", "leader", "teacher", "funder", "national"):
        client.logout()
        signed_in = client_for(world.users[role])
        bar = set(_bar(signed_in)) - {"Manage"}
        manage = signed_in.get("/manage/").content.decode()
        on_manage = set(
            re.findall(r'<li><a class="govuk-link" href="[^"]*">([^<]+)</a></li>', manage)
        )
        assert not bar & on_manage, (role, bar & on_manage)
    coordinator_bar = _bar(client_for(world.users["coordinator"]))
    for label in ("Action totals", "Emails to parents", "Data protection"):
        assert label not in coordinator_bar


def test_manage_page_groups_admin_pages_under_headings(world, client_for):
    body = client_for(world.users["coordinator"]).get("/manage/").content.decode()
    assert '<h1 class="govuk-heading-l">Manage</h1>' in body
    headings = re.findall(r'<h2 class="govuk-heading-m">([^<]+)</h2>', body)
    assert headings[:3] == ["People", "Programme", "Data protection and audit"]
    for path, label in [
        ("/areas/", "Areas"),
        ("/schools/", "Schools"),
        ("/guardians/", "Guardians"),
        ("/leaders/", "Leaders"),
        ("/audit/", "Audit log"),
    ]:
        assert f'<a class="govuk-link" href="{path}">{label}</a>' in body


def test_manage_is_current_in_the_bar_on_its_pages(world, client_for):
    client = client_for(world.users["coordinator"])
    body = client.get("/manage/").content.decode()
    assert 'href="/manage/" aria-current="page">Manage</a>' in body
    body = client.get("/areas/").content.decode()
    assert 'href="/manage/" aria-current="true">Manage</a>' in body
    body = client.get("/units/").content.decode()
    assert 'href="/units/" aria-current="page">Units</a>' in body
    assert 'href="/manage/">Manage</a>' in body


def test_parent_keeps_their_portal_in_the_bar_and_has_nothing_to_manage(world, client_for):
    client = client_for(world.users["guardian"])
    bar = _bar(client)
    assert "Parent portal" in bar and "Manage" not in bar
    response = client.get("/manage/")
    assert response.status_code == 200
    assert "There is nothing for you to manage" in response.content.decode()


def test_manage_page_asks_anonymous_visitors_to_sign_in(client, db):
    response = client.get("/manage/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("persona", "name"),
    [("coordinator", "Cora Coordinator"), ("leader", "PCSO Pat"), ("guardian", "Ann Lovelace")],
)
def test_header_shows_who_is_signed_in(world, client_for, persona, name):
    body = client_for(world.users[persona]).get("/").content.decode()
    assert f'<span class="govuk-visually-hidden">Signed in as </span>{name}</span>' in body
