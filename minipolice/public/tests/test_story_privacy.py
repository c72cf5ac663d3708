"""A story's title and text, a photo's description and a reason for sending a story back can
name a child: subject access lists them, and erasing the child redacts them in the stories of
the child's units only, telling the coordinator where (by record number, never by name)."""

import json
import re

from minipolice.organisations import services as org
from minipolice.public import services
from minipolice.public.models import Story, StoryPhoto
from minipolice.public.tests.conftest import image_upload


def _story_naming_ada(world, unit=None):
    story = services.create_story(
        acting_user=world.users["leader"],
        unit=unit or world.unit,
        title="Ada Lovelace's leaflet drop",
        body="Ada led the way.\n\nEveryone helped.",
    )
    photo = services.add_story_photo(
        acting_user=world.users["leader"],
        story=story,
        image=image_upload(),
        caption="Ada with the leaflets",
    )
    return story, photo


def test_the_childs_export_lists_stories_and_photo_descriptions_that_name_them(world, client_for):
    story, photo = _story_naming_ada(world)
    response = client_for(world.users["coordinator"]).get(f"/children/{world.child.pk}/export.json")
    rows = json.loads(response.content)["sections"]["story_mentions"]["data"]
    assert [row["Record"] for row in rows] == [
        f"Story #{story.pk}",
        f"Photo #{photo.pk} in story #{story.pk}",
    ]
    assert rows[0]["Title"] == "Ada Lovelace's leaflet drop"
    assert rows[1]["Description"] == "Ada with the leaflets"


def test_erasing_a_child_redacts_their_stories_and_says_where(world, client_for):
    story, photo = _story_naming_ada(world)
    services.submit_story(
        acting_user=world.users["leader"], story=story, base_url="http://testserver/"
    )
    services.return_story(
        acting_user=world.users["coordinator"],
        story=story,
        reason="Do not name Ada in the title.",
    )
    services.publish_story(acting_user=world.users["coordinator"], story=story)
    # A story of a unit the child never belonged to keeps its own Ada.
    school = org.create_school(acting_user=None, area=world.area, name="Other school")
    unit = org.create_unit(acting_user=None, school=school, name="Other unit", status="active")
    other, other_photo = _story_naming_ada(world, unit)

    response = client_for(world.users["coordinator"]).post(
        f"/children/{world.child.pk}/erase/", {"reason": "Asked by the parent"}, follow=True
    )

    story.refresh_from_db()
    assert story.title == "[name removed]'s leaflet drop"
    assert story.body == "[name removed] led the way.\n\nEveryone helped."
    assert story.returned_reason == "Do not name [name removed] in the title."
    assert StoryPhoto.objects.get(pk=photo.pk).caption == "[name removed] with the leaflets"
    assert Story.objects.get(pk=other.pk).title == "Ada Lovelace's leaflet drop"
    assert StoryPhoto.objects.get(pk=other_photo.pk).caption == "Ada with the leaflets"
    page = response.content.decode()
    assert "title, text and reason for sending back of the story written on" in page
    assert f"(story #{story.pk})" in page
    assert f"description of photo #{photo.pk} in story #{story.pk}" in page
    # The published page shows the placeholder, not the name.
    public_page = client_for(world.users["coordinator"]).get(
        f"/find/{world.force.short_name}/stories/{story.pk}/"
    )
    # As a word: the sign-out form's random CSRF token may hold the letters "Ada".
    assert not re.search(r"\bAda\b", public_page.content.decode())
