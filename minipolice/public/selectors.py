"""Reads for stories (scoped, for staff) and for the public pages (anyone, published only).

The public reads never return a child's record nor any part of a child's name: the public site
prints no name or initial beside a photo or anywhere else (the consent form says so). A photo is
shown only when it is not withheld (a child in it was erased) and every child in it has media
consent for the force's website today (asked of consent.enforcement in one query per page).
"""

import re

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from minipolice.accounts.models import Role, User
from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import scope_paths, scope_q
from minipolice.consent.enforcement import media_decisions
from minipolice.consent.models import MediaUse
from minipolice.lib.access import get_or_404
from minipolice.organisations.models import Force, Unit, UnitStatus
from minipolice.people.models import Enrolment
from minipolice.people.selectors import visible_children
from minipolice.public.models import PhotoTag, Story, StoryPhoto, StoryStatus

PUBLIC_UNIT_STATUSES = [UnitStatus.TRIAL, UnitStatus.ACTIVE, UnitStatus.PAUSED, UnitStatus.CLOSED]


# Staff: stories of the units the user may write about ----------------------------------------
STORY_PATHS = scope_paths(
    Story,
    force="unit__school__area__force_id",
    area="unit__school__area_id",
    school="unit__school_id",
    unit="unit_id",
)


def _in_scope(user, perm: Perm):
    return scope_q(user, perm, **STORY_PATHS)


def visible_stories(user, perm: Perm = Perm.STORY_WRITE):
    return (
        Story.objects.filter(_in_scope(user, perm))
        .select_related("unit", "unit__school", "unit__school__area__force", "author")
        .annotate(photo_count=Count("photos"))
    )


def stories_waiting_for_review(user):
    """Stories waiting for a coordinator the user is (empty for everyone else), oldest first."""
    return (
        visible_stories(user, Perm.STORY_PUBLISH)
        .filter(status=StoryStatus.SUBMITTED)
        .select_related("submitted_by")
    )


def count_waiting_for_review(user) -> int:
    return Story.objects.filter(
        _in_scope(user, Perm.STORY_PUBLISH), status=StoryStatus.SUBMITTED
    ).count()


def story_reviewers(force) -> list[tuple[str, str]]:
    """The addresses of the force's coordinators (who publish its stories), active accounts,
    each with the language they chose ("" if none)."""
    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.FORCE_COORDINATOR,
            role_assignments__force=force,
        )
        .distinct()
        .order_by("email")
        .values_list("email", "language")
    )


def get_story_for_user(user, pk, perm: Perm = Perm.STORY_WRITE) -> Story:
    return get_or_404(visible_stories(user, perm), pk)


def story_photos(story: Story):
    tags = PhotoTag.objects.select_related("child").order_by("child__first_name")
    return story.photos.prefetch_related(Prefetch("tags", queryset=tags))


def get_photo_for_user(user, story_pk, photo_pk) -> StoryPhoto:
    story = get_story_for_user(user, story_pk)
    return get_or_404(story.photos.select_related("story"), photo_pk)


def tag_candidates(user, story: Story):
    """Children the user may tag in a photo of `story`: those the user may see who are in the
    unit's cohorts now and whose media consent covers the website. Returns them (a queryset,
    for the form) and how many others in the unit are left out for want of that consent."""
    current = Enrolment.objects.filter(cohort__unit=story.unit, left__isnull=True)
    children = visible_children(user).filter(pk__in=current.values("child_id"))
    decisions = media_decisions(children, MediaUse.FORCE_WEBSITE)
    allowed = [pk for pk, decision in decisions.items() if decision]
    allowed_children = visible_children(user).filter(pk__in=allowed)
    return allowed_children.order_by("first_name", "last_name", "pk"), len(decisions) - len(allowed)


# Public ---------------------------------------------------------------------------------------
def public_force(short_name: str) -> Force:
    return get_object_or_404(Force, short_name=short_name)


def forces_with_units():
    return Force.objects.annotate(
        active_units=Count(
            "areas__schools__units", filter=Q(areas__schools__units__status="active")
        )
    ).order_by("name")


def active_units(force: Force):
    return (
        Unit.objects.filter(school__area__force=force, status=UnitStatus.ACTIVE)
        .select_related("school", "school__area")
        .order_by("school__area__name", "school__name", "name")
    )


