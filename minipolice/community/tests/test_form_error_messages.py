"""Each required field of the community forms says what is missing."""


def test_an_empty_leaflet_drop_says_which_fields_are_missing(world, client_for):
    client = client_for(world.users["leader"])
    response = client.post(
        f"/units/{world.unit.pk}/community-actions/new/?kind=leaflet_drop",
        {"date": "", "place": ""},
    )
    html = response.content.decode()
    assert "Enter the date of the action" in html
    assert "Enter where the leaflet drop took place" in html
    assert "This field is required." not in html


def test_a_count_that_is_not_a_number_is_named(world, client_for):
    client = client_for(world.users["leader"])
    response = client.post(
        f"/units/{world.unit.pk}/community-actions/new/?kind=litter_pick",
        {"date": "2026-01-05", "place": "Park", "bags_collected": "lots"},
    )
    assert "Enter the number of bags of litter collected as a whole number" in (
        response.content.decode()
    )


def test_the_kind_step_asks_to_select_a_kind(world, client_for):
    client = client_for(world.users["leader"])
    html = client.get(f"/units/{world.unit.pk}/community-actions/new/?kind=").content.decode()
    assert "Select what kind of community action it was" in html


def test_totals_with_empty_dates_say_which_dates_are_missing(world, client_for):
    html = client_for(world.users["coordinator"]).get("/community-totals/?start=&end=&level=")
    html = html.content.decode()
    assert "Enter the first date to count from" in html
    assert "Enter the last date to count to" in html
    assert "Select whether to total by unit, area or force" in html


def test_continue_with_no_kind_chosen_shows_the_error_summary(world, client_for):
    """Submit the first step as a browser does when no radio is ticked: only the form's other
    fields are sent."""
    import re

    client = client_for(world.users["leader"])
    url = f"/units/{world.unit.pk}/community-actions/new/"
    page = client.get(url).content.decode()
    start = page.index('<form method="get" novalidate>')
    form = page[start : page.index("</form>", start)]
    sent = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    html = client.get(url, sent).content.decode()
    assert 'class="govuk-error-summary"' in html
    assert "Select what kind of community action it was" in html
    assert 'href="#id_kind_0"' in html or 'href="#id_kind"' in html
