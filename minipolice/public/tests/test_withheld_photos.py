"""A photo of a child whose record was erased or anonymised (on request or by the retention
run) is withheld for good: publishing the story again, or checking consent again, never shows
it. Only tagging the children in it again, through the photo's page, lifts the hold."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from minipolice.audit.models import AuditEntry
from minipolice.people import services as people
from minipolice.public import services
from minipolice.public.models import PhotoTag, StoryPhoto
from minipolice.public.tests.conftest import image_upload


@pytest.fixture
def kai(world, media_consent):
    child = people.add_child_to_cohort(
        acting_user=None, cohort=world.cohort, first_name="Kai", last_name="Ahmed", year_group=5
    )
    media_consent(child)
    return child


@pytest.fixture
def published(world, media_consent):
    """A published story with one photo of Ada (world.child), shown publicly."""
    media_consent(world.child)
    story = services.create_story(
        acting_user=None, unit=world.unit, title="Leaflet drop", body="We posted leaflets."
    )
    photo = services.add_story_photo(
        acting_user=world.users["leader"],
        story=story,
        image=image_upload(),
        caption="Mini Police posting a leaflet",
        children=[world.child],
    )
    services.publish_story(acting_user=None, story=story)
    return story, photo


def _photo_url(world, photo):
    return f"/find/{world.force.short_name}/photos/{photo.pk}/"


def _story_url(world, story):
    return f"/find/{world.force.short_name}/stories/{story.pk}/"


def _erase(world):
    people.erase_child(
        acting_user=world.users["coordinator"], child=world.child, reason="Parent asked"
    )


def _assert_not_public(client, world, story, photo):
    assert client.get(_photo_url(world, photo)).status_code == 404
    assert f"/photos/{photo.pk}/" not in client.get(_story_url(world, story)).content.decode()


def test_after_erasure_checking_consent_again_does_not_republish_the_photo(
    world, client, client_for, published
):
    story, photo = published
    assert client.get(_photo_url(world, photo)).status_code == 200
    _erase(world)
    photo.refresh_from_db()
    assert photo.withheld_at is not None and "erased or anonymised" in photo.withheld_reason
    assert "Ada" not in photo.withheld_reason
    coordinator = client_for(world.users["coordinator"])
    # "Check consent and publish photos again" on the published story.
    assert coordinator.post(f"/stories/{story.pk}/publish/").status_code == 302
    photo.refresh_from_db()
    assert not photo.published and photo.withheld_at is not None
    client.logout()
    _assert_not_public(client, world, story, photo)


def test_after_erasure_unpublishing_and_publishing_again_keeps_the_photo_withheld(
    world, client, client_for, published
):
    story, photo = published
    _erase(world)
    coordinator = client_for(world.users["coordinator"])
    assert coordinator.post(f"/stories/{story.pk}/unpublish/").status_code == 302
    assert coordinator.post(f"/stories/{story.pk}/publish/").status_code == 302
    detail = coordinator.get(f"/stories/{story.pk}/").content.decode()
    assert "Withheld" in detail
    photo.refresh_from_db()
    assert not photo.published
    client.logout()
    _assert_not_public(client, world, story, photo)


def test_a_photo_still_showing_a_consented_child_stays_withheld_after_erasure(
    world, client, kai, media_consent
):
    media_consent(world.child)
    story = services.create_story(
        acting_user=None, unit=world.unit, title="Litter pick", body="We picked litter."
    )
    photo = services.add_story_photo(
        acting_user=None,
        story=story,
        image=image_upload(),
        caption="x",
        children=[world.child, kai],
    )
    services.publish_story(acting_user=None, story=story)
    _erase(world)
    assert list(PhotoTag.objects.filter(photo=photo).values_list("child", flat=True)) == [kai.pk]
    services.unpublish_story(acting_user=None, story=story)
    assert services.publish_story(acting_user=None, story=story) == [photo]
    _assert_not_public(client, world, story, photo)


def test_the_retention_run_withholds_the_photo_for_good(world, client, published):
    story, photo = published
    due_on = world.cohort.end_date + datetime.timedelta(days=31 * world.force.retention_months + 1)
    call_command("apply_retention", "--today", due_on.isoformat())
    world.child.refresh_from_db()
    assert world.child.anonymised_at is not None
    photo.refresh_from_db()
    assert photo.withheld_at is not None and not photo.published
    services.unpublish_story(acting_user=None, story=story)
    services.publish_story(acting_user=None, story=story)
    _assert_not_public(client, world, story, photo)


def test_even_a_photo_flagged_published_is_not_served_while_withheld(world, client, published):
    """The public pages check the hold themselves, whatever the published flag says."""
    story, photo = published
    _erase(world)
    StoryPhoto.objects.filter(pk=photo.pk).update(published=True)
    _assert_not_public(client, world, story, photo)


def test_tagging_the_children_again_lifts_the_hold_and_is_audited(
    world, client, client_for, published, kai
):
    story, photo = published
    _erase(world)
    coordinator = client_for(world.users["coordinator"])
    coordinator.post(f"/stories/{story.pk}/unpublish/")
    leader = client_for(world.users["leader"])
    page = leader.get(f"/stories/{story.pk}/photos/{photo.pk}/tags/")
    assert page.status_code == 200
    content = page.content.decode()
    assert "was withheld" in content and "Kai Ahmed" in content
    assert "INVALID_TEMPLATE_VARIABLE" not in content
    response = leader.post(
        f"/stories/{story.pk}/photos/{photo.pk}/tags/",
        {"children": [kai.pk], "everyone_tagged": "on"},
    )
    assert response.status_code == 302 and response["Location"] == f"/stories/{story.pk}/"
    photo.refresh_from_db()
    assert photo.withheld_at is None and photo.withheld_reason == ""
    assert list(photo.children.all()) == [kai]
    entry = AuditEntry.objects.filter(object_type="storyphoto", object_id=str(photo.pk)).latest(
        "at", "id"
    )
    assert entry.actor == world.users["leader"]
    assert entry.fields["children"] == [[], [kai.pk]]
    assert entry.fields["withheld"] == [True, False]
    coordinator = client_for(world.users["coordinator"])
    assert coordinator.post(f"/stories/{story.pk}/publish/").status_code == 302
    photo.refresh_from_db()
    assert photo.published
    client.logout()
    assert client.get(_photo_url(world, photo)).status_code == 200


def test_a_withheld_photo_cannot_be_cleared_by_tagging_nobody(world, client_for, published):
    story, photo = published
    _erase(world)
    services.unpublish_story(acting_user=None, story=story)
    response = client_for(world.users["leader"]).post(
        f"/stories/{story.pk}/photos/{photo.pk}/tags/", {"everyone_tagged": "on"}
    )
    assert response.status_code == 200
    assert "Tick the children who can be recognised" in response.content.decode()
    photo.refresh_from_db()
    assert photo.withheld_at is not None


def test_tagging_again_needs_consent_and_a_draft(world, client_for, published, kai):
    from django.core.exceptions import ValidationError

    story, photo = published
    _erase(world)
    with pytest.raises(ValidationError, match="Unpublish"):
        services.retag_story_photo(acting_user=None, photo=photo, children=[kai])
    services.unpublish_story(acting_user=None, story=story)
    no_consent = people.add_child_to_cohort(
        acting_user=None, cohort=world.cohort, first_name="Noor", last_name="Bell", year_group=5
    )
    with pytest.raises(ValidationError, match="No consent for photos"):
        services.retag_story_photo(acting_user=None, photo=photo, children=[no_consent])
    photo.refresh_from_db()
    assert photo.withheld_at is not None
    leader = client_for(world.users["leader"])
    services.publish_story(acting_user=None, story=story)
    page = leader.get(f"/stories/{story.pk}/photos/{photo.pk}/tags/")
    assert page.status_code == 302 and page["Location"] == f"/stories/{story.pk}/"


def test_another_forces_coordinator_cannot_tag_the_photo(world, client_for, published, kai):
    story, photo = published
    services.unpublish_story(acting_user=None, story=story)
    outsider = client_for(world.users["outsider"])
    assert outsider.get(f"/stories/{story.pk}/photos/{photo.pk}/tags/").status_code == 404
    response = outsider.post(
        f"/stories/{story.pk}/photos/{photo.pk}/tags/",
        {"children": [kai.pk], "everyone_tagged": "on"},
    )
    assert response.status_code == 404
    assert list(photo.children.all()) == [world.child]


def test_photos_held_back_by_erasure_before_this_change_are_withheld(world, published):
    """The migration marks photos the old hook held back (its reason is the only trace)."""
    import importlib

    from django.apps import apps as global_apps

    story, photo = published
    StoryPhoto.objects.filter(pk=photo.pk).update(
        published=False, held_back_reason="A child in this photo has been anonymised"
    )
    migration = importlib.import_module("minipolice.public.migrations.0002_storyphoto_withheld")
    migration.withhold_anonymised(global_apps, None)
    photo.refresh_from_db()
    assert photo.withheld_at is not None
    assert timezone.now() - photo.withheld_at < datetime.timedelta(minutes=5)
