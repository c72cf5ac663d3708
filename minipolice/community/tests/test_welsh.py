"""The community action pages in Welsh: a browser asking for Welsh gets Welsh."""

from minipolice.community.tests.test_actions import leaflet_drop

WELSH = {"HTTP_ACCEPT_LANGUAGE": "cy"}


def test_recording_an_action_is_in_welsh_with_no_english_sentence_left(world, client_for):
    client = client_for(world.users["leader"])
    url = f"/units/{world.unit.pk}/community-actions/new/"

    step = client.get(url, **WELSH).content.decode()
    assert "Pa fath o weithgaredd cymunedol oedd e?" in step and "Dosbarthu taflenni" in step
    assert "What kind of community action was it?" not in step and "Leaflet drop" not in step

    form = client.get(f"{url}?kind=leaflet_drop", **WELSH).content.decode()
    for welsh in [
        "Cartrefi a gyrhaeddwyd",
        "Taflenni a ddosbarthwyd",
        "Beth a gyrhaeddwyd",
    ]:
        assert welsh in form, welsh
    for english in ["Homes reached", "What it reached", "Map point (optional)"]:
        assert english not in form, english

    response = client.post(f"{url}?kind=leaflet_drop", leaflet_drop(world), follow=True, **WELSH)
    page = response.content.decode()
    assert "Canlyniad" in page and "cartrefi a gyrhaeddwyd".capitalize() in page


def test_list_and_totals_are_in_welsh(world, client_for):
    client = client_for(world.users["coordinator"])
    listing = client.get("/community-actions/", **WELSH).content.decode()
    assert "Gweithredoedd cymunedol" in listing and "pob math" in listing
    totals = client.get("/community-totals/", **WELSH).content.decode()
    assert "Cyfansymiau gweithgareddau cymunedol" in totals and "Dangos cyfansymiau" in totals
    assert "Community action totals" not in totals
