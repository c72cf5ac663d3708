"""Forces' areas, schools, units and cohorts in Welsh when the browser asks for Welsh."""

import datetime

from django.utils import timezone

WELSH = {"HTTP_ACCEPT_LANGUAGE": "cy"}


def _page(client, url):
    response = client.get(url, **WELSH)
    assert response.status_code == 200
    return response.content.decode()


def test_unit_page_is_in_welsh_with_no_english_left(world, client_for):
    page = _page(client_for(world.users["coordinator"]), f"/units/{world.unit.pk}/")
    for welsh in ("Statws", "Gweithredol", "Ysgol", "Arweinwyr", "Hanes y statws", "Carfanau"):
        assert welsh in page
    # (The navigation of base.html is the project-wide catalogue's, so not checked here.)
    for english in ("Status history", "Funding", "Timeline: sessions", "Add a cohort", "since"):
        assert english not in page


def test_lists_cohort_and_forms_are_in_welsh(world, client_for):
    client = client_for(world.users["coordinator"])
    assert "Ychwanegu ardal" in _page(client, "/areas/")
    assert "Ychwanegu ysgol" in _page(client, "/schools/")
    units = _page(client, "/units/")
    assert "Ychwanegu uned" in units and "Scroll the table" not in units
    cohort = _page(client, f"/cohorts/{world.cohort.pk}/")
    assert "Mewnforio rhestr ddosbarth" in cohort and "Sesiynau a chofrestrau" in cohort
    assert "Import a class list" not in cohort
    form = _page(client, f"/units/{world.unit.pk}/status/")
    assert "Newid y statws" in form and "Dyddiad y newid" in form


def test_a_refused_status_change_is_explained_in_welsh(world, client_for):
    client = client_for(world.users["coordinator"])
    too_early = timezone.localdate() - datetime.timedelta(days=150)
    response = client.post(
        f"/units/{world.unit.pk}/status/",
        {"to_status": "paused", "changed_on": too_early.isoformat()},
        **WELSH,
    )
    page = response.content.decode()
    assert "Gwall:" in page and "Ni all y dyddiad fod cyn" in page
    assert "pan newidiodd statws yr uned i ‘gweithredol’" in page
    assert "cannot be before" not in page