POSTCODE = re.compile(r"^([A-Z]{1,2})(\d[A-Z\d]?) ?(\d[A-Z]{2})?$")


def postcode_district(text: str) -> str | None:
    """The district (outward code, "BS4") of a postcode or district as typed, or None."""
    match = POSTCODE.match(text.strip().upper())
    return match.group(1) + match.group(2) if match else None


def search_active_units(force: Force, query: str):
    """Active units matching `query`: for a postcode, those in its district (BS4 2RX and BS4
    find the school placed at BS4, not BS48); otherwise by school, town, area or unit name."""
    units = active_units(force)
    if not query:
        return units
    district = postcode_district(query)
    if district:
        return units.filter(school__postcode__iregex=rf"^{district}( ?[0-9][A-Z]{{2}})?$")
    return units.filter(
        Q(name__icontains=query)
        | Q(school__name__icontains=query)
        | Q(school__town__icontains=query)
        | Q(school__postcode__icontains=query)
        | Q(school__area__name__icontains=query)
    )


def nearest_units(force: Force, query: str, limit: int = 3) -> list[Unit]:
    """For a postcode with no unit in its district: the active units in the same postcode area
    (BS, TA), nearest district number first, as near as one can tell with no map data."""
    district = postcode_district(query)
    if not district:
        return []
    letters = POSTCODE.match(district).group(1)

    def number(code: str) -> int:
        return int(re.match(r"[A-Z]+(\d+)", code.upper()).group(1))

    units = active_units(force).filter(school__postcode__iregex=rf"^{letters}[0-9]")
    return sorted(
        units,
        key=lambda unit: (
            abs(number(unit.school.postcode) - number(district)),
            number(unit.school.postcode),
            unit.school.name,
        ),
    )[:limit]


def get_public_unit(force: Force, pk) -> Unit:
    units = Unit.objects.filter(
        school__area__force=force, status__in=PUBLIC_UNIT_STATUSES
    ).select_related("school", "school__area")
    return get_or_404(units, pk)


def published_stories(force: Force):
    return Story.objects.filter(
        unit__school__area__force=force,
        unit__status__in=PUBLIC_UNIT_STATUSES,
        status=StoryStatus.PUBLISHED,
    ).select_related("unit", "unit__school")


def get_public_story(force: Force, pk) -> Story:
    return get_or_404(published_stories(force), pk)


def shown_photos(story: Story) -> list[StoryPhoto]:
    """The story's photos that may be shown today (no names: the page prints none)."""
    photos = list(story_photos(story).filter(published=True, withheld_at__isnull=True))
    return [photo for photo in _check_photos(photos) if photo is not None]


def _check_photos(photos) -> list[StoryPhoto | None]:
    children = {tag.child_id: tag.child for photo in photos for tag in photo.tags.all()}
    decisions = media_decisions(list(children), MediaUse.FORCE_WEBSITE) if children else {}
    checked = []
    for photo in photos:
        tagged = [tag.child for tag in photo.tags.all()]
        if any(child.anonymised_at is not None or not decisions.get(child.pk) for child in tagged):
            checked.append(None)
            continue
        checked.append(photo)
    return checked


def _public_photos(force: Force):
    return StoryPhoto.objects.filter(
        published=True,
        withheld_at__isnull=True,
        story__status=StoryStatus.PUBLISHED,
        story__unit__status__in=PUBLIC_UNIT_STATUSES,
        story__unit__school__area__force=force,
    ).prefetch_related(Prefetch("tags", queryset=PhotoTag.objects.select_related("child")))


def photos_shown_now(force: Force, ids) -> list[StoryPhoto]:
    """Those of the photos `ids` that anyone may see today (as get_public_photo decides)."""
    photos = list(_public_photos(force).filter(pk__in=list(ids)))
    return [photo for photo in _check_photos(photos) if photo is not None]


def get_public_photo(force: Force, pk) -> StoryPhoto:
    """A photo anyone may see: in a published story of `force`, published, consent in date."""
    photo = get_or_404(_public_photos(force), pk)
    if _check_photos([photo])[0] is None:
        raise Http404
    return photo
