"""The public app's personal data about a child: the story photos they are tagged in.

Anonymising a child takes down every photo they are in (a photo shows a face whatever the
record says) and removes their tags; the stories themselves stay.
"""

from minipolice.people.privacy import Section
from minipolice.public.models import PhotoTag, StoryPhoto

ANONYMISED_REASON = "A child in this photo has been anonymised"


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
        published=False, held_back_reason=ANONYMISED_REASON
    )
    PhotoTag.objects.filter(child=child).delete()
