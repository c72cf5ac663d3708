"""The public pages in Welsh: a visitor whose browser asks for Welsh, or who chose it with the
switch, reads them in Welsh; English stays the default."""

from django.urls import reverse


def test_a_visitor_whose_browser_asks_for_welsh_reads_the_unit_finder_in_welsh(world, client):
    page = client.get(reverse("public:find_index"), HTTP_ACCEPT_LANGUAGE="cy").content.decode()
    assert '<html lang="cy"' in page
    assert "Dod o hyd i uned Heddlu Bach" in page
    assert "Find a Mini Police unit" not in page and "Choose a police force" not in page


def test_the_language_switch_keeps_welsh_for_the_next_pages(world, client):
    response = client.post(
        reverse("switch_language"), {"language": "cy", "next": reverse("public:find_index")}
    )
    assert response.status_code == 302 and response["Location"] == reverse("public:find_index")
    page = client.get(reverse("public:find_index")).content.decode()
    assert "Dod o hyd i uned Heddlu Bach" in page
    english = client.get(reverse("public:find_index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Dod o hyd i uned Heddlu Bach" in english  # the choice wins over the browser


def test_english_is_the_default(world, client):
    page = client.get(reverse("public:find_index")).content.decode()
    assert "Find a Mini Police unit" in page and '<html lang="en-gb"' in page
