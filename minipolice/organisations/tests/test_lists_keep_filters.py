"""Searching, sorting, filtering and paging a list keep each other's choices."""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from minipolice.organisations.models import Unit


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_searching_units_keeps_the_status_filter_and_sort(world, client_for):
    body = _page(client_for(world.users["coordinator"]), "/units/?status=active&sort=-name")
    assert '<input type="hidden" name="status" value="active">' in body
    assert '<input type="hidden" name="sort" value="-name">' in body
    assert '<input type="hidden" name="q"' not in body


def test_sorting_units_keeps_the_search_and_status_filter(world, client_for):
    body = _page(client_for(world.users["coordinator"]), "/units/?q=Hill&status=active&page=1")
    assert 'href="?q=Hill&status=active&sort=-name"' in body
    assert 'href="?q=Hill&status=active&sort=school"' in body


def test_status_links_keep_the_search_and_sort(world, client_for):
    body = _page(client_for(world.users["coordinator"]), "/units/?q=Hill&sort=-name&status=active")
    assert 'href="?q=Hill&sort=-name&status=closed"' in body
    assert 'href="?q=Hill&sort=-name">all</a>' in body


def test_current_status_filter_is_bold_text_not_a_link(world, client_for):
    body = _page(client_for(world.users["coordinator"]), "/units/?status=active")
    assert '<strong aria-current="true">active</strong>' in body
    assert 'href="?status=active"' not in body
    body = _page(client_for(world.users["coordinator"]), "/units/")
    assert '<strong aria-current="true">all</strong>' in body


def test_next_page_keeps_search_status_and_sort(world, client_for, settings):
    settings.PAGE_SIZE = 1
    for name in ["Hill A", "Hill B"]:
        Unit.objects.create(
            school=world.school, name=name, status="active", status_since=timezone.localdate()
        )
    body = _page(client_for(world.users["coordinator"]), "/units/?q=Hill&status=active&sort=name")
    assert 'href="?q=Hill&status=active&sort=name&page=2"' in body


def test_audit_action_links_keep_the_search(world, client_for):
    body = _page(client_for(world.users["coordinator"]), "/audit/?q=Lovelace&action=create")
    assert 'href="?q=Lovelace&action=update"' in body
    assert '<strong aria-current="true">created</strong>' in body
    assert '<input type="hidden" name="action" value="create">' in body


@pytest.mark.parametrize(
    ("url", "label"),
    [
        ("/units/", "Units"),
        ("/schools/", "Schools"),
        ("/cohorts/", "Cohorts"),
        ("/children/", "Children"),
        ("/leaders/", "Leaders"),
        ("/audit/", "Audit entries"),
    ],
)
def test_list_tables_scroll_sideways_on_a_narrow_screen(world, client_for, url, label):
    body = _page(client_for(world.users["coordinator"]), url)
    assert (
        f'<div class="mp-table-scroll" role="region" aria-label="{label}" tabindex="0">\n'
        '<table class="govuk-table' in body
    )


def test_unit_list_queries_do_not_grow_with_filters_kept(world, client_for):
    client = client_for(world.users["coordinator"])
    client.get("/units/")  # warm the session
    for n in range(30):
        Unit.objects.create(
            school=world.school,
            name=f"Hill {n}",
            status="active",
            status_since=world.unit.status_since,
        )
    with CaptureQueriesContext(connection) as plain:
        client.get("/units/")
    with CaptureQueriesContext(connection) as filtered:
        client.get("/units/?q=Hill&status=active&sort=-name&page=2")
    assert len(filtered) == len(plain)
