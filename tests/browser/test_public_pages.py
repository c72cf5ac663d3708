"""The public pages, as a parent or a journalist sees them: no sign-in, checked by axe."""

import pytest
from selenium.webdriver.support.ui import Select

from minipolice.consent.services import record_consent
from minipolice.public import services
from minipolice.public.tests.conftest import image_upload

pytestmark = pytest.mark.browser


@pytest.fixture
def published_story(live_world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = live_world
    record_consent(
        acting_user=None,
        child=world.child,
        kind="media",
        status="granted",
        method="paper",
        media_uses=["force_website"],
    )
    story = services.create_story(
        acting_user=world.users["leader"],
        unit=world.unit,
        title="Crime prevention leaflets for the estate",
        body="The unit designed leaflets with their PCSOs.\n\nThey delivered them to 150 homes.",
    )
    services.add_story_photo(
        acting_user=world.users["leader"],
        story=story,
        image=image_upload(size=(320, 240)),
        caption="A Mini Police officer posting a leaflet through a letterbox",
        children=[world.child],
    )
    services.publish_story(acting_user=world.users["coordinator"], story=story)
    return story


def test_a_visitor_finds_a_unit_and_reads_its_story(page, live_world, published_story):
    page.visit("/find/")
    assert page.heading == "Find a Mini Police unit"

    page.click_link("Testshire Police")
    assert page.heading == "Find a Mini Police unit"
    assert "Hilltop Primary" in page.text

    page.submit_form(q="nowhere")
    assert "No active units found." in page.text

    page.visit(f"/find/{live_world.force.short_name}/")
    page.click_link("Hilltop Primary")
    assert page.heading == "Hilltop Mini Police"
    assert page.summary_value("School") == "Hilltop Primary"

    page.click_link("Crime prevention leaflets for the estate")
    assert page.heading == "Crime prevention leaflets for the estate"
    # No child's name nor initial anywhere on the public site, beside a photo or elsewhere.
    assert "Ada" not in page.text and "Lovelace" not in page.text and "With " not in page.text
    loaded = page.driver.execute_script(
        "const img = document.querySelector('img.mp-story-photo');"
        "return img && img.complete && img.naturalWidth;"
    )
    assert loaded == 320


def test_an_unknown_force_is_a_404_page(page, live_world):
    page.visit("/find/atlantis/", status=404)
    assert "not found" in page.text.lower() or "could not find" in page.text.lower()


def test_a_leader_writes_a_story_and_a_coordinator_publishes_it(
    page, live_world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    record_consent(
        acting_user=None,
        child=live_world.child,
        kind="media",
        status="granted",
        method="paper",
        media_uses=["force_website"],
    )
    page.sign_in(live_world.users["leader"])
    page.navigate_to("Stories")
    assert page.heading == "Stories"
    page.click_link("Write a story")
    assert page.heading == "Write a story"
    Select(page.driver.find_element("name", "unit")).select_by_visible_text("Hilltop Mini Police")
    page.submit_form(title="Our litter pick", body="We collected six bags of litter.")
    assert page.heading == "Our litter pick"

    page.click_link("Add a photo")
    photo = tmp_path / "litter.jpg"
    photo.write_bytes(image_upload().read())
    page.driver.find_element("name", "image").send_keys(str(photo))
    page.driver.find_element(
        "css selector", f"input[name=children][value='{live_world.child.pk}']"
    ).click()
    page.driver.find_element("name", "everyone_tagged").click()
    page.submit_form(caption="Children holding full bags of litter")
    assert page.heading == "Our litter pick"
    assert "Ada Lovelace" in page.text
    page._follow(
        page.driver.find_element("xpath", "//button[normalize-space()='Submit for review']")
    )
    assert "Waiting for review" in page.text

    page.navigate_to("Sign out")
    page.sign_in(live_world.users["coordinator"])
    assert "1 story waiting for review" in page.text
    page.click_link("1 story waiting for review")
    assert page.heading == "Stories waiting for review"
    page.click_link("Our litter pick")
    page._follow(page.driver.find_element("xpath", "//button[normalize-space()='Publish']"))
    assert "Story published." in page.text
    page.click_link("see the public page")
    assert page.heading == "Our litter pick"
    assert "Ada" not in page.text and "Lovelace" not in page.text


def test_the_api_documentation_page_is_readable_without_scripts(page, live_world):
    page.visit("/api/v1/docs")
    assert page.heading == "Mini Police Hub API"
    assert "/api/v1/units/{unit_id}/status" in page.text
