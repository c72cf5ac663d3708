"""Stories: leaders write them with photos, coordinators publish them, consent decides who
appears, and a withdrawal takes a photo down at once."""

import datetime
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from minipolice.audit.models import AuditEntry
from minipolice.consent.services import record_consent
from minipolice.public import services
from minipolice.public.models import PhotoTag, Story, StoryPhoto
from minipolice.public.tests.conftest import image_upload


@pytest.fixture
def story(world):
    return services.create_story(
        acting_user=world.users["leader"],
        unit=world.unit,
        title="Leaflet drop on the estate",
        body="We posted crime prevention leaflets.\n\nResidents said thank you.",
        happened_on=datetime.date(2019, 4, 25),
    )


def _photo(world, story, children=()):
    return services.add_story_photo(
        acting_user=world.users["leader"],
        story=story,
        image=image_upload(),
        caption="Mini Police posting a leaflet",
        children=children,
    )


def _public_story_url(world, story):
    return f"/find/{world.force.short_name}/stories/{story.pk}/"


def _public_photo_url(world, photo):
    return f"/find/{world.force.short_name}/photos/{photo.pk}/"


# Writing -----------------------------------------------------------------------------------
def test_leader_writes_a_story_and_adds_a_photo_through_the_pages(world, client_for, media_consent):
    media_consent(world.child)
    client = client_for(world.users["leader"])
    form = client.get("/stories/new/")
    assert form.status_code == 200
    response = client.post(
        "/stories/new/",
        {
            "unit": world.unit.pk,
            "title": "Litter pick",
            "body": "We picked litter.",
            "happened_on": "",
        },
    )
    story = Story.objects.get(title="Litter pick")
    assert response.status_code == 302 and response["Location"] == f"/stories/{story.pk}/"
    assert story.author == world.users["leader"] and not story.is_published
    page = client.get(f"/stories/{story.pk}/photos/new/").content.decode()
    assert "Ada" in page
    response = client.post(
        f"/stories/{story.pk}/photos/new/",
        {
            "image": image_upload(),
            "caption": "Children with litter pickers",
            "children": [world.child.pk],
            "everyone_tagged": "on",
        },
    )
    assert response.status_code == 302
    photo = story.photos.get()
    assert list(photo.children.all()) == [world.child]
    assert photo.image.name.startswith("stories/") and photo.image.name.endswith(".jpg")
    image = client.get(f"/stories/{story.pk}/photos/{photo.pk}/")
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"


def test_children_without_website_consent_are_not_offered_for_tagging(
    world, client_for, story, media_consent
):
    media_consent(world.child, uses=("internal",))
    page = client_for(world.users["leader"]).get(f"/stories/{story.pk}/photos/new/")
    content = page.content.decode()
    assert "Ada" not in content
    assert "1 child in this unit cannot be shown" in content


def test_tagging_a_child_without_consent_is_refused(world, story):
    with pytest.raises(ValidationError, match="No consent for photos"):
        _photo(world, story, children=[world.child])
    assert not StoryPhoto.objects.exists()


def test_a_photo_form_must_confirm_every_child_is_tagged(world, client_for, story):
    response = client_for(world.users["leader"]).post(
        f"/stories/{story.pk}/photos/new/", {"image": image_upload(), "caption": "A photo"}
    )
    assert response.status_code == 200
    assert "Tick every child in the photo" in response.content.decode()
    assert not StoryPhoto.objects.exists()


@pytest.mark.parametrize(
    "upload",
    [
        lambda: SimpleUploadedFile("notes.jpg", b"not an image at all", "image/jpeg"),
        lambda: image_upload("GIF"),
        lambda: SimpleUploadedFile("x.png", image_upload("PNG").read()[:40], "image/png"),
    ],
)
def test_only_real_jpeg_and_png_photos_are_accepted(world, story, upload):
    with pytest.raises(ValidationError, match="JPEG or PNG"):
        services.add_story_photo(
            acting_user=None, story=story, image=upload(), caption="x", children=[]
        )


def test_a_photo_over_10_mb_is_refused(world, story, monkeypatch):
    from minipolice.public import images

    monkeypatch.setattr(images, "MAX_BYTES", 100)
    with pytest.raises(ValidationError, match="smaller than 10 MB"):
        _photo(world, story)


