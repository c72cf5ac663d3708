"""Lists built with minipolice.lib.listing: what every list page shares."""

import html

import pytest


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


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
