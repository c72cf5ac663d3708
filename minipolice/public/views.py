"""Public pages (find a unit, a unit's stories, a story, its photos) and the staff pages where
leaders write stories and coordinators publish them."""

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import get_scope
from minipolice.lib.access import require_permission
from minipolice.lib.forms import apply_service_errors
from minipolice.lib.listing import build_listing
from minipolice.organisations.selectors import visible_units
from minipolice.public import selectors, services
from minipolice.public.forms import (
    NewStoryForm,
    PhotoForm,
    PhotoTagsForm,
    SendBackForm,
    StoryForm,
)
from minipolice.public.images import content_type_of
from minipolice.public.models import StoryStatus

LEAFLET_JS = Path(settings.BASE_DIR) / "minipolice" / "static" / "build" / "leaflet" / "leaflet.js"


def map_enabled() -> bool:
    """The map needs Leaflet in the front-end build and a tile server the CSP allows
    (settings.MINIPOLICE_MAP_TILES, also added to img-src). Without both, the list is the page."""
    return LEAFLET_JS.is_file() and bool(getattr(settings, "MINIPOLICE_MAP_TILES", ""))


# Public pages -------------------------------------------------------------------------------
def find_index(request):
    return render(request, "public/find_index.html", {"forces": selectors.forces_with_units()})


def find_units(request, force):
    force = selectors.public_force(force)
    query = request.GET.get("q", "").strip()[:100]
    units = list(selectors.search_active_units(force, query))
    nearest = selectors.nearest_units(force, query) if query and not units else []
    markers = [
        {
            "name": unit.school.name,
            "url": reverse("public:unit", args=[force.short_name, unit.pk]),
            "lat": float(unit.school.latitude),
            "lng": float(unit.school.longitude),
        }
        for unit in units
        if unit.school.latitude is not None and unit.school.longitude is not None
    ]
    show_map = bool(markers) and map_enabled()
    return render(
        request,
        "public/find_units.html",
        {
            "force": force,
            "units": units,
            "query": query,
            "district": selectors.postcode_district(query),
            "nearest": nearest,
            "show_map": show_map,
            "markers": markers if show_map else [],
            "map_tiles": getattr(settings, "MINIPOLICE_MAP_TILES", "") if show_map else "",
            "map_attribution": getattr(settings, "MINIPOLICE_MAP_ATTRIBUTION", ""),
        },
    )


def public_unit(request, force, pk):
    force = selectors.public_force(force)
    unit = selectors.get_public_unit(force, pk)
    stories = selectors.published_stories(force).filter(unit=unit)
    return render(request, "public/unit.html", {"force": force, "unit": unit, "stories": stories})


def public_story(request, force, pk):
    force = selectors.public_force(force)
    story = selectors.get_public_story(force, pk)
    return render(
        request,
        "public/story.html",
        {"force": force, "story": story, "photos": selectors.shown_photos(story)},
    )


def public_photo(request, force, pk):
    """A story photo, served only after consent is checked again (never a direct media URL)."""
    force = selectors.public_force(force)
    photo = selectors.get_public_photo(force, pk)
    response = _image_response(photo)
    # Consent can be withdrawn at any moment: no cache may keep the photo.
    response["Cache-Control"] = "no-store"
    return response


def _image_response(photo):
    try:
        handle = photo.image.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    return FileResponse(handle, content_type=content_type_of(photo.image.name))


# Stories (staff) ----------------------------------------------------------------------------
def _refuse_unless_draft(request, story):
    """A redirect to the story saying why it cannot change now, or None for a draft."""
    if story.is_draft:
        return None
    messages.info(request, services.LOCKED[story.status])
    return redirect("public:story_detail", pk=story.pk)


def _waiting_count(user) -> int | None:
    """How many stories wait for review, for those who publish (None for everyone else)."""
    if not get_scope(user).has(Perm.STORY_PUBLISH):
        return None
    return selectors.count_waiting_for_review(user)


