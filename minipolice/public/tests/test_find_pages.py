"""The public "find a Mini Police unit" pages: anyone, no sign-in, no child's name."""

from decimal import Decimal

import pytest

from minipolice.organisations import services as org
from minipolice.public import views


@pytest.fixture
def units(world):
    proposed = org.create_unit(
        acting_user=None, school=world.school, name="Planned unit", status="proposed"
    )
    school = org.create_school(
        acting_user=None,
        area=world.area,
        name="Meadow Primary",
        town="Bridgwater",
        latitude=Decimal("51.12"),
        longitude=Decimal("-3.0"),
    )
    paused = org.create_unit(acting_user=None, school=school, name="Meadow MP", status="paused")
    return {"proposed": proposed, "paused": paused}


def test_find_index_lists_forces_with_their_active_units(world, client):
    page = client.get("/find/").content.decode()
    assert "Testshire Police" in page and "1 active unit" in page
    assert f'href="/find/{world.force.short_name}/"' in page


def test_find_page_lists_only_active_units_with_school_and_area(world, client, units):
    response = client.get(f"/find/{world.force.short_name}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Hilltop Primary" in page and "North" in page
    assert "Meadow Primary" not in page and "Planned unit" not in page
    assert "1 active unit" in page
    assert "Lovelace" not in page and "Ada" not in page


def test_find_page_search(world, client, units):
    page = client.get(f"/find/{world.force.short_name}/", {"q": "nowhere"}).content.decode()
    assert "No active units found." in page
    page = client.get(f"/find/{world.force.short_name}/", {"q": "hilltop"}).content.decode()
    assert "Hilltop Primary" in page


def test_an_unknown_force_is_not_found(world, client):
    assert client.get("/find/atlantis/").status_code == 404


def test_a_paused_unit_keeps_its_page_but_a_proposed_one_has_none(world, client, units):
    force = world.force.short_name
    assert client.get(f"/find/{force}/units/{units['paused'].pk}/").status_code == 200
    assert client.get(f"/find/{force}/units/{units['proposed'].pk}/").status_code == 404
    assert client.get(f"/find/{force}/units/{world.other_unit.pk}/").status_code == 404


def test_unit_page_names_no_child(world, client):
    page = client.get(f"/find/{world.force.short_name}/units/{world.unit.pk}/").content.decode()
    assert "Hilltop Mini Police" in page and "No stories published yet." in page
    assert "Ada" not in page and "Lovelace" not in page


def test_without_leaflet_the_page_is_a_list_and_loads_no_map(world, client, units):
    org.change_unit_status(acting_user=None, unit=units["paused"], to_status="active")
    page = client.get(f"/find/{world.force.short_name}/").content.decode()
    assert "unit-map" not in page and "leaflet" not in page.lower()


def test_with_leaflet_and_a_tile_server_the_map_is_added_over_the_list(
    world, client, units, settings, tmp_path, monkeypatch
):
    org.change_unit_status(acting_user=None, unit=units["paused"], to_status="active")
    leaflet = tmp_path / "leaflet.js"
    leaflet.write_text("window.L = {};")
    monkeypatch.setattr(views, "LEAFLET_JS", leaflet)
    settings.MINIPOLICE_MAP_TILES = "https://tile.example.org/{z}/{x}/{y}.png"
    page = client.get(f"/find/{world.force.short_name}/").content.decode()
    assert 'id="unit-map"' in page and "build/leaflet/leaflet.js" in page
    assert '"lat": 51.12' in page and "Meadow Primary" in page
    assert "<table" in page  # the list stays
    assert "<script nonce" in page or "unit-map-data" in page


def test_public_pages_are_not_marked_no_store_for_visitors(world, client):
    response = client.get(f"/find/{world.force.short_name}/")
    assert "no-store" not in response.get("Cache-Control", "")
