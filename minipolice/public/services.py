"""Every write to stories and their photos. Atomic; audited where children are concerned.

Consent is asked of consent.enforcement.media_decisions(..., MediaUse.FORCE_WEBSITE) only:
- tagging a child in a photo needs it;
- publishing asks again, and a photo with any child it no longer covers is held back;
- when a guardian withdraws or refuses it, consent.services.record_consent calls
  unpublish_photos_for_child, so the photos stop being shown at once.
The public pages and the photo view check it a third time, when they are shown.

A photo withheld because a child in it was erased or anonymised (public/privacy.py) is never
published, whatever its remaining tags say, until retag_story_photo tags it again.

Review: a writer submits a draft (submit_story), which emails the force's coordinators through
a background task (public/tasks.py); a story waiting for review cannot be changed (the
coordinator reviews what was submitted) until the writer withdraws it (withdraw_story) or a
coordinator sends it back with a reason (return_story). Publishing works from either state.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from minipolice.audit.services import changed_fields, record_audit, snapshot
from minipolice.consent.enforcement import media_decisions
from minipolice.consent.models import ConsentKind, MediaUse
from minipolice.lib.users import signed_in_or_none
from minipolice.public.images import prepare_photo
from minipolice.public.models import PhotoTag, Story, StoryPhoto, StoryStatus
from minipolice.public.tasks import send_story_submitted_email

STORY_FIELDS = ["title", "body", "happened_on"]
MAX_PHOTOS = 12


def _force(story: Story):
    return story.unit.school.area.force


LOCKED = {
    StoryStatus.PUBLISHED: _lazy("Unpublish the story before changing it."),
    StoryStatus.SUBMITTED: _lazy("Withdraw the story from review before changing it."),
}


def _require_draft(story: Story) -> None:
    """Only drafts change: a published story was checked by a coordinator as it stands, and a
    story waiting for review is what the coordinator will check. The stored status is read (and
    the row locked), not the copy the caller holds."""
    status = Story.objects.select_for_update().filter(pk=story.pk).values_list("status", flat=True)
    if status.first() in LOCKED:
        raise ValidationError(LOCKED[status.first()])


def _locked(story: Story) -> Story:
    return (
        Story.objects.select_for_update()
        .select_related("unit__school__area__force")
        .get(pk=story.pk)
    )


def _set_status(*, acting_user, story: Story, status: str, fields: dict | None = None, **values):
    before = story.status
    story.status = status
    for name, value in values.items():
        setattr(story, name, value)
    story.save(update_fields=["status", *values])
    record_audit(
        acting_user=acting_user,
        action="update",
        obj=story,
        force=_force(story),
        fields={"status": [before, status], **(fields or {})},
    )
    return story


@transaction.atomic
def submit_story(*, acting_user, story: Story, base_url: str) -> Story:
    """A draft goes for review; the force's coordinators are emailed by a background task
    enqueued in this transaction (so it is sent only if the submission is kept). `base_url`
    (the site's address, from the request) makes the links in the email."""
    story = _locked(story)
    if story.is_submitted:
        raise ValidationError(_("The story is already waiting for review."))
    if not story.is_draft:
        raise ValidationError(_("Only a draft can be submitted for review."))
    _set_status(
        acting_user=acting_user,
        story=story,
        status=StoryStatus.SUBMITTED,
        submitted_at=timezone.now(),
        submitted_by=signed_in_or_none(acting_user),
        returned_at=None,
        returned_by=None,
        returned_reason="",
    )
    send_story_submitted_email.enqueue(story.pk, base_url)
    return story


@transaction.atomic
def withdraw_story(*, acting_user, story: Story) -> Story:
    """The writer takes a story back from review, to change it: it is a draft again."""
    story = _locked(story)
    if not story.is_submitted:
        raise ValidationError(_("The story is not waiting for review."))
    return _set_status(acting_user=acting_user, story=story, status=StoryStatus.DRAFT)


@transaction.atomic
def return_story(*, acting_user, story: Story, reason: str) -> Story:
    """A coordinator sends a story waiting for review back to draft, saying why."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Enter why the story is sent back")})
    story = _locked(story)
    if not story.is_submitted:
        raise ValidationError(_("The story is not waiting for review."))
    return _set_status(
        acting_user=acting_user,
        story=story,
        status=StoryStatus.DRAFT,
        fields={"reason": reason},
        returned_at=timezone.now(),
        returned_by=signed_in_or_none(acting_user),
        returned_reason=reason,
    )


@transaction.atomic
def create_story(
    *, acting_user, unit, title: str, body: str, happened_on: datetime.date | None = None
) -> Story:
    now = timezone.now()
    story = Story(
        unit=unit,
        title=title.strip(),
        body=body.strip(),
        happened_on=happened_on,
        author=signed_in_or_none(acting_user),
        created_at=now,
        updated_at=now,
    )
    story.full_clean()
    story.save()
    record_audit(
        acting_user=acting_user,
        action="create",
        obj=story,
        force=_force(story),
        fields={"title": story.title, "unit": unit.name},
    )
    return story


@transaction.atomic
def update_story(*, acting_user, story: Story, **changes) -> Story:
    _require_draft(story)
    before = snapshot(story, STORY_FIELDS)
    for name, value in changes.items():
        setattr(story, name, value.strip() if isinstance(value, str) else value)
    story.full_clean()
    diff = changed_fields(story, before, STORY_FIELDS)
    if diff:
        story.updated_at = timezone.now()
        story.save(update_fields=[*diff, "updated_at"])
        record_audit(
            acting_user=acting_user, action="update", obj=story, force=_force(story), fields=diff
        )
    return story


@transaction.atomic
def delete_story(*, acting_user, story: Story) -> None:
    _require_draft(story)
    record_audit(
        acting_user=acting_user,
        action="delete",
        obj=story,
        force=_force(story),
        fields={"title": story.title},
    )
    files = [photo.image.name for photo in story.photos.all()]
    story.delete()
    _delete_files_after_commit(files)


@transaction.atomic
def add_story_photo(*, acting_user, story: Story, image, caption: str, children=()) -> StoryPhoto:
    """Add a photo, tagging the children in it. Each must have media consent for the website."""
    _require_draft(story)
    if story.photos.count() >= MAX_PHOTOS:
        raise ValidationError(
            _("A story can have at most %(count)s photos.") % {"count": MAX_PHOTOS}
        )
    children = list(children)
    force = _force(story)
    _require_taggable(children, force)
    photo = StoryPhoto(
        story=story,
        caption=caption.strip(),
        uploaded_by=signed_in_or_none(acting_user),
        uploaded_at=timezone.now(),
    )
    photo.image = prepare_photo(image)
    photo.full_clean()
    try:
        photo.save()
        PhotoTag.objects.bulk_create([PhotoTag(photo=photo, child=child) for child in children])
        record_audit(
            acting_user=acting_user,
            action="create",
            obj=photo,
            force=force,
            label=f"Photo in story “{story.title}”",
            fields={"caption": photo.caption, "children": sorted(child.pk for child in children)},
        )
    except Exception:
        # The row is rolled back; do not leave its file behind.
        if photo.image.name:
            default_storage.delete(photo.image.name)
        raise
    return photo


def _require_taggable(children, force) -> None:
    """Each child must be of `force` and have media consent for the website."""
    strangers = [child for child in children if child.force_id != force.pk]
    if strangers:
        raise ValidationError({"children": _("Only children of this force can be tagged.")})
    decisions = media_decisions(children, MediaUse.FORCE_WEBSITE)
    refused = [child for child in children if not decisions.get(child.pk)]
    if refused:
        names = ", ".join(child.full_name for child in refused)
        raise ValidationError(
            {
                "children": _("No consent for photos on the force's website: %(names)s.")
                % {"names": names}
            }
        )


@transaction.atomic
def retag_story_photo(*, acting_user, photo: StoryPhoto, children=()) -> StoryPhoto:
    """Tag the children in a photo again (the list replaces the old one). Each must have media
    consent for the website. This is the only way to lift the hold on a photo withheld for an
    erased or anonymised child, and then at least one child must be tagged: a person who looks
    at the photo says who is in it now."""
    story = photo.story
    _require_draft(story)
    photo = StoryPhoto.objects.select_for_update().get(pk=photo.pk)
    children = list(children)
    force = _force(story)
    was_withheld = photo.withheld_at is not None
    if was_withheld and not children:
        raise ValidationError(
            {
                "children": "Tick the children who can be recognised in this photo. If the child "
                "whose record was erased can be recognised in it, remove the photo instead."
            }
        )
    _require_taggable(children, force)
    before = sorted(photo.tags.values_list("child_id", flat=True))
    after = sorted({child.pk for child in children})
    photo.tags.exclude(child_id__in=after).delete()
    PhotoTag.objects.bulk_create(
        [PhotoTag(photo=photo, child_id=pk) for pk in after if pk not in before]
    )
    if was_withheld:
        photo.withheld_at, photo.withheld_reason, photo.held_back_reason = None, "", ""
        photo.save(update_fields=["withheld_at", "withheld_reason", "held_back_reason"])
    fields = {"children": [before, after]}
    if was_withheld:
        fields["withheld"] = [True, False]
    record_audit(
        acting_user=acting_user,
        action="update",
        obj=photo,
        force=force,
        label=f"Photo in story “{story.title}” tagged again",
        fields=fields,
    )
    return photo


@transaction.atomic
def remove_story_photo(*, acting_user, photo: StoryPhoto) -> None:
    story = photo.story
    _require_draft(story)
    record_audit(
        acting_user=acting_user,
        action="delete",
        obj=photo,
        force=_force(story),
        label=f"Photo in story “{story.title}”",
        fields={"caption": photo.caption},
    )
    name = photo.image.name
    photo.delete()
    _delete_files_after_commit([name])


@transaction.atomic
def publish_story(*, acting_user, story: Story) -> list[StoryPhoto]:
    """Publish the story (or publish it again). Consent is checked again for every photo:
    a photo with a child whose consent no longer covers the website is held back.

    Returns the photos held back, so the page can say which and why.
    """
    story = _locked(story)
    photos = list(story.photos.prefetch_related("tags__child"))
    children = {tag.child for photo in photos for tag in photo.tags.all()}
    decisions = media_decisions(children, MediaUse.FORCE_WEBSITE)
    held_back = []
    for photo in photos:
        reasons = [
            f"{tag.child.first_name}: {_refusal(tag.child, decisions)}"
            for tag in photo.tags.all()
            if _refusal(tag.child, decisions)
        ]
        if photo.withheld_at is not None:
            reasons.insert(0, photo.withheld_reason or "Withheld")
        photo.published = not reasons
        photo.held_back_reason = "; ".join(reasons)[:255]
        if reasons:
            held_back.append(photo)
    StoryPhoto.objects.bulk_update(photos, ["published", "held_back_reason"])
    now = timezone.now()
    first_time = not story.is_published
    before = story.status
    story.status = StoryStatus.PUBLISHED
    story.published_at = story.published_at if not first_time else now
    story.published_by = signed_in_or_none(acting_user) if first_time else story.published_by
    story.save(update_fields=["status", "published_at", "published_by"])
    record_audit(
        acting_user=acting_user,
        action="update",
        obj=story,
        force=_force(story),
        fields={
            "status": [before, story.status],
            "photos_published": sorted(p.pk for p in photos if p.published),
            "photos_held_back": sorted(p.pk for p in held_back),
        },
    )
    return held_back


@transaction.atomic
def unpublish_story(*, acting_user, story: Story) -> Story:
    story = _locked(story)
    if not story.is_published:
        return story
    story.status = StoryStatus.DRAFT
    story.save(update_fields=["status"])
    story.photos.update(published=False, held_back_reason="")
    # A withheld photo keeps its hold (withheld_at, withheld_reason) through this.
    record_audit(
        acting_user=acting_user,
        action="update",
        obj=story,
        force=_force(story),
        fields={"status": [StoryStatus.PUBLISHED, StoryStatus.DRAFT]},
    )
    return story


@transaction.atomic
def unpublish_photos_for_child(*, acting_user, child, consent=None) -> int:
    """Stop showing every published photo of `child` whose media consent no longer covers the
    force's website. Called after each consent decision (consent.services.record_consent asks
    the `consent_recorded` hook, public.privacy); a decision of another kind changes nothing. Returns how many photos were taken down."""
    if consent is not None and consent.kind != ConsentKind.MEDIA:
        return 0
    decision = media_decisions([child], MediaUse.FORCE_WEBSITE).get(child.pk)
    if decision:
        return 0
    photos = list(
        StoryPhoto.objects.filter(tags__child=child, published=True).select_related(
            "story__unit__school__area__force"
        )
    )
    if not photos:
        return 0
    why = decision.reason if decision is not None else "No consent"
    reason = f"{child.first_name}: {why}"[:255]
    StoryPhoto.objects.filter(pk__in=[photo.pk for photo in photos]).update(
        published=False, held_back_reason=reason
    )
    for photo in photos:
        record_audit(
            acting_user=acting_user,
            action="update",
            obj=photo,
            force=_force(photo.story),
            label=f"Photo in story “{photo.story.title}” taken down",
            # The child by id only: the audit log keeps no names (it outlives erasure).
            fields={"published": [True, False], "child": child.pk, "reason": why[:255]},
        )
    return len(photos)


def _refusal(child, decisions) -> str:
    """Why `child` may not be shown (empty when they may)."""
    if child.anonymised_at is not None:
        return "record anonymised"
    decision = decisions.get(child.pk)
    if decision is None:
        return "No consent recorded"
    return "" if decision else decision.reason


def _delete_files_after_commit(names: list[str]) -> None:
    def delete():
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(delete)