@require_permission(Perm.STORY_WRITE)
def story_list(request):
    stories = selectors.visible_stories(request.user)
    status = request.GET.get("status", "")
    if status in StoryStatus.values:
        stories = stories.filter(status=status)
    listing = build_listing(
        request,
        stories,
        search_fields=["title", "unit__name", "unit__school__name"],
        sort_fields={
            "title": (_("Title"), "title"),
            "unit": (_("Unit"), "unit__name"),
            "status": (_("Status"), "status"),
            "updated": (_("Last changed"), "updated_at"),
        },
        default_sort="-updated",
    )
    return render(
        request,
        "public/story_list.html",
        {
            "listing": listing,
            "status": status,
            "statuses": StoryStatus.choices,
            "waiting_count": _waiting_count(request.user),
        },
    )


@require_permission(Perm.STORY_PUBLISH)
def story_review(request):
    """Stories waiting for the coordinator, oldest first."""
    listing = build_listing(
        request,
        selectors.stories_waiting_for_review(request.user),
        search_fields=["title", "unit__name", "unit__school__name"],
        sort_fields={
            "title": (_("Title"), "title"),
            "unit": (_("Unit"), "unit__name"),
            "submitted_by": (_("Submitted by"), "submitted_by__full_name"),
            "submitted": (_("Submitted"), "submitted_at"),
        },
        default_sort="submitted",
    )
    return render(request, "public/story_review.html", {"listing": listing})


@require_permission(Perm.STORY_WRITE)
def story_create(request):
    units = visible_units(request.user, Perm.STORY_WRITE).order_by("name")
    form = NewStoryForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            story = services.create_story(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("Story saved as a draft. Add photos, then submit it for review.")
            )
            return redirect("public:story_detail", pk=story.pk)
    return render(
        request,
        "public/form.html",
        {"form": form, "title": _("Write a story"), "cancel_href": reverse("public:story_list")},
    )


@require_permission(Perm.STORY_WRITE)
def story_detail(request, pk):
    story = selectors.get_story_for_user(request.user, pk)
    return render(
        request,
        "public/story_detail.html",
        {
            "story": story,
            "photos": selectors.story_photos(story),
            "may_publish": get_scope(request.user).can(Perm.STORY_PUBLISH, story),
            "public_url": (
                reverse("public:story", args=[story.unit.school.area.force.short_name, story.pk])
                if story.is_published
                else ""
            ),
        },
    )


