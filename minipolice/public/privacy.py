"""The public app's personal data about a child: the story photos they are tagged in.

Anonymising a child (erasure on request, or the retention run: both come through
people.services.anonymise_child) withholds every photo they are tagged in for good — a photo
shows a face whatever the record says — and removes their tags; the stories themselves stay.
A withheld photo is never published again until someone tags the children in it again
(public.services.retag_story_photo), so an untagged photo cannot slip back out.
"""

from django.utils import timezone

from minipolice.people.privacy import Section
from minipolice.public.models import PhotoTag, StoryPhoto

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
        )
    ]


def anonymise_child(child) -> None:
    photo_ids = list(PhotoTag.objects.filter(child=child).values_list("photo_id", flat=True))
    StoryPhoto.objects.filter(pk__in=photo_ids).update(
        published=False,
        held_back_reason=WITHHELD_REASON,
        withheld_at=timezone.now(),
        withheld_reason=WITHHELD_REASON,
    )
    PhotoTag.objects.filter(child=child).delete()