def test_the_stored_photo_has_no_exif_location(world, story):
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 8.0, 0.0)}  # GPS
    upload = image_upload(exif=exif.tobytes())
    assert b"PhoneMaker" in upload.read()
    upload.seek(0)
    photo = services.add_story_photo(
        acting_user=None, story=story, image=upload, caption="x", children=[]
    )
    stored = photo.image.open("rb").read()
    assert b"PhoneMaker" not in stored
    assert not Image.open(BytesIO(stored)).getexif()


def test_teachers_and_funders_cannot_write_stories(world, client_for, story):
    for persona in ("teacher", "funder", "guardian"):
        client = client_for(world.users[persona])
        assert client.get("/stories/").status_code == 403
        assert client.get(f"/stories/{story.pk}/").status_code == 403


def test_another_forces_coordinator_cannot_see_the_story(world, client_for, story):
    client = client_for(world.users["outsider"])
    assert client.get(f"/stories/{story.pk}/").status_code == 404
    assert client.post(f"/stories/{story.pk}/publish/").status_code == 404


# Publishing -------------------------------------------------------------------------------
def test_only_a_coordinator_publishes(world, client_for, story):
    assert (
        client_for(world.users["leader"]).post(f"/stories/{story.pk}/publish/").status_code == 403
    )
    assert (
        client_for(world.users["coordinator"]).post(f"/stories/{story.pk}/publish/").status_code
        == 302
    )
    story.refresh_from_db()
    assert story.is_published and story.published_by == world.users["coordinator"]


def test_a_draft_is_not_public(world, client, story):
    assert client.get(_public_story_url(world, story)).status_code == 404


def test_published_story_shows_the_photo_without_naming_tagged_children(
    world, client, story, media_consent
):
    media_consent(world.child)
    photo = _photo(world, story, children=[world.child])
    services.publish_story(acting_user=world.users["coordinator"], story=story)
    page = client.get(_public_story_url(world, story)).content.decode()
    assert "Leaflet drop on the estate" in page
    assert "Mini Police posting a leaflet" in page
    assert "Ada" not in page and "Lovelace" not in page and "With " not in page
    assert f"/find/{world.force.short_name}/photos/{photo.pk}/" in page
    image = client.get(_public_photo_url(world, photo))
    assert image.status_code == 200
    assert image["Content-Type"] == "image/jpeg" and image["Cache-Control"] == "no-store"
    unit_page = client.get(
        f"/find/{world.force.short_name}/units/{world.unit.pk}/"
    ).content.decode()
    assert "Leaflet drop on the estate" in unit_page and "Ada" not in unit_page


def test_publishing_checks_consent_again_and_holds_back_the_photo(world, story, media_consent):
    media_consent(world.child)
    photo = _photo(world, story, children=[world.child])
    # Expired since the photo was tagged (recorded directly, as the date simply passes).
    media_consent(world.child, expires=datetime.date.today() - datetime.timedelta(days=1))
    photo.refresh_from_db()
    held_back = services.publish_story(acting_user=None, story=story)
    assert held_back == [photo]
    photo.refresh_from_db()
    assert not photo.published and "expired" in photo.held_back_reason


def test_withdrawal_takes_the_photo_down_at_once(world, client, story, media_consent):
    media_consent(world.child)
    photo = _photo(world, story, children=[world.child])
    services.publish_story(acting_user=None, story=story)
    assert client.get(_public_photo_url(world, photo)).status_code == 200
    record_consent(
        acting_user=world.users["coordinator"],
        child=world.child,
        kind="media",
        status="withdrawn",
        method="paper",
    )
    photo.refresh_from_db()
    assert not photo.published and "withdrawn" in photo.held_back_reason
    assert client.get(_public_photo_url(world, photo)).status_code == 404
    page = client.get(_public_story_url(world, story)).content.decode()
    assert "Ada" not in page and f"/photos/{photo.pk}/" not in page
    assert AuditEntry.objects.filter(object_type="storyphoto", object_id=str(photo.pk)).exists()


def test_a_consent_of_another_kind_leaves_photos_alone(world, story, media_consent):
    media_consent(world.child)
    photo = _photo(world, story, children=[world.child])
    services.publish_story(acting_user=None, story=story)
    record_consent(
        acting_user=None, child=world.child, kind="participation", status="refused", method="paper"
    )
    photo.refresh_from_db()
    assert photo.published