@require_permission(Perm.STORY_WRITE)
def story_edit(request, pk):
    story = selectors.get_story_for_user(request.user, pk)
    if (refused := _refuse_unless_draft(request, story)) is not None:
        return refused
    form = StoryForm(request.POST or None, instance=story)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_story(acting_user=request.user, story=story, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Story saved."))
            return redirect("public:story_detail", pk=story.pk)
    return render(
        request,
        "public/form.html",
        {"form": form, "title": _("Change the story"), "cancel_href": story.get_absolute_url()},
    )


@require_permission(Perm.STORY_WRITE)
def story_delete(request, pk):
    story = selectors.get_story_for_user(request.user, pk)
    if request.method == "POST":
        try:
            services.delete_story(acting_user=request.user, story=story)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("public:story_detail", pk=story.pk)
        messages.success(request, f"“{story.title}” deleted.")
        return redirect("public:story_list")
    return render(request, "public/story_delete.html", {"story": story})


@require_permission(Perm.STORY_WRITE)
def photo_add(request, pk):
    story = selectors.get_story_for_user(request.user, pk)
    if (refused := _refuse_unless_draft(request, story)) is not None:
        return refused
    candidates, refused_count = selectors.tag_candidates(request.user, story)
    form = PhotoForm(request.POST or None, request.FILES or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_story_photo(
                acting_user=request.user,
                story=story,
                image=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
                children=form.cleaned_data["children"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Photo added."))
            return redirect("public:story_detail", pk=story.pk)
    return render(
        request,
        "public/photo_form.html",
        {"form": form, "story": story, "refused_count": refused_count},
    )


@require_permission(Perm.STORY_WRITE)
def photo_image(request, pk, photo_pk):
    """The photo for staff who may see the story (drafts included)."""
    photo = selectors.get_photo_for_user(request.user, pk, photo_pk)
    return _image_response(photo)


@require_permission(Perm.STORY_WRITE)
def photo_tags(request, pk, photo_pk):
    """Tag the children in a photo again; the only way to lift the hold on a withheld photo."""
    photo = selectors.get_photo_for_user(request.user, pk, photo_pk)
    story = photo.story
    if (refused := _refuse_unless_draft(request, story)) is not None:
        return refused
    candidates, refused_count = selectors.tag_candidates(request.user, story)
    form = PhotoTagsForm(
        request.POST or None,
        candidates=candidates,
        initial={"children": [tag.child_id for tag in photo.tags.all()]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.retag_story_photo(
                acting_user=request.user, photo=photo, children=form.cleaned_data["children"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Children in the photo saved."))
            return redirect("public:story_detail", pk=story.pk)
    return render(
        request,
        "public/photo_tags.html",
        {"form": form, "story": story, "photo": photo, "refused_count": refused_count},
    )


@require_POST
@require_permission(Perm.STORY_WRITE)
def photo_remove(request, pk, photo_pk):
    story = selectors.get_story_for_user(request.user, pk)
    photo = story.photos.filter(pk=photo_pk).first()
    if photo is None:  # already removed (a double click): say so rather than 404
        messages.info(request, _("That photo has already been removed."))
        return redirect("public:story_detail", pk=story.pk)
    try:
        services.remove_story_photo(acting_user=request.user, photo=photo)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Photo removed."))
    return redirect("public:story_detail", pk=pk)


@require_POST
@require_permission(Perm.STORY_PUBLISH)
def story_publish(request, pk):
    story = selectors.get_story_for_user(request.user, pk, Perm.STORY_PUBLISH)
    held_back = services.publish_story(acting_user=request.user, story=story)
    if held_back:
        messages.warning(
            request,
            f"Story published, but {len(held_back)} photo{'s' if len(held_back) != 1 else ''} "
            f"held back: the reason is beside {'each' if len(held_back) != 1 else 'it'} below.",
        )
    else:
        messages.success(request, _("Story published."))
    return redirect("public:story_detail", pk=story.pk)


@require_POST
@require_permission(Perm.STORY_PUBLISH)
def story_unpublish(request, pk):
    story = selectors.get_story_for_user(request.user, pk, Perm.STORY_PUBLISH)
    services.unpublish_story(acting_user=request.user, story=story)
    messages.success(request, _("Story unpublished: it is a draft again."))
    return redirect("public:story_detail", pk=story.pk)


@require_POST
@require_permission(Perm.STORY_WRITE)
def story_submit(request, pk):
    story = selectors.get_story_for_user(request.user, pk)
    try:
        services.submit_story(
            acting_user=request.user, story=story, base_url=request.build_absolute_uri("/")
        )
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            "Story submitted for review. Your force's coordinators have been told; you can "
            "withdraw it to make changes until one of them publishes it or sends it back.",
        )
    return redirect("public:story_detail", pk=story.pk)


@require_POST
@require_permission(Perm.STORY_WRITE)
def story_withdraw(request, pk):
    story = selectors.get_story_for_user(request.user, pk)
    try:
        services.withdraw_story(acting_user=request.user, story=story)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(request, _("Story withdrawn from review: it is a draft again."))
    return redirect("public:story_detail", pk=story.pk)


@require_permission(Perm.STORY_PUBLISH)
def story_send_back(request, pk):
    """Send a story waiting for review back to its writers, with the reason they will read."""
    story = selectors.get_story_for_user(request.user, pk, Perm.STORY_PUBLISH)
    if not story.is_submitted:
        messages.info(request, _("The story is not waiting for review."))
        return redirect("public:story_detail", pk=story.pk)
    form = SendBackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.return_story(
                acting_user=request.user, story=story, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Story sent back: its writers see your reason."))
            return redirect("public:story_review")
    return render(
        request,
        "public/form.html",
        {
            "form": form,
            "title": f"Send back “{story.title}”",
            "cancel_href": story.get_absolute_url(),
        },
    )
