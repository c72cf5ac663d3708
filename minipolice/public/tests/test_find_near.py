"""Finding a unit by postcode: a postcode finds the units of its district, and a search that
finds nothing suggests the nearest units in the same postcode area."""

import pytest

from minipolice.organisations import services as org


@pytest.fixture
def placed(world):
    units = {}
    for name, district, status in [
        ("Knowle Primary", "BS4", "active"),
        ("Nailsea Primary", "BS48", "active"),
        ("Horfield Primary", "BS7", "active"),
        ("Redland Primary", "BS6", "paused"),
        ("Bridgwater Primary", "TA6", "active"),
    ]:
        school = org.create_school(
            acting_user=None, area=world.area, name=name, town="Somewhere", postcode=district
        )
        units[district] = org.create_unit(
            acting_user=None, school=school, name=f"{name} MP", status=status
        )
    return units


def _find(client, world, query):
    return client.get(f"/find/{world.force.short_name}/", {"q": query}).content.decode()


@pytest.mark.parametrize("query", ["BS4", "bs4", "BS4 2RX", "bs42rx"])
def test_a_postcode_finds_the_units_of_its_district_only(world, client, placed, query):
    page = _find(client, world, query)
    assert "Knowle Primary" in page
    assert "Nailsea Primary" not in page  # BS48 is another district
    assert "Nearest units" not in page


def test_a_postcode_with_no_unit_suggests_the_nearest_in_its_postcode_area(world, client, placed):
    page = _find(client, world, "BS8 1TH")
    assert "No active units found in BS8." in page
    nearest = page[page.index("Nearest units") :]
    assert nearest.index("Horfield Primary") < nearest.index("Knowle Primary")
    assert nearest.index("Knowle Primary") < nearest.index("Nailsea Primary")
    assert f'href="/find/{world.force.short_name}/units/{placed["BS7"].pk}/"' in nearest
    assert "Redland Primary" not in page  # paused: not suggested
    assert "Bridgwater Primary" not in page  # another postcode area


def test_a_search_that_finds_nothing_and_is_no_postcode_says_what_to_try(world, client, placed):
    page = _find(client, world, "nowhere")
    assert "No active units found." in page
    assert "Nearest units" not in page
    assert "Search by your postcode" in page


def test_a_postcode_far_from_every_unit_suggests_none(world, client, placed):
    page = _find(client, world, "EX1 1AA")
    assert "No active units found in EX1." in page
    assert "Nearest units" not in page and "Search by your postcode" in page