def test_the_public_page_checks_consent_when_it_is_shown(world, client, story, media_consent):
    """Even a photo still flagged published is not shown once consent has lapsed."""
    media_consent(world.child, expires=datetime.date.today())
    photo = _photo(world, story, children=[world.child])
    services.publish_story(acting_user=None, story=story)
    assert client.get(_public_photo_url(world, photo)).status_code == 200
    from minipolice.consent.models import Consent

    Consent.objects.filter(child=world.child).update(
        expires=datetime.date.today() - datetime.timedelta(days=1)
    )
    photo.refresh_from_db()
    assert photo.published
    assert client.get(_public_photo_url(world, photo)).status_code == 404
    assert "Ada" not in client.get(_public_story_url(world, story)).content.decode()


def test_photos_with_no_children_are_shown_once_published(world, client, story):
    photo = _photo(world, story)
    assert client.get(_public_photo_url(world, photo)).status_code == 404
    services.publish_story(acting_user=None, story=story)
    assert client.get(_public_photo_url(world, photo)).status_code == 200


def test_a_published_story_must_be_unpublished_before_it_changes(world, client_for, story):
    services.publish_story(acting_user=None, story=story)
    with pytest.raises(ValidationError, match="Unpublish"):
        services.update_story(acting_user=None, story=story, title="Changed")
    leader = client_for(world.users["leader"])
    assert leader.get(f"/stories/{story.pk}/edit/").status_code == 302
    coordinator = client_for(world.users["coordinator"])
    assert coordinator.post(f"/stories/{story.pk}/unpublish/").status_code == 302
    story.refresh_from_db()
    assert not story.is_published
    assert (
        leader.post(
            f"/stories/{story.pk}/edit/", {"title": "Changed", "body": "Text", "happened_on": ""}
        ).status_code
        == 302
    )


def test_deleting_a_draft_removes_its_photo_files(
    world, client_for, story, django_capture_on_commit_callbacks
):
    photo = _photo(world, story)
    storage, name = photo.image.storage, photo.image.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.users["leader"]).post(f"/stories/{story.pk}/delete/")
    assert response.status_code == 302
    assert not Story.objects.filter(pk=story.pk).exists()
    assert not PhotoTag.objects.exists() and not storage.exists(name)


def test_every_story_page_renders_fully(world, client_for, client, story, media_consent):
    """No missing template variable on any page (tests render one visibly)."""
    media_consent(world.child)
    photo = _photo(world, story, children=[world.child])
    staff = client_for(world.users["coordinator"])
    pages = [
        staff.get("/stories/"),
        staff.get("/stories/?status=draft"),
        staff.get(f"/stories/{story.pk}/"),
        staff.get(f"/stories/{story.pk}/edit/"),
        staff.get(f"/stories/{story.pk}/delete/"),
        staff.get(f"/stories/{story.pk}/photos/new/"),
        staff.get(f"/stories/{story.pk}/photos/{photo.pk}/tags/"),
        staff.get("/api-tokens/"),
    ]
    services.publish_story(acting_user=None, story=story)
    Story.objects.filter(pk=story.pk).update(author=None)
    pages += [
        staff.get(f"/stories/{story.pk}/"),
        client.get("/find/"),
        client.get(f"/find/{world.force.short_name}/"),
        client.get(f"/find/{world.force.short_name}/units/{world.unit.pk}/"),
        client.get(_public_story_url(world, story)),
    ]
    for page in pages:
        assert page.status_code == 200
        assert "INVALID_TEMPLATE_VARIABLE" not in page.content.decode(), page.content.decode()
    assert f"/photos/{photo.pk}/" in pages[-1].content.decode()


def test_erasing_a_child_takes_down_their_photos_and_tags(world, client, story, media_consent):
    from minipolice.people.services import erase_child

    media_consent(world.child)
    photo = _photo(world, story, children=[world.child])
    services.publish_story(acting_user=None, story=story)
    assert client.get(_public_photo_url(world, photo)).status_code == 200
    erase_child(acting_user=world.users["coordinator"], child=world.child, reason="Parent asked")
    photo.refresh_from_db()
    assert not photo.published and "Ada" not in photo.held_back_reason
    assert not PhotoTag.objects.filter(child=world.child).exists()
    assert client.get(_public_photo_url(world, photo)).status_code == 404


def test_subject_access_export_lists_photos_marks_and_actions(
    world, client_for, story, media_consent
):
    media_consent(world.child)
    _photo(world, story, children=[world.child])
    export = (
        client_for(world.users["coordinator"]).get(f"/children/{world.child.pk}/export.json").json()
    )
    text = str(export)
    assert "Leaflet drop on the estate" in text
    assert "Register marks" in text and "Community actions" in text
