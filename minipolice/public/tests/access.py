"""Public pages (anyone, no sign-in) and the story pages of leaders and coordinators."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from tests.access import PUBLIC, row

WRITERS = row(leader=200, area_lead=200, coordinator=200)
WRITERS_POST = row(leader=302, area_lead=302, coordinator=302)

MATRIX = {
    "public:find_index": ("get", PUBLIC),
    "public:find_units": ("get", PUBLIC),
    "public:unit": ("get", PUBLIC),
    "public:story": ("get", PUBLIC),
    "public:photo": ("get", PUBLIC),
    "public:story_list": ("get", WRITERS),
    "public:story_create": ("get", WRITERS),
    "public:story_detail": ("get", WRITERS),
    "public:story_edit": ("get", WRITERS),
    "public:story_delete": ("get", WRITERS),
    "public:photo_add": ("get", WRITERS),
    "public:photo_image": ("get", WRITERS),
    "public:photo_tags": ("get", WRITERS),
    # Removing a photo twice is answered like once (a double click), so each writer gets 302.
    "public:photo_remove": ("post", WRITERS_POST),
    # Submitting and withdrawing answer with the story page whatever its state (a second
    # submission is told it is already waiting), so each writer gets 302.
    "public:story_submit": ("post", WRITERS_POST),
    "public:story_withdraw": ("post", WRITERS_POST),
    "public:story_review": ("get", row(coordinator=200)),
    "public:story_send_back": ("get", row(coordinator=200)),
    "public:story_publish": ("post", row(coordinator=302)),
    "public:story_unpublish": ("post", row(coordinator=302)),
}
UNSCOPED = {name for name, (_, expected) in MATRIX.items() if expected == PUBLIC}

MATRIX_IMAGE = "stories/access-matrix.png"
# A 1×1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e2265d1c0000000049454e44ae426082"
)


def _photo(story):
    from minipolice.public.models import StoryPhoto

    # One small file shared by every run, so the matrix does not fill the media folder.
    if not default_storage.exists(MATRIX_IMAGE):
        default_storage.save(MATRIX_IMAGE, ContentFile(PNG))
    photo = StoryPhoto(story=story, caption="A leaflet drop", uploaded_at=timezone.now())
    photo.image.name = MATRIX_IMAGE
    photo.save()
    return photo


def url_kwargs(world) -> dict:
    from minipolice.public import services

    force = world.force.short_name
    published = services.create_story(
        acting_user=None, unit=world.unit, title="Leaflet drop", body="We posted leaflets."
    )
    shown = _photo(published)
    services.publish_story(acting_user=None, story=published)
    draft = services.create_story(
        acting_user=None, unit=world.unit, title="Litter pick", body="We picked litter."
    )
    photo = _photo(draft)
    submitted = services.create_story(
        acting_user=None, unit=world.unit, title="Road safety", body="We checked speeds."
    )
    services.submit_story(acting_user=None, story=submitted, base_url="http://testserver/")
    return {
        "public:find_units": {"force": force},
        "public:unit": {"force": force, "pk": world.unit.pk},
        "public:story": {"force": force, "pk": published.pk},
        "public:photo": {"force": force, "pk": shown.pk},
        "public:story_detail": {"pk": draft.pk},
        "public:story_edit": {"pk": draft.pk},
        "public:story_delete": {"pk": draft.pk},
        "public:photo_add": {"pk": draft.pk},
        "public:photo_image": {"pk": draft.pk, "photo_pk": photo.pk},
        "public:photo_remove": {"pk": draft.pk, "photo_pk": photo.pk},
        "public:photo_tags": {"pk": draft.pk, "photo_pk": photo.pk},
        "public:story_submit": {"pk": draft.pk},
        "public:story_withdraw": {"pk": submitted.pk},
        "public:story_send_back": {"pk": submitted.pk},
        "public:story_publish": {"pk": draft.pk},
        "public:story_unpublish": {"pk": published.pk},
    }
