"""A name already taken is said in plain words beside its field, on adding and on renaming."""

import re

from minipolice.organisations import services as org


def _field_error(html, field):
    match = re.search(
        rf'<p class="govuk-error-message" id="id_{field}-error">\s*'
        r'<span class="govuk-visually-hidden">Error:</span>\s*([^<]+)</p>',
        html,
    )
    return match.group(1).strip() if match else None


def _assert_beside_field(response, field, message):
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="govuk-error-summary"' in html
    assert f'href="#id_{field}"' in html
    assert _field_error(html, field) == message
    assert "already exists" not in html  # Django's "X with this A and B already exists."


def test_adding_an_area_with_a_name_in_use(world, client_for):
    response = client_for(world.users["coordinator"]).post("/areas/new/", {"name": "North"})
    _assert_beside_field(response, "name", "Your force already has an area with this name.")


def test_renaming_an_area_to_a_name_in_use_is_a_form_error_not_a_500(world, client_for):
    south = org.create_area(acting_user=None, force=world.force, name="South")
    response = client_for(world.users["coordinator"]).post(
        f"/areas/{south.pk}/edit/", {"name": "North"}
    )
    _assert_beside_field(response, "name", "Your force already has an area with this name.")
    south.refresh_from_db()
    assert south.name == "South"


def test_adding_a_school_with_a_name_in_use_in_the_area(world, client_for):
    response = client_for(world.users["coordinator"]).post(
        "/schools/new/", {"name": "Hilltop Primary", "area": world.area.pk}
    )
    _assert_beside_field(response, "name", "This area already has a school with this name.")


def test_renaming_a_cohort_to_a_name_in_use_in_the_unit(world, client_for):
    other = org.create_cohort(
        acting_user=None,
        unit=world.unit,
        name="Year 6",
        start_date=world.cohort.start_date,
        end_date=world.cohort.end_date,
    )
    response = client_for(world.users["coordinator"]).post(
        f"/cohorts/{other.pk}/edit/",
        {
            "name": "Year 5",
            "start_date": other.start_date.isoformat(),
            "end_date": other.end_date.isoformat(),
        },
    )
    _assert_beside_field(response, "name", "This unit already has a cohort with this name.")


def _school(client, world, postcode):
    return client.post(
        "/schools/new/", {"name": "Brook Primary", "area": world.area.pk, "postcode": postcode}
    )


def test_a_school_postcode_is_tidied_not_cut(world, client_for):
    from minipolice.organisations.models import School

    client = client_for(world.users["coordinator"])
    form = client.get("/schools/new/").content.decode()
    postcode_input = re.search(r'<input[^>]*name="postcode"[^>]*>', form).group(0)
    assert 'maxlength="8"' not in postcode_input
    assert _school(client, world, " bs4  2rx ").status_code == 302
    assert School.objects.get(name="Brook Primary").postcode == "BS4 2RX"


def test_a_wrong_postcode_says_what_is_wrong(world, client_for):
    client = client_for(world.users["coordinator"])
    too_long = _school(client, world, "BS4 2RX EXTRA")
    assert _field_error(too_long.content.decode(), "postcode").startswith(
        "A postcode has at most 7 letters and numbers"
    )
    not_one = _school(client, world, "12345")
    assert _field_error(not_one.content.decode(), "postcode") == (
        "Enter a real postcode, like BS4 2RX, or its district, like BS4."
    )
