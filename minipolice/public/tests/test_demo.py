"""The demo story loads once, published, about the Stockmoor leaflet drop."""

from minipolice.demo.management.commands.load_demo import Command
from minipolice.public.demo import TITLE, load_demo_data
from minipolice.public.models import Story


def test_demo_story_is_published_once_and_shown_publicly(db, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    Command().load()
    load_demo_data()
    load_demo_data()
    story = Story.objects.get()
    assert story.title == TITLE and story.is_published
    assert story.unit.school.name == "Somerset Bridge School"
    assert story.happened_on.isoformat() == "2019-04-25"
    assert story.published_at.year == 2019
    page = client.get(f"/find/avon-and-somerset/stories/{story.pk}/")
    assert page.status_code == 200
    assert "150 homes" in page.content.decode()
    photo = story.photos.get()
    assert client.get(f"/find/avon-and-somerset/photos/{photo.pk}/").status_code == 200
    unit_page = client.get(f"/find/avon-and-somerset/units/{story.unit.pk}/").content.decode()
    assert TITLE in unit_page
