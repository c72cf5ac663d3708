"""The public site names no child: no first name, no initial, on any page, however many
children are tagged in a story's photos. The consent form tells parents exactly that."""

import re

import pytest
from django.core import mail

from minipolice.consent.tests.conftest import IMMEDIATE_TASKS, link_in
from minipolice.people import services as people
from minipolice.public import services
from minipolice.public.tests.conftest import image_upload


@pytest.fixture
def tagged_story(world, media_consent):
    kai = people.add_child_to_cohort(
        acting_user=None, cohort=world.cohort, first_name="Kai", last_name="Ahmed", year_group=5
    )
    for child in (world.child, kai):
        media_consent(child)
    story = services.create_story(
        acting_user=None, unit=world.unit, title="Leaflet drop", body="We posted leaflets."
    )
    for children in ([world.child], [world.child, kai], [kai]):
        services.add_story_photo(
            acting_user=None,
            story=story,
            image=image_upload(),
            caption="Mini Police posting a leaflet",
            children=children,
        )
    services.publish_story(acting_user=None, story=story)
    return story, [world.child, kai]


def _public_pages(client, world, story):
    force = world.force.short_name
    pages = {
        path: client.get(path)
        for path in [
            "/find/",
            f"/find/{force}/",
            f"/find/{force}/?q=Hilltop",
            f"/find/{force}/units/{world.unit.pk}/",
            f"/find/{force}/stories/{story.pk}/",
        ]
    }
    for photo in story.photos.all():
        pages[f"/find/{force}/photos/{photo.pk}/"] = client.get(f"/find/{force}/photos/{photo.pk}/")
    return pages


def test_no_public_page_names_or_initials_a_tagged_child(world, client, tagged_story):
    story, children = tagged_story
    pages = _public_pages(client, world, story)
    assert all(response.status_code == 200 for response in pages.values()), pages
    story_page = pages[f"/find/{world.force.short_name}/stories/{story.pk}/"].content.decode()
    assert story_page.count("Mini Police posting a leaflet") >= 3  # the photos are shown
    for path, response in pages.items():
        headers = str(dict(response.headers))
        # A photo's bytes are pixels (test_photo_files.py); its headers and every page are text.
        text = "" if response.streaming else response.content.decode()
        for child in children:
            for needle in (child.first_name, child.last_name):
                assert needle not in text and needle not in headers, (path, needle)
        # No initial with a dot ("Kai A.", "A. Lovelace") anywhere, nor a "With ..." credit.
        assert not re.search(r"(?<![\w.])[A-Z]\.(?![\w.])", text), path
        assert "With " not in text, path


def test_the_consent_form_says_no_name_or_initial_is_shown_on_the_website(
    world, client, settings, tagged_story
):
    settings.TASKS = IMMEDIATE_TASKS
    mail.outbox.clear()
    client.post("/portal/link/", {"email": world.guardian.email})
    client.post(link_in(mail.outbox[-1]))
    page = client.get(f"/portal/children/{world.child.pk}/").content.decode()
    hint = re.search(r'<div class="govuk-hint" id="media-hint">(.*?)</div>', page, re.S).group(1)
    assert "never shows a child's name or initials" in hint
    assert "Names are never printed beside a photo" not in hint
