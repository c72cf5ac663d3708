"""The public app's personal data about a child: the story photos they are tagged in.

Anonymising a child (erasure on request, or the retention run: both come through
people.services.anonymise_child) withholds every photo they are tagged in for good — a photo
shows a face whatever the record says — and removes their tags; the stories themselves stay.
A withheld photo is never published again until someone tags the children in it again
(public.services.retag_story_photo), so an untagged photo cannot slip back out.

A story's title and text, a photo's description and a coordinator's reason for sending a story
back may name a child (or a parent) although the form asks not to: `remove_identifiers`
redacts them in the stories of the person's units, published or not (a published story then
shows the placeholder), and says where by record number; the subject access export lists them.
"""

from django.utils import timezone

from minipolice.lib.privacy import Identifiers, Section, mentions, redact_rows
from minipolice.people.privacy import (
    child_identifiers,
    guardian_identifiers,
    mention_section,
    words,
)
from minipolice.public.models import PhotoTag, Story, StoryPhoto
from minipolice.public.services import unpublish_photos_for_child

STORY_TEXT = ["title", "body", "returned_reason"]
STORY_LABELS = {"title": "title", "body": "text", "returned_reason": "reason for sending back"}

WITHHELD_REASON = (
    "A child in this photo had their record erased or anonymised. Tag the children in it "
    "again before it can be published."
)


def child_sections(child) -> list[Section]:
    tags = (
        PhotoTag.objects.filter(child=child)
        .select_related("photo__story")
        .order_by("photo__story__title", "pk")
    )
    return [
        Section(
            "story_photos",
            "Photos in stories",
            [
                {
                    "Story": tag.photo.story.title,
                    "Caption": tag.photo.caption,
                    "Shown publicly": "yes"
                    if tag.photo.published and tag.photo.story.is_published
                    else "no",
                }
                for tag in tags
            ],
        ),
        _mentions_section(child_identifiers(child)),
    ]


def guardian_sections(guardian) -> list[Section]:
    return [_mentions_section(guardian_identifiers(guardian))]


def _stories(identifiers: Identifiers):
    return Story.objects.filter(unit_id__in=identifiers.unit_ids).order_by("pk")


def _photos(identifiers: Identifiers):
    return StoryPhoto.objects.filter(story__unit_id__in=identifiers.unit_ids).order_by("pk")


def _mentions_section(identifiers: Identifiers) -> Section:
    found = [
        (
            f"Story #{story.pk}",
            {
                "Written": story.created_at,
                **{STORY_LABELS[n].capitalize(): getattr(story, n) for n in named},
            },
        )
        for story, named in mentions(_stories(identifiers), STORY_TEXT, identifiers)
    ]
    found += [
        (f"Photo #{photo.pk} in story #{photo.story_id}", {"Description": photo.caption})
        for photo, _ in mentions(_photos(identifiers), ["caption"], identifiers)
    ]
    return mention_section("story_mentions", "Stories and photo descriptions that name them", found)


def remove_identifiers(identifiers: Identifiers) -> list[str]:
    changed = redact_rows(
        _stories(identifiers),
        STORY_TEXT,
        identifiers,
        lambda story, named: (
            f"{words(named, STORY_LABELS)} of the story written on "
            f"{timezone.localtime(story.created_at):%-d %B %Y} (story #{story.pk})"
        ),
    )
    return changed + redact_rows(
        _photos(identifiers),
        ["caption"],
        identifiers,
        lambda photo, _: f"description of photo #{photo.pk} in story #{photo.story_id}",
    )


def anonymise_child(child) -> None:
    photo_ids = list(PhotoTag.objects.filter(child=child).values_list("photo_id", flat=True))
    StoryPhoto.objects.filter(pk__in=photo_ids).update(
        published=False,
        held_back_reason=WITHHELD_REASON,
        withheld_at=timezone.now(),
        withheld_reason=WITHHELD_REASON,
    )
    PhotoTag.objects.filter(child=child).delete()


def consent_recorded(*, acting_user, child, consent) -> None:
    """The consent app's hook, after each decision: a media decision that no longer covers the
    force's website takes the child's published photos down now."""
    unpublish_photos_for_child(acting_user=acting_user, child=child, consent=consent)
